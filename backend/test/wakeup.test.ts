/**
 * The worker's loops sleep until their poll runs out or another loop has work for them: a wake-up cuts a sleep
 * short, is kept for a loop that is busy when it comes, and leaves an unwoken sleep its full length.
 */
import { describe, expect, it } from "vitest";

import { Wakeup } from "../src/worker/wakeup.js";

const running = () => true;

async function timed(task: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await task();
  return performance.now() - start;
}

describe("a loop's wake-up", () => {
  it("sleeps the whole interval when nobody wakes it", async () => {
    expect(await timed(() => new Wakeup().sleep(300, running))).toBeGreaterThanOrEqual(295);
  });

  it("ends a sleep at once when woken", async () => {
    const wakeup = new Wakeup();
    setTimeout(() => wakeup.wake(), 50);
    expect(await timed(() => wakeup.sleep(5_000, running))).toBeLessThan(1_000);
  });

  it("keeps a wake-up that came while the loop was busy for its next sleep, once", async () => {
    const wakeup = new Wakeup();
    wakeup.wake();
    expect(await timed(() => wakeup.sleep(5_000, running))).toBeLessThan(100);
    expect(await timed(() => wakeup.sleep(300, running))).toBeGreaterThanOrEqual(295);
  });

  it("stops sleeping when its loop stops running", async () => {
    let on = true;
    setTimeout(() => (on = false), 50);
    expect(await timed(() => new Wakeup().sleep(5_000, () => on))).toBeLessThan(1_000);
  });
});
