import type { BookingStatus, KEEPER_JOB_KINDS } from "../db/schema.js";
import type { RefundNow } from "./cancellation.js";
import type { BookingRow } from "./model.js";

export type JobKind = (typeof KEEPER_JOB_KINDS)[number];

/** What a transition does to one of the booking's keeper jobs. */
export type JobOp =
  /** Creates the job unless it exists. */
  | { op: "create" }
  /** Creates the job, or runs it now if it waits (a backoff) or failed. */
  | { op: "enqueue" }
  | { op: "finish" }
  /** Runs it again after its backoff (doubling with each of its attempts, up to a cap) from `from`, saying why. */
  | { op: "retry"; from: Date; lastError: string };

/** Where and when something happened on the chain. */
export interface OnChain {
  txHash: string;
  blockNumber: bigint;
  at: Date;
}

/** What the chain shows happened to a booking (from the escrow's and the distributor's events). */
export type ChainFact =
  | ({ kind: "paid" | "settled" | "refunded" | "rewarded" } & OnChain)
  /** The escrow gave part back and settled the rest (its `BookingSettled` follows): the refund is done. */
  | { kind: "partiallyRefunded" }
  /** The escrow passed the booking over in a settle batch; `escrowStatus` is its status there (2+: settled or later). */
  | { kind: "settlementSkipped"; escrowStatus: number }
  /** The distributor passed the booking over, for `reason` (RewardDistributor.SkipReason's name), at `at`. */
  | { kind: "rewardSkipped"; reason: string; at: Date };

/** A transition: the columns that change (status included) and what happens to the booking's keeper jobs. */
export interface Transition {
  patch: Partial<BookingRow>;
  jobs: [JobKind, JobOp][];
}

/** The columns that record each on-chain step: transaction, block, time. */
export const STEP_COLUMNS = {
  paid: ["paidTxHash", "paidBlockNumber", "paidAt"],
  settled: ["settledTxHash", "settledBlockNumber", "settledAt"],
  refunded: ["refundedTxHash", "refundedBlockNumber", "refundedAt"],
  rewarded: ["rewardedTxHash", "rewardedBlockNumber", "rewardedAt"],
} as const;

/** The booking columns the chain's facts set; every other column belongs to the API or the keeper. */
export const CHAIN_FACT_COLUMNS = [
  "status",
  ...Object.values(STEP_COLUMNS).flat(),
  "rewardSkipReason",
] as const satisfies readonly (keyof BookingRow)[];

/** Skip reasons after which distributing again can never succeed (the supply cap is never raised). */
const FINAL_SKIP_REASONS = new Set(["AlreadyRewarded", "Refunded", "Unknown", "SupplyCapReached"]);

/**
 * The one place a fact from the chain moves a booking on: each step is recorded once (a fact seen again changes no
 * column, though its jobs are brought in line again), the status follows from all the facts (`deriveStatus`), and the keeper's jobs follow the step — a payment
 * starts the confirmation (or the refund, when the traveller cancelled first), a settlement ends the settle job and
 * queues the distribution, a refund ends everything, a reward ends the distribution, a skipped reward retries with
 * a growing backoff unless its reason is final.
 */
export function onChainFact(b: BookingRow, fact: ChainFact): Transition {
  switch (fact.kind) {
    case "partiallyRefunded":
      return { patch: {}, jobs: (["refund", "confirm", "settle"] as const).map((kind) => [kind, { op: "finish" }]) };
    case "settlementSkipped":
      // Settled, refunded or rewarded already: nothing left to settle. Otherwise the keeper tries again.
      return { patch: {}, jobs: fact.escrowStatus >= 2 ? [["settle", { op: "finish" }]] : [] };
    case "rewardSkipped": {
      // A queued reward finished by the same call that passed over its id again (already rewarded): nothing to show.
      if (b.rewardedTxHash !== null) return { patch: {}, jobs: [["distribute", { op: "finish" }]] };
      const patch = b.rewardSkipReason === fact.reason ? {} : { rewardSkipReason: fact.reason };
      const op: JobOp = FINAL_SKIP_REASONS.has(fact.reason)
        ? { op: "finish" }
        : {
            op: "retry",
            lastError: `distributor skipped it: ${fact.reason}`,
            from: fact.at,
          };
      return { patch, jobs: [["distribute", op]] };
    }
    default: {
      const [hashColumn, blockColumn, timeColumn] = STEP_COLUMNS[fact.kind];
      const recorded = b[hashColumn] !== null;
      if (recorded && fact.kind === "paid") return { patch: {}, jobs: [] };
      const facts: Partial<BookingRow> = recorded
        ? {}
        : { [hashColumn]: fact.txHash, [blockColumn]: fact.blockNumber, [timeColumn]: fact.at };
      if (fact.kind === "rewarded" && b.rewardSkipReason !== null) facts.rewardSkipReason = null;
      const patch = recorded ? facts : { ...facts, status: deriveStatus({ ...b, ...facts }) };
      const status = patch.status ?? b.status;
      switch (fact.kind) {
        case "paid":
          return { patch, jobs: [[status === "refund_requested" ? "refund" : "confirm", { op: "create" }]] };
        case "settled":
          return {
            patch,
            jobs: [
              ["settle", { op: "finish" }],
              ["distribute", { op: "enqueue" }],
            ],
          };
        case "refunded":
          // Nothing else can happen to a refunded booking.
          return {
            patch,
            jobs: (["refund", "confirm", "settle", "distribute"] as const).map((kind) => [kind, { op: "finish" }]),
          };
        case "rewarded":
          return { patch, jobs: [["distribute", { op: "finish" }]] };
      }
    }
  }
}

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

