/** A client of GET /voice/stream for tests and the bench: the real server on a free port, events awaited by type. */
import type { AddressInfo } from "node:net";

import type { ServerType } from "@hono/node-server";
import WebSocket from "ws";

import { decodeWav, encodeWav, resample } from "../../src/voice/audio.js";
import { EspeakTts } from "../../src/voice/espeak.js";
import { serveApp } from "../../src/http/server.js";

type Json = Record<string, any>;

export async function listen(app: { fetch: (request: Request) => Response | Promise<Response> }) {
  let server!: ServerType;
  const port = await new Promise<number>((resolve) => {
    server = serveApp(app as never, { hostname: "127.0.0.1", port: 0 }, (info: AddressInfo) => resolve(info.port));
  });
  return {
    url: `ws://127.0.0.1:${port}/voice/stream`,
    http: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export class VoiceClient {
  readonly events: Json[] = [];
  private waiters: { match: (e: Json) => boolean; resolve: (e: Json) => void }[] = [];
  private seen = 0;

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data, isBinary) => {
      if (isBinary) return;
      const event = JSON.parse(data.toString()) as Json;
      event.receivedAt = performance.now();
      this.events.push(event);
      this.waiters = this.waiters.filter((w) => (w.match(event) ? (w.resolve(event), false) : true));
    });
  }

  static async connect(url: string, headers: Record<string, string> = {}): Promise<VoiceClient> {
    const ws = new WebSocket(url, { headers });
    const client = new VoiceClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    return client;
  }

  send(message: Json) {
    this.ws.send(JSON.stringify(message));
  }

  /** Sends PCM in 20 ms frames. */
  audio(pcm: Uint8Array) {
    for (let at = 0; at < pcm.length; at += 640) this.ws.send(pcm.subarray(at, at + 640));
  }

  /** Keeps the microphone open (100 ms of silence every 100 ms, as a live one sends) until `until` settles. */
  async listening<T>(until: Promise<T>): Promise<T> {
    const timer = setInterval(() => this.audio(silence(0.1)), 100);
    try {
      return await until;
    } finally {
      clearInterval(timer);
    }
  }

  /** The next event (after those already taken) of `type` and matching `where`. */
  next(type: string, where: (e: Json) => boolean = () => true, timeoutMs = 20_000): Promise<Json> {
    const match = (e: Json) => e.type === type && where(e);
    const index = this.events.findIndex((e, i) => i >= this.seen && match(e));
    if (index >= 0) {
      this.seen = index + 1;
      return Promise.resolve(this.events[index]);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const got = this.events.map((e) => (e.type === "error" ? JSON.stringify(e.error) : e.type));
        reject(new Error(`no ${type} event within ${timeoutMs} ms; got ${got.join(", ")}`));
      }, timeoutMs);
      this.waiters.push({
        match,
        resolve: (e) => {
          clearTimeout(timer);
          this.seen = this.events.indexOf(e) + 1;
          resolve(e);
        },
      });
    });
  }

  close() {
    this.ws.close();
  }
}

/** `text` spoken by espeak-ng (voice `voice`) as 16 kHz mono PCM16, no header. */
export async function speakPcm(text: string, voice = "en-us"): Promise<Uint8Array> {
  const espeak = new EspeakTts({ binary: "espeak-ng", voice });
  const { audio } = await espeak.synthesize(text);
  return encodeWav(resample(decodeWav(audio), 16_000)).subarray(44);
}

export const silence = (seconds: number) => new Uint8Array(Math.round(seconds * 16_000) * 2);
