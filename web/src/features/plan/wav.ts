/**
 * Pure audio helpers for the voice recorder: mix to mono, resample to 16 kHz, convert to 16-bit PCM and wrap it in a
 * WAV (RIFF) file, the format speech-to-text services and pocketsphinx take. No browser APIs here, so it is tested
 * in Node.
 */

/** The rate speech recognisers expect. */
export const SPEECH_SAMPLE_RATE = 16_000;

/** Averages channels into one. */
export function mixToMono(channels: readonly Float32Array[]): Float32Array {
  if (channels.length === 0) return new Float32Array(0);
  if (channels.length === 1) return channels[0];
  const length = Math.min(...channels.map((c) => c.length));
  const out = new Float32Array(length);
  for (const channel of channels) for (let i = 0; i < length; i++) out[i] += channel[i] / channels.length;
  return out;
}

/**
 * Resamples `input` from `fromRate` to `toRate`. Downsampling averages each output sample's window of input samples
 * (a box low-pass filter, so high frequencies do not fold back as noise); upsampling interpolates linearly.
 */
export function resample(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (!(fromRate > 0) || !(toRate > 0)) throw new RangeError("sample rates must be positive");
  if (fromRate === toRate) return input.slice();
  const outLength = Math.floor((input.length * toRate) / fromRate);
  const out = new Float32Array(outLength);
  const ratio = fromRate / toRate;
  if (ratio > 1) {
    for (let i = 0; i < outLength; i++) {
      const start = i * ratio;
      const end = Math.min(input.length, start + ratio);
      // Whole samples inside [start, end), with the partial samples at both edges weighted by their overlap.
      let sum = 0;
      let weight = 0;
      for (let j = Math.floor(start); j < end; j++) {
        const w = Math.min(j + 1, end) - Math.max(j, start);
        sum += input[j] * w;
        weight += w;
      }
      out[i] = weight > 0 ? sum / weight : 0;
    }
  } else {
    for (let i = 0; i < outLength; i++) {
      const position = i * ratio;
      const j = Math.floor(position);
      const next = Math.min(j + 1, input.length - 1);
      const t = position - j;
      out[i] = input[j] * (1 - t) + input[next] * t;
    }
  }
  return out;
}

/** Float samples in [-1, 1] to signed 16-bit, clipping what is outside. */
export function toPcm16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, Number.isNaN(samples[i]) ? 0 : samples[i]));
    out[i] = s < 0 ? Math.round(s * 0x8000) : Math.round(s * 0x7fff);
  }
  return out;
}

/** A mono 16-bit PCM WAV file: the 44-byte RIFF header, then the samples little-endian. */
export function encodeWav(pcm: Int16Array, sampleRate: number): Uint8Array<ArrayBuffer> {
  const dataBytes = pcm.length * 2;
  const buffer = new ArrayBuffer(44 + dataBytes);
  const view = new DataView(buffer);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) view.setUint8(offset + i, text.charCodeAt(i));
  };
  ascii(0, "RIFF");
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true); // byte rate
  view.setUint16(32, 2, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, "data");
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < pcm.length; i++) view.setInt16(44 + i * 2, pcm[i], true);
  return new Uint8Array(buffer);
}

/** Joins recorded chunks into one buffer. */
export function concat(chunks: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** Recorded chunks at the device's rate → a 16 kHz mono 16-bit WAV file. */
export function chunksToWav(chunks: readonly Float32Array[], inputRate: number, outputRate = SPEECH_SAMPLE_RATE) {
  return encodeWav(toPcm16(resample(concat(chunks), inputRate, outputRate)), outputRate);
}

/** Loudness of a chunk for a level meter: RMS mapped from -60 dBFS..0 dBFS to 0..1. */
export function level(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += s * s;
  const rms = Math.sqrt(sum / samples.length);
  if (rms <= 0) return 0;
  const db = 20 * Math.log10(rms);
  return Math.max(0, Math.min(1, (db + 60) / 60));
}
