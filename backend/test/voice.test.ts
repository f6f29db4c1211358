/**
 * The voice pipeline offline, end to end with the real binaries: espeak-ng speaks a request, POST /voice/plan hears
 * it with pocketsphinx (grammar from the catalog), plans it and speaks the reply. `.ci/run` installs both binaries;
 * when one is missing this fails saying so, rather than skipping.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { AudioError, decodeWav, encodeWav, paddedWav, resample, sniff } from "../src/voice/audio.js";
import { EspeakTts } from "../src/voice/espeak.js";
import { findBinary } from "../src/voice/exec.js";
import { call, createTestApp, expectError, type TestApp } from "./helpers/app.js";

type Json = Record<string, any>;

const MAX_BYTES = 400_000;
const MAX_SECONDS = 8;
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);

interface WavSpec {
  /** 1 PCM, 3 float, or any other code. */
  code?: number;
  channels?: number;
  rate?: number;
  bits?: number;
  seconds?: number;
  /** WAVE_FORMAT_EXTENSIBLE naming `code` in its sub-format. */
  extensible?: boolean;
  /** Chunks before the data chunk (after fmt), of these ids and sizes. */
  extra?: { id: string; size: number }[];
}

function chunk(id: string, body: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.write(id, 0, "ascii");
  header.writeUInt32LE(body.length, 4);
  // Odd-sized chunks are followed by a pad byte.
  return Buffer.concat([header, body, Buffer.alloc(body.length % 2)]);
}

/** A WAV of a quiet tone, written field by field (encodeWav writes only 16-bit mono). */
function buildWav(spec: WavSpec = {}): Buffer {
  const { code = 1, channels = 1, rate = 16_000, bits = 16, seconds = 0.5, extensible = false, extra = [] } = spec;
  const width = bits / 8;
  const frames = Math.round(rate * seconds);
  const data = Buffer.alloc(frames * channels * width);
  for (let f = 0; f < frames; f++) {
    const v = 0.2 * Math.sin(f / 6);
    for (let ch = 0; ch < channels; ch++) {
      const o = (f * channels + ch) * width;
      if (code === 3) data.writeFloatLE(v, o);
      else if (bits === 8) data.writeUInt8(Math.round(v * 127) + 128, o);
      else if (bits === 16) data.writeInt16LE(Math.round(v * 32_767), o);
      else if (bits === 24) data.writeIntLE(Math.round(v * 8_388_607), o, 3);
      else data.writeInt32LE(Math.round(v * 2_147_483_647), o);
    }
  }
  const fmt = Buffer.alloc(extensible ? 40 : 16);
  fmt.writeUInt16LE(extensible ? 0xfffe : code, 0);
  fmt.writeUInt16LE(channels, 2);
  fmt.writeUInt32LE(rate, 4);
  fmt.writeUInt32LE(rate * channels * width, 8);
  fmt.writeUInt16LE(channels * width, 12);
  fmt.writeUInt16LE(bits, 14);
  if (extensible) {
    fmt.writeUInt16LE(22, 16);
    fmt.writeUInt16LE(bits, 18);
    fmt.writeUInt16LE(code, 24);
    Buffer.from("000000001000800000aa00389b71", "hex").copy(fmt, 26);
  }
  const chunks = [
    chunk("fmt ", fmt),
    ...extra.map((c) => chunk(c.id, Buffer.alloc(c.size, 0x41))),
    chunk("data", data),
  ];
  const body = Buffer.concat([Buffer.from("WAVE"), ...chunks]);
  const riff = Buffer.alloc(8);
  riff.write("RIFF", 0, "ascii");
  riff.writeUInt32LE(body.length, 4);
  return Buffer.concat([riff, body]);
}

/** The 22-byte WAV of the probe that used to crash the decoder: a fmt chunk header promising 16 bytes, then 2. */
const PROBE_WAV = Buffer.concat([
  Buffer.from("RIFF"),
  Buffer.alloc(4),
  Buffer.from("WAVEfmt "),
  Buffer.from([0x10, 0, 0, 0, 0x01, 0]),
]);

