/**
 * The real SDKs of OpenAI (chat completions with tools, embeddings), Deepgram (prerecorded) and ElevenLabs (text to
 * speech) against a local stub of their HTTP APIs on 127.0.0.1: requests must be well-formed (auth header, model,
 * body), answers parsed, and failures (rejected key, rate limit, outage, timeout) fall back or say what went wrong.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { addDays } from "../src/catalog/dates.js";
import { historyMessages } from "../src/planner/openai.js";
import type { PlanResult } from "../src/planner/types.js";
import { decodeWav, encodeWav, resample } from "../src/voice/audio.js";
import { EspeakTts } from "../src/voice/espeak.js";
import { call, createTestApp, expectError, signIn, testAccount, type TestApp } from "./helpers/app.js";
import { LISBON, futureDay } from "./helpers/trips.js";
import { parseSse } from "./helpers/sse.js";
import { TEST_DATE } from "./helpers/clock.js";

type Json = Record<string, any>;
type Mode = "ok" | "401" | "429" | "500" | "slow";

const OPENAI_KEY = "sk-test-openai-0123456789";
const DEEPGRAM_KEY = "dg-test-key-0123456789";
const ELEVENLABS_KEY = "el-test-key-0123456789";
const TIMEOUT_MS = 1_500;
const MP3 = Buffer.concat([Buffer.from("ID3"), Buffer.alloc(400, 7)]);

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  raw: Buffer;
  json?: Json;
}

const seen: Seen[] = [];
/** Every embeddings request (the item vectors are built once, whichever request comes first). */
const embeddingRequests: Seen[] = [];
const modes: Record<"openai" | "embeddings" | "deepgram" | "elevenlabs", Mode> = {
  openai: "ok",
  embeddings: "ok",
  deepgram: "ok",
  elevenlabs: "ok",
};
let transcript = "Plan a trip to Lisbon for three days";

function chunk(delta: Json, finish: string | null = null) {
  return `data: ${JSON.stringify({
    id: "chatcmpl-stub",
    object: "chat.completion.chunk",
    created: 0,
    model: "gpt-test",
    choices: [{ index: 0, delta, finish_reason: finish }],
  })}\n\n`;
}

/** A streamed assistant turn: optional words, then tool calls whose arguments arrive in pieces. */
function streamed(content: string, calls: { name: string; args: Json }[]): string {
  let body = "";
  if (content) for (const word of content.split(/(?<= )/)) body += chunk({ role: "assistant", content: word });
  calls.forEach((call, index) => {
    const args = JSON.stringify(call.args);
    const cut = Math.floor(args.length / 2);
    body += chunk({
      tool_calls: [
        {
          index,
          id: `call_${index}_${call.name}`,
          type: "function",
          function: { name: call.name, arguments: args.slice(0, cut) },
        },
      ],
    });
    body += chunk({ tool_calls: [{ index, function: { arguments: args.slice(cut) } }] });
  });
  body += chunk({}, calls.length ? "tool_calls" : "stop");
  return `${body}data: [DONE]\n\n`;
}

