/**
 * A hands-free voice turn in the real browser: Chromium's fake microphone plays an espeak-ng request (made at test
 * time), the page's voice detector starts and ends the turn with no button held, the words appear while they are
 * spoken (a partial transcript before the final one), the plan appears, and the reply's audio starts playing before
 * the whole reply has been synthesised. Then the traveller talks over the reply ("make it two days"): playback stops
 * mid-sentence and that turn changes the plan.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

import type { Page } from "playwright-core";

import { launch } from "./browser.js";

import { decodeWav, encodeWav } from "@trvl/backend/voice/audio";

const run = promisify(execFile);

/** The request, said in two phrases with a pause between (so a partial transcript exists before the end). */
export const HANDS_FREE_PHRASES = ["plan a trip to paris", "for four days"];
/** Said over the reply (barge-in). */
export const BARGE_IN_PHRASE = "make it two days";

/** A phrase as espeak-ng says it, as a WAV file's bytes. */
async function spoken(dir: string, name: string, phrase: string): Promise<Buffer> {
  const file = path.join(dir, `${name}.wav`);
  await run(process.env.ESPEAK_BIN ?? "espeak-ng", ["-v", "en-us", "-s", "150", "-w", file, "--", phrase]);
  return readFile(file);
}

/**
 * The fake microphone's file: a second of quiet, the phrases with a pause, then silence long enough that the turn is
 * over before Chromium loops the file.
 */
export async function handsFreeWav(dir: string): Promise<string> {
  const parts: Float32Array[] = [];
  let rate = 0;
  const quiet = (seconds: number) => new Float32Array(Math.round(rate * seconds));
  for (const [index, phrase] of HANDS_FREE_PHRASES.entries()) {
    const speech = decodeWav(await spoken(dir, `hands-free-${index}`, phrase));
    rate = speech.sampleRate;
    parts.push(quiet(index === 0 ? 1 : 0.4), speech.samples);
  }
  parts.push(quiet(60));
  const samples = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    samples.set(part, at);
    at += part.length;
  }
  const file = path.join(dir, "hands-free.wav");
  await writeFile(file, encodeWav({ samples, sampleRate: rate, durationSeconds: samples.length / rate }));
  return file;
}

type Frame = {
  type: string;
  turn?: string;
  at: number;
  index?: number;
  text?: string;
  result?: { plan?: { destination?: { name: string }; nights?: number; days?: unknown[] } };
};

/**
 * On the plan page of a browser whose fake microphone plays `handsFreeWav`: one turn, checked step by step, then a
 * barge-in turn (`bargeIn`: a WAV said into the microphone while the reply plays).
 */
