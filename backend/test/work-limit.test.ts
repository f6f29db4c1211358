/**
 * The limiter of heavy work on its own: how many run, who waits and in which order, who is refused and how, and what
 * happens to a waiting job whose client hangs up. Jobs are held and released by the test; no clock is involved.
 */
import { describe, expect, it } from "vitest";

import { ApiError } from "../src/http/errors.js";
import { WorkLimiter, type Release } from "../src/http/work-limit.js";

/** The ApiError `promise` rejects with, as the client would see it. */
async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  const { status, code, headers } = error as ApiError;
  return { status, code, retryAfter: Number(headers["Retry-After"]) };
}

describe("WorkLimiter", () => {
  it("runs `concurrency` jobs, queues `queue` more first come first served, and refuses the rest with a 503", async () => {
    const limiter = new WorkLimiter({ what: "jobs", concurrency: 2, queue: 2, perClient: 10 });
    const started: string[] = [];
    const releases = new Map<string, Release>();
    const job = (name: string) =>
      limiter.acquire([`ip:${name}`]).then((release) => {
        started.push(name);
        releases.set(name, release);
      });
    const jobs = ["a", "b", "c", "d"].map(job);
    await Promise.all(jobs.slice(0, 2));
    expect(started).toEqual(["a", "b"]);
    expect(limiter.load).toEqual({ running: 2, waiting: 2 });

    const refused = await refusal(limiter.acquire(["ip:e"]));
    expect(refused).toMatchObject({ status: 503, code: "server_busy" });
    expect(refused.retryAfter).toBeGreaterThanOrEqual(1);

    releases.get("b")!();
    releases.get("b")!(); // a second release gives nothing back twice
    await jobs[2];
    expect(started).toEqual(["a", "b", "c"]);
    expect(limiter.load).toEqual({ running: 2, waiting: 1 });
    releases.get("a")!();
    await jobs[3];
    expect(started).toEqual(["a", "b", "c", "d"]);
    releases.get("c")!();
    releases.get("d")!();
    expect(limiter.load).toEqual({ running: 0, waiting: 0 });
  });

  it("lets each client key hold `perClient` jobs, running or waiting, and refuses it more with a 429", async () => {
    const limiter = new WorkLimiter({ what: "jobs", concurrency: 1, queue: 5, perClient: 2 });
    const first = await limiter.acquire(["ip:1", "user:u"]);
    const waiting = limiter.acquire(["ip:2", "user:u"]);
    // The account holds two (one running, one waiting), whichever IP it comes from.
    expect(await refusal(limiter.acquire(["ip:3", "user:u"]))).toMatchObject({
      status: 429,
      code: "too_many_in_flight",
    });
    // Its IPs are not full, for other clients.
    const other = limiter.acquire(["ip:1"]);
    expect(limiter.load).toEqual({ running: 1, waiting: 2 });
    first();
    (await waiting)();
    (await other)();
    const again = await limiter.acquire(["ip:3", "user:u"]);
    again();
    expect(limiter.load).toEqual({ running: 0, waiting: 0 });
  });

  it("gives up a waiting place when its client hangs up, and the next in line takes the slot", async () => {
    const limiter = new WorkLimiter({ what: "jobs", concurrency: 1, queue: 2, perClient: 1 });
    const running = await limiter.acquire(["ip:1"]);
    const hangsUp = new AbortController();
    const abandoned = limiter.acquire(["ip:2"], hangsUp.signal);
    const next = limiter.acquire(["ip:3"]);
    hangsUp.abort();
    expect(await refusal(abandoned)).toMatchObject({ status: 503, code: "request_abandoned" });
    expect(limiter.load).toEqual({ running: 1, waiting: 1 });
    // Its key is free again.
    const back = limiter.acquire(["ip:2"]);
    running();
    (await next)();
    (await back)();
    expect(limiter.load).toEqual({ running: 0, waiting: 0 });
    // A request already gone is not queued at all.
    expect(await refusal(limiter.acquire(["ip:4"], AbortSignal.abort()))).toMatchObject({ code: "request_abandoned" });
    expect(limiter.load).toEqual({ running: 0, waiting: 0 });
  });
});