/** The stub model: finds the destination, searches hotels and activities in parallel, then submits a plan. */
function modelTurn(messages: Json[]): string {
  const user = [...messages].reverse().find((m) => m.role === "user")!.content as string;
  const last = messages.at(-1)!;
  if (/moon/i.test(user))
    return streamed("", [
      {
        name: "answer_without_plan",
        args: { status: "cannot", reason: "not on Earth", reply: "I can't book the Moon." },
      },
    ]);
  // Dates from the request, or three nights two months out (spoken requests name none).
  const [checkIn = futureDay(60), checkOut = addDays(checkIn, 3)] = user.match(/\d{4}-\d{2}-\d{2}/g) ?? [];
  if (last.role === "user")
    return streamed("Let me look that up. ", [{ name: "find_destination", args: { query: "Lisbon" } }]);
  const results = messages.filter((m) => m.role === "tool").map((m) => JSON.parse(m.content));
  if (results.length === 1) {
    const destinationId = results[0][0].id as string;
    return streamed("", [
      { name: "search_catalog", args: { destinationId, type: "hotel", checkIn, checkOut } },
      { name: "search_catalog", args: { destinationId, type: "activity", checkIn, checkOut: addDays(checkIn, 1) } },
    ]);
  }
  const [hotels, activities] = results.slice(1, 3);
  return streamed("", [
    {
      name: "submit_plan",
      args: {
        destinationId: LISBON,
        checkIn,
        checkOut,
        guests: 2,
        budget: null,
        interests: ["culture"],
        items: [
          { itemId: hotels[0].id, time: "15:00", why: "best rated" },
          { itemId: activities[0].id, date: checkIn, time: "10:00", why: "you like culture" },
        ],
        summary: "Three nights in Lisbon at a fine hotel, with a morning activity.",
      },
    },
  ]);
}

function embedding(text: string, dimensions: number): number[] {
  const digest = createHash("sha256").update(text).digest();
  return Array.from({ length: dimensions }, (_, i) => (digest[i % 32] - 128) / 128 + (i % 7) / 100);
}

async function handle(req: IncomingMessage, res: import("node:http").ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const part of req) chunks.push(part as Buffer);
  const raw = Buffer.concat(chunks);
  const url = new URL(req.url ?? "/", "http://stub");
  const record: Seen = {
    method: req.method ?? "",
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    raw,
  };
  if ((req.headers["content-type"] ?? "").includes("json") && raw.length) record.json = JSON.parse(raw.toString());
  seen.push(record);
  if (url.pathname === "/openai/v1/embeddings") embeddingRequests.push(record);
  const provider = url.pathname.startsWith("/openai/v1/embeddings")
    ? "embeddings"
    : url.pathname.startsWith("/openai")
      ? "openai"
      : url.pathname.startsWith("/deepgram")
        ? "deepgram"
        : "elevenlabs";
  const mode = modes[provider];
  const json = (status: number, body: Json) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  if (mode === "slow") {
    await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS * 3));
    if (!res.writableEnded) json(200, {});
    return;
  }
  if (mode !== "ok") {
    const status = Number(mode);
    return json(status, { error: { message: `stub ${status}`, type: "stub", code: `stub_${status}` } });
  }
  if (provider === "openai") {
    res.writeHead(200, { "content-type": "text/event-stream" });
    return res.end(modelTurn(record.json!.messages));
  }
  if (provider === "embeddings") {
    const inputs = record.json!.input as string[];
    return json(200, {
      object: "list",
      model: record.json!.model,
      data: inputs.map((text, index) => ({
        object: "embedding",
        index,
        embedding: embedding(text, record.json!.dimensions),
      })),
      usage: { prompt_tokens: 1, total_tokens: 1 },
    });
  }
  if (provider === "deepgram") {
    return json(200, {
      metadata: { request_id: "stub", duration: 2.5, channels: 1, models: ["stub"] },
      results: { channels: [{ alternatives: [{ transcript, confidence: 0.98, words: [] }] }] },
    });
  }
  res.writeHead(200, { "content-type": "audio/mpeg" });
  res.end(MP3);
}

let server: Server;
let base: string;

function env(overrides: Record<string, string> = {}) {
  return {
    OPENAI_API_KEY: OPENAI_KEY,
    OPENAI_BASE_URL: `${base}/openai/v1`,
    OPENAI_MODEL: "gpt-test",
    OPENAI_EMBEDDING_MODEL: "emb-test",
    OPENAI_TIMEOUT_MS: String(TIMEOUT_MS),
    OPENAI_MAX_RETRIES: "0",
    DEEPGRAM_API_KEY: DEEPGRAM_KEY,
    DEEPGRAM_BASE_URL: `${base}/deepgram`,
    DEEPGRAM_MODEL: "nova-3",
    DEEPGRAM_TIMEOUT_MS: String(TIMEOUT_MS),
    ELEVENLABS_API_KEY: ELEVENLABS_KEY,
    ELEVENLABS_BASE_URL: `${base}/elevenlabs`,
    ELEVENLABS_VOICE_ID: "voice-stub",
    ELEVENLABS_MODEL: "eleven-test",
    ELEVENLABS_TIMEOUT_MS: String(TIMEOUT_MS),
    ...overrides,
  };
}

