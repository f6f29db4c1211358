import { endianness } from "node:os";

/** WAV in and out: reads PCM/float WAV of any rate and channel count, resamples to 16 kHz mono, writes PCM16 WAV. */

export interface Pcm {
  /** Mono samples in [-1, 1]. */
  samples: Float32Array;
  sampleRate: number;
  durationSeconds: number;
}

export class AudioError extends Error {
  constructor(
    readonly code: "unsupported_media_type" | "invalid_audio" | "audio_too_long",
    message: string,
  ) {
    super(message);
    this.name = "AudioError";
  }
}

export type AudioFormat = "wav" | "webm" | "ogg" | "mp3" | "unknown";

/** What the bytes are, from their magic numbers (the declared type is not trusted). */
export function sniff(bytes: Uint8Array): AudioFormat {
  const ascii = (start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));
  if (bytes.length >= 12 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "WAVE") return "wav";
  if (bytes.length >= 4 && bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3)
    return "webm";
  if (bytes.length >= 4 && ascii(0, 4) === "OggS") return "ogg";
  if (bytes.length >= 3 && (ascii(0, 3) === "ID3" || (bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0))) return "mp3";
  return "unknown";
}

export const MIME_TYPES: Record<Exclude<AudioFormat, "unknown">, string> = {
  wav: "audio/wav",
  webm: "audio/webm",
  ogg: "audio/ogg",
  mp3: "audio/mpeg",
};

/** Formats decodeWav reads: PCM (1) and IEEE float (3); WAVE_FORMAT_EXTENSIBLE names one of them in its sub-format. */
const PCM = 1;
const FLOAT = 3;
const EXTENSIBLE = 0xfffe;
const MIN_RATE = 4_000;
const MAX_RATE = 192_000;
/** Writers that stream cannot seek back to fill in a size: they leave 0 or 0xFFFFFFFF, meaning "to the end". */
const streamed = (size: number) => size === 0 || size === 0xffffffff;

export interface WavFormat {
  code: number;
  channels: number;
  rate: number;
  bits: number;
}

const invalid = (message: string) => new AudioError("invalid_audio", message);

/** Where a WAV file's samples are and how they are encoded. */
export interface WavLayout {
  format: WavFormat;
  /** The data chunk's bytes. */
  data: Uint8Array;
  frames: number;
  durationSeconds: number;
}

/**
 * Reads a WAV file's header (PCM 8/16/24/32-bit or 32-bit float, any channels) without decoding its samples. Every
 * size and header field is checked against the bytes there are: a malformed file is an AudioError naming what is
 * wrong, never a RangeError.
 */
export function readWav(bytes: Uint8Array): WavLayout {
  if (sniff(bytes) !== "wav") throw invalid("not a RIFF/WAVE file");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const riffSize = view.getUint32(4, true);
  if (!streamed(riffSize) && riffSize < 4) throw invalid(`the RIFF size is ${riffSize} bytes, less than its WAVE tag`);
  if (!streamed(riffSize) && 8 + riffSize > bytes.length)
    throw invalid(`the RIFF size says ${8 + riffSize} bytes but the file has ${bytes.length}: it is cut short`);
  // Bytes after the RIFF chunk are not part of the file.
  const end = streamed(riffSize) ? bytes.length : 8 + riffSize;
  let format: WavFormat | undefined;
  let data: Uint8Array;
  for (let at = 12; ;) {
    if (at + 8 > end)
      throw invalid(at < end ? `a chunk header at byte ${at} is cut short` : "the WAV file has no data chunk");
    const id = String.fromCharCode(...bytes.subarray(at, at + 4));
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    const name = JSON.stringify(id);
    if (id === "data") {
      if (!format) throw invalid("no fmt chunk comes before the data chunk");
      if (!streamed(size) && body + size > end)
        throw invalid(`the data chunk says ${size} bytes but ${end - body} follow`);
      data = bytes.subarray(body, streamed(size) ? end : body + size);
      break;
    }
    if (body + size > end) throw invalid(`the ${name} chunk at byte ${at} says ${size} bytes but ${end - body} follow`);
    if (id === "fmt ") {
      if (format) throw invalid("the WAV file has two fmt chunks");
      format = readFormat(view, body, size);
    }
    // Chunks are padded to an even length.
    at = body + size + (size % 2);
  }
  const frames = Math.floor(data.length / ((format.bits / 8) * format.channels));
  return { format, data, frames, durationSeconds: frames / format.rate };
}

