import type { BookingStatus } from "../db/schema.js";
import type { BookingRow } from "./service.js";

export type LifecycleFacts = Pick<
  BookingRow,
  | "status"
  | "paidTxHash"
  | "confirmedAt"
  | "settledTxHash"
  | "refundedTxHash"
  | "rewardedTxHash"
  | "cancelledAt"
  | "refundRequestedAt"
>;

/**
 * A booking's status from what happened to it: the chain's facts (paid, settled, refunded, rewarded) first, then the
 * steps off the chain (provider confirmation, cancellation). One function, so the listener's projections, a reorg's
 * rewind and the API all agree.
 */
export function deriveStatus(b: LifecycleFacts): BookingStatus {
  if (b.refundedTxHash) return "refunded";
  if (b.rewardedTxHash) return "rewarded";
  if (b.settledTxHash) return "settled";
  if (b.paidTxHash) {
    if (b.refundRequestedAt || b.cancelledAt) return "refund_requested";
    return b.confirmedAt ? "confirmed" : "paid";
  }
  if (b.cancelledAt) return "cancelled";
  return b.status === "expired" ? "expired" : "quoted";
}

export interface TimelineStep {
  status: BookingStatus;
  at: Date;
  txHash: string | null;
}

/** The steps a booking went through, oldest first, each with its time and, for on-chain steps, its transaction. */
export function timelineOf(
  b: LifecycleFacts &
    Pick<BookingRow, "createdAt" | "paidAt" | "settledAt" | "refundedAt" | "rewardedAt" | "status" | "updatedAt">,
): TimelineStep[] {
  const steps: (TimelineStep | null)[] = [
    { status: "quoted", at: b.createdAt, txHash: null },
    b.paidTxHash && b.paidAt ? { status: "paid", at: b.paidAt, txHash: b.paidTxHash } : null,
    b.confirmedAt ? { status: "confirmed", at: b.confirmedAt, txHash: null } : null,
    b.cancelledAt && !b.paidTxHash ? { status: "cancelled", at: b.cancelledAt, txHash: null } : null,
    b.refundRequestedAt ? { status: "refund_requested", at: b.refundRequestedAt, txHash: null } : null,
    b.settledTxHash && b.settledAt ? { status: "settled", at: b.settledAt, txHash: b.settledTxHash } : null,
    b.refundedTxHash && b.refundedAt ? { status: "refunded", at: b.refundedAt, txHash: b.refundedTxHash } : null,
    b.rewardedTxHash && b.rewardedAt ? { status: "rewarded", at: b.rewardedAt, txHash: b.rewardedTxHash } : null,
    b.status === "expired" ? { status: "expired", at: b.updatedAt, txHash: null } : null,
  ];
  return steps.filter((step): step is TimelineStep => step !== null);
}
