/**
 * The voice pipeline: recording → transcript → plan → spoken reply. Each stage has a fallback where one exists
 * (Deepgram → pocketsphinx; ElevenLabs → espeak-ng → text only) and a clear error where none does.
 */
import type { Logger } from "pino";

import { ApiError } from "../http/errors.js";
import type { PlannerService } from "../planner/service.js";
import { providerError } from "../planner/service.js";
import type { PlanResult, TravellerContext } from "../planner/types.js";
import { AudioError, readWav, sniff, type AudioFormat } from "./audio.js";
import type { StreamOptions } from "./stream-route.js";
import type { SpeechToText, TextToSpeech } from "./types.js";

export interface VoiceDeps {
  planner: PlannerService;
  logger: Logger;
  /** In order of preference; empty when none is configured or installed. */
  stt: SpeechToText[];
  tts: TextToSpeech[];
  maxBytes: number;
  maxSeconds: number;
  /** How to turn speech to text on, said in the 503 when nothing can. */
  sttHint: string;
  /** The streaming conversation (GET /voice/stream): its providers and bounds, apart from the shared ones here. */
  stream: Omit<StreamOptions, "planner" | "logger" | "maxSeconds" | "sttHint">;
}

export interface VoiceRequest {
  audio: Uint8Array;
  address?: string;
  conversationId?: string;
  newConversation?: boolean;
  overrides?: Partial<TravellerContext>;
  speak: boolean;
}

export interface VoiceResult {
  transcript: string;
  stt: { provider: string; durationSeconds: number | null; fallback: { provider: string; reason: string } | null };
  result: PlanResult;
  reply: {
    text: string;
    audio: { mimeType: string; base64: string } | null;
    provider: string | null;
    error: string | null;
  };
  timings: { sttMs: number; planMs: number; ttsMs: number; totalMs: number };
}

const FORMAT_HINT = "send WAV (16 kHz mono PCM is best), WebM or Ogg";

export class VoiceService {
  constructor(private readonly deps: VoiceDeps) {}

  get streamOptions(): StreamOptions {
    const { planner, logger, maxSeconds, sttHint, stream } = this.deps;
    return { planner, logger, maxSeconds, sttHint, ...stream };
  }

  get providers() {
    return { stt: this.deps.stt.map((s) => s.name), tts: this.deps.tts.map((t) => t.name) };
  }

  private checkAudio(audio: Uint8Array): { format: AudioFormat; durationSeconds: number | null } {
    const { maxBytes, maxSeconds } = this.deps;
    if (audio.length > maxBytes)
      throw new ApiError(
        413,
        "payload_too_large",
        `Recordings are limited to ${maxBytes} bytes; this one has ${audio.length}`,
      );
    if (audio.length === 0) throw new ApiError(400, "invalid_audio", "The recording is empty");
    const format = sniff(audio);
    if (format === "unknown")
      throw new ApiError(415, "unsupported_media_type", `That file is not audio this API reads: ${FORMAT_HINT}`);
    if (format !== "wav") return { format, durationSeconds: null };
    let durationSeconds: number;
    try {
      durationSeconds = readWav(audio).durationSeconds;
    } catch (error) {
      if (error instanceof AudioError)
        throw new ApiError(
          error.code === "unsupported_media_type" ? 415 : 400,
          error.code,
          `The WAV file cannot be read: ${error.message}`,
          { fields: [{ field: "body.audio", message: error.message }] },
        );
      throw error;
    }
    if (durationSeconds > maxSeconds)
      throw new ApiError(
        400,
        "audio_too_long",
        `Recordings are limited to ${maxSeconds} seconds; this one lasts ${durationSeconds.toFixed(1)}`,
      );
    if (durationSeconds < 0.3) throw new ApiError(400, "invalid_audio", "The recording is too short to hold a request");
    return { format, durationSeconds };
  }

