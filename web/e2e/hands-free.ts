/**
 * A hands-free voice turn in the real browser: Chromium's fake microphone plays an espeak-ng request (made at test
 * time), the page's voice detector starts and ends the turn with no button held, the words appear while they are
 * spoken (a partial transcript before the final one), the plan appears, and the reply's audio starts playing before
 * the whole reply has been synthesised.
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

/**
 * The fake microphone's file: a second of quiet, the phrases with a pause, then silence long enough that the turn is
 * over before Chromium loops the file.
 */
export async function handsFreeWav(dir: string): Promise<string> {
  const parts: Float32Array[] = [];
  let rate = 0;
  const quiet = (seconds: number) => new Float32Array(Math.round(rate * seconds));
  for (const [index, phrase] of HANDS_FREE_PHRASES.entries()) {
    const raw = path.join(dir, `hands-free-${index}.wav`);
    await run(process.env.ESPEAK_BIN ?? "espeak-ng", ["-v", "en-us", "-s", "150", "-w", raw, "--", phrase]);
    const speech = decodeWav(await readFile(raw));
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
  result?: { plan?: { destination?: { name: string } } };
};

/** On the plan page of a browser whose fake microphone plays `handsFreeWav`: one turn, checked step by step. */
export async function handsFreeTurn(page: Page, log: (message: string) => void): Promise<void> {
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
      return play.call(this);
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
  await page.getByTestId("hands-free").click();
}

/** The hands-free turn in a browser of its own (its fake microphone plays `handsFreeWav`), on `webUrl`'s plan page. */
export async function handsFreeInOwnBrowser(webUrl: string, dir: string, log: (message: string) => void) {
  const browser = await launch({ fakeAudioFile: await handsFreeWav(dir) });
  try {
    const page = await browser.newPage();
    await page.goto(`${webUrl}/plan`);
    await page.getByRole("heading", { name: "Plan a trip" }).waitFor();
    await handsFreeTurn(page, log);
  } finally {
    await browser.close();
  }
}