const reset = () => {
  seen.length = 0;
  Object.assign(modes, { openai: "ok", embeddings: "ok", deepgram: "ok", elevenlabs: "ok" });
};
const requests = (prefix: string) => seen.filter((s) => s.path.startsWith(prefix));

async function speakWav(text: string): Promise<Buffer> {
  const speech = await new EspeakTts({ binary: "espeak-ng" }).synthesize(text);
  return encodeWav(resample(decodeWav(speech.audio), 16_000));
}

async function postVoice(t: TestApp, audio: Uint8Array, type = "audio/wav") {
  const form = new FormData();
  form.set("audio", new Blob([Uint8Array.from(audio)], { type }), "request");
  const response = await t.app.request("/voice/plan", { method: "POST", body: form });
  return { status: response.status, body: (await response.json()) as Json };
}

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("AI providers through their real SDKs", () => {
  let t: TestApp;
  let token: string;
  const checkIn = futureDay(60);
  const checkOut = addDays(checkIn, 3);

  beforeAll(async () => {
    t = await createTestApp("pglite", { env: env() });
    token = await signIn(t.app, testAccount(7));
    await call(t.app, "PUT", "/me/profile", { token, body: { interests: ["culture"], dietary: ["vegan"] } });
  });
  afterAll(() => t.close());

  it("plans with OpenAI tool calls: well-formed requests, a checked plan of real items", async () => {
    reset();
    const { status, body } = await call(t.app, "POST", "/planner/plan", {
      token,
      body: { text: `Lisbon from ${checkIn} to ${checkOut} for two` },
    });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ status: "plan", source: "openai", fallback: null });
    const plan = body.plan as Json;
    expect(plan).toMatchObject({ checkIn, checkOut, guests: 2, nights: 3 });
    expect(plan.destination.id).toBe(LISBON);
    const items = plan.days.flatMap((d: Json) => d.items);
    expect(items.map((i: Json) => i.type).sort()).toEqual(["activity", "hotel"]);
    for (const item of items) {
      const found = await call(t.app, "GET", `/catalog/items/${item.itemId}`);
      expect(found.status).toBe(200);
    }
    expect(plan.summary).toContain("Lisbon");

    const chats = requests("/openai/v1/chat/completions");
    expect(chats).toHaveLength(3);
    for (const request of chats) {
      expect(request.method).toBe("POST");
      expect(request.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
      expect(request.json).toMatchObject({ model: "gpt-test", stream: true, tool_choice: "auto" });
      expect(request.json!.tools.map((tool: Json) => tool.function.name)).toEqual([
        "find_destination",
        "search_catalog",
        "submit_plan",
        "answer_without_plan",
      ]);
    }
    const system = chats[0].json!.messages[0];
    expect(system.role).toBe("system");
    expect(system.content).toContain(`Today is ${TEST_DATE}`);
    expect(system.content).toContain("interests: culture");
    expect(system.content).toContain("dietary: vegan");
    // Tool results went back with their call ids; the parallel searches both ran.
    const third = chats[2].json!.messages as Json[];
    const toolMessages = third.filter((m) => m.role === "tool");
    expect(toolMessages.map((m) => m.tool_call_id)).toEqual([
      "call_0_find_destination",
      "call_0_search_catalog",
      "call_1_search_catalog",
    ]);
    expect(JSON.parse(toolMessages[1].content)[0].type).toBe("hotel");
    expect(JSON.stringify(body)).not.toContain(OPENAI_KEY);
  });

  it("gives the model the earlier turns of the conversation", async () => {
    reset();
    await call(t.app, "POST", "/planner/plan", {
      token,
      body: { text: `again Lisbon from ${checkIn} to ${checkOut}` },
    });
    const first = requests("/openai/v1/chat/completions")[0].json!.messages as Json[];
    expect(first.some((m) => m.role === "user" && String(m.content).startsWith("Lisbon from"))).toBe(true);
    expect(first.some((m) => m.role === "assistant" && String(m.content).includes("planned Lisbon"))).toBe(true);
  });

  it("budgets the history: newest turns kept, older ones summarised, the oldest dropped", () => {
    const turn = (n: number) => ({
      request: `request number ${n} ${"x".repeat(400)}`,
      result: {
        status: "cannot",
        reason: "r",
        reply: `reply ${n}`,
        source: "offline",
        fallback: null,
        conversationId: null,
      } as PlanResult,
    });
    const history = Array.from({ length: 40 }, (_, n) => turn(n));
    const messages = historyMessages(history, 1_000);
    const text = messages.map((m) => String(m.content)).join("\n");
    expect(text.length / 4).toBeLessThanOrEqual(1_000);
    expect(text).toContain("request number 39");
    expect(messages[0]).toMatchObject({ role: "system" });
    expect(messages[0].content).toContain("summarised");
    expect(text).not.toContain("request number 0 ");
  });

  it("streams the model's words, each day and the result", async () => {
    reset();
    const response = await t.app.request("/planner/plan/stream", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: `Lisbon from ${checkIn} to ${checkOut} for two` }),
    });
    const events = parseSse(await response.text());
    expect(
      events
        .filter((e) => e.event === "delta")
        .map((e) => e.data.text)
        .join(""),
    ).toBe("Let me look that up. ");
    // Every day of the trip, the departure day too: three nights are four days.
    expect(events.filter((e) => e.event === "day")).toHaveLength(4);
    expect(events.at(-1)).toMatchObject({ event: "result", data: { status: "plan", source: "openai" } });
  });

  it("passes on the model's honest refusal", async () => {
    reset();
    const { body } = await call(t.app, "POST", "/planner/plan", { body: { text: "a week on the moon" } });
    expect(body).toMatchObject({ status: "cannot", source: "openai", reply: "I can't book the Moon." });
  });

  it.each([
    ["401", /rejected the API key/],
    ["429", /rate limiting/],
    ["500", /failing \(HTTP 500\)/],
    ["slow", /did not answer in time/],
  ] as const)("falls back to the offline planner when OpenAI answers %s", async (mode, reason) => {
    reset();
    modes.openai = mode;
    const { status, body } = await call(t.app, "POST", "/planner/plan", {
      body: { text: `Lisbon from ${checkIn} to ${checkOut} for two` },
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "plan", source: "offline", fallback: { provider: "openai" } });
    expect(body.fallback.reason).toMatch(reason);
    expect(body.plan.destination.id).toBe(LISBON);
    expect(JSON.stringify(body)).not.toContain(OPENAI_KEY);
  });

  it("ranks recommendations with OpenAI embeddings of the catalog's features", async () => {
    const { status, body } = await call(t.app, "GET", `/recommendations?destination=${LISBON}&limit=5`, { token });
    expect(status).toBe(200);
    expect(body).toMatchObject({ embedder: "openai", personalised: true });
    expect(body.items[0].reason).toMatch(/^Because (you like culture|of your vegan diet)/);
    const embeddings = embeddingRequests;
    expect(embeddings.length).toBeGreaterThan(0);
    expect(embeddings[0].headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect(embeddings[0].json).toMatchObject({ model: "emb-test", dimensions: 64, encoding_format: "float" });
    expect(embeddings[0].json!.input).toContain("activity category: culture");
  });

  it("transcribes with Deepgram and speaks with ElevenLabs", async () => {
    reset();
    transcript = "Plan a trip to Lisbon for three days";
    const wav = await speakWav("Hello");
    const { status, body } = await postVoice(t, wav);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.transcript).toBe(transcript);
    expect(body.stt).toMatchObject({ provider: "deepgram", durationSeconds: 2.5, fallback: null });
    expect(body.result.status).toBe("plan");
    expect(body.result.plan.destination.id).toBe(LISBON);
    expect(body.reply).toMatchObject({ provider: "elevenlabs", error: null, audio: { mimeType: "audio/mpeg" } });
    expect(Buffer.from(body.reply.audio.base64, "base64").equals(MP3)).toBe(true);

    const [listen] = requests("/deepgram");
    expect(listen.method).toBe("POST");
    expect(listen.path).toBe("/deepgram/v1/listen");
    expect(listen.headers.authorization).toBe(`Token ${DEEPGRAM_KEY}`);
    expect(listen.headers["content-type"]).toBe("audio/wav");
    expect(listen.query.get("model")).toBe("nova-3");
    expect(listen.query.get("smart_format")).toBe("true");
    expect(listen.raw.equals(wav)).toBe(true);

    const [speech] = requests("/elevenlabs");
    expect(speech.path).toBe("/elevenlabs/v1/text-to-speech/voice-stub");
    expect(speech.headers["xi-api-key"]).toBe(ELEVENLABS_KEY);
    expect(speech.query.get("output_format")).toBe("mp3_44100_128");
    expect(speech.json).toMatchObject({ text: body.reply.text, model_id: "eleven-test" });
    expect(JSON.stringify(body)).not.toMatch(new RegExp(`${DEEPGRAM_KEY}|${ELEVENLABS_KEY}`));
  });

  it("sends WebM to Deepgram as WebM", async () => {
    reset();
    const webm = Buffer.from([0x1a, 0x45, 0xdf, 0xa3, ...Buffer.alloc(3_000, 1)]);
    const { status } = await postVoice(t, webm, "audio/webm");
    expect(status).toBe(200);
    expect(requests("/deepgram")[0].headers["content-type"]).toBe("audio/webm");
  });

  it("falls back to pocketsphinx and espeak-ng when Deepgram and ElevenLabs fail", async () => {
    reset();
    modes.deepgram = "401";
    modes.elevenlabs = "429";
    const { status, body } = await postVoice(t, await speakWav("Plan a trip to Paris for four days"));
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.stt.provider).toBe("pocketsphinx");
    expect(body.stt.fallback).toMatchObject({ provider: "deepgram" });
    expect(body.stt.fallback.reason).toMatch(/rejected the API key/);
    expect(body.transcript).toMatch(/paris/);
    expect(body.reply).toMatchObject({ provider: "espeak", error: null, audio: { mimeType: "audio/wav" } });
  });

  it("says what failed when no fallback is configured", async () => {
    const strict = await createTestApp("pglite", {
      env: env({ STT_PROVIDER: "deepgram", TTS_PROVIDER: "elevenlabs", EMBEDDINGS_PROVIDER: "openai" }),
    });
    try {
      reset();
      modes.deepgram = "slow";
      const timedOut = expectError(await postVoice(strict, await speakWav("Hello")));
      expect(timedOut).toMatchObject({ status: 502, code: "stt_failed" });
      expect(timedOut.message).toMatch(/deepgram did not answer in time/i);

      reset();
      modes.elevenlabs = "500";
      const { status, body } = await postVoice(strict, await speakWav("Hello"));
      expect(status).toBe(200);
      expect(body.reply).toMatchObject({ audio: null, provider: null });
      expect(body.reply.error).toMatch(/ElevenLabs is failing \(HTTP 500\)/);

      reset();
      modes.embeddings = "500";
      const strictToken = await signIn(strict.app, testAccount(8));
      const recommended = await call(strict.app, "GET", `/recommendations?destination=${LISBON}`, {
        token: strictToken,
      });
      expect(recommended.status).toBe(200);
      expect(recommended.body.embedder).toBe("hashing");
    } finally {
      await strict.close();
    }
  });
});