export async function handsFreeTurn(page: Page, log: (message: string) => void, bargeIn: Buffer): Promise<void> {
  const frames: Frame[] = [];
  page.on("websocket", (ws) => {
    if (!ws.url().endsWith("/voice/stream")) return;
    ws.on("framereceived", ({ payload }) => {
      if (typeof payload !== "string") return;
      frames.push({ ...(JSON.parse(payload) as Omit<Frame, "at">), at: Date.now() });
    });
  });
  // When the page starts playing reply audio (a blob: URL of a sentence).
  // (Code run in the page is a string: this file is type-checked without the DOM's types.)
  await page.evaluate(`(() => {
    window.replyPlays = [];
    window.shownTranscripts = [];
    new MutationObserver(() => {
      const text = document.querySelector("[data-testid=live-transcript]")?.textContent ?? "";
      const last = window.shownTranscripts.at(-1);
      if (text && text !== last?.text) window.shownTranscripts.push({ at: Date.now(), text });
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
    const play = HTMLMediaElement.prototype.play;
    HTMLMediaElement.prototype.play = function () {
      window.replyPlays.push({ at: Date.now(), src: this.src });
      window.replyPlaying = this;
      return play.call(this);
    };
    // Pauses of the reply: a barge-in stops it where it is.
    window.replyPauses = [];
    const pause = HTMLMediaElement.prototype.pause;
    HTMLMediaElement.prototype.pause = function () {
      const midway = !this.paused && !this.ended && this.currentTime < this.duration;
      window.replyPauses.push({ at: Date.now(), src: this.src, midway });
      return pause.call(this);
    };
    // The microphone the page gets is Chromium's fake one (the WAV file) with a second source mixed in, which says
    // what the test tells it to when the test tells it (window.sayIntoMic): speech over the reply, whenever it plays.
    const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      const microphone = await getUserMedia(constraints);
      const context = new AudioContext();
      await context.resume();
      const mixed = context.createMediaStreamDestination();
      context.createMediaStreamSource(microphone).connect(mixed);
      window.sayIntoMic = async (base64) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const source = context.createBufferSource();
        source.buffer = await context.decodeAudioData(bytes.buffer);
        source.connect(mixed);
        window.saidAt = Date.now();
        source.start();
        await new Promise((resolve) => (source.onended = resolve));
      };
      return mixed.stream;
    };
  })()`);

  await page.getByTestId("hands-free").click();
  const transcript = page.getByTestId("live-transcript");
  await transcript.filter({ hasText: "paris" }).waitFor({ timeout: 90_000 });
  await page
    .getByRole("log")
    .getByText(/paris for four days/i)
    .first()
    .waitFor({ timeout: 90_000 });

  const final = frames.find((f) => f.type === "final" && /four days/.test(f.text ?? ""));
  const partial = frames.find((f) => f.type === "partial" && f.turn === final?.turn && /paris/.test(f.text ?? ""));
  assert.ok(partial && final, `partial and final transcripts arrive (got ${frames.map((f) => f.type).join(", ")})`);
  assert.ok(!/four days/.test(partial.text ?? ""), "the partial has the first phrase only");
  assert.ok(partial.at < final.at, "the first phrase arrives before the final transcript");
  // Words while the traveller is still speaking: the first phrase alone was on the page before the final transcript.
  const shown = (await page.evaluate("window.shownTranscripts")) as { at: number; text: string }[];
  assert.ok(
    shown.some((s) => /paris/.test(s.text) && !/four days/.test(s.text) && s.at < final.at),
    `the first phrase is shown before the final transcript (shown: ${JSON.stringify(shown)})`,
  );
  assert.match(final.text ?? "", /paris for four days/);
  const result = frames.find((f) => f.type === "result");
  assert.equal(result?.result?.plan?.destination?.name, "Paris", "the spoken request is planned");
  await page.getByRole("heading", { name: /Paris/ }).first().waitFor();

  // The reply plays from its first sentence while later ones are still being synthesised.
  await page.waitForFunction("window.replyPlays.length > 0", null, { timeout: 60_000 });
  const plays = (await page.evaluate("window.replyPlays")) as { at: number; src: string }[];
  for (let i = 0; i < 600 && !frames.some((f) => f.type === "done"); i++) await page.waitForTimeout(100);
  const ends = frames.filter((f) => f.type === "audio-end");
  const sentences = frames.filter((f) => f.type === "sentence").length;
  assert.ok(sentences >= 2, `the reply has several sentences (${sentences})`);
  assert.equal(ends.length, sentences, "every sentence is spoken");
  assert.ok(plays[0].at < ends.at(-1)!.at, "reply audio starts before the last sentence is synthesised");
  log(`hands-free turn: partial "${partial.text}", final "${final.text}", ${sentences} sentences spoken`);

  // Barge-in: while a sentence of the reply is playing (the reply lasts several seconds of speech; its synthesis,
  // done above, much less), the traveller says "make it two days".
  await page.waitForFunction("window.replyPlaying && !window.replyPlaying.paused && !window.replyPlaying.ended", null, {
    timeout: 30_000,
  });
  const pausesBefore = ((await page.evaluate("window.replyPauses")) as unknown[]).length;
  await page.evaluate(`window.sayIntoMic(${JSON.stringify(bargeIn.toString("base64"))})`);
  const saidAt = (await page.evaluate("window.saidAt")) as number;
  await page
    .waitForFunction(`window.replyPauses.slice(${pausesBefore}).some((p) => p.midway && p.at >= window.saidAt)`, null, {
      timeout: 30_000,
    })
    .catch(() => undefined);
  const pauses = (await page.evaluate("window.replyPauses")) as { at: number; midway: boolean }[];
  const stopped = pauses.slice(pausesBefore).find((p) => p.midway && p.at >= saidAt);
  assert.ok(stopped, `speaking over the reply stops it mid-sentence (pauses: ${JSON.stringify(pauses)})`);
  await page
    .getByRole("log")
    .getByText(/make it two days/i)
    .first()
    .waitFor({ timeout: 90_000 });
  const second = frames.find((f) => f.type === "final" && /two days/.test(f.text ?? ""));
  assert.ok(second && second.turn !== final.turn, "the barge-in is a turn of its own");
  const followUp = frames.find((f) => f.type === "result" && f.turn === second.turn);
  await page
    .getByRole("heading", { name: /Paris.*· 1 night\b/ })
    .first()
    .waitFor({ timeout: 60_000 });
  const plan = followUp?.result?.plan;
  assert.equal(plan?.destination?.name, "Paris", "the follow-up keeps the destination");
  assert.equal(plan?.days?.length, 2, "the follow-up makes the trip two days");
  log(`barge-in: the reply stopped ${stopped.at - saidAt} ms after speech began; "${second.text}" made it two days`);
  await page.getByTestId("hands-free").click();
}

/** The hands-free turn in a browser of its own (its fake microphone plays `handsFreeWav`), on `webUrl`'s plan page. */
export async function handsFreeInOwnBrowser(webUrl: string, dir: string, log: (message: string) => void) {
  const browser = await launch({ fakeAudioFile: await handsFreeWav(dir) });
  try {
    const bargeIn = await spoken(dir, "barge-in", BARGE_IN_PHRASE);
    const page = await browser.newPage();
    await page.goto(`${webUrl}/plan`);
    await page.getByRole("heading", { name: "Plan a trip" }).waitFor();
    await handsFreeTurn(page, log, bargeIn);
  } finally {
    await browser.close();
  }
}