/** Valid WAVs of every encoding the decoder reads; the fuzzers start from them. */
const VALID_WAVS = [
  buildWav(),
  buildWav({ channels: 2, bits: 24, rate: 44_100 }),
  buildWav({ code: 3, bits: 32, rate: 22_050 }),
  buildWav({ bits: 8, rate: 8_000 }),
  buildWav({ extensible: true, channels: 2, bits: 32, rate: 48_000 }),
  buildWav({ extra: [{ id: "LIST", size: 7 }] }),
];

/** A way to damage a WAV: cut it, flip a bit, overwrite bytes, or set a size or header field to any value. */
const damage = fc.oneof(
  // Cuts inside the header as often as anywhere else.
  fc.record({ kind: fc.constant("truncate" as const), at: fc.oneof(fc.nat(80), fc.nat()) }),
  fc.record({ kind: fc.constant("flip" as const), at: fc.oneof(fc.nat(64), fc.nat()), bit: fc.nat(7) }),
  fc.record({
    kind: fc.constant("overwrite" as const),
    at: fc.nat(64),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({
    kind: fc.constant("u32" as const),
    at: fc.constantFrom(4, 16, 24, 28, 40, 52, 64),
    value: fc.oneof(fc.constantFrom(0, 1, 2, 3, 14, 15, 16, 17, 0x7fffffff, 0xfffffffe, 0xffffffff), fc.nat()),
  }),
  fc.record({
    kind: fc.constant("u16" as const),
    at: fc.constantFrom(20, 22, 32, 34, 36, 44),
    value: fc.oneof(fc.constantFrom(0, 1, 3, 7, 8, 12, 16, 24, 32, 0xfffe, 0xffff), fc.nat(0xffff)),
  }),
);
type Damage = typeof damage extends fc.Arbitrary<infer T> ? T : never;

function damaged(wav: Buffer, damages: Damage[]): Buffer {
  let out = Buffer.from(wav);
  for (const d of damages) {
    if (d.kind === "truncate") out = out.subarray(0, d.at % (out.length + 1));
    else if (d.kind === "flip") {
      if (out.length) out[d.at % out.length] ^= 1 << d.bit;
    } else if (d.kind === "overwrite") {
      for (let i = 0; i < d.bytes.length && d.at + i < out.length; i++) out[d.at + i] = d.bytes[i];
    } else if (d.at + (d.kind === "u32" ? 4 : 2) <= out.length) {
      if (d.kind === "u32") out.writeUInt32LE(d.value, d.at);
      else out.writeUInt16LE(d.value, d.at);
    }
  }
  return out;
}

const damagedWav = fc
  .tuple(fc.constantFrom(...VALID_WAVS), fc.array(damage, { minLength: 1, maxLength: 4 }))
  .map(([wav, damages]) => damaged(wav, damages));
/** Random bytes behind a RIFF/WAVE header, so they reach the chunk parser. */
const junkWav = fc
  .uint8Array({ maxLength: 200 })
  .map((bytes) =>
    Buffer.concat([
      Buffer.from("RIFF"),
      Buffer.from(bytes.subarray(0, 4)),
      Buffer.from("WAVE"),
      Buffer.from(bytes.subarray(4)),
    ]),
  );

function requireBinary(name: string, packages: string) {
  if (!findBinary(name))
    throw new Error(
      `${name} is not installed: apt-get install -y ${packages} (.ci/run installs it on a fresh machine)`,
    );
}

/** A spoken request as the web sends it: 16 kHz mono 16-bit WAV. */
async function speak(text: string): Promise<Buffer> {
  const speech = await new EspeakTts({ binary: "espeak-ng" }).synthesize(text);
  return encodeWav(resample(decodeWav(speech.audio), 16_000));
}

async function postVoice(t: TestApp, audio: Uint8Array, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.set("audio", new Blob([Uint8Array.from(audio)], { type: "audio/wav" }), "request.wav");
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  const response = await t.app.request("/voice/plan", { method: "POST", body: form });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Json };
}

/** What decodeWav says about `bytes`: the AudioError's code and message, or the decoded duration. */
function decoded(bytes: Uint8Array): { error: string; message: string } | { seconds: number } {
  try {
    return { seconds: decodeWav(bytes).durationSeconds };
  } catch (error) {
    if (!(error instanceof AudioError)) throw error;
    return { error: error.code, message: error.message };
  }
}

/** `wav` with the little-endian value at `at` replaced. */
function withField(wav: Buffer, at: number, value: number, bytes: 2 | 4): Buffer {
  const out = Buffer.from(wav);
  if (bytes === 2) out.writeUInt16LE(value, at);
  else out.writeUInt32LE(value, at);
  return out;
}

describe("decodeWav", () => {
  it.each([
    ["the probe's 22 bytes", PROBE_WAV, /"fmt " chunk at byte 12 says 16 bytes but 2 follow/],
    [
      "a file cut short of its RIFF size",
      buildWav().subarray(0, 1_000),
      /RIFF size says 16044 bytes but the file has 1000/,
    ],
    ["a RIFF size below the WAVE tag", withField(buildWav(), 4, 2, 4), /RIFF size is 2 bytes/],
    ["a fmt chunk under 16 bytes", withField(buildWav(), 16, 14, 4), /fmt chunk has 14 bytes; it needs at least 16/],
    ["no channels", withField(buildWav(), 22, 0, 2), /0 channels/],
    ["a sample rate of 1 kHz", withField(buildWav(), 24, 1_000, 4), /sample rate is 1000 Hz/],
    ["a sample rate of 4 GHz", withField(buildWav(), 24, 0xffffffff, 4), /sample rate is 4294967295 Hz/],
    ["0 bits per sample", withField(buildWav(), 34, 0, 2), /says 0 bits per sample/],
    ["12 bits per sample", withField(buildWav(), 34, 12, 2), /12 bits per sample/],
    [
      "a block size that does not fit",
      withField(buildWav(), 32, 3, 2),
      /block size is 3 bytes; 1 × 16-bit samples take 2/,
    ],
    [
      "a data chunk longer than the file",
      withField(buildWav(), 40, 20_000, 4),
      /data chunk says 20000 bytes but 16000 follow/,
    ],
    [
      "a chunk running past the end",
      withField(buildWav({ extra: [{ id: "LIST", size: 4 }] }), 40, 1 << 20, 4),
      /"LIST" chunk at byte 36 says 1048576 bytes/,
    ],
    ["a file cut before its data chunk", buildWav().subarray(0, 36), /RIFF size says/],
    ["no data chunk", withField(buildWav().subarray(0, 36), 4, 28, 4), /no data chunk/],
    [
      "a cut-short chunk header",
      withField(buildWav().subarray(0, 40), 4, 32, 4),
      /chunk header at byte 36 is cut short/,
    ],
    ["two fmt chunks", buildWav({ extra: [{ id: "fmt ", size: 16 }] }), /two fmt chunks/],
    [
      "data before fmt",
      Buffer.concat([Buffer.from("RIFF"), Buffer.alloc(4), Buffer.from("WAVE"), chunk("data", Buffer.alloc(100))]),
      /no fmt chunk comes before the data chunk/,
    ],
    ["a short extensible fmt chunk", withField(buildWav(), 20, 0xfffe, 2), /extensible fmt chunk has 16 bytes/],
  ])("refuses %s, naming what is wrong", (_name, bytes, message) => {
    expect(decoded(bytes)).toMatchObject({ error: "invalid_audio", message: expect.stringMatching(message) });
  });

  it("says which encodings it cannot read", () => {
    expect(decoded(buildWav({ code: 2 }))).toMatchObject({
      error: "unsupported_media_type",
      message: expect.stringContaining("2/16-bit"),
    });
    expect(decoded(withField(buildWav(), 20, 3, 2))).toMatchObject({ error: "unsupported_media_type" });
  });

  it("reads every encoding, padded odd chunks, and streamed sizes", () => {
    for (const wav of VALID_WAVS) expect(decoded(wav)).toEqual({ seconds: 0.5 });
    const streamed = withField(withField(buildWav(), 4, 0xffffffff, 4), 40, 0xffffffff, 4);
    expect(decoded(streamed)).toEqual({ seconds: 0.5 });
    // Bytes after the RIFF chunk are not audio.
    expect(decoded(Buffer.concat([buildWav(), Buffer.alloc(3_200)]))).toEqual({ seconds: 0.5 });
    const tone = decodeWav(buildWav({ channels: 2, bits: 24 }));
    expect(Math.max(...tone.samples)).toBeCloseTo(0.2, 2);
  });

  it("reads 16-bit mono samples alike wherever the file's bytes start", () => {
    const wav = buildWav({ seconds: 0.1 });
    const expected = Array.from({ length: 1_600 }, (_, f) => wav.readInt16LE(44 + 2 * f) / 32_768);
    // At an odd offset the samples cannot be read in place.
    const shifted = new Uint8Array(wav.length + 1).subarray(1);
    shifted.set(wav);
    for (const bytes of [wav, shifted]) expect(Array.from(decodeWav(bytes).samples)).toEqual(expected);
  });

  it("answers any damaged or random WAV with its samples or an AudioError, never another exception", () => {
    fc.assert(
      fc.property(fc.oneof(damagedWav, junkWav), (bytes) => {
        const result = decoded(bytes);
        if ("seconds" in result) {
          expect(Number.isFinite(result.seconds)).toBe(true);
          expect(decodeWav(bytes).samples.every(Number.isFinite)).toBe(true);
        } else expect(result.message.length).toBeGreaterThan(0);
      }),
      { numRuns: RUNS * 20 },
    );
  });
});

describe("paddedWav (the file the offline recogniser reads)", () => {
  const PAD = 800; // frames in 0.05 s at 16 kHz

  it("copies a 16 kHz mono recording between two runs of silence", () => {
    const wav = buildWav({ seconds: 0.5 });
    const { wav: padded, durationSeconds } = paddedWav(wav, 16_000, 0.05);
    expect(durationSeconds).toBe(0.5);
    const samples = decodeWav(padded).samples;
    expect(samples.length).toBe(8_000 + 2 * PAD);
    expect(Array.from(samples.subarray(0, PAD)).every((v) => v === 0)).toBe(true);
    expect(Array.from(samples.subarray(PAD + 8_000)).every((v) => v === 0)).toBe(true);
    expect(Buffer.from(padded.subarray(44 + 2 * PAD, 44 + 2 * PAD + 16_000))).toEqual(wav.subarray(44));
  });

  it("converts any other encoding, rate and channel count to 16 kHz mono first", () => {
    const wav = buildWav({ channels: 2, bits: 24, rate: 48_000, seconds: 0.5 });
    const { wav: padded, durationSeconds } = paddedWav(wav, 16_000, 0.05);
    expect(durationSeconds).toBe(0.5);
    const decoded = decodeWav(padded);
    expect(decoded.sampleRate).toBe(16_000);
    expect(decoded.samples.length).toBe(8_000 + 2 * PAD);
    const tone = decoded.samples.subarray(PAD, PAD + 8_000);
    expect(Math.max(...tone)).toBeCloseTo(0.2, 1);
  });

  it("refuses a damaged file with the AudioError decodeWav gives", () => {
    expect(() => paddedWav(PROBE_WAV, 16_000, 0.05)).toThrow(AudioError);
  });
});

describe("voice round trip offline (espeak-ng → pocketsphinx → planner → espeak-ng)", () => {
  let t: TestApp;
  beforeAll(async () => {
    requireBinary("espeak-ng", "espeak-ng");
    requireBinary("pocketsphinx_continuous", "pocketsphinx pocketsphinx-en-us");
    t = await createTestApp("pglite", {
      env: { VOICE_MAX_BYTES: String(MAX_BYTES), VOICE_MAX_SECONDS: String(MAX_SECONDS) },
    });
  });
  afterAll(() => t?.close());

  it.each([
    ["Plan a trip to Paris for four days", { city: "Paris", nights: 3, heard: [/paris/, /four days/] }],
    ["Three days in Rome for two people", { city: "Rome", nights: 2, guests: 2, heard: [/rome/, /three days/] }],
  ] as const)("hears %j, plans it and speaks the reply", async (request, expected) => {
    const wav = await speak(request);
    const { sampleRate } = decodeWav(wav);
    expect(sampleRate).toBe(16_000);
    const { status, body } = await postVoice(t, wav);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.stt.provider).toBe("pocketsphinx");
    for (const pattern of expected.heard) expect(body.transcript).toMatch(pattern);
    expect(body.result.status).toBe("plan");
    expect(body.result.plan.destination.name).toBe(expected.city);
    expect(body.result.plan.nights).toBe(expected.nights);
    if ("guests" in expected) expect(body.result.plan.guests).toBe(expected.guests);

    expect(body.reply.text).toBe(body.result.reply);
    expect(body.reply.provider).toBe("espeak");
    const audio = Buffer.from(body.reply.audio.base64, "base64");
    expect(body.reply.audio.mimeType).toBe("audio/wav");
    expect(sniff(audio)).toBe("wav");
    // The reply is speech of about the length of its text (espeak-ng at 150 words a minute).
    const seconds = decodeWav(audio).durationSeconds;
    const words = body.reply.text.split(/\s+/).length;
    expect(seconds).toBeGreaterThan(words * 0.2);
    expect(seconds).toBeLessThan(words * 0.8);

    const { totalMs, sttMs, planMs, ttsMs } = body.timings;
    expect(totalMs).toBeGreaterThanOrEqual(sttMs + planMs + ttsMs - 1);
  });

  it("answers text only when asked not to speak", async () => {
    const { status, body } = await postVoice(t, await speak("Plan a trip to Madrid for two days"), { speak: "false" });
    expect(status).toBe(200);
    expect(body.reply).toMatchObject({ audio: null, provider: null, error: null });
    expect(body.result.plan.destination.name).toBe("Madrid");
  });

  it("refuses what it cannot take, saying why", async () => {
    const tooBig = await postVoice(t, new Uint8Array(MAX_BYTES + 50_000));
    expect(expectError(tooBig)).toMatchObject({ status: 413, code: "payload_too_large", hasShape: true });

    const long = encodeWav({
      samples: new Float32Array(16_000 * (MAX_SECONDS + 2)),
      sampleRate: 16_000,
      durationSeconds: 0,
    });
    expect(long.length).toBeLessThan(MAX_BYTES);
    const tooLong = expectError(await postVoice(t, long));
    expect(tooLong).toMatchObject({ status: 400, code: "audio_too_long" });
    expect(tooLong.message).toContain(`${MAX_SECONDS} seconds`);

    const notAudio = expectError(await postVoice(t, new TextEncoder().encode("hello, not audio")));
    expect(notAudio).toMatchObject({ status: 415, code: "unsupported_media_type" });

    const webm = new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, ...new Uint8Array(2_000)]);
    const noWebm = expectError(await postVoice(t, webm));
    expect(noWebm).toMatchObject({ status: 415, code: "unsupported_media_type" });
    expect(noWebm.message).toContain("DEEPGRAM_API_KEY");

    const silence = encodeWav({ samples: new Float32Array(16_000 * 2), sampleRate: 16_000, durationSeconds: 0 });
    expect(expectError(await postVoice(t, silence))).toMatchObject({ status: 422, code: "no_speech" });

    const json = await call(t.app, "POST", "/voice/plan", { body: { audio: "x" } });
    expect(expectError(json).status).toBe(415);
    const form = new FormData();
    form.set("speak", "true");
    const response = await t.app.request("/voice/plan", { method: "POST", body: form });
    const missing = expectError({ status: response.status, body: (await response.json()) as Json });
    expect(missing).toMatchObject({ status: 400, code: "validation_failed" });
    expect(missing.message).toContain("body.audio");
  });

  it("answers a malformed WAV with a 400 naming what is wrong", async () => {
    const response = expectError(await postVoice(t, PROBE_WAV));
    expect(response).toMatchObject({ status: 400, code: "invalid_audio", hasShape: true });
    expect(response.message).toContain('"fmt " chunk at byte 12 says 16 bytes but 2 follow');
    expect(response.details.fields).toEqual([{ field: "body.audio", message: expect.stringContaining("fmt") }]);
  });

  it("answers any damaged WAV below 500: the plan, or a 4xx saying why", async () => {
    await fc.assert(
      fc.asyncProperty(damagedWav, async (bytes) => {
        const { status, body } = await postVoice(t, bytes);
        expect([200, 400, 415, 422], JSON.stringify(body)).toContain(status);
        if (status !== 200) expect(expectError({ status, body }).hasShape).toBe(true);
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });

  it("says how to turn speech to text on when no provider is available", async () => {
    const bare = await createTestApp("pglite", { env: { STT_PROVIDER: "none", TTS_PROVIDER: "none" } });
    try {
      const response = expectError(await postVoice(bare, await speak("Plan a trip to Paris for four days")));
      expect(response).toMatchObject({ status: 503, code: "stt_unavailable" });
      expect(response.message).toContain("DEEPGRAM_API_KEY");
    } finally {
      await bare.close();
    }
  });
});
