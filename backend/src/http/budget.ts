/**
 * A budget of costly operations per key (an IP) per window, counted in a rate-limit store (in memory, or in Redis
 * across API instances). Unlike the general rate limit it is spent only where the costly work would start, so cheap
 * requests from the same client are not counted against it.
 */
import type { Store } from "hono-rate-limiter";

import { ApiError } from "./errors.js";

export interface BudgetOptions {
  store: Store<never>;
  perWindow: number;
  windowMs: number;
  /** The 429's error code, and what the message says is limited ("smart-wallet sign-ins"). */
  code: string;
  what: string;
}

export type Budget = (key: string) => Promise<void>;

/** Spends one unit of `key`'s budget, or throws a 429 (with Retry-After: when the window resets) when none is left. */
export function budget({ store, perWindow, windowMs, code, what }: BudgetOptions): Budget {
  store.init?.({ windowMs } as never);
  const windowSeconds = Math.ceil(windowMs / 1000);
  return async (key) => {
    const { totalHits, resetTime } = await store.increment(key);
    if (totalHits <= perWindow) return;
    const seconds = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000));
    throw new ApiError(
      429,
      code,
      `${what} from this address are limited to ${perWindow} per ${windowSeconds} s; Retry-After says when to try again`,
      { limit: perWindow, windowSeconds },
      { "Retry-After": String(seconds) },
    );
  };
}
