/** What Duffel's flights (duffel.ts) and hotels (duffel-stays.ts) share: the supplier's name, terms and errors. */
import type { Confirmation } from "./types.js";

export const DUFFEL_PROVIDER = "duffel";
export const DUFFEL_COMMISSION_BPS = 300;
/**
 * How long a paid Duffel item stays cancellable at most (its money in escrow) before the supplier is paid: well inside
 * the escrow's own refund window, after which the traveller could take all of it back alone.
 */
export const HOLD_MINUTES = 12 * 60;

export interface DuffelErrorLike {
  status?: number;
  headers?: { get?(name: string): string | null };
  errors?: { code?: string; message?: string }[];
}

/** Duffel refused the request itself (a 4xx other than a rate limit): asking again gives the same answer. */
export function isRefusal(error: unknown): boolean {
  const { status } = error as DuffelErrorLike;
  return status !== undefined && status >= 400 && status < 500 && status !== 429;
}

/** Duffel's decimal amount ("412.37") in cents; undefined if it is not one. */
export function cents(amount: string): bigint | undefined {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(amount);
  if (!match) return undefined;
  return BigInt(match[1]) * 100n + BigInt((match[2] ?? "").padEnd(2, "0"));
}

/** When to ask again after a 429: Duffel's `ratelimit-reset` (an HTTP date; seconds also understood), else a minute. */
export function retryAfterMs(reset: string | null, now: Date): number {
  const fallback = 60_000;
  if (!reset) return fallback;
  const seconds = /^\d+$/.test(reset.trim()) ? Number(reset) : undefined;
  const at =
    seconds === undefined ? Date.parse(reset) : seconds > 1e9 ? seconds * 1000 : now.getTime() + seconds * 1000;
  if (Number.isNaN(at)) return fallback;
  return Math.min(3_600_000, Math.max(1_000, at - now.getTime()));
}

/**
 * Duffel's answer to placing an order (or booking) as the booking's fate: later (rate limited), refused (what was
 * asked for cannot be ordered: `subject` names it, "The flight offer off_…"), or neither (an outage: try again).
 */
export function refusalOf(
  error: unknown,
  subject: string,
  now: Date,
): Exclude<Confirmation, { status: "confirmed" }> | undefined {
  const { status, headers, errors } = error as DuffelErrorLike;
  if (status === 429) {
    return {
      status: "pending",
      reason: "Duffel's rate limit was reached: the order is placed once it resets",
      retryAfterMs: retryAfterMs(headers?.get?.("ratelimit-reset") ?? null, now),
    };
  }
  if (status === 404) return { status: "rejected", reason: `${subject} no longer exists` };
  if (status !== undefined && [400, 409, 410, 422].includes(status)) {
    const first = errors?.[0];
    return {
      status: "rejected",
      reason: `Duffel refused the order (${first?.code ?? status}): ${first?.message ?? "no reason given"}`,
    };
  }
  return undefined;
}