/** Typed arrays read in the machine's byte order; WAV samples are little-endian. */
const LITTLE_ENDIAN = endianness() === "LE";

/** 16-bit mono PCM at the machine's byte order: the samples can be read in place, as the web records them. */
const isPlainPcm16 = ({ code, channels, bits }: WavFormat) =>
  LITTLE_ENDIAN && code === PCM && channels === 1 && bits === 16;

/** Decodes a WAV file to mono samples; see readWav for what it reads and refuses. */
export function decodeWav(bytes: Uint8Array): Pcm {
  const { format, data, frames, durationSeconds } = readWav(bytes);
  const { code, channels, rate, bits } = format;
  const samples = new Float32Array(frames);
  if (isPlainPcm16(format)) {
    const pcm16 = int16Samples(data, frames);
    for (let f = 0; f < frames; f++) samples[f] = pcm16[f]! / 32_768;
    return { samples, sampleRate: rate, durationSeconds };
  }
  const float = code === FLOAT;
  const bytesPerSample = bits / 8;
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let ch = 0; ch < channels; ch++) {
      const o = (f * channels + ch) * bytesPerSample;
      let v: number;
      if (float) v = dv.getFloat32(o, true);
      else if (bits === 8) v = (dv.getUint8(o) - 128) / 128;
      else if (bits === 16) v = dv.getInt16(o, true) / 32_768;
      else if (bits === 24) v = (dv.getUint8(o) | (dv.getUint8(o + 1) << 8) | (dv.getInt8(o + 2) << 16)) / 8_388_608;
      else v = dv.getInt32(o, true) / 2_147_483_648;
      // A NaN or infinity in float data would poison every later stage; it is no sound at all.
      sum += Number.isFinite(v) ? v : 0;
    }
    samples[f] = sum / channels;
  }
  return { samples, sampleRate: rate, durationSeconds };
}

/** The first `frames` 16-bit samples of `data`, in place when they are aligned, else copied. */
function int16Samples(data: Uint8Array, frames: number): Int16Array {
  if (data.byteOffset % 2 === 0) return new Int16Array(data.buffer, data.byteOffset, frames);
  return new Int16Array(data.slice(0, frames * 2).buffer);
}

/** The fmt chunk's fields, each checked; `size` bytes from `body` are known to be in the file. */
function readFormat(view: DataView, body: number, size: number): WavFormat {
  if (size < 16) throw invalid(`the fmt chunk has ${size} bytes; it needs at least 16`);
  let code = view.getUint16(body, true);
  const channels = view.getUint16(body + 2, true);
  const rate = view.getUint32(body + 4, true);
  const blockAlign = view.getUint16(body + 12, true);
  const bits = view.getUint16(body + 14, true);
  if (code === EXTENSIBLE) {
    // The real format is the first two bytes of the sub-format GUID, after the extension's own 10 bytes.
    if (size < 26) throw invalid(`the extensible fmt chunk has ${size} bytes; it needs at least 26`);
    code = view.getUint16(body + 24, true);
  }
  if (channels < 1) throw invalid("the fmt chunk says 0 channels");
  if (rate < MIN_RATE || rate > MAX_RATE)
    throw invalid(`the sample rate is ${rate} Hz; it must be between ${MIN_RATE} and ${MAX_RATE}`);
  if (bits === 0) throw invalid("the fmt chunk says 0 bits per sample");
  if (bits % 8 !== 0) throw invalid(`${bits} bits per sample is not a whole number of bytes`);
  if (!(code === PCM && bits <= 32) && !(code === FLOAT && bits === 32))
    throw new AudioError("unsupported_media_type", `WAV encoding ${code}/${bits}-bit is not supported; send PCM`);
  // The byte rate is only a hint for players (and often wrong in streamed files), so it is not checked.
  const frameBytes = channels * (bits / 8);
  if (blockAlign !== frameBytes)
    throw invalid(`the block size is ${blockAlign} bytes; ${channels} × ${bits}-bit samples take ${frameBytes}`);
  return { code, channels, rate, bits };
}

