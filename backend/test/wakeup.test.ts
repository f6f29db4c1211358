/**
 * The worker's loops sleep until their poll runs out or another loop has work for them: a wake-up cuts a sleep
 * short, is kept for a loop that is busy when it comes, and leaves an unwoken sleep its full length. On vitest's fake
 * timers (which fake Date too): the clock only moves when the test moves it, so a loaded machine changes nothing.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { Wakeup } from "../src/worker/wakeup.js";

const running = () => true;

/** A sleep under way: `done` turns true when it ends. */
function track(sleep: Promise<void>) {
  const state = { done: false };
  void sleep.then(() => (state.done = true));
  return state;
}

/** Moves the fake clock `ms` on, running the timers and the promise callbacks due by then. */
const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

describe("a loop's wake-up", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("sleeps the whole interval when nobody wakes it", async () => {
    const sleep = track(new Wakeup().sleep(300, running));
    await advance(299);
    expect(sleep.done).toBe(false);
    await advance(1);
    expect(sleep.done).toBe(true);
  });

  it("ends a sleep at once when woken", async () => {
    const wakeup = new Wakeup();
    const sleep = track(wakeup.sleep(5_000, running));
    await advance(50);
    expect(sleep.done).toBe(false);
    wakeup.wake();
    await advance(0);
    expect(sleep.done).toBe(true);
  });

  it("keeps a wake-up that came while the loop was busy for its next sleep, once", async () => {
    const wakeup = new Wakeup();
    wakeup.wake();
    const first = track(wakeup.sleep(5_000, running));
    await advance(0);
    expect(first.done).toBe(true);

    const second = track(wakeup.sleep(300, running));
    await advance(299);
    expect(second.done).toBe(false);
    await advance(1);
    expect(second.done).toBe(true);
  });

  it("stops sleeping when its loop stops running, at its next check (every 100 ms)", async () => {
    let on = true;
    const sleep = track(new Wakeup().sleep(5_000, () => on));
    await advance(50);
    on = false;
    await advance(49);
    expect(sleep.done).toBe(false);
    await advance(1);
    expect(sleep.done).toBe(true);
  });
});
