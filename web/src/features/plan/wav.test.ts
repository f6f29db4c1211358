import { describe, expect, it } from "vitest";

import { chunksToWav, concat, encodeWav, level, mixToMono, resample, SPEECH_SAMPLE_RATE, toPcm16 } from "./wav";

const sine = (frequency: number, rate: number, seconds: number, amplitude = 0.5) =>
  Float32Array.from(
    { length: Math.round(rate * seconds) },
    (_, i) => amplitude * Math.sin((2 * Math.PI * frequency * i) / rate),
  );

const rms = (samples: Float32Array) => Math.sqrt(samples.reduce((s, x) => s + x * x, 0) / samples.length);

describe("WAV encoding", () => {
  it("writes a 44-byte RIFF/WAVE header for 16 kHz mono 16-bit PCM", () => {
    const wav = encodeWav(Int16Array.from([0, 1, -1, 32767, -32768]), 16_000);
    const view = new DataView(wav.buffer);
    const text = (offset: number, length: number) => String.fromCharCode(...wav.slice(offset, offset + length));
    expect(wav.length).toBe(44 + 10);
    expect(text(0, 4)).toBe("RIFF");
    expect(view.getUint32(4, true)).toBe(36 + 10);
    expect(text(8, 4)).toBe("WAVE");
    expect(text(12, 4)).toBe("fmt ");
    expect(view.getUint32(16, true)).toBe(16);
    expect(view.getUint16(20, true)).toBe(1); // PCM
    expect(view.getUint16(22, true)).toBe(1); // mono
    expect(view.getUint32(24, true)).toBe(16_000);
    expect(view.getUint32(28, true)).toBe(32_000);
    expect(view.getUint16(32, true)).toBe(2);
    expect(view.getUint16(34, true)).toBe(16);
    expect(text(36, 4)).toBe("data");
    expect(view.getUint32(40, true)).toBe(10);
    expect([0, 1, 2, 3, 4].map((i) => view.getInt16(44 + 2 * i, true))).toEqual([0, 1, -1, 32767, -32768]);
  });

  it("converts floats to 16-bit with clipping and no NaN", () => {
    expect(Array.from(toPcm16(Float32Array.from([0, 1, -1, 2, -2, 0.5, NaN])))).toEqual([
      0, 32767, -32768, 32767, -32768, 16384, 0,
    ]);
  });

  it("an empty recording is a valid header-only file", () => {
    const wav = chunksToWav([], 48_000);
    expect(wav.length).toBe(44);
    expect(new DataView(wav.buffer).getUint32(40, true)).toBe(0);
  });
});

describe("resampling to 16 kHz", () => {
  it("keeps the duration: 1 s at 48 kHz or 44.1 kHz becomes 16,000 samples", () => {
    expect(resample(new Float32Array(48_000), 48_000, SPEECH_SAMPLE_RATE).length).toBe(16_000);
    expect(resample(new Float32Array(44_100), 44_100, SPEECH_SAMPLE_RATE).length).toBe(16_000);
    expect(resample(new Float32Array(8_000), 8_000, SPEECH_SAMPLE_RATE).length).toBe(16_000);
  });

  it("keeps a speech-band tone: a 440 Hz sine keeps its level and its zero crossings", () => {
    const out = resample(sine(440, 48_000, 1), 48_000, 16_000);
    expect(rms(out)).toBeCloseTo(0.5 / Math.SQRT2, 2);
    let crossings = 0;
    for (let i = 1; i < out.length; i++) if (out[i - 1] < 0 !== out[i] < 0) crossings++;
    expect(crossings).toBeGreaterThanOrEqual(878);
    expect(crossings).toBeLessThanOrEqual(882);
    // Sample by sample it matches the same tone generated at 16 kHz (within the box filter's small phase shift).
    const expected = sine(440, 16_000, 1);
    const error = rms(out.map((x, i) => x - expected[i]));
    expect(error).toBeLessThan(0.05);
  });

  it("damps a tone above the new Nyquist frequency instead of folding it into the speech band at full level", () => {
    const out = resample(sine(15_000, 48_000, 1), 48_000, 16_000);
    expect(rms(out)).toBeLessThan(0.5 / Math.SQRT2 / 3);
  });

  it("keeps DC and interpolates when upsampling", () => {
    expect(
      Array.from(resample(new Float32Array(480).fill(0.25), 48_000, 16_000)).every((x) => Math.abs(x - 0.25) < 1e-6),
    ).toBe(true);
    expect(Array.from(resample(Float32Array.from([0, 1]), 1, 2))).toEqual([0, 0.5, 1, 1]);
  });

  it("rejects impossible rates", () => {
    expect(() => resample(new Float32Array(1), 0, 16_000)).toThrow(RangeError);
  });
});

describe("helpers", () => {
  it("mixes channels to mono and joins chunks", () => {
    expect(Array.from(mixToMono([Float32Array.from([1, 0]), Float32Array.from([0, 1])]))).toEqual([0.5, 0.5]);
    expect(Array.from(concat([Float32Array.from([1]), Float32Array.from([2, 3])]))).toEqual([1, 2, 3]);
  });

  it("a 48 kHz stereo recording in chunks becomes a 16 kHz mono WAV of the same length", () => {
    const chunks = [sine(300, 48_000, 0.5), sine(300, 48_000, 0.5)];
    const wav = chunksToWav(chunks, 48_000);
    expect(new DataView(wav.buffer).getUint32(40, true)).toBe(16_000 * 2);
  });

  it("level is 0 for silence, about 0.9 for a loud tone, within 0..1", () => {
    expect(level(new Float32Array(128))).toBe(0);
    expect(level(sine(440, 48_000, 0.1, 1))).toBeGreaterThan(0.9);
    expect(level(sine(440, 48_000, 0.1, 0.0001))).toBe(0);
  });
});
