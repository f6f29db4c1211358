/**
 * GET /voice/stream with the providers' real SDKs against local stubs: Deepgram live (a WebSocket that streams interim
 * and final results, flushes on Finalize and ends utterances) and ElevenLabs streaming (chunked MP3 held open until the
 * client has the first chunk, which proves the reply plays before its synthesis ends).
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { WebSocketServer, type WebSocket } from "ws";

import { createTestApp, type TestApp } from "./helpers/app.js";
import { listen, silence, speakPcm, VoiceClient } from "./helpers/voice-stream.js";

type Json = Record<string, any>;

const DEEPGRAM_KEY = "dg-stub-key";
const ELEVENLABS_KEY = "el-stub-key";
/** What the Deepgram stub "hears" from the audio, in order: interim, final, then the flushed rest on Finalize. */
const ENGLISH = { interim: "plan a trip", final: "Plan a trip to Lisbon", flushed: "for three days." };
let HEARD = ENGLISH;
const MP3_CHUNKS = [Buffer.from("ID3\u0003\u0000first-frames"), Buffer.from("\u00ff\u00fbmore-frames")];

let stub: Server;
let base: string;
const listens: { query: URLSearchParams; headers: IncomingMessage["headers"]; control: Json[]; bytes: number }[] = [];
const speeches: { path: string; body: Json; headers: IncomingMessage["headers"] }[] = [];
let deepgramMode: "ok" | "401" = "ok";
let elevenlabsMode: "ok" | "429" = "ok";
/** Resolved by the test once the client has the first audio chunk; the stub holds the rest until then. */
let releaseAudio: () => void = () => undefined;
let audioGate = Promise.resolve();
/** Sent after the final result: Deepgram's end of utterance, which ends the turn without a stop. */
let sendUtteranceEnd = false;

function results(transcript: string, extra: Json): Json {
  return {
    type: "Results",
    channel_index: [0, 1],
    duration: 1,
    start: 0,
    channel: { alternatives: [{ transcript, confidence: 0.97, words: [] }] },
    metadata: { request_id: "stub", model_info: { name: "stub", version: "1", arch: "stub" }, model_uuid: "stub" },
    ...extra,
  };
}

function deepgramLive(ws: WebSocket, request: IncomingMessage) {
  const url = new URL(request.url!, "http://stub");
  const record = { query: url.searchParams, headers: request.headers, control: [] as Json[], bytes: 0 };
  listens.push(record);
  let sent = 0;
  ws.on("message", (data, isBinary) => {
    if (isBinary) {
      record.bytes += (data as Buffer).length;
      if (sent === 0 && record.bytes >= 16_000) {
        sent++;
        ws.send(JSON.stringify(results(HEARD.interim, { is_final: false })));
      } else if (sent === 1 && record.bytes >= 32_000) {
        sent++;
        ws.send(JSON.stringify(results(HEARD.final, { is_final: true, speech_final: true })));
        if (sendUtteranceEnd) ws.send(JSON.stringify({ type: "UtteranceEnd", channel: [0, 1], last_word_end: 2 }));
      }
      return;
    }
    const message = JSON.parse(data.toString()) as Json;
    record.control.push(message);
    if (message.type === "Finalize")
      ws.send(JSON.stringify(results(HEARD.flushed, { is_final: true, from_finalize: true })));
    if (message.type === "CloseStream") ws.close(1000);
  });
}