/** What a reorg does to a booking: the columns it resets, and its keeper jobs to drop or to run again. */
export interface Rewind {
  patch: Partial<BookingRow>;
  drop: JobKind[];
  rerun: JobKind[];
}

/**
 * A reorg undid every block after `ancestor`: the steps recorded in those blocks are forgotten (with the payment, its
 * receipt and the supplier's confirmation), the status follows what remains, and the jobs follow the remaining steps —
 * those of a step that is gone are dropped until its event comes back and re-creates them, those whose effect is gone
 * run again.
 */
export function onRewind(b: BookingRow, ancestor: bigint): Rewind {
  const after = (block: bigint | null) => block !== null && block > ancestor;
  const patch: Partial<BookingRow> = {};
  for (const [hashColumn, blockColumn, timeColumn] of Object.values(STEP_COLUMNS)) {
    if (after(b[blockColumn])) Object.assign(patch, { [hashColumn]: null, [blockColumn]: null, [timeColumn]: null });
  }
  const next = { ...b, ...patch };
  if (!next.paidTxHash) Object.assign(patch, { receiptCid: null, confirmedAt: null });
  patch.status = deriveStatus({ ...b, ...patch });

  if (!next.paidTxHash) return { patch, drop: ["confirm", "settle", "distribute", "refund"], rerun: [] };
  if (next.refundedTxHash) return { patch, drop: [], rerun: [] };
  const rerun: JobKind[] = [];
  const drop: JobKind[] = [];
  if (!next.settledTxHash) {
    drop.push("distribute");
    rerun.push("settle");
  } else if (!next.rewardedTxHash) {
    rerun.push("distribute");
  }
  if (next.refundRequestedAt) rerun.push("refund");
  return { patch, drop, rerun };
}

/** The supplier's answer to the keeper's request to confirm a paid booking. */
export type SupplierAnswer = { kind: "confirmed"; at: Date } | { kind: "refused"; at: Date; reason: string };

/**
 * What a supplier's answer does to a booking, decided on its locked row: a confirmation lets the keeper settle it; a
 * refusal gets the traveller their money back. An answer that comes too late (the booking was cancelled, refunded or
 * confirmed meanwhile) changes nothing but ends the confirmation.
 */
export function onSupplierAnswer(b: BookingRow, answer: SupplierAnswer): Transition {
  const current = deriveStatus(b);
  if (current !== "paid") return { patch: {}, jobs: [["confirm", { op: "finish" }]] };
  if (answer.kind === "confirmed") {
    const patch = { confirmedAt: answer.at, status: deriveStatus({ ...b, confirmedAt: answer.at }) };
    return {
      patch,
      jobs: [
        ["confirm", { op: "finish" }],
        ["settle", { op: "create" }],
      ],
    };
  }
  const patch = {
    refundRequestedAt: answer.at,
    supplierRefusal: answer.reason,
    status: deriveStatus({ ...b, refundRequestedAt: answer.at }),
  };
  return {
    patch,
    jobs: [
      ["confirm", { op: "finish" }],
      ["refund", { op: "create" }],
    ],
  };
}

/** What the keeper does with a confirmed booking whose settlement is due. */
export type SettleStep =
  | { kind: "settle" }
  /**
   * The traveller's cancellation stopped halfway (the supplier cancelled some of its orders, then failed on one): it is
   * finished, never settled as if nothing had happened.
   */
  | { kind: "finishCancellation" };

/** A due booking with an order cancelled at the traveller's request is cancelled to the end; any other is settled. */
export function onSettleDue(b: LifecycleFacts, items: { orderCancelledAt: Date | null }[]): SettleStep {
  return deriveStatus(b) === "confirmed" && items.some((item) => item.orderCancelledAt !== null)
    ? { kind: "finishCancellation" }
    : { kind: "settle" };
}

