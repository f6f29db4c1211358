/**
 * The CPU-heavy endpoints under hostile traffic: voice (POST /voice/plan) and planning (POST /planner/plan and
 * /planner/plan/stream) run a bounded number at once with a bounded queue. Beyond the queue a request gets 503
 * server_busy, beyond its client's share (in flight, or per window, by IP and by account) a 429, at once and with
 * Retry-After, while the admitted ones finish and other requests are answered. Local stubs of Deepgram and OpenAI
 * hold the admitted work until the test lets it go, so every assertion is about outcome and order, never time.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { encodeWav } from "../src/voice/audio.js";
import { call, createTestApp, expectError, signIn, testAccount, type TestApp } from "./helpers/app.js";
import { parseSse } from "./helpers/sse.js";

type Json = Record<string, any>;

const TRANSCRIPT = "Plan a trip to Lisbon for three days";
/** The 22-byte WAV of the probe: a fmt chunk header promising 16 bytes, then 2. */
const MALFORMED_WAV = Buffer.concat([
  Buffer.from("RIFF"),
  Buffer.alloc(4),
  Buffer.from("WAVEfmt "),
  Buffer.from([0x10, 0, 0, 0, 0x01, 0]),
]);
/** A second of a quiet tone: valid audio for the stubbed recogniser. */
const RECORDING = encodeWav({
  samples: Float32Array.from({ length: 16_000 }, (_, i) => 0.1 * Math.sin(i / 8)),
  sampleRate: 16_000,
  durationSeconds: 1,
});

// --- The stub providers: each request is answered at once, or held until the test answers it. ---------------------

interface Held {
  path: string;
  answer(): void;
}

const held: Held[] = [];
let holding = false;
const watchers = new Set<() => void>();
const changed = () => {
  for (const watcher of [...watchers]) watcher();
};

/** Resolves once `condition` holds, checked after every stub request and every response the test receives. */
function until(condition: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!condition()) return;
      watchers.delete(check);
      resolve();
    };
    watchers.add(check);
    check();
  });
}

function openAiAnswer(): string {
  const chunk = (delta: Json, finish: string | null = null) =>
    `data: ${JSON.stringify({
      id: "chatcmpl-stub",
      object: "chat.completion.chunk",
      created: 0,
      model: "gpt-test",
      choices: [{ index: 0, delta, finish_reason: finish }],
    })}\n\n`;
  const args = JSON.stringify({ status: "cannot", reason: "stub", reply: "The stub cannot plan that." });
  const call = { index: 0, id: "call_0", type: "function", function: { name: "answer_without_plan", arguments: args } };
  return `${chunk({ role: "assistant", tool_calls: [call] })}${chunk({}, "tool_calls")}data: [DONE]\n\n`;
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  for await (const _ of req) {
    // drain the upload
  }
  const path = new URL(req.url ?? "/", "http://stub").pathname;
  let answered = false;
  const answer = () => {
    if (answered) return;
    answered = true;
    if (path.startsWith("/openai")) {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(openAiAnswer());
    } else {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          metadata: { request_id: "stub", duration: 1, channels: 1, models: ["stub"] },
          results: { channels: [{ alternatives: [{ transcript: TRANSCRIPT, confidence: 0.98, words: [] }] }] },
        }),
      );
    }
  };
  if (!holding) return answer();
  held.push({ path, answer });
  changed();
}

const answerAll = () => {
  for (const h of held) h.answer();
};

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

// --- Requests from chosen client IPs, and the order their answers arrive in. --------------------------------------

interface Outcome {
  label: string;
  status: number;
  headers: Headers;
  body: Json;
  text: string;
}

const outcomes: Outcome[] = [];
const answered = (label: string) => outcomes.some((o) => o.label === label);
const outcome = (label: string) => outcomes.find((o) => o.label === label)!;

/** Records the answer to `response` under `label` when it arrives. */
async function track(label: string, response: Response | Promise<Response>): Promise<Outcome> {
  const r = await response;
  const text = await r.text();
  let body: Json = {};
  try {
    body = text ? (JSON.parse(text) as Json) : {};
  } catch {
    body = {};
  }
  const result = { label, status: r.status, headers: r.headers, body, text };
  outcomes.push(result);
  changed();
  return result;
}

