/** Text to speech with ElevenLabs: MP3 from the configured voice and model. */
import type { ElevenLabsClient } from "@elevenlabs/elevenlabs-js";

import { providerError } from "../planner/service.js";
import type { Speech, SpeechStream, StreamingTextToSpeech, TextToSpeech } from "./types.js";

export interface ElevenLabsOptions {
  apiKey: string;
  baseUrl?: string;
  voiceId: string;
  model: string;
  timeoutMs: number;
  maxRetries?: number;
}

export class ElevenLabsTts implements TextToSpeech, StreamingTextToSpeech {
  readonly name = "elevenlabs" as const;
  /** The SDK, loaded on first use: it weighs seconds of start-up that a server without the provider never needs. */
  private sdk?: Promise<ElevenLabsClient>;

  constructor(private readonly options: ElevenLabsOptions) {}

  private client() {
    this.sdk ??= import("@elevenlabs/elevenlabs-js").then(
      ({ ElevenLabsClient }) =>
        new ElevenLabsClient({
          apiKey: this.options.apiKey,
          baseUrl: this.options.baseUrl,
          timeoutInSeconds: this.options.timeoutMs / 1000,
          maxRetries: this.options.maxRetries ?? 0,
        }),
    );
    return this.sdk;
  }

  async synthesize(text: string, signal?: AbortSignal): Promise<Speech> {
    try {
      const stream = await (
        await this.client()
      ).textToSpeech.convert(
        this.options.voiceId,
        { text, modelId: this.options.model, outputFormat: "mp3_44100_128" },
        { abortSignal: signal },
      );
      const chunks: Uint8Array[] = [];
      for await (const chunk of readAll(stream)) chunks.push(chunk);
      const audio = Buffer.concat(chunks);
      if (audio.length === 0) throw new Error("ElevenLabs returned no audio");
      return { audio, mimeType: "audio/mpeg" };
    } catch (error) {
      throw providerError("ElevenLabs", error);
    }
  }

  /**
   * The audio while it is produced (the streaming endpoint): the first bytes arrive long before the whole sentence is
   * synthesised. The multilingual model reads the language from the text.
   */
  async stream(text: string, _language: string, signal?: AbortSignal): Promise<SpeechStream> {
    let stream: ReadableStream<Uint8Array>;
    try {
      stream = await (
        await this.client()
      ).textToSpeech.stream(
        this.options.voiceId,
        { text, modelId: this.options.model, outputFormat: "mp3_44100_128" },
        { abortSignal: signal },
      );
    } catch (error) {
      throw providerError("ElevenLabs", error);
    }
    async function* chunks() {
      try {
        yield* readAll(stream);
      } catch (error) {
        throw providerError("ElevenLabs", error);
      }
    }
    return { mimeType: "audio/mpeg", chunks: chunks() };
  }
}

async function* readAll(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
