/** The booking state machine's chain transitions, as pure decisions on a booking's facts. */
import { describe, expect, it } from "vitest";

import {
  decideCancel,
  onCancellationFinished,
  onChainFact,
  onRewind,
  onSettleDue,
  onSupplierAnswer,
  onSupplierCancelFailure,
  type ChainFact,
} from "../src/bookings/lifecycle.js";
import type { BookingRow } from "../src/bookings/model.js";

const AT = new Date("2030-03-04T10:00:00Z");
const step = (n: number) => ({ txHash: `0x${String(n).padStart(64, "0")}`, blockNumber: BigInt(n), at: AT });

/** A booking with only the facts given (the rest of its row does not take part in the decisions). */
function booking(facts: Partial<BookingRow> = {}): BookingRow {
  return {
    status: "quoted",
    paidTxHash: null,
    paidBlockNumber: null,
    paidAt: null,
    confirmedAt: null,
    settledTxHash: null,
    settledBlockNumber: null,
    settledAt: null,
    refundedTxHash: null,
    refundedBlockNumber: null,
    refundedAt: null,
    rewardedTxHash: null,
    rewardedBlockNumber: null,
    rewardedAt: null,
    cancelledAt: null,
    refundRequestedAt: null,
    rewardSkipReason: null,
    ...facts,
  } as BookingRow;
}

const paid = { status: "paid" as const, paidTxHash: step(1).txHash, paidBlockNumber: 1n, paidAt: AT };
const settled = { ...paid, status: "settled" as const, settledTxHash: step(2).txHash, settledBlockNumber: 2n };

describe("onChainFact", () => {
  it("a payment records its facts once and starts the confirmation", () => {
    const fact: ChainFact = { kind: "paid", ...step(1) };
    expect(onChainFact(booking(), fact)).toEqual({
      patch: { paidTxHash: step(1).txHash, paidBlockNumber: 1n, paidAt: AT, status: "paid" },
      jobs: [["confirm", { op: "create" }]],
    });
    expect(onChainFact(booking(paid), fact)).toEqual({ patch: {}, jobs: [] });
  });

  it("a payment seen after the traveller cancelled leads to a refund, never a confirmation", () => {
    const { patch, jobs } = onChainFact(booking({ cancelledAt: AT, status: "cancelled" }), {
      kind: "paid",
      ...step(1),
    });
    expect(patch.status).toBe("refund_requested");
    expect(jobs).toEqual([["refund", { op: "create" }]]);
  });

  it("a settlement ends the settle job and queues the distribution; seen again it changes no column", () => {
    const fact: ChainFact = { kind: "settled", ...step(2) };
    const first = onChainFact(booking({ ...paid, confirmedAt: AT, status: "confirmed" }), fact);
    expect(first.patch).toMatchObject({ settledTxHash: step(2).txHash, status: "settled" });
    expect(first.jobs).toEqual([
      ["settle", { op: "finish" }],
      ["distribute", { op: "enqueue" }],
    ]);
    expect(onChainFact(booking(settled), fact)).toEqual({ patch: {}, jobs: first.jobs });
  });

  it("a refund ends every job", () => {
    const { patch, jobs } = onChainFact(booking({ ...paid, refundRequestedAt: AT }), { kind: "refunded", ...step(3) });
    expect(patch.status).toBe("refunded");
    expect(jobs.map(([kind, op]) => [kind, op.op])).toEqual([
      ["refund", "finish"],
      ["confirm", "finish"],
      ["settle", "finish"],
      ["distribute", "finish"],
    ]);
  });

  it("a reward clears an earlier skip reason and ends the distribution", () => {
    const { patch, jobs } = onChainFact(booking({ ...settled, rewardSkipReason: "NoPriceFeed" }), {
      kind: "rewarded",
      ...step(4),
    });
    expect(patch).toMatchObject({ status: "rewarded", rewardSkipReason: null, rewardedBlockNumber: 4n });
    expect(jobs).toEqual([["distribute", { op: "finish" }]]);
  });

  it("a skipped reward retries after its backoff unless its reason is final", () => {
    const retry = onChainFact(booking(settled), { kind: "rewardSkipped", reason: "MintLimitReached", at: AT });
    expect(retry).toEqual({
      patch: { rewardSkipReason: "MintLimitReached" },
      jobs: [
        [
          "distribute",
          {
            op: "retry",
            lastError: "distributor skipped it: MintLimitReached",
            from: AT,
          },
        ],
      ],
    });
    for (const reason of ["AlreadyRewarded", "Refunded", "Unknown", "SupplyCapReached"]) {
      expect(onChainFact(booking(settled), { kind: "rewardSkipped", reason, at: AT }).jobs).toEqual([
        ["distribute", { op: "finish" }],
      ]);
    }
  });

  it("a rewarded booking passed over again (its queued reward was finished in the same call) keeps no skip reason", () => {
    const rewarded = booking({ ...settled, rewardedTxHash: step(4).txHash, status: "rewarded" });
    expect(onChainFact(rewarded, { kind: "rewardSkipped", reason: "AlreadyRewarded", at: AT })).toEqual({
      patch: {},
      jobs: [["distribute", { op: "finish" }]],
    });
  });

  it("a skipped settlement ends the settle job only when the escrow has the booking settled or beyond", () => {
    expect(onChainFact(booking(paid), { kind: "settlementSkipped", escrowStatus: 1 }).jobs).toEqual([]);
    expect(onChainFact(booking(paid), { kind: "settlementSkipped", escrowStatus: 2 }).jobs).toEqual([
      ["settle", { op: "finish" }],
    ]);
  });
});