/** Why a supplier did not cancel an order the keeper asked it to cancel. */
export type SupplierCancelFailure =
  /** Rate limited: ask again after `retryAfterMs`, no failed attempt. */
  | { kind: "later"; reason: string; retryAfterMs: number }
  /** Refused for good (the order is flown, or not cancellable): asking again changes nothing. */
  | { kind: "refused"; reason: string }
  /** No usable answer (an outage, a timeout): worth another attempt. */
  | { kind: "error"; reason: string };

/**
 * What a failure to finish a cancellation does to its settle job: a rate limit waits for its reset (`wait`, no failed
 * attempt), an error is tried again after the keeper's backoff (`retry`); a refusal, or an error on the last attempt,
 * stops the cancellation where it is (`stop`: what was cancelled is refunded, the rest settled).
 */
export function onSupplierCancelFailure(
  failure: SupplierCancelFailure,
  attempt: { attempts: number; maxAttempts: number },
): "wait" | "retry" | "stop" {
  if (failure.kind === "later") return "wait";
  return failure.kind === "error" && attempt.attempts < attempt.maxAttempts ? "retry" : "stop";
}

/**
 * The end of a cancellation the keeper finished (every order cancelled, or the rest stopped), decided on the locked
 * row with what it gives back (`refundAt` of the items, an order still standing giving nothing): refunded as the
 * traveller's cancel would be — all of it, or that part with the rest settled at once — and never settled besides.
 * When nothing comes back at all, it is settled as due. A booking no longer confirmed has nothing left to settle here.
 */
export function onCancellationFinished(b: BookingRow, refund: RefundNow, at: Date): Transition {
  if (deriveStatus(b) !== "confirmed") return { patch: {}, jobs: [["settle", { op: "finish" }]] };
  if (refund.kind === "none") return { patch: {}, jobs: [] };
  const patch = {
    refundRequestedAt: at,
    refundAmount: refund.kind === "part" ? refund.amount : null,
    status: deriveStatus({ ...b, refundRequestedAt: at }),
  };
  return {
    patch,
    jobs: [
      ["settle", { op: "finish" }],
      ["refund", { op: "create" }],
    ],
  };
}

/** What a traveller's cancellation does to a booking, decided on its locked row. */
export type CancelDecision =
  /** Not paid: cancelled at once. */
  | { kind: "cancel" }
  /** Paid and not in the supplier's hands yet: the escrow refunds it, and it is never settled. */
  | { kind: "refund" }
  /**
   * Paid, and its terms keep part of it (a free window has closed): the escrow gives `amount` back and settles the
   * rest to the supplier at once.
   */
  | { kind: "partialRefund"; amount: bigint }
  /** Cancelled or refunding already: nothing more to do (a repeated request answers the same). */
  | { kind: "unchanged" }
  /** Too late: the API answers 409 with the booking's real status. */
  | { kind: "refuse"; code: string; message: string };

/**
 * The one rule for cancelling: before payment a booking is cancelled; once paid, it is refunded — all of it, or what
 * its cancellation terms give back now (`refund`, by default all) — unless its settlement already started (the keeper
 * claimed its settle job: the supplier is being paid) or its terms give nothing back any more; after that it can no
 * longer be cancelled, nor while its supplier's order is being placed (`ordering`); a settle job claimed for a booking
 * with orders already cancelled (`halfCancelled`) is the keeper finishing the cancellation. `paidUnrecorded`: the
 * escrow holds its payment though the listener has not recorded it yet.
 */
export function decideCancel(
  b: LifecycleFacts,
  chain: { paidUnrecorded: boolean; settling: boolean; ordering?: boolean; halfCancelled?: boolean },
  refund: RefundNow = { kind: "full" },
): CancelDecision {
  const status = deriveStatus(b);
  const refunding = (): CancelDecision =>
    refund.kind === "full"
      ? { kind: "refund" }
      : refund.kind === "part"
        ? { kind: "partialRefund", amount: refund.amount }
        : {
            kind: "refuse",
            code: "not_cancellable",
            message: "Its free cancellation has ended and its terms give nothing back: it can no longer be cancelled",
          };
  switch (status) {
    case "quoted":
    case "expired":
      return chain.paidUnrecorded ? refunding() : { kind: "cancel" };
    case "cancelled":
    case "refund_requested":
      return { kind: "unchanged" };
    case "paid":
    case "confirmed":
      if (chain.ordering)
        return {
          kind: "refuse",
          code: "order_in_progress",
          message: "The supplier's order for this booking is being placed: try again in a moment",
        };
      if (chain.settling && chain.halfCancelled)
        return {
          kind: "refuse",
          code: "cancellation_in_progress",
          message: "The keeper is finishing this booking's cancellation with the supplier: it is refunded once done",
        };
      return chain.settling
        ? {
            kind: "refuse",
            code: "settlement_in_progress",
            message: "The supplier is being paid for this booking: it can no longer be cancelled",
          }
        : refunding();
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