/** What @hono/node-server hands the app: the socket the request came from. */
const from = (ip: string) => ({
  incoming: { socket: { remoteAddress: ip, remotePort: 50_000, remoteFamily: "IPv4" }, complete: true },
});

function postVoice(t: TestApp, audio: Uint8Array, ip: string, token?: string) {
  const form = new FormData();
  form.set("audio", new Blob([Uint8Array.from(audio)], { type: "audio/wav" }), "request.wav");
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  return t.app.request("/voice/plan", { method: "POST", body: form, headers }, from(ip));
}

function postPlan(t: TestApp, path: "/planner/plan" | "/planner/plan/stream", ip: string, token?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  return t.app.request(path, { method: "POST", body: JSON.stringify({ text: TRANSCRIPT }), headers }, from(ip));
}

function expectRefused(o: Outcome, status: 429 | 503, code: string) {
  expect(expectError(o), o.text).toMatchObject({ status, code, hasShape: true });
  expect(o.headers.get("content-type")).toContain("application/json");
  expect(Number(o.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
}

const voiceEnv = (overrides: Record<string, string>) => ({
  STT_PROVIDER: "deepgram",
  DEEPGRAM_API_KEY: "dg-test-key-0123456789",
  DEEPGRAM_BASE_URL: `${base}/deepgram`,
  DEEPGRAM_TIMEOUT_MS: "600000",
  TTS_PROVIDER: "none",
  PLANNER_PROVIDER: "offline",
  EMBEDDINGS_PROVIDER: "hashing",
  ...overrides,
});

let t: TestApp | undefined;

afterEach(async () => {
  holding = false;
  answerAll();
  held.length = 0;
  outcomes.length = 0;
  watchers.clear();
  await t?.close();
  t = undefined;
});

describe("voice under load", () => {
  it("runs VOICE_CONCURRENCY requests at once, queues VOICE_QUEUE, refuses the rest at once with 503 while a bystander is served", async () => {
    t = await createTestApp("pglite", {
      env: voiceEnv({ VOICE_CONCURRENCY: "2", VOICE_QUEUE: "1", VOICE_IN_FLIGHT_PER_CLIENT: "5" }),
    });
    holding = true;
    const requests = Array.from({ length: 5 }, (_, i) =>
      track(`voice ${i}`, postVoice(t!, RECORDING, `198.51.100.${i + 1}`)),
    );
    // Two reach the recogniser and one waits; the other two are refused without waiting for any of them.
    await until(() => held.length > 2 || (held.length === 2 && outcomes.length === 2));
    expect(held.length).toBe(2);
    expect(outcomes).toHaveLength(2);
    for (const refused of outcomes) expectRefused(refused, 503, "server_busy");

    const health = await call(t.app, "GET", "/health");
    expect(health.status).toBe(200);
    expect(held.length).toBe(2);

    // When one finishes, the one that waited reaches the recogniser; then all three finish.
    held[0].answer();
    await until(() => held.length === 3);
    answerAll();
    const all = await Promise.all(requests);
    expect(all.map((o) => o.status).sort()).toEqual([200, 200, 200, 503, 503]);
    expect(outcomes.map((o) => o.status)).toEqual([503, 503, 200, 200, 200]);
    for (const o of all.filter((o) => o.status === 200)) {
      expect(o.body.transcript).toBe(TRANSCRIPT);
      expect(o.body.stt.provider).toBe("deepgram");
    }

    // The slots are free again.
    holding = false;
    expect((await track("after", postVoice(t, RECORDING, "198.51.100.9"))).status).toBe(200);
  });

  it("lets one IP and one account hold at most VOICE_IN_FLIGHT_PER_CLIENT requests, running or waiting", async () => {
    t = await createTestApp("pglite", {
      env: voiceEnv({ VOICE_CONCURRENCY: "4", VOICE_QUEUE: "4", VOICE_IN_FLIGHT_PER_CLIENT: "1" }),
    });
    const token = await signIn(t.app, testAccount("traveller"));
    holding = true;

    const first = track("A1", postVoice(t, RECORDING, "203.0.113.1"));
    await until(() => held.length === 1);
    void track("A2", postVoice(t, RECORDING, "203.0.113.1"));
    await until(() => held.length > 1 || answered("A2"));
    expectRefused(outcome("A2"), 429, "too_many_in_flight");

    // Another IP is not held back by it.
    const other = track("B", postVoice(t, RECORDING, "203.0.113.2"));
    await until(() => held.length === 2);

    // A signed-in traveller is one client whichever IP they come from.
    const mine = track("U@C", postVoice(t, RECORDING, "203.0.113.3", token));
    await until(() => held.length === 3);
    void track("U@D", postVoice(t, RECORDING, "203.0.113.4", token));
    await until(() => held.length > 3 || answered("U@D"));
    expectRefused(outcome("U@D"), 429, "too_many_in_flight");
    expect(held.length).toBe(3);

    // Over its share, a client is refused before its upload is read: an upload that never ends is answered at once.
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        if (pulled === 1)
          controller.enqueue(
            new TextEncoder().encode(
              '--b\r\nContent-Disposition: form-data; name="audio"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\n',
            ),
          );
        // then nothing more, ever: the upload stays open
      },
    });
    const stalled = await track(
      "A-endless",
      t.app.request(
        "/voice/plan",
        {
          method: "POST",
          body: endless,
          headers: { "content-type": "multipart/form-data; boundary=b", "content-length": "1000000" },
          duplex: "half",
        } as RequestInit,
        from("203.0.113.1"),
      ),
    );
    expectRefused(stalled, 429, "too_many_in_flight");
    expect(held.length).toBe(3);

    answerAll();
    holding = false;
    for (const o of await Promise.all([first, other, mine])) expect(o.status, o.text).toBe(200);
    // Their requests done, the IP and the traveller may send again.
    expect((await track("A3", postVoice(t, RECORDING, "203.0.113.1"))).status).toBe(200);
    expect((await track("U@E", postVoice(t, RECORDING, "203.0.113.5", token))).status).toBe(200);
  });

  it("keeps per-IP and per-account budgets of voice requests per window, apart from other routes", async () => {
    t = await createTestApp("pglite", {
      env: voiceEnv({
        RATE_LIMIT_WINDOW_MS: "3600000",
        VOICE_RATE_LIMIT_PER_IP: "2",
        VOICE_RATE_LIMIT_PER_USER: "3",
      }),
    });
    const statuses = async (ip: string, count: number, token?: string) => {
      const result: Outcome[] = [];
      for (let i = 0; i < count; i++) result.push(await track(ip, postVoice(t!, MALFORMED_WAV, ip, token)));
      return result;
    };

    const fromA = await statuses("192.0.2.1", 3);
    expect(fromA.map((o) => o.status)).toEqual([400, 400, 429]);
    expectRefused(fromA[2], 429, "rate_limited");
    expect(fromA[2].body.error.message).toContain("IP address");
    expect((await statuses("192.0.2.2", 1))[0].status).toBe(400);
    // The IP's other requests are not counted against it.
    expect((await t.app.request("/health", {}, from("192.0.2.1"))).status).toBe(200);
    expect((await postPlan(t, "/planner/plan", "192.0.2.1")).status).toBe(200);

    const token = await signIn(t.app, testAccount("traveller"));
    const signedIn = [];
    for (const ip of ["192.0.2.10", "192.0.2.11", "192.0.2.12", "192.0.2.13"])
      signedIn.push((await statuses(ip, 1, token))[0]);
    expect(signedIn.map((o) => o.status)).toEqual([400, 400, 400, 429]);
    expectRefused(signedIn[3], 429, "rate_limited");
    expect(signedIn[3].body.error.message).toContain("account");
    // The same IP without the account still has its own budget.
    expect((await statuses("192.0.2.13", 1))[0].status).toBe(400);
  });
});

