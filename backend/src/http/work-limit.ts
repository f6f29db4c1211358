/**
 * Bounds for CPU-heavy work (speech to text, planning, speech synthesis). A burst beyond what the machine can do is
 * refused at once with a 429 or 503 and Retry-After, instead of every request slowing down until they all time out.
 *
 * Two layers:
 * - `WorkLimiter`: at most `concurrency` jobs run and at most `queue` wait (first come, first served); each client key
 *   (an IP, a user) holds at most `perClient` of those, running or waiting. Counts are this instance's, as the CPU is.
 * - `workGuard`: the limiter for an HTTP route, plus per-IP and per-user budgets of requests per window kept in the
 *   rate-limit stores, so that with REDIS_URL they hold across every API instance like the general rate limits.
 */
import type { Context, MiddlewareHandler } from "hono";
import { rateLimiter, type Store } from "hono-rate-limiter";

import type { Config } from "../config/index.js";
import { ApiError, errorResponse } from "./errors.js";
import { clientIp, type StoreFactory } from "./middleware.js";
import type { AuthedEnv } from "./router.js";

/** Gives the slot back; calling it again does nothing. */
export type Release = () => void;

export interface WorkLimitOptions {
  /** What the work is, as messages name it: "voice requests". */
  what: string;
  concurrency: number;
  /** Jobs that may wait for a slot; beyond them: 503. */
  queue: number;
  /** Jobs (running or waiting) one client key may hold; beyond them: 429. */
  perClient: number;
}

interface Waiter {
  start(): void;
}

/** Retry-After never promises less than a second nor asks for more than a minute. */
const MAX_RETRY_AFTER_SECONDS = 60;

export class WorkLimiter {
  private running = 0;
  private readonly waiting: Waiter[] = [];
  private readonly held = new Map<string, number>();
  /** A moving average of how long a job holds its slot: what Retry-After tells a refused client. */
  private typicalMs = 1_000;

  constructor(readonly options: WorkLimitOptions) {}

  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  /**
   * A slot for a job of the clients `keys`: at once when one is free, else after the jobs queued before it. Rejects
   * at once with a 429 when a key already holds its share, with a 503 when the queue is full, and with a 503 when
   * `signal` aborts while the job waits (the waiting place is given up).
   */
  async acquire(keys: string[], signal?: AbortSignal): Promise<Release> {
    const { what, concurrency } = this.options;
    const refused = this.refusal(keys);
    if (refused) throw refused;
    if (signal?.aborted) throw abandoned(what);
    for (const key of keys) this.held.set(key, (this.held.get(key) ?? 0) + 1);
    if (this.running < concurrency) {
      this.running++;
      return this.releaser(keys);
    }
    return new Promise<Release>((resolve, reject) => {
      const onAbort = () => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        this.forget(keys);
        reject(abandoned(what));
      };
      const waiter: Waiter = {
        start: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve(this.releaser(keys));
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** The error `acquire` would refuse a job of the clients `keys` with now, if it would; holds nothing. */
  refusal(keys: string[]): ApiError | undefined {
    const { what, concurrency, queue, perClient } = this.options;
    const retryAfter = { "Retry-After": String(this.retryAfterSeconds()) };
    if (keys.some((key) => (this.held.get(key) ?? 0) >= perClient))
      return new ApiError(
        429,
        "too_many_in_flight",
        `You already have ${perClient} ${what} in progress; send the next one when one has finished`,
        { limit: perClient },
        retryAfter,
      );
    if (this.running >= concurrency && this.waiting.length >= queue)
      return new ApiError(
        503,
        "server_busy",
        `The server is busy with other ${what}; retry in ${retryAfter["Retry-After"]} s`,
        null,
        retryAfter,
      );
    return undefined;
  }

  private releaser(keys: string[]): Release {
    const started = performance.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.typicalMs = 0.8 * this.typicalMs + 0.2 * (performance.now() - started);
      this.forget(keys);
      // The slot passes straight to the next in line, so a newcomer cannot take it first.
      const next = this.waiting.shift();
      if (next) next.start();
      else this.running--;
    };
  }

  private forget(keys: string[]) {
    for (const key of keys) {
      const count = (this.held.get(key) ?? 0) - 1;
      if (count > 0) this.held.set(key, count);
      else this.held.delete(key);
    }
  }

  private retryAfterSeconds(): number {
    return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(this.typicalMs / 1_000)));
  }
}

const abandoned = (what: string) =>
  new ApiError(503, "request_abandoned", `The request was given up while it waited among other ${what}`);

export interface WorkGuardOptions extends WorkLimitOptions {
  /** Names the budgets' rate-limit stores (their Redis key prefix). */
  name: string;
  /** Requests a client IP, and a signed-in user, may make per RATE_LIMIT_WINDOW_MS. */
  perIpPerWindow: number;
  perUserPerWindow: number;
}

export interface WorkGuard {
  limiter: WorkLimiter;
  /**
   * Route middleware, after the session is read (`maybeAuth`) and before the body is read: the per-IP and the per-user
   * budgets, then a refusal of what the limiter would refuse now, so that a flood of large uploads costs no parsing.
   */
  guards: MiddlewareHandler<AuthedEnv>[];
  /** Waits for a slot for this request's work, held by its IP and, signed in, by its user. */
  admit(c: Context): Promise<Release>;
}

export function workGuard(options: WorkGuardOptions, config: Config, stores: StoreFactory): WorkGuard {
  const limiter = new WorkLimiter(options);
  const windowSeconds = Math.ceil(config.RATE_LIMIT_WINDOW_MS / 1_000);
  const userOf = (c: Context) => (c.var as Partial<AuthedEnv["Variables"]>).user;
  const budget = (scope: "ip" | "user", limit: number, keyGenerator: (c: Context) => string) =>
    rateLimiter<AuthedEnv>({
      windowMs: config.RATE_LIMIT_WINDOW_MS,
      limit,
      standardHeaders: "draft-6",
      // Its own name: the general rate limit's figures stay in `c.var.rateLimit`.
      requestPropertyName: `${options.name}Budget`,
      keyGenerator,
      store: stores(`${options.name}-${scope}`) as unknown as Store<AuthedEnv>,
      skip: (c) => scope === "user" && !userOf(c),
      handler: (c) =>
        errorResponse(
          c,
          new ApiError(
            429,
            "rate_limited",
            `At most ${limit} ${options.what} per ${windowSeconds} s from one ${scope === "ip" ? "IP address" : "account"}; Retry-After says when to try again`,
            { limit, windowSeconds },
          ),
        ),
    });
  const refuseWhenFull: MiddlewareHandler<AuthedEnv> = async (c, next) => {
    const refused = limiter.refusal(clientKeys(c));
    if (refused) return errorResponse(c, refused);
    await next();
  };
  return {
    limiter,
    guards: [
      budget("ip", options.perIpPerWindow, clientIp),
      budget("user", options.perUserPerWindow, (c) => userOf(c)!.address.toLowerCase()),
      refuseWhenFull,
    ],
    admit: (c) => limiter.acquire(clientKeys(c), c.req.raw.signal),
  };
}

/** The keys a request's work is held by: its IP and, signed in, its user. */
export function clientKeys(c: Context): string[] {
  const keys = [`ip:${clientIp(c)}`];
  const user = (c.var as Partial<AuthedEnv["Variables"]>).user;
  if (user) keys.push(`user:${user.address.toLowerCase()}`);
  return keys;
}
