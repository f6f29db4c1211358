/**
 * A voice conversation over one connection: turns of streamed speech in, partial and final transcripts, the plan, and
 * the reply sentence by sentence as text and audio out. A new turn started while the reply is still going (barge-in)
 * stops the reply and follows up in the same conversation. Independent of the transport: `peer.send` delivers an
 * event (and waits while the client is slow to read).
 */
import { randomUUID } from "node:crypto";

import type { Logger } from "pino";
import { z } from "zod";

import { ApiError } from "../http/errors.js";
import type { Release } from "../http/work-limit.js";
import { providerError, type PlannerService } from "../planner/service.js";
import type { PlanResult, TravellerContext } from "../planner/types.js";
import { NO_SPEECH_RECOGNITION, sentences, VOICE_LANGUAGES, type VoiceLanguage } from "./languages.js";
import type { LiveTranscriber, StreamingSpeechToText, StreamingTextToSpeech } from "./types.js";

/** 16 kHz mono PCM16: bytes per second of speech. */
export const PCM_BYTES_PER_SECOND = 32_000;

export const ClientMessage = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("start"),
    language: z.enum(VOICE_LANGUAGES).default("en"),
    speak: z.boolean().default(true),
    newConversation: z.boolean().optional(),
    conversationId: z.uuid().optional(),
  }),
  /** The speaker has stopped (the browser's voice detector or a released button). */
  z.object({ type: z.literal("stop") }),
  /** Forget the current turn: nothing is planned. */
  z.object({ type: z.literal("cancel") }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

export type ServerEvent =
  | { type: "ready"; stt: string[]; tts: string[]; languages: readonly string[] }
  | { type: "listening"; turn: string; stt: string; language: VoiceLanguage }
  | { type: "partial"; turn: string; text: string }
  | { type: "final"; turn: string; text: string; stt: string }
  | { type: "thinking"; turn: string }
  | { type: "delta"; turn: string; text: string }
  | { type: "result"; turn: string; result: PlanResult }
  | { type: "sentence"; turn: string; index: number; text: string }
  | { type: "audio"; turn: string; index: number; mimeType: string; base64: string }
  | { type: "audio-end"; turn: string; index: number }
  | { type: "speech-unavailable"; turn: string; message: string }
  | { type: "interrupted"; turn: string }
  | { type: "done"; turn: string; timings: TurnTimings }
  | { type: "error"; turn: string | null; error: { code: string; message: string } };

/** Milliseconds from the end of speech (the stop) to each first thing the traveller gets. */
export interface TurnTimings {
  finalTranscriptMs: number;
  firstTextMs: number | null;
  firstAudioMs: number | null;
  totalMs: number;
}

export interface SessionDeps {
  planner: PlannerService;
  logger: Logger;
  stt: StreamingSpeechToText[];
  tts: StreamingTextToSpeech[];
  /** Longest turn: beyond it the turn ends as if the speaker had stopped. */
  maxSeconds: number;
  /** A listening turn that receives no audio for this long ends. */
  idleTimeoutMs: number;
  /** Turns one connection may start per `turnWindowMs`. */
  turnsPerWindow: number;
  turnWindowMs: number;
  sttHint: string;
  /** A slot of the heavy work for one turn (throws a 429/503 ApiError when there is none). */
  admit(signal: AbortSignal): Promise<Release>;
}

export interface SessionPeer {
  send(event: ServerEvent): Promise<void>;
}

export interface SessionUser {
  address?: string;
  overrides?: Partial<TravellerContext>;
}

interface Turn {
  id: string;
  language: VoiceLanguage;
  speak: boolean;
  controller: AbortController;
  transcriber?: LiveTranscriber;
  stt?: string;
  release?: Release;
  bytes: number;
  /** Speech that arrived while the recogniser was being opened. */
  pending: Uint8Array[];
  stopRequested: boolean;
  stopping: boolean;
  idle?: NodeJS.Timeout;
  newConversation?: boolean;
  /** What the turn heard, once its speech has ended. */
  transcript?: Promise<string>;
  /** Its plan has been sent: a turn after it is a follow-up, not more of the same request. */
  answered: boolean;
  /** Words of an earlier turn that was cut short before its answer: this turn continues that request. */
  carried?: Promise<string>;
  carriedText: string;
}

const error = (turn: string | null, code: string, message: string): ServerEvent => ({
  type: "error",
  turn,
  error: { code, message },
});

export class VoiceSession {
  private turn?: Turn;
  private conversationId?: string;
  private turnsStarted: number[] = [];
  private everStarted = false;
  private closed = false;

  constructor(
    private readonly deps: SessionDeps,
    private readonly peer: SessionPeer,
    private readonly user: SessionUser,
  ) {}

  async open() {
    await this.peer.send({
      type: "ready",
      stt: this.deps.stt.map((s) => s.name),
      tts: this.deps.tts.map((t) => t.name),
      languages: VOICE_LANGUAGES,
    });
  }

  /** A text frame: one ClientMessage as JSON. */
  async onText(raw: string) {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      json = undefined;
    }
    const parsed = ClientMessage.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
      await this.peer.send(
        error(
          this.turn?.id ?? null,
          "invalid_message",
          `Messages are JSON {type: "start" | "stop" | "cancel"}; ${where}${issue?.message ?? "not JSON"}`,
        ),
      );
      return;
    }
    const message = parsed.data;
    if (message.type === "start") await this.start(message);
    else if (message.type === "stop") {
      if (this.turn && !this.turn.transcriber) this.turn.stopRequested = true;
      else await this.stop("speaker");
    } else this.cancel();
  }

  /** A binary frame: the next piece of the turn's speech (16 kHz mono PCM16). */
  async onAudio(pcm: Uint8Array) {
    const turn = this.turn;
    if (!turn || turn.stopping || turn.stopRequested) {
      // Audio that follows a stop or an ended turn is the tail of speech: dropped. Only a client that never started
      // a turn is told.
      if (!turn && !this.everStarted)
        await this.peer.send(error(null, "no_turn", 'Send {"type":"start"} before the audio of a turn'));
      return;
    }
    const allowed = this.deps.maxSeconds * PCM_BYTES_PER_SECOND - turn.bytes;
    const piece = pcm.subarray(0, Math.max(0, allowed - (allowed % 2)));
    turn.bytes += piece.length;
    if (piece.length > 0) {
      if (turn.transcriber) turn.transcriber.write(piece);
      else turn.pending.push(Uint8Array.from(piece));
    }
    if (!turn.transcriber) return;
    this.armIdle(turn);
    if (piece.length < pcm.length) await this.stop("limit");
  }

  close() {
    this.closed = true;
    this.cancel();
  }

  private cancel() {
    const turn = this.turn;
    if (!turn) return;
    this.turn = undefined;
    this.endTurn(turn);
  }

  private endTurn(turn: Turn) {
    clearTimeout(turn.idle);
    turn.controller.abort();
    // A recogniser already finishing keeps going: its words may be carried into the next turn.
    if (!turn.stopping) turn.transcriber?.abort();
    turn.release?.();
  }

  private armIdle(turn: Turn) {
    clearTimeout(turn.idle);
    turn.idle = setTimeout(() => {
      if (this.turn !== turn || turn.stopping) return;
      if (turn.bytes > 0) return void this.stop("idle");
      this.cancel();
      void this.emit(
        turn,
        error(turn.id, "idle_timeout", `No speech arrived for ${this.deps.idleTimeoutMs / 1000} s; the turn has ended`),
      );
    }, this.deps.idleTimeoutMs);
  }

  /** Sends unless the turn has been replaced or cancelled since. */
  private async emit(turn: Turn, event: ServerEvent) {
    if (this.closed) return;
    if (this.turn !== turn && event.type !== "error" && event.type !== "interrupted") return;
    await this.peer.send(event);
  }

  private async start(message: Extract<ClientMessage, { type: "start" }>) {
    const previous = this.turn;
    if (previous) {
      // Barge-in: the traveller speaks over the reply (or restarts a turn); the old one stops where it is.
      this.cancel();
      await this.peer.send({ type: "interrupted", turn: previous.id });
    }
    if (message.conversationId) this.conversationId = message.conversationId;
    if (message.newConversation) this.conversationId = undefined;
    const turn: Turn = {
      id: randomUUID(),
      language: message.language,
      speak: message.speak,
      controller: new AbortController(),
      bytes: 0,
      pending: [],
      stopRequested: false,
      stopping: false,
      newConversation: message.newConversation,
      answered: false,
      carriedText: "",
    };
    // Speech resumed before the last turn was answered (a pause mid-request): this turn continues its request.
    if (previous?.transcript && !previous.answered) {
      turn.carried = previous.transcript.catch(() => "").then((text) => (turn.carriedText = text));
      turn.newConversation = previous.newConversation;
    }
    this.turn = turn;

    const now = performance.now();
    this.turnsStarted = this.turnsStarted.filter((at) => now - at < this.deps.turnWindowMs);
    if (this.turnsStarted.length >= this.deps.turnsPerWindow) {
      this.turn = undefined;
      const seconds = Math.ceil(this.deps.turnWindowMs / 1000);
      await this.peer.send(
        error(
          turn.id,
          "rate_limited",
          `At most ${this.deps.turnsPerWindow} voice turns per ${seconds} s on one connection`,
        ),
      );
      return;
    }
    this.turnsStarted.push(now);
    this.everStarted = true;

    const able = this.deps.stt.filter((s) => s.hears(turn.language));
    if (able.length === 0) {
      this.turn = undefined;
      if (this.deps.stt.length === 0)
        await this.peer.send(
          error(turn.id, "stt_unavailable", `Speech to text is not available: ${this.deps.sttHint}`),
        );
      else await this.languageUnavailable(turn);
      return;
    }
    try {
      turn.release = await this.deps.admit(turn.controller.signal);
    } catch (failure) {
      if (this.turn === turn) this.turn = undefined;
      await this.peer.send(this.failureEvent(turn.id, failure, "server_busy", "voice"));
      return;
    }
    if (this.turn !== turn) return turn.release();
    // A provider that cannot be reached gives way to the next that hears the language (Deepgram → pocketsphinx).
    let failure: unknown;
    for (const stt of able) {
      try {
        turn.transcriber = await stt.open({
          language: turn.language,
          onPartial: (text) => {
            const heard = [turn.carriedText, text].filter(Boolean).join(" ");
            void this.emit(turn, { type: "partial", turn: turn.id, text: heard });
          },
          onEndOfSpeech: () => void this.stop("endpoint", turn),
        });
        turn.stt = stt.name;
        break;
      } catch (error) {
        failure = error;
        this.deps.logger.warn({ provider: stt.name, reason: providerError(stt.name, error).reason }, "live STT failed");
      }
    }
    if (!turn.transcriber) {
      if (this.turn === turn) this.cancel();
      await this.peer.send(this.failureEvent(turn.id, failure, "stt_failed", able.at(-1)!.name));
      return;
    }
    if (this.turn !== turn) return turn.transcriber.abort();
    for (const piece of turn.pending.splice(0)) turn.transcriber.write(piece);
    this.armIdle(turn);
    await this.emit(turn, { type: "listening", turn: turn.id, stt: turn.stt!, language: turn.language });
    if (turn.stopRequested || turn.bytes >= this.deps.maxSeconds * PCM_BYTES_PER_SECOND)
      await this.stop(turn.stopRequested ? "speaker" : "limit");
  }

  /** No recogniser for the language here: the reply, written and spoken in it, says that typing works. */
  private async languageUnavailable(turn: Turn) {
    const message = NO_SPEECH_RECOGNITION[turn.language];
    await this.peer.send(error(turn.id, "language_unavailable", message));
    if (turn.speak) await this.speak(turn, [message], performance.now(), { firstAudioMs: null }, true);
  }

  private failureEvent(turn: string, failure: unknown, code: string, provider: string): ServerEvent {
    if (failure instanceof ApiError) return error(turn, failure.code, failure.message);
    const reason = providerError(provider, failure).reason;
    this.deps.logger.warn({ provider, reason }, "voice turn failed");
    return error(turn, code, reason);
  }

  /** The turn's speech has ended (`why`): transcript, plan, reply. */
  private async stop(why: "speaker" | "limit" | "idle" | "endpoint", only?: Turn) {
    const turn = this.turn;
    if (!turn?.transcriber || turn.stopping || (only && only !== turn)) return;
    turn.stopping = true;
    clearTimeout(turn.idle);
    const ended = performance.now();
    const since = () => Math.round((performance.now() - ended) * 10) / 10;
    try {
      if (why === "limit")
        await this.emit(
          turn,
          error(turn.id, "turn_too_long", `Turns are limited to ${this.deps.maxSeconds} s; planning what was heard`),
        );
      let text: string;
      try {
        const transcriber = turn.transcriber;
        turn.transcript = (async () => {
          const own = (await transcriber.finish()).trim();
          return [await turn.carried, own].filter(Boolean).join(" ");
        })();
        text = await turn.transcript;
      } catch (failure) {
        if (turn.controller.signal.aborted) return;
        await this.emit(turn, this.failureEvent(turn.id, failure, "stt_failed", turn.stt ?? "speech to text"));
        return;
      }
      const finalTranscriptMs = since();
      await this.emit(turn, { type: "final", turn: turn.id, text, stt: turn.stt ?? "" });
      if (!text) {
        await this.emit(turn, error(turn.id, "no_speech", "I couldn't hear a request; please try again"));
        return;
      }
      await this.emit(turn, { type: "thinking", turn: turn.id });
      const result = await this.deps.planner.plan(
        {
          text,
          address: this.user.address,
          conversationId: this.conversationId,
          newConversation: turn.newConversation,
          overrides: this.user.overrides,
          language: turn.language,
        },
        (event) => {
          if (event.type === "delta") void this.emit(turn, { type: "delta", turn: turn.id, text: event.text });
        },
        turn.controller.signal,
      );
      if (this.turn !== turn) return;
      this.conversationId = result.conversationId ?? this.conversationId;
      turn.answered = true;
      await this.emit(turn, { type: "result", turn: turn.id, result });
      const timings: TurnTimings = { finalTranscriptMs, firstTextMs: null, firstAudioMs: null, totalMs: 0 };
      const parts = sentences(result.reply, turn.language);
      if (turn.speak) await this.speak(turn, parts, ended, timings);
      else
        for (const [index, text] of parts.entries()) {
          timings.firstTextMs ??= since();
          await this.emit(turn, { type: "sentence", turn: turn.id, index, text });
        }
      timings.firstTextMs ??= null;
      timings.totalMs = since();
      await this.emit(turn, { type: "done", turn: turn.id, timings });
    } catch (failure) {
      if (turn.controller.signal.aborted) return;
      await this.emit(turn, this.failureEvent(turn.id, failure, "voice_failed", "voice"));
    } finally {
      if (this.turn === turn) {
        this.turn = undefined;
        this.endTurn(turn);
      }
    }
  }

  /**
   * Each sentence as text, then its audio as it is synthesised; the next sentence is synthesised while this one is
   * sent. A provider that fails before its first byte gives way to the next; with none left the client speaks the
   * text itself.
   */
  private async speak(
    turn: Turn,
    parts: string[],
    ended: number,
    timings: Pick<TurnTimings, "firstAudioMs"> & Partial<TurnTimings>,
    always = false,
  ) {
    const send = (event: ServerEvent) => (always ? this.peer.send(event) : this.emit(turn, event));
    const since = () => Math.round((performance.now() - ended) * 10) / 10;
    const signal = turn.controller.signal;
    let providers = [...this.deps.tts];
    const synthesise = async (text: string) => {
      while (providers.length > 0) {
        const provider = providers[0];
        try {
          return await provider.stream(text, turn.language, signal);
        } catch (failure) {
          if (signal.aborted) throw failure;
          const reason = providerError(provider.name, failure).reason;
          this.deps.logger.warn({ provider: provider.name, reason }, "text to speech failed");
          providers = providers.slice(1);
        }
      }
      return undefined;
    };
    const ahead = (text: string | undefined) => {
      const promise = text === undefined ? undefined : synthesise(text);
      // Settled whether or not it is awaited: an interrupted reply leaves the next sentence's synthesis behind.
      promise?.catch(() => undefined);
      return promise;
    };
    let next = ahead(parts[0]);
    let unavailable = false;
    for (const [index, text] of parts.entries()) {
      if (signal.aborted && !always) return;
      if ("firstTextMs" in timings) timings.firstTextMs ??= since();
      await send({ type: "sentence", turn: turn.id, index, text });
      const speech = await next?.catch(() => undefined);
      next = ahead(parts[index + 1]);
      if (!speech) {
        if (!unavailable)
          await send({
            type: "speech-unavailable",
            turn: turn.id,
            message: "No text-to-speech provider could speak the reply; the app speaks the text",
          });
        unavailable = true;
        continue;
      }
      try {
        for await (const chunk of speech.chunks) {
          if (signal.aborted && !always) return;
          timings.firstAudioMs ??= since();
          await send({
            type: "audio",
            turn: turn.id,
            index,
            mimeType: speech.mimeType,
            base64: Buffer.from(chunk).toString("base64"),
          });
        }
      } catch (failure) {
        if (signal.aborted) return;
        this.deps.logger.warn({ reason: providerError("speech", failure).reason }, "speech stream broke off");
      }
      await send({ type: "audio-end", turn: turn.id, index });
    }
  }
}