/**
 * Resamples to `rate` by linear interpolation, after a moving-average low-pass when going down (so speech above the
 * new Nyquist frequency does not fold back into the band the recogniser listens to).
 */
export function resample(pcm: Pcm, rate: number): Pcm {
  if (pcm.sampleRate === rate) return pcm;
  let source = pcm.samples;
  const ratio = pcm.sampleRate / rate;
  if (ratio > 1) {
    const width = Math.max(1, Math.round(ratio));
    const smoothed = new Float32Array(source.length);
    let acc = 0;
    for (let i = 0; i < source.length; i++) {
      acc += source[i];
      if (i >= width) acc -= source[i - width];
      smoothed[i] = acc / Math.min(i + 1, width);
    }
    source = smoothed;
  }
  const length = Math.floor(source.length / ratio);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const x = i * ratio;
    const j = Math.floor(x);
    const a = source[j];
    const b = j + 1 < source.length ? source[j + 1] : a;
    out[i] = a + (b - a) * (x - j);
  }
  return { samples: out, sampleRate: rate, durationSeconds: length / rate };
}

/** 16-bit PCM mono WAV. */
export function encodeWav(pcm: Pcm): Buffer {
  const n = pcm.samples.length;
  const pcm16 = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const v = Math.max(-1, Math.min(1, pcm.samples[i]!));
    pcm16[i] = Math.round(v < 0 ? v * 32_768 : v * 32_767);
  }
  const data = Buffer.from(pcm16.buffer);
  if (!LITTLE_ENDIAN) data.swap16();
  return Buffer.concat([wavHeader(pcm.sampleRate, n * 2), data]);
}

/** The 44-byte header of a 16-bit PCM mono WAV whose data chunk has `dataBytes`. */
function wavHeader(sampleRate: number, dataBytes: number): Buffer {
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "ascii");
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write("WAVE", 8, "ascii");
  header.write("fmt ", 12, "ascii");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(PCM, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36, "ascii");
  header.writeUInt32LE(dataBytes, 40);
  return header;
}

/**
 * A recording as a 16-bit mono WAV at `rate`, with `padSeconds` of silence either side (a recogniser's voice
 * detector needs some before the first word). A recording already in that form, as the web sends it, is copied
 * rather than decoded and encoded again.
 */
export function paddedWav(
  bytes: Uint8Array,
  rate: number,
  padSeconds: number,
): { wav: Buffer; durationSeconds: number } {
  const layout = readWav(bytes);
  const pad = Math.round(rate * padSeconds);
  if (isPlainPcm16(layout.format) && layout.format.rate === rate) {
    const data = layout.data.subarray(0, layout.frames * 2);
    const silence = Buffer.alloc(pad * 2);
    const wav = Buffer.concat([wavHeader(rate, data.length + 4 * pad), silence, data, silence]);
    return { wav, durationSeconds: layout.durationSeconds };
  }
  const pcm = resample(decodeWav(bytes), rate);
  const samples = new Float32Array(pcm.samples.length + 2 * pad);
  samples.set(pcm.samples, pad);
  return {
    wav: encodeWav({ samples, sampleRate: rate, durationSeconds: samples.length / rate }),
    durationSeconds: pcm.durationSeconds,
  };
}
