import type { BookingStatus } from "../db/schema.js";
import type { BookingRow } from "./model.js";

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

/** What a traveller's cancellation does to a booking, decided on its locked row. */
export type CancelDecision =
  /** Not paid: cancelled at once. */
  | { kind: "cancel" }
  /** Paid and not in the supplier's hands yet: the escrow refunds it, and it is never settled. */
  | { kind: "refund" }
  /** Cancelled or refunding already: nothing more to do (a repeated request answers the same). */
  | { kind: "unchanged" }
  /** Too late: the API answers 409 with the booking's real status. */
  | { kind: "refuse"; code: string; message: string };

/**
 * The one rule for cancelling: before payment a booking is cancelled; once paid, it is refunded unless its
 * settlement already started (the keeper claimed its settle job: the supplier is being paid); after that it can no
 * longer be cancelled. `paidUnrecorded`: the escrow holds its payment though the listener has not recorded it yet.
 */
export function decideCancel(b: LifecycleFacts, chain: { paidUnrecorded: boolean; settling: boolean }): CancelDecision {
  const status = deriveStatus(b);
  switch (status) {
    case "quoted":
    case "expired":
      return chain.paidUnrecorded ? { kind: "refund" } : { kind: "cancel" };
    case "cancelled":
    case "refund_requested":
      return { kind: "unchanged" };
    case "paid":
    case "confirmed":
      return chain.settling
        ? {
            kind: "refuse",
            code: "settlement_in_progress",
            message: "The supplier is being paid for this booking: it can no longer be cancelled",
          }
        : { kind: "refund" };
    default:
      return { kind: "refuse", code: "not_cancellable", message: `A ${status} booking cannot be cancelled` };
  }
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