  private async transcribe(audio: Uint8Array, format: AudioFormat, signal?: AbortSignal) {
    const { stt, sttHint, logger } = this.deps;
    if (stt.length === 0) throw new ApiError(503, "stt_unavailable", `Speech to text is not available: ${sttHint}`);
    const able = stt.filter((s) => s.accepts(format));
    if (able.length === 0)
      throw new ApiError(
        415,
        "unsupported_media_type",
        `${stt.map((s) => s.name).join(" and ")} cannot read ${format}: send WAV (16 kHz mono PCM), or set DEEPGRAM_API_KEY for WebM and Ogg`,
      );
    let fallback: { provider: string; reason: string } | null = null;
    for (const provider of able) {
      try {
        const transcript = await provider.transcribe(audio, format, signal);
        return { provider: provider.name, transcript, fallback };
      } catch (error) {
        const failure = providerError(provider.name, error);
        logger.warn({ provider: provider.name, reason: failure.reason }, "speech to text failed");
        fallback = { provider: provider.name, reason: failure.reason };
      }
    }
    throw new ApiError(502, "stt_failed", `Speech to text failed: ${fallback!.reason}`);
  }

  /**
   * `admit` waits for a slot of the heavy work (speech to text, planning, speech): it is asked once the recording has
   * passed its checks, so a malformed one is refused at once however busy the server is, and the slot is given back
   * when the reply is ready.
   */
  async plan(
    request: VoiceRequest,
    options: { signal?: AbortSignal; admit?: () => Promise<() => void> } = {},
  ): Promise<VoiceResult> {
    const started = performance.now();
    const checked = this.checkAudio(request.audio);
    const release = await options.admit?.();
    try {
      return await this.answer(request, checked, started, options.signal);
    } finally {
      release?.();
    }
  }

  private async answer(
    request: VoiceRequest,
    { format, durationSeconds }: { format: AudioFormat; durationSeconds: number | null },
    started: number,
    signal?: AbortSignal,
  ): Promise<VoiceResult> {
    const sttStart = performance.now();
    const heard = await this.transcribe(request.audio, format, signal);
    const sttMs = performance.now() - sttStart;
    const seconds = heard.transcript.durationSeconds ?? durationSeconds;
    if (seconds !== null && seconds > this.deps.maxSeconds)
      throw new ApiError(
        400,
        "audio_too_long",
        `Recordings are limited to ${this.deps.maxSeconds} seconds; this one lasts ${seconds.toFixed(1)}`,
      );
    const text = heard.transcript.text.trim();
    if (!text) throw new ApiError(422, "no_speech", "I couldn't hear a request in that recording; please try again");

    const planStart = performance.now();
    const result = await this.deps.planner.plan(
      {
        text,
        address: request.address,
        conversationId: request.conversationId,
        newConversation: request.newConversation,
        overrides: request.overrides,
      },
      undefined,
      signal,
    );
    const planMs = performance.now() - planStart;

    const ttsStart = performance.now();
    const reply: VoiceResult["reply"] = { text: result.reply, audio: null, provider: null, error: null };
    if (request.speak) {
      for (const tts of this.deps.tts) {
        try {
          const speech = await tts.synthesize(result.reply, signal);
          reply.audio = { mimeType: speech.mimeType, base64: speech.audio.toString("base64") };
          reply.provider = tts.name;
          reply.error = null;
          break;
        } catch (error) {
          const failure = providerError(tts.name, error);
          this.deps.logger.warn({ provider: tts.name, reason: failure.reason }, "text to speech failed");
          reply.error = failure.reason;
        }
      }
      if (this.deps.tts.length === 0) reply.error = "No text-to-speech provider is configured; the app speaks the text";
    }
    const ttsMs = performance.now() - ttsStart;
    const round = (ms: number) => Math.round(ms * 100) / 100;
    return {
      transcript: text,
      stt: { provider: heard.provider, durationSeconds: seconds, fallback: heard.fallback },
      result,
      reply,
      timings: {
        sttMs: round(sttMs),
        planMs: round(planMs),
        ttsMs: round(ttsMs),
        totalMs: round(performance.now() - started),
      },
    };
  }
}
