/**
 * Cancellation terms: what a catalog item's policy means for a booking made at a given time, and what cancelling a
 * paid booking gives back at a given time. Pure, so the API, the keeper and the booking page agree.
 */
import type { CancellationPolicy } from "../catalog/types.js";

const BPS = 10_000n;
const MINUTE_MS = 60_000;

/** An item's terms as booked (the columns of a booking item). */
export interface ItemTerms {
  /** All back until then; null: until the booking is settled. */
  freeCancelUntil: Date | null;
  /** What the supplier keeps of the item's price once the free window has closed. */
  cancelFeeBps: number;
  /** When the supplier is due; null: once it confirms. */
  settleDueAt: Date | null;
}

/** The terms of an item booked at `bookedAt` under `policy`. */
export function termsOf(policy: CancellationPolicy, bookedAt: Date): ItemTerms {
  if (policy.kind === "until_settled") return { freeCancelUntil: null, cancelFeeBps: 0, settleDueAt: null };
  const after = (minutes: number) => new Date(bookedAt.getTime() + minutes * MINUTE_MS);
  return {
    freeCancelUntil: after(policy.freeMinutes),
    cancelFeeBps: policy.feeBps,
    settleDueAt: after(Math.max(policy.freeMinutes, policy.dueMinutes)),
  };
}

/** When a booking is due for settlement: once every item's supplier is (null: as soon as it is confirmed). */
export function settleDueAtOf(items: Pick<ItemTerms, "settleDueAt">[]): Date | null {
  const due = items.map((item) => item.settleDueAt?.getTime() ?? 0);
  const last = Math.max(0, ...due);
  return last === 0 ? null : new Date(last);
}

/** What cancelling gives back: all of it, part (in token units), or nothing. */
export type RefundNow = { kind: "full" } | { kind: "part"; amount: bigint } | { kind: "none" };

/**
 * What cancelling a paid, unsettled booking at `at` gives back: each item's price while its free window is open (or
 * its terms are free until settled), all but its fee after, or what its supplier gives back when the supplier decides
 * (a cancelled flight order); in the payment token, in proportion to the items'
 * prices (a discount shrinks every item alike). `amount`: what the booking paid, in token units.
 */
export function refundAt(
  items: (Pick<ItemTerms, "freeCancelUntil" | "cancelFeeBps"> & {
    totalCents: bigint;
    /** What its supplier gives back, when the supplier decides (a cancelled flight order), at most its price. */
    supplierRefundCents?: bigint;
  })[],
  amount: bigint,
  at: Date,
): RefundNow {
  let subtotal = 0n;
  let back = 0n;
  for (const item of items) {
    subtotal += item.totalCents;
    const free = item.freeCancelUntil === null || at < item.freeCancelUntil;
    if (item.supplierRefundCents !== undefined) {
      back += item.supplierRefundCents < item.totalCents ? item.supplierRefundCents : item.totalCents;
      continue;
    }
    back += free ? item.totalCents : (item.totalCents * (BPS - BigInt(item.cancelFeeBps))) / BPS;
  }
  if (subtotal === 0n || back === subtotal) return { kind: "full" };
  const part = (amount * back) / subtotal;
  return part === 0n ? { kind: "none" } : { kind: "part", amount: part };
}
