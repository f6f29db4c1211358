/** The speech ports: speech to text, and text to speech. */
import type { AudioFormat } from "./audio.js";

export interface Transcript {
  text: string;
  /** Seconds of audio, as the provider measured it. */
  durationSeconds: number | null;
}

export interface SpeechToText {
  readonly name: "deepgram" | "pocketsphinx";
  /** The container formats it can decode. */
  accepts(format: AudioFormat): boolean;
  transcribe(audio: Uint8Array, format: AudioFormat, signal?: AbortSignal): Promise<Transcript>;
}

export interface Speech {
  audio: Buffer;
  mimeType: string;
}

export interface TextToSpeech {
  readonly name: "elevenlabs" | "espeak";
  synthesize(text: string, signal?: AbortSignal): Promise<Speech>;
}