describe("planning under load", () => {
  const plannerEnv = (overrides: Record<string, string>) => ({
    PLANNER_PROVIDER: "openai",
    OPENAI_API_KEY: "sk-test-openai-0123456789",
    OPENAI_BASE_URL: `${base}/openai/v1`,
    OPENAI_MODEL: "gpt-test",
    OPENAI_MAX_RETRIES: "0",
    OPENAI_TIMEOUT_MS: "600000",
    EMBEDDINGS_PROVIDER: "hashing",
    STT_PROVIDER: "none",
    TTS_PROVIDER: "none",
    ...overrides,
  });

  it("bounds POST /planner/plan and /planner/plan/stream together: one runs, one waits, the rest get 503", async () => {
    t = await createTestApp("pglite", {
      env: plannerEnv({ PLANNER_CONCURRENCY: "1", PLANNER_QUEUE: "1", PLANNER_IN_FLIGHT_PER_CLIENT: "5" }),
    });
    holding = true;
    const streamed = track("stream A", postPlan(t, "/planner/plan/stream", "198.51.100.1"));
    await until(() => held.length === 1);

    // Of two more, one waits and one is refused at once (which is which is the server's race).
    const more = [
      track("plan B", postPlan(t, "/planner/plan", "198.51.100.2")),
      track("plan C", postPlan(t, "/planner/plan", "198.51.100.3")),
    ];
    await until(() => held.length > 1 || outcomes.length === 1);
    expect(outcomes).toHaveLength(1);
    expectRefused(outcomes[0], 503, "server_busy");
    // A stream beyond the queue is refused before it opens: an HTTP error, not an event.
    void track("stream D", postPlan(t, "/planner/plan/stream", "198.51.100.4"));
    await until(() => held.length > 1 || answered("stream D"));
    expectRefused(outcome("stream D"), 503, "server_busy");
    expect((await call(t.app, "GET", "/health")).status).toBe(200);
    expect(held.length).toBe(1);

    // The stream finishes; its slot goes to the one waiting.
    held[0].answer();
    const stream = await streamed;
    expect(stream.status).toBe(200);
    expect(parseSse(stream.text).at(-1)).toMatchObject({ event: "result", data: { status: "cannot" } });
    await until(() => held.length === 2);
    held[1].answer();
    const waited = (await Promise.all(more)).find((o) => o.status !== 503)!;
    expect(waited.status, waited.text).toBe(200);
    expect(waited.body.status).toBe("cannot");
    expect(outcomes.map((o) => o.status)).toEqual([503, 503, 200, 200]);
  });

  it("keeps per-IP and per-account in-flight shares and per-window budgets of planning", async () => {
    t = await createTestApp("pglite", {
      env: plannerEnv({
        PLANNER_CONCURRENCY: "4",
        PLANNER_QUEUE: "4",
        PLANNER_IN_FLIGHT_PER_CLIENT: "1",
        RATE_LIMIT_WINDOW_MS: "3600000",
        PLANNER_RATE_LIMIT_PER_IP: "3",
        PLANNER_RATE_LIMIT_PER_USER: "2",
      }),
    });
    const token = await signIn(t.app, testAccount("traveller"));
    holding = true;
    const first = track("A1", postPlan(t, "/planner/plan", "203.0.113.1"));
    await until(() => held.length === 1);
    void track("A2", postPlan(t, "/planner/plan/stream", "203.0.113.1"));
    await until(() => held.length > 1 || answered("A2"));
    expectRefused(outcome("A2"), 429, "too_many_in_flight");
    const mine = track("U@B", postPlan(t, "/planner/plan", "203.0.113.2", token));
    await until(() => held.length === 2);
    void track("U@C", postPlan(t, "/planner/plan", "203.0.113.3", token));
    await until(() => held.length > 2 || answered("U@C"));
    expectRefused(outcome("U@C"), 429, "too_many_in_flight");

    holding = false;
    answerAll();
    expect((await first).status).toBe(200);
    expect((await mine).status).toBe(200);
    // Per window: the IP has made 2 of its 3 requests, the account 2 of its 2 (the refused ones count too).
    expect((await track("A3", postPlan(t, "/planner/plan", "203.0.113.1"))).status).toBe(200);
    const spent = await track("A4", postPlan(t, "/planner/plan", "203.0.113.1"));
    expectRefused(spent, 429, "rate_limited");
    const account = await track("U@D", postPlan(t, "/planner/plan/stream", "203.0.113.4", token));
    expectRefused(account, 429, "rate_limited");
    expect((await track("E", postPlan(t, "/planner/plan", "203.0.113.4"))).status).toBe(200);
  });
});