describe("onSupplierAnswer", () => {
  it("a confirmation of a paid booking lets the keeper settle it", () => {
    expect(onSupplierAnswer(booking(paid), { kind: "confirmed", at: AT })).toEqual({
      patch: { confirmedAt: AT, status: "confirmed" },
      jobs: [
        ["confirm", { op: "finish" }],
        ["settle", { op: "create" }],
      ],
    });
  });

  it("a refusal gets the traveller their money back", () => {
    expect(onSupplierAnswer(booking(paid), { kind: "refused", at: AT, reason: "sold out" })).toEqual({
      // The supplier's reason stays on the booking, so the traveller sees why they were refunded.
      patch: { refundRequestedAt: AT, supplierRefusal: "sold out", status: "refund_requested" },
      jobs: [
        ["confirm", { op: "finish" }],
        ["refund", { op: "create" }],
      ],
    });
  });

  it("an answer that comes after a cancellation or a refund changes nothing but ends the confirmation", () => {
    const late = [
      booking({ ...paid, refundRequestedAt: AT, status: "refund_requested" }),
      booking({ ...paid, refundedTxHash: step(3).txHash, refundedBlockNumber: 3n, status: "refunded" }),
      booking({ ...paid, confirmedAt: AT, status: "confirmed" }),
    ];
    for (const b of late) {
      for (const answer of [
        { kind: "confirmed", at: AT },
        { kind: "refused", at: AT, reason: "sold out" },
      ] as const) {
        expect(onSupplierAnswer(b, answer)).toEqual({ patch: {}, jobs: [["confirm", { op: "finish" }]] });
      }
    }
  });
});

