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
