/**
 * Speech to text while the traveller speaks: Deepgram live transcription (SDK v5 `listen.v1.connect`) with interim
 * results and endpointing. At the end of the turn a Finalize flushes what Deepgram still holds.
 */
import type { DeepgramClient } from "@deepgram/sdk";

import { providerError } from "../planner/service.js";
import type { DeepgramOptions } from "./deepgram.js";
import type { LiveOptions, LiveTranscriber, StreamingSpeechToText } from "./types.js";

/** Silence (ms) after which Deepgram calls an utterance finished. */
const ENDPOINTING_MS = 300;
const UTTERANCE_END_MS = 1_000;

interface Results {
  type: string;
  is_final?: boolean;
  speech_final?: boolean;
  from_finalize?: boolean;
  channel?: { alternatives?: { transcript?: string }[] };
}

export class DeepgramLiveStt implements StreamingSpeechToText {
  readonly name = "deepgram" as const;
  private sdk?: Promise<DeepgramClient>;

  constructor(private readonly options: DeepgramOptions) {}

  private client() {
    this.sdk ??= import("@deepgram/sdk").then(
      ({ DeepgramClient }) =>
        new DeepgramClient({ apiKey: this.options.apiKey, baseUrl: this.options.baseUrl, maxRetries: 0 }),
    );
    return this.sdk;
  }

  hears(): boolean {
    return true;
  }

  async open({ language, onPartial, onEndOfSpeech }: LiveOptions): Promise<LiveTranscriber> {
    const socket = await (
      await this.client()
    ).listen.v1.connect({
      model: this.options.model,
      language,
      encoding: "linear16",
      sample_rate: 16_000,
      channels: 1,
      interim_results: "true",
      punctuate: "true",
      smart_format: "true",
      endpointing: ENDPOINTING_MS,
      utterance_end_ms: UTTERANCE_END_MS,
      vad_events: "true",
      Authorization: `Token ${this.options.apiKey}`,
      // One attempt (the SDK counts the first as one): a turn is not replayed on a new connection.
      reconnectAttempts: 1,
      shouldReconnect: () => false,
      connectionTimeoutInSeconds: this.options.timeoutMs / 1000,
    });
    const finals: string[] = [];
    let interim = "";
    let failure: Error | undefined;
    let flushed: (() => void) | undefined;
    let closed: (() => void) | undefined;
    const heard = () => [...finals, interim].filter(Boolean).join(" ");

    socket.on("message", (message) => {
      const result = message as unknown as Results;
      if (result.type === "UtteranceEnd") onEndOfSpeech?.();
      if (result.type !== "Results") return;
      const text = result.channel?.alternatives?.[0]?.transcript?.trim() ?? "";
      if (result.is_final) {
        if (text) finals.push(text);
        interim = "";
      } else interim = text;
      if (text) onPartial(heard());
      if (result.from_finalize) flushed?.();
    });
    socket.on("error", (error) => {
      failure = error;
      flushed?.();
    });
    socket.on("close", () => {
      flushed?.();
      closed?.();
    });
    socket.connect();
    try {
      await socket.waitForOpen();
    } catch (error) {
      socket.close();
      throw providerError("Deepgram", error);
    }

    return {
      write: (pcm) => {
        if (socket.readyState === 1) socket.sendMedia(pcm);
      },
      finish: async () => {
        if (socket.readyState === 1) {
          const done = new Promise<void>((resolve) => (flushed = resolve));
          socket.sendFinalize({ type: "Finalize" });
          const timer = setTimeout(() => flushed?.(), this.options.timeoutMs);
          await done;
          clearTimeout(timer);
          const gone = new Promise<void>((resolve) => (closed = resolve));
          socket.sendCloseStream({ type: "CloseStream" });
          await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 500))]);
        }
        socket.close();
        if (failure && finals.length === 0) throw providerError("Deepgram", failure);
        return [...finals, interim].filter(Boolean).join(" ");
      },
      abort: () => socket.close(),
    };
  }
}