describe("a cancellation the supplier finished halfway, when the booking is due", () => {
  const confirmed = { ...paid, confirmedAt: AT, status: "confirmed" as const };

  it("is finished, never settled as if nothing had happened; a booking with no order cancelled is settled", () => {
    expect(onSettleDue(booking(confirmed), [{ orderCancelledAt: AT }, { orderCancelledAt: null }])).toEqual({
      kind: "finishCancellation",
    });
    expect(onSettleDue(booking(confirmed), [{ orderCancelledAt: null }])).toEqual({ kind: "settle" });
  });

  it("a rate limit waits, an outage retries until the last attempt, a refusal stops at once", () => {
    const attempt = (attempts: number) => ({ attempts, maxAttempts: 3 });
    expect(onSupplierCancelFailure({ kind: "later", reason: "429", retryAfterMs: 1_000 }, attempt(3))).toBe("wait");
    expect(onSupplierCancelFailure({ kind: "error", reason: "500" }, attempt(2))).toBe("retry");
    expect(onSupplierCancelFailure({ kind: "error", reason: "500" }, attempt(3))).toBe("stop");
    expect(onSupplierCancelFailure({ kind: "refused", reason: "flown" }, attempt(1))).toBe("stop");
  });

  it("ends in the refund the cancellation gives (all, or part with the rest settled), and the settle job with it", () => {
    const refund = {
      patch: { refundRequestedAt: AT, refundAmount: null, status: "refund_requested" },
      jobs: [
        ["settle", { op: "finish" }],
        ["refund", { op: "create" }],
      ],
    };
    expect(onCancellationFinished(booking(confirmed), { kind: "full" }, AT)).toEqual(refund);
    expect(onCancellationFinished(booking(confirmed), { kind: "part", amount: 7n }, AT)).toEqual({
      ...refund,
      patch: { ...refund.patch, refundAmount: 7n },
    });
    // Nothing comes back: settled as due.
    expect(onCancellationFinished(booking(confirmed), { kind: "none" }, AT)).toEqual({ patch: {}, jobs: [] });
    // Settled or refunded meanwhile: nothing left to do.
    expect(onCancellationFinished(booking({ ...settled, confirmedAt: AT }), { kind: "full" }, AT)).toEqual({
      patch: {},
      jobs: [["settle", { op: "finish" }]],
    });
  });

  it("while the keeper finishes it, the traveller's cancel is told so, not that the supplier is being paid", () => {
    expect(
      decideCancel(booking(confirmed), { paidUnrecorded: false, settling: true, halfCancelled: true }),
    ).toMatchObject({ kind: "refuse", code: "cancellation_in_progress" });
    expect(decideCancel(booking(confirmed), { paidUnrecorded: false, settling: true })).toMatchObject({
      kind: "refuse",
      code: "settlement_in_progress",
    });
  });
});

describe("onRewind", () => {
  const rewarded = {
    ...settled,
    confirmedAt: AT,
    receiptCid: "bagaaiera",
    status: "rewarded" as const,
    rewardedTxHash: step(4).txHash,
    rewardedBlockNumber: 4n,
  };

  it("a reorg past the payment forgets it with its receipt and confirmation, and drops every job", () => {
    const { patch, drop, rerun } = onRewind(booking(rewarded), 0n);
    expect(patch).toMatchObject({
      paidTxHash: null,
      settledTxHash: null,
      rewardedTxHash: null,
      receiptCid: null,
      confirmedAt: null,
      status: "quoted",
    });
    expect(drop).toEqual(["confirm", "settle", "distribute", "refund"]);
    expect(rerun).toEqual([]);
  });

  it("a reorg past the settlement keeps the payment and its confirmation, and settles again", () => {
    const { patch, drop, rerun } = onRewind(booking(rewarded), 1n);
    expect(patch).toMatchObject({ settledTxHash: null, rewardedTxHash: null, status: "confirmed" });
    expect(patch).not.toHaveProperty("paidTxHash");
    expect(patch).not.toHaveProperty("receiptCid");
    expect(drop).toEqual(["distribute"]);
    expect(rerun).toEqual(["settle"]);
  });

  it("a reorg past the reward only distributes again", () => {
    const { patch, drop, rerun } = onRewind(booking(rewarded), 3n);
    expect(patch).toMatchObject({ rewardedTxHash: null, status: "settled" });
    expect(drop).toEqual([]);
    expect(rerun).toEqual(["distribute"]);
  });
});
