/**
 * The browser's side of GET /voice/stream: a WebSocket that carries a turn's speech up (16 kHz mono PCM16 frames
 * between a start and a stop) and the server's events down (partial and final transcripts, the plan, the reply's
 * sentences and their audio), and a player that speaks the reply sentence by sentence as each one's audio arrives.
 */
import { LANGUAGE_NAMES, VOICE_LANGUAGES as CODES, type VoiceLanguage } from "@trvl/backend/voice/languages";
import { config } from "@/lib/config";
import type { VoiceServerEvent as ServerEvent } from "@/lib/api";

import { toPcm16 } from "./wav";

/** The languages the server holds a voice conversation in (its own list), named in themselves. */
export const VOICE_LANGUAGES = CODES.map((code) => ({ code, name: LANGUAGE_NAMES[code] }));
export type { VoiceLanguage };

/** The events of a voice session, as the backend sends them. */
export type { ServerEvent };

/** The stream's address: the API's, over ws:// or wss://. */
export function streamUrl(apiUrl: string = config.apiUrl): string {
  return `${apiUrl.replace(/^http/, "ws")}/voice/stream`;
}

export class VoiceConnection {
  private constructor(private readonly ws: WebSocket) {}

  static open(onEvent: (event: ServerEvent) => void, onClose: () => void, url = streamUrl()): Promise<VoiceConnection> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.binaryType = "arraybuffer";
      ws.onmessage = (message) => {
        if (typeof message.data === "string") onEvent(JSON.parse(message.data) as ServerEvent);
      };
      ws.onopen = () => resolve(new VoiceConnection(ws));
      ws.onerror = () => reject(new Error("The voice connection could not be opened"));
      ws.onclose = onClose;
    });
  }

  start(options: { language: VoiceLanguage; conversationId?: string | null; speak?: boolean }) {
    const conversation = options.conversationId
      ? { conversationId: options.conversationId }
      : { newConversation: true };
    this.send({ type: "start", language: options.language, speak: options.speak ?? true, ...conversation });
  }

  audio(samples: Float32Array) {
    // Int16Array is little-endian on every platform browsers run on, as the stream expects.
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(toPcm16(samples));
  }

  stop() {
    this.send({ type: "stop" });
  }

  cancel() {
    this.send({ type: "cancel" });
  }

  close() {
    this.ws.close();
  }

  private send(message: object) {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }
}

/**
 * Plays a reply's sentences in order, each as soon as its audio is complete, while later ones are still being made.
 * `stop` silences it at once (barge-in). Sentences without audio are spoken by the browser's speech synthesis.
 */
export class ReplyPlayer {
  private chunks = new Map<number, { mimeType: string; parts: Uint8Array[] }>();
  private ready: { index: number; url?: string; text?: string }[] = [];
  private texts = new Map<number, string>();
  private nextIndex = 0;
  private current?: HTMLAudioElement;
  private playing = false;
  private generation = 0;

  constructor(
    private readonly onPlaying: (playing: boolean) => void,
    private readonly language: () => string,
  ) {}

  sentence(index: number, text: string) {
    this.texts.set(index, text);
  }

  audio(index: number, mimeType: string, base64: string) {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const entry = this.chunks.get(index) ?? { mimeType, parts: [] };
    entry.parts.push(bytes);
    this.chunks.set(index, entry);
  }

  audioEnd(index: number) {
    const entry = this.chunks.get(index);
    this.chunks.delete(index);
    const url = entry ? URL.createObjectURL(new Blob(entry.parts as BlobPart[], { type: entry.mimeType })) : undefined;
    this.ready.push({ index, url, text: url ? undefined : this.texts.get(index) });
    this.pump();
  }

  /** No audio will come for this reply: the browser speaks the sentences. */
  speakText(index: number) {
    this.ready.push({ index, text: this.texts.get(index) });
    this.pump();
  }

  stop() {
    this.generation++;
    this.current?.pause();
    this.current = undefined;
    if (typeof window !== "undefined" && "speechSynthesis" in window) window.speechSynthesis.cancel();
    for (const item of this.ready) if (item.url) URL.revokeObjectURL(item.url);
    this.ready = [];
    this.chunks.clear();
    this.texts.clear();
    this.nextIndex = 0;
    this.setPlaying(false);
  }

  private setPlaying(playing: boolean) {
    if (this.playing === playing) return;
    this.playing = playing;
    this.onPlaying(playing);
  }

  private pump() {
    if (this.current || this.ready.length === 0) return;
    const position = this.ready.findIndex((item) => item.index === this.nextIndex);
    if (position < 0) return;
    const [item] = this.ready.splice(position, 1);
    this.nextIndex++;
    const generation = this.generation;
    const next = () => {
      if (generation !== this.generation) return;
      this.current = undefined;
      if (item.url) URL.revokeObjectURL(item.url);
      if (this.ready.length === 0) this.setPlaying(false);
      this.pump();
    };
    this.setPlaying(true);
    if (item.url) {
      const audio = new Audio(item.url);
      this.current = audio;
      audio.onended = next;
      audio.onerror = next;
      audio.play().catch(next);
    } else if (item.text && typeof window !== "undefined" && "speechSynthesis" in window) {
      const utterance = new SpeechSynthesisUtterance(item.text);
      utterance.lang = this.language();
      const placeholder = new Audio();
      this.current = placeholder;
      utterance.onend = next;
      utterance.onerror = next;
      window.speechSynthesis.speak(utterance);
    } else next();
  }
}
