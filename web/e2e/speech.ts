/**
 * A spoken trip request for Chromium's fake microphone, made at test time by espeak-ng (the voice the backend's own
 * tests use): 16-bit PCM WAV, with silence before it (the first moments of capture are lost while recording starts)
 * and after it (Chromium loops the file, and the recording must hold the request once).
 */
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

import { decodeWav, encodeWav } from "@trvl/backend/voice/audio";

const run = promisify(execFile);

export async function speechWav(text: string, dir: string): Promise<{ file: string; seconds: number }> {
  const raw = path.join(dir, "request-raw.wav");
  await run(process.env.ESPEAK_BIN ?? "espeak-ng", ["-v", "en-us", "-s", "150", "-w", raw, "--", text]);
  const speech = decodeWav(await readFile(raw));
  const rate = speech.sampleRate;
  const samples = new Float32Array(Math.round(rate * 0.5) + speech.samples.length + rate * 3);
  samples.set(speech.samples, Math.round(rate * 0.5));
  const file = path.join(dir, "request.wav");
  await writeFile(file, encodeWav({ samples, sampleRate: rate, durationSeconds: samples.length / rate }));
  return { file, seconds: speech.durationSeconds };
}
