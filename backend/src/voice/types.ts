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

/** One turn heard while it is spoken: 16 kHz mono PCM16 (little-endian) in, partial transcripts out. */
export interface LiveTranscriber {
  write(pcm: Uint8Array): void;
  /** The speaker has stopped: the final transcript of the whole turn. */
  finish(): Promise<string>;
  /** Stops at once; `finish` is not called after. */
  abort(): void;
}

export interface LiveOptions {
  /** BCP-47 language of the speaker, e.g. "en", "es". */
  language: string;
  /** Everything heard so far, as it firms up. */
  onPartial(text: string): void;
  /** The provider heard the end of an utterance (Deepgram's endpointing). */
  onEndOfSpeech?(): void;
}

export interface StreamingSpeechToText {
  readonly name: "deepgram" | "pocketsphinx";
  /** Whether it can hear `language`. */
  hears(language: string): boolean;
  open(options: LiveOptions): Promise<LiveTranscriber>;
}

export interface SpeechStream {
  mimeType: string;
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
}

/** Text to speech that hands over audio as it is produced. */
export interface StreamingTextToSpeech {
  readonly name: "elevenlabs" | "espeak";
  stream(text: string, language: string, signal?: AbortSignal): Promise<SpeechStream>;
}
