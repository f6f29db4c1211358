import { describe, expect, it } from "vitest";

import { idle, isBusy, txReducer, type TxEvent, type TxState } from "./tx-state";

const run = (events: TxEvent[], from: TxState = idle) => events.reduce(txReducer, from);
const hash = `0x${"ab".repeat(32)}` as const;

describe("transaction state", () => {
  it("goes signing → pending → confirmed", () => {
    expect(run([{ type: "start", step: "Confirm in your wallet" }])).toEqual({
      status: "signing",
      step: "Confirm in your wallet",
    });
    expect(
      run([
        { type: "start", step: "a" },
        { type: "submitted", hash },
      ]),
    ).toEqual({ status: "pending", hash });
    expect(run([{ type: "start", step: "a" }, { type: "submitted", hash }, { type: "confirmed" }])).toEqual({
      status: "confirmed",
      hash,
    });
  });

  it("keeps the hash when a sent transaction fails, and has none when the wallet refused", () => {
    expect(
      run([
        { type: "start", step: "a" },
        { type: "failed", reason: "rejected" },
      ]),
    ).toEqual({
      status: "failed",
      reason: "rejected",
    });
    expect(
      run([
        { type: "start", step: "a" },
        { type: "submitted", hash },
        { type: "failed", reason: "reverted" },
      ]),
    ).toEqual({ status: "failed", reason: "reverted", hash });
  });

  it("moves through the steps of a multi-step action (permit, then payment)", () => {
    expect(
      run([
        { type: "start", step: "Sign the permit" },
        { type: "step", step: "Confirm the payment" },
      ]),
    ).toEqual({
      status: "signing",
      step: "Confirm the payment",
    });
  });

  it("ignores events out of order and never starts twice at once", () => {
    const pending = run([
      { type: "start", step: "a" },
      { type: "submitted", hash },
    ]);
    expect(txReducer(pending, { type: "start", step: "b" })).toBe(pending);
    expect(txReducer(pending, { type: "reset" })).toBe(pending);
    expect(txReducer(idle, { type: "confirmed" })).toBe(idle);
    expect(txReducer(idle, { type: "submitted", hash })).toBe(idle);
    expect(isBusy(pending)).toBe(true);
    const done = txReducer(pending, { type: "confirmed" });
    expect(isBusy(done)).toBe(false);
    expect(txReducer(done, { type: "reset" })).toEqual(idle);
    expect(txReducer(done, { type: "start", step: "again" })).toEqual({ status: "signing", step: "again" });
  });
});
