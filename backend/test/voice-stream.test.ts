/**
 * GET /voice/stream offline, with the real binaries: espeak-ng speaks requests that stream to the server in 20 ms
 * frames, pocketsphinx hears them as they arrive (partial transcripts before the final), the planner plans, and the
 * reply comes back sentence by sentence as text and espeak-ng audio. `.ci/run` installs both binaries.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { Catalog } from "../src/catalog/service.js";
import { decodeWav, sniff } from "../src/voice/audio.js";
import { findBinary } from "../src/voice/exec.js";
import { PocketsphinxStt } from "../src/voice/pocketsphinx.js";
import { PocketsphinxLiveStt } from "../src/voice/pocketsphinx-live.js";
import { createTestApp, WEB_ORIGIN, type TestApp } from "./helpers/app.js";
import { listen, silence, speakPcm, VoiceClient } from "./helpers/voice-stream.js";

// Long enough that a turn waiting on a slow recogniser (a loaded machine) keeps its microphone open.
const MAX_SECONDS = 60;

for (const [binary, packages] of [
  ["espeak-ng", "espeak-ng"],
  ["pocketsphinx_continuous", "pocketsphinx pocketsphinx-en-us"],
])
  if (!findBinary(binary))
    throw new Error(`${binary} is not installed: apt-get install -y ${packages} (.ci/run installs it)`);

describe("voice conversation over a WebSocket, offline", () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof listen>>;
  const clients: VoiceClient[] = [];
  const connect = async (headers: Record<string, string> = {}) => {
    const client = await VoiceClient.connect(server.url, headers);
    clients.push(client);
    await client.next("ready");
    return client;
  };

  beforeAll(async () => {
    t = await createTestApp("pglite", { env: { VOICE_MAX_SECONDS: String(MAX_SECONDS) } });
    server = await listen(t.app);
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await server?.close();
    await t?.close();
  });

  it("shows words while they are spoken, then plans and speaks the reply sentence by sentence", async () => {
    const client = await connect();
    client.send({ type: "start" });
    expect(await client.next("listening")).toMatchObject({ stt: "pocketsphinx", language: "en" });
    // The first phrase, then a pause: the recogniser has it before the traveller has finished.
    client.audio(await speakPcm("plan a trip to paris"));
    client.audio(silence(0.8));
    const partial = await client.listening(client.next("partial"));
    expect(partial.text).toMatch(/paris/);
    client.audio(await speakPcm("for four days"));
    client.send({ type: "stop" });

    const final = await client.next("final");
    expect(final.text).toMatch(/paris.*four days/);
    expect(final.receivedAt).toBeGreaterThan(partial.receivedAt);
    const { result } = await client.next("result");
    expect(result.status).toBe("plan");
    expect(result.plan.destination.name).toBe("Paris");
    expect(result.plan.days).toHaveLength(4);

    const first = await client.next("sentence", (e) => e.index === 0);
    const audio = await client.next("audio", (e) => e.index === 0);
    expect(audio.receivedAt).toBeGreaterThanOrEqual(first.receivedAt);
    expect(audio.mimeType).toBe("audio/wav");
    const wav = Buffer.from(audio.base64, "base64");
    expect(sniff(wav)).toBe("wav");
    expect(decodeWav(wav).durationSeconds).toBeGreaterThan(first.text.split(/\s+/).length * 0.2);

    const done = await client.next("done");
    const sentences = client.events.filter((e) => e.type === "sentence" && e.turn === done.turn);
    expect(sentences.map((e) => e.text).join(" ")).toBe(result.reply.replace(/\s+/g, " ").trim());
    expect(done.timings.finalTranscriptMs).toBeLessThanOrEqual(done.timings.firstTextMs);
    expect(done.timings.firstTextMs).toBeLessThanOrEqual(done.timings.firstAudioMs);
  });

  it("stops the reply when the traveller speaks over it, and follows up in the same conversation", async () => {
    const client = await connect();
    client.send({ type: "start" });
    await client.next("listening");
    client.audio(await speakPcm("three days in rome for two people"));
    client.send({ type: "stop" });
    const first = await client.next("result");
    expect(first.result.plan.destination.name).toBe("Rome");
    expect(first.result.plan.days).toHaveLength(3);
    await client.next("sentence", (e) => e.index === 0);

    // Barge-in while the reply is still being spoken.
    client.send({ type: "start" });
    expect(await client.next("interrupted")).toMatchObject({ turn: first.turn });
    await client.next("listening");
    client.audio(await speakPcm("make it two days in rome"));
    client.send({ type: "stop" });
    const second = await client.next("result");
    expect(second.turn).not.toBe(first.turn);
    expect(second.result.conversationId).toBe(first.result.conversationId);
    expect(second.result.plan.destination.name).toBe("Rome");
    expect(second.result.plan.days).toHaveLength(2);
    expect(second.result.plan.guests).toBe(2);
    await client.next("done");
    // Nothing of the interrupted reply arrives after the interruption.
    const cut = client.events.findIndex((e) => e.type === "interrupted");
    expect(client.events.slice(cut).filter((e) => e.turn === first.turn && e.type !== "interrupted")).toEqual([]);
  });

  it("ends a turn at the longest length and plans what was heard", async () => {
    const client = await connect();
    client.send({ type: "start" });
    await client.next("listening");
    client.audio(await speakPcm("plan a trip to madrid for two days"));
    client.audio(silence(MAX_SECONDS));
    expect((await client.next("error")).error.code).toBe("turn_too_long");
    expect((await client.next("final")).text).toMatch(/madrid/);
    expect((await client.next("result")).result.plan.destination.name).toBe("Madrid");
  });

  it("answers a Spanish turn with no recogniser for Spanish in Spanish, written and spoken", async () => {
    const client = await connect();
    client.send({ type: "start", language: "es" });
    const refusal = await client.next("error");
    expect(refusal.error.code).toBe("language_unavailable");
    expect(refusal.error.message).toMatch(/Puedes escribir/);
    expect(await client.next("sentence")).toMatchObject({ index: 0 });
    expect((await client.next("audio")).mimeType).toBe("audio/wav");
  });

  it("says what is wrong with a message, audio without a turn, and an empty turn", async () => {
    const client = await connect();
    client.ws.send("not json");
    expect((await client.next("error")).error.code).toBe("invalid_message");
    client.send({ type: "start", language: "xx" });
    expect((await client.next("error")).error.message).toMatch(/language/);
    client.audio(silence(0.1));
    expect((await client.next("error")).error.code).toBe("no_turn");
    client.send({ type: "start" });
    await client.next("listening");
    client.audio(silence(1));
    client.send({ type: "stop" });
    expect((await client.next("final")).text).toBe("");
    expect((await client.next("error")).error.code).toBe("no_speech");
  });

  it("refuses a page of another site, and plain HTTP", async () => {
    await expect(VoiceClient.connect(server.url, { origin: "https://evil.example" })).rejects.toThrow(/403/);
    const client = await connect({ origin: WEB_ORIGIN });
    client.close();
    const response = await fetch(`${server.http}/voice/stream`);
    expect(response.status).toBe(426);
    expect((await response.json()).error.code).toBe("upgrade_required");
  });
});

describe("offline recognition of turn after turn", () => {
  it("hears turns opened at once each with its own decoder, and the turn after them with the one started ahead", async () => {
    const batch = new PocketsphinxStt(new Catalog(), {
      binary: findBinary("pocketsphinx_continuous")!,
      modelDir: "/usr/share/pocketsphinx/model/en-us",
    });
    const live = new PocketsphinxLiveStt(batch);
    const none = { language: "en", onPartial: () => undefined };
    const [rome, paris] = await Promise.all([live.open(none), live.open(none)]);
    rome.write(await speakPcm("three days in rome"));
    paris.write(await speakPcm("two days in paris"));
    expect(await rome.finish()).toMatch(/three days in rome/);
    expect(await paris.finish()).toMatch(/two days in paris/);
    const madrid = await live.open(none);
    madrid.write(await speakPcm("four days in madrid"));
    expect(await madrid.finish()).toMatch(/four days in madrid/);
  });
});
