/**
 * The voice pipeline offline, end to end with the real binaries: espeak-ng speaks a request, POST /voice/plan hears
 * it with pocketsphinx (grammar from the catalog), plans it and speaks the reply. `.ci/run` installs both binaries;
 * when one is missing this fails saying so, rather than skipping.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { decodeWav, encodeWav, resample, sniff } from "../src/voice/audio.js";
import { EspeakTts } from "../src/voice/espeak.js";
import { findBinary } from "../src/voice/exec.js";
import { call, createTestApp, expectError, type TestApp } from "./helpers/app.js";

type Json = Record<string, any>;

const MAX_BYTES = 400_000;
const MAX_SECONDS = 8;

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
    ["Plan a trip to Paris for four days", { city: "Paris", nights: 4, heard: [/paris/, /four days/] }],
    ["Three days in Rome for two people", { city: "Rome", nights: 3, guests: 2, heard: [/rome/, /three days/] }],
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