beforeAll(async () => {
  const wss = new WebSocketServer({ noServer: true });
  stub = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const path = new URL(req.url!, "http://stub").pathname;
      speeches.push({ path, body: JSON.parse(Buffer.concat(chunks).toString() || "{}"), headers: req.headers });
      if (elevenlabsMode === "429") {
        res.writeHead(429, { "content-type": "application/json" });
        return res.end(JSON.stringify({ detail: { status: "too_many_requests", message: "stub 429" } }));
      }
      res.writeHead(200, { "content-type": "audio/mpeg" });
      res.write(MP3_CHUNKS[0]);
      await audioGate;
      res.end(MP3_CHUNKS[1]);
    });
  });
  stub.on("upgrade", (request, socket, head) => {
    if (deepgramMode === "401" || request.headers.authorization !== `Token ${DEEPGRAM_KEY}`) {
      socket.end("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => deepgramLive(ws, request));
  });
  await new Promise<void>((resolve) => stub.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => stub.close(() => resolve())));

describe("voice stream through Deepgram live and ElevenLabs streaming", () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof listen>>;
  const clients: VoiceClient[] = [];
  const connect = async () => {
    const client = await VoiceClient.connect(server.url);
    clients.push(client);
    expect(await client.next("ready")).toMatchObject({ stt: ["deepgram", "pocketsphinx"] });
    return client;
  };

  beforeAll(async () => {
    t = await createTestApp("pglite", {
      env: {
        DEEPGRAM_API_KEY: DEEPGRAM_KEY,
        DEEPGRAM_BASE_URL: base,
        DEEPGRAM_TIMEOUT_MS: "5000",
        ELEVENLABS_API_KEY: ELEVENLABS_KEY,
        ELEVENLABS_BASE_URL: base,
        ELEVENLABS_VOICE_ID: "voice-stub",
        ELEVENLABS_TIMEOUT_MS: "5000",
      },
    });
    server = await listen(t.app);
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await server?.close();
    await t?.close();
  });
  beforeEach(() => {
    listens.length = 0;
    speeches.length = 0;
    deepgramMode = "ok";
    elevenlabsMode = "ok";
    sendUtteranceEnd = false;
    HEARD = ENGLISH;
    audioGate = new Promise((resolve) => (releaseAudio = resolve));
  });

  it("shows Deepgram's interim words, plans the final transcript, and plays the reply while it is synthesised", async () => {
    const client = await connect();
    client.send({ type: "start" });
    expect(await client.next("listening")).toMatchObject({ stt: "deepgram", language: "en" });
    client.audio(silence(1.2));
    expect((await client.next("partial")).text).toBe(HEARD.interim);
    expect((await client.next("partial")).text).toBe(HEARD.final);
    client.send({ type: "stop" });
    const final = await client.next("final");
    expect(final).toMatchObject({ stt: "deepgram", text: `${HEARD.final} ${HEARD.flushed}` });

    const [live] = listens;
    expect(Object.fromEntries(live.query)).toMatchObject({
      language: "en",
      encoding: "linear16",
      sample_rate: "16000",
      channels: "1",
      interim_results: "true",
      endpointing: "300",
      utterance_end_ms: "1000",
    });
    expect(live.bytes).toBe(1.2 * 32_000);
    expect(live.control.map((m) => m.type)).toEqual(["Finalize", "CloseStream"]);

    const { result } = await client.next("result");
    expect(result.plan.destination.name).toBe("Lisbon");
    expect(result.plan.days).toHaveLength(3);
    const first = await client.next("audio", (e) => e.index === 0);
    expect(first.mimeType).toBe("audio/mpeg");
    expect(Buffer.from(first.base64, "base64")).toEqual(MP3_CHUNKS[0]);
    // The first sentence's synthesis is still open at the stub: the client already has its first bytes.
    releaseAudio();
    const done = await client.next("done");
    expect(done.timings.firstAudioMs).not.toBeNull();

    const sentences = client.events.filter((e) => e.type === "sentence");
    expect(speeches.map((s) => s.path)).toEqual(sentences.map(() => "/v1/text-to-speech/voice-stub/stream"));
    expect(speeches.map((s) => s.body.text)).toEqual(sentences.map((s) => s.text));
    expect(speeches[0].headers["xi-api-key"]).toBe(ELEVENLABS_KEY);
    // Keys stay on the server.
    expect(JSON.stringify(client.events)).not.toMatch(new RegExp(`${DEEPGRAM_KEY}|${ELEVENLABS_KEY}`));
  });

  it("gives Deepgram the traveller's language", async () => {
    const client = await connect();
    client.send({ type: "start", language: "es", speak: false });
    expect(await client.next("listening")).toMatchObject({ stt: "deepgram", language: "es" });
    client.send({ type: "stop" });
    await client.next("final");
    expect(listens[0].query.get("language")).toBe("es");
  });

  it("plans a Spanish turn heard by Deepgram and speaks the reply in Spanish", async () => {
    HEARD = { interim: "un viaje", final: "Un viaje a Lisboa", flushed: "de tres días." };
    releaseAudio();
    const client = await connect();
    client.send({ type: "start", language: "es" });
    await client.next("listening");
    client.audio(silence(1.2));
    client.send({ type: "stop" });
    expect((await client.next("final")).text).toBe("Un viaje a Lisboa de tres días.");
    const { result } = await client.next("result");
    expect(result.plan.destination.name).toBe("Lisbon");
    expect(result.plan.days).toHaveLength(3);
    expect(result.reply).toMatch(/^3 días y 2 noches en Lisbon, del /);
    await client.next("done");
    expect(speeches[0].body.text).toMatch(/^3 días y 2 noches en Lisbon/);
  });

  it("ends the turn when Deepgram hears the utterance end, with no stop from the client", async () => {
    sendUtteranceEnd = true;
    const client = await connect();
    client.send({ type: "start", speak: false });
    await client.next("listening");
    client.audio(silence(1.2));
    expect((await client.next("final")).text).toMatch(/Lisbon/);
    expect((await client.next("result")).result.plan.destination.name).toBe("Lisbon");
    expect(await client.next("done")).toBeTruthy();
  });

  it("falls back to pocketsphinx when Deepgram refuses, and to espeak-ng when ElevenLabs is rate limited", async () => {
    deepgramMode = "401";
    elevenlabsMode = "429";
    const client = await connect();
    client.send({ type: "start" });
    expect(await client.next("listening")).toMatchObject({ stt: "pocketsphinx" });
    client.audio(await speakPcm("three days in rome"));
    client.send({ type: "stop" });
    expect((await client.next("result")).result.plan.destination.name).toBe("Rome");
    const audio = await client.next("audio");
    expect(audio.mimeType).toBe("audio/wav");
    expect(speeches.length).toBeGreaterThan(0);
    await client.next("done");
  });
});
