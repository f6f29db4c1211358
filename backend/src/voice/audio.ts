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

/** Decodes a WAV file (PCM 8/16/24/32-bit or 32-bit float, any channels) to mono samples. */
export function decodeWav(bytes: Uint8Array): Pcm {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (sniff(bytes) !== "wav") throw new AudioError("invalid_audio", "not a RIFF/WAVE file");
  let format: { code: number; channels: number; rate: number; bits: number } | undefined;
  let data: Uint8Array | undefined;
  for (let at = 12; at + 8 <= bytes.length;) {
    const id = String.fromCharCode(...bytes.subarray(at, at + 4));
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === "fmt ") {
      let code = view.getUint16(body, true);
      // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
      if (code === 0xfffe && size >= 26) code = view.getUint16(body + 24, true);
      format = {
        code,
        channels: view.getUint16(body + 2, true),
        rate: view.getUint32(body + 4, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === "data") {
      // Streaming writers leave the size at 0 or 0xFFFFFFFF: the data runs to the end of the file.
      const end = size === 0 || size === 0xffffffff ? bytes.length : Math.min(bytes.length, body + size);
      data = bytes.subarray(body, end);
      break;
    }
    at = body + size + (size % 2);
  }
  if (!format) throw new AudioError("invalid_audio", "the WAV file has no fmt chunk");
  if (!data) throw new AudioError("invalid_audio", "the WAV file has no data chunk");
  const { code, channels, rate, bits } = format;
  if (channels < 1 || rate < 4_000 || rate > 192_000)
    throw new AudioError("invalid_audio", "the WAV header is not valid");
  const float = code === 3;
  if (!(code === 1 && [8, 16, 24, 32].includes(bits)) && !(float && bits === 32))
    throw new AudioError("unsupported_media_type", `WAV encoding ${code}/${bits}-bit is not supported; send PCM`);
  const bytesPerSample = bits / 8;
  const frames = Math.floor(data.length / (bytesPerSample * channels));
  const samples = new Float32Array(frames);
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
      sum += v;
    }
    samples[f] = sum / channels;
  }
  return { samples, sampleRate: rate, durationSeconds: frames / rate };
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
  const buffer = Buffer.alloc(44 + n * 2);
  buffer.write("RIFF", 0, "ascii");
  buffer.writeUInt32LE(36 + n * 2, 4);
  buffer.write("WAVE", 8, "ascii");
  buffer.write("fmt ", 12, "ascii");
  buffer.writeUInt32LE(16, 16);
  buffer.writeUInt16LE(1, 20);
  buffer.writeUInt16LE(1, 22);
  buffer.writeUInt32LE(pcm.sampleRate, 24);
  buffer.writeUInt32LE(pcm.sampleRate * 2, 28);
  buffer.writeUInt16LE(2, 32);
  buffer.writeUInt16LE(16, 34);
  buffer.write("data", 36, "ascii");
  buffer.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) {
    const v = Math.max(-1, Math.min(1, pcm.samples[i]));
    buffer.writeInt16LE(Math.round(v < 0 ? v * 32_768 : v * 32_767), 44 + i * 2);
  }
  return buffer;
}
