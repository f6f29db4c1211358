/** Speech to text with Deepgram's prerecorded API (SDK v5): WAV, WebM, Ogg, MP3. */
import type { DeepgramClient } from "@deepgram/sdk";

import { providerError } from "../planner/service.js";
import { MIME_TYPES, type AudioFormat } from "./audio.js";
import type { SpeechToText, Transcript } from "./types.js";

export interface DeepgramOptions {
  apiKey: string;
  baseUrl?: string;
  model: string;
  timeoutMs: number;
  maxRetries?: number;
}

export class DeepgramStt implements SpeechToText {
  readonly name = "deepgram" as const;
  /** The SDK, loaded on first use (see ElevenLabsTts). */
  private sdk?: Promise<DeepgramClient>;

  constructor(readonly options: DeepgramOptions) {}

  private client() {
    this.sdk ??= import("@deepgram/sdk").then(
      ({ DeepgramClient }) =>
        new DeepgramClient({
          apiKey: this.options.apiKey,
          baseUrl: this.options.baseUrl,
          timeoutInSeconds: this.options.timeoutMs / 1000,
          maxRetries: this.options.maxRetries ?? 0,
        }),
    );
    return this.sdk;
  }

  accepts(format: AudioFormat): boolean {
    return format !== "unknown";
  }

  async transcribe(audio: Uint8Array, format: AudioFormat, signal?: AbortSignal): Promise<Transcript> {
    if (format === "unknown") throw new Error("unknown audio format");
    try {
      const response = await (
        await this.client()
      ).listen.v1.media.transcribeFile(
        Buffer.from(audio),
        { model: this.options.model, smart_format: true, punctuate: true, language: "en" },
        { abortSignal: signal, headers: { "Content-Type": MIME_TYPES[format] } },
      );
      const result = response as unknown as {
        metadata?: { duration?: number };
        results?: { channels?: { alternatives?: { transcript?: string }[] }[] };
      };
      const text = result.results?.channels?.[0]?.alternatives?.[0]?.transcript;
      if (typeof text !== "string") throw new Error("Deepgram's answer has no transcript");
      return { text: text.trim(), durationSeconds: result.metadata?.duration ?? null };
    } catch (error) {
      throw providerError("Deepgram", error);
    }
  }
}
