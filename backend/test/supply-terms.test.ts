/** Cancellation terms: what a policy means for a booking made at a time, and what cancelling gives back when. */
import { describe, expect, it } from "vitest";

import { refundAt, settleDueAtOf, termsOf } from "../src/bookings/cancellation.js";
import { decideCancel, onChainFact, onRewind, type LifecycleFacts } from "../src/bookings/lifecycle.js";
import type { BookingRow } from "../src/bookings/model.js";
import { demoCancellation } from "../src/catalog/demo.js";
import { Catalog } from "../src/catalog/service.js";

const BOOKED = new Date("2030-03-04T10:00:00Z");
const minutes = (n: number) => new Date(BOOKED.getTime() + n * 60_000);

describe("termsOf", () => {
  it("free until settled: no window, settled on confirmation", () => {
    expect(termsOf({ kind: "until_settled" }, BOOKED)).toEqual({
      freeCancelUntil: null,
      cancelFeeBps: 0,
      settleDueAt: null,
    });
  });

  it("a window: free for its minutes after booking, its fee after, due at its due time (never before the window closes)", () => {
    expect(termsOf({ kind: "window", freeMinutes: 10, feeBps: 5_000, dueMinutes: 20 }, BOOKED)).toEqual({
      freeCancelUntil: minutes(10),
      cancelFeeBps: 5_000,
      settleDueAt: minutes(20),
    });
    expect(termsOf({ kind: "window", freeMinutes: 10, feeBps: 10_000, dueMinutes: 0 }, BOOKED).settleDueAt).toEqual(
      minutes(10),
    );
  });

  it("a booking is due once its last item is; with no window, on confirmation", () => {
    expect(settleDueAtOf([{ settleDueAt: minutes(5) }, { settleDueAt: null }, { settleDueAt: minutes(20) }])).toEqual(
      minutes(20),
    );
    expect(settleDueAtOf([{ settleDueAt: null }])).toBeNull();
  });
});

describe("refundAt", () => {
  const hotel = { totalCents: 30_000n, freeCancelUntil: minutes(10), cancelFeeBps: 5_000 };
  const activity = { totalCents: 10_000n, freeCancelUntil: minutes(10), cancelFeeBps: 10_000 };
  const dinner = { totalCents: 10_000n, freeCancelUntil: null, cancelFeeBps: 0 };
  const amount = 5_000_000n;

  it("gives all back inside the free window, and always for items free until settled", () => {
    expect(refundAt([hotel, activity, dinner], amount, minutes(9))).toEqual({ kind: "full" });
    expect(refundAt([dinner], amount, minutes(60))).toEqual({ kind: "full" });
  });

  it("after the window, all but each item's fee, in proportion of the payment", () => {
    // Back: half the hotel (15,000) + nothing of the activity + the dinner (10,000) = 25,000 of 50,000 cents.
    expect(refundAt([hotel, activity, dinner], amount, minutes(10))).toEqual({ kind: "part", amount: 2_500_000n });
  });

  it("nothing back once only non-refundable items' windows have closed", () => {
    expect(refundAt([activity], amount, minutes(11))).toEqual({ kind: "none" });
  });
});

describe("decideCancel with the terms' refund", () => {
  const paid: LifecycleFacts = {
    status: "paid",
    paidTxHash: "0x01",
    confirmedAt: BOOKED,
    settledTxHash: null,
    refundedTxHash: null,
    rewardedTxHash: null,
    cancelledAt: null,
    refundRequestedAt: null,
  };
  const chain = { paidUnrecorded: false, settling: false };

  it("refunds all, part or refuses, as the terms give; a settlement under way still refuses first", () => {
    expect(decideCancel(paid, chain, { kind: "full" })).toEqual({ kind: "refund" });
    expect(decideCancel(paid, chain, { kind: "part", amount: 7n })).toEqual({ kind: "partialRefund", amount: 7n });
    expect(decideCancel(paid, chain, { kind: "none" })).toMatchObject({ kind: "refuse", code: "not_cancellable" });
    expect(decideCancel(paid, { ...chain, settling: true }, { kind: "part", amount: 7n })).toMatchObject({
      kind: "refuse",
      code: "settlement_in_progress",
    });
    // Unpaid bookings are cancelled whatever the terms.
    expect(decideCancel({ ...paid, status: "quoted", paidTxHash: null }, chain, { kind: "none" })).toEqual({
      kind: "cancel",
    });
  });

  it("a partial refund ends the refund, confirmation and settle jobs; its settlement then queues the reward", () => {
    const row = { ...paid, refundRequestedAt: BOOKED, status: "refund_requested" } as BookingRow;
    expect(onChainFact(row, { kind: "partiallyRefunded" })).toEqual({
      patch: {},
      jobs: [
        ["refund", { op: "finish" }],
        ["confirm", { op: "finish" }],
        ["settle", { op: "finish" }],
      ],
    });
    const settled = onChainFact(row, { kind: "settled", txHash: "0x02", blockNumber: 2n, at: BOOKED });
    expect(settled.patch.status).toBe("settled");
    expect(settled.jobs).toContainEqual(["distribute", { op: "enqueue" }]);
    // Reorged away: the refund (with its settled part) is sent again.
    const rewound = onRewind(
      {
        ...row,
        ...settled.patch,
        paidBlockNumber: 1n,
        settledBlockNumber: 2n,
        refundedBlockNumber: null,
        rewardedBlockNumber: null,
      } as BookingRow,
      1n,
    );
    expect(rewound.rerun).toContain("refund");
    expect(rewound.patch.status).toBe("refund_requested");
  });
});

describe("demo terms", () => {
  it("every fourth hotel and activity has a window when configured; without it, every item is free until settled", () => {
    const withWindows = new Catalog({ demoFreeCancellationMinutes: 10 });
    const hotels = withWindows.demo.all.filter((item) => item.type === "hotel").slice(0, 8);
    expect(hotels.map((item) => item.cancellation.kind)).toEqual([
      "until_settled",
      "window",
      "until_settled",
      "until_settled",
      "until_settled",
      "window",
      "until_settled",
      "until_settled",
    ]);
    expect(hotels[1]!.cancellation).toEqual({ kind: "window", freeMinutes: 10, feeBps: 5_000, dueMinutes: 20 });
    const activity = withWindows.demo.all.find((item) => item.type === "activity" && item.id.endsWith("-1"))!;
    expect(demoCancellation(activity, 10)).toEqual({ kind: "window", freeMinutes: 10, feeBps: 10_000, dueMinutes: 10 });
    expect(demoCancellation(activity, 0)).toEqual({ kind: "until_settled" });
    expect(hotels[1]!.providerOfferId).toBe(hotels[1]!.id.replace(/^demo-/, ""));
  });
});
