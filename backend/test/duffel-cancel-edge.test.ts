/**
 * A traveller's cancellation that Duffel finished for one flight and not the other, never retried by the traveller:
 * when the hold ends the keeper finishes it instead of settling the booking — it cancels the rest with Duffel (an
 * outage retried with the backoff, across a restart of the worker) and the escrow refunds; an order Duffel will not
 * cancel stands, with the reason on its item, and only what was cancelled is refunded, the rest settled. The real SDK
 * against a local stub of Duffel, the real worker, Postgres and the shared local chain.
 */
import { and, eq } from "drizzle-orm";
import type { PrivateKeyAccount } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { HOLD_MINUTES } from "../src/catalog/duffel.js";
import { schema } from "../src/db/index.js";
import { startWorker, type Worker } from "../src/worker/worker.js";
import { call, createTestApp, expectError, signIn, type TestApp } from "./helpers/app.js";
import { escrowEventsOf, fundedAccount, keeperKey } from "./helpers/chain.js";
import { futureDay, testClock } from "./helpers/clock.js";
import { bookFlightsAndPay, outAndBack } from "./helpers/duffel-bookings.js";
import { DuffelStub } from "./helpers/duffel-stub.js";
import { FAST_WORKER_ENV, readBooking, waitUntil } from "./helpers/pipeline.js";

const MINUTE = 60_000;
const OUTAGE = {
  method: "POST",
  path: "/air/order_cancellations",
  status: 500,
  body: { errors: [{ type: "api_error", code: "internal_server_error", message: "Airline unreachable" }] },
};

describe("a Duffel cancellation that stopped halfway, when the hold ends", () => {
  const stub = new DuffelStub();
  let t: TestApp;
  let worker: Worker | undefined;
  let traveller: PrivateKeyAccount;
  let token: string;
  // The services' clock, moved past the hold by the test.
  let ahead = 0;
  const now = () => new Date(testClock().getTime() + ahead);
  let offers = 0;

  beforeAll(async () => {
    const stubUrl = await stub.listen();
    t = await createTestApp("postgres", {
      env: {
        ...FAST_WORKER_ENV,
        // Enough tries that an outage outlasts a restart of the worker without the keeper giving up.
        KEEPER_MAX_ATTEMPTS: "20",
        KEEPER_PRIVATE_KEY: await keeperKey(),
        DUFFEL_ACCESS_TOKEN: "duffel_test_stub_token",
        DUFFEL_API_URL: stubUrl,
      },
      now,
    });
    traveller = await fundedAccount();
    token = await signIn(t.app, traveller);
    worker = startWorker(t.services);
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
    await stub.close();
  });

  const read = (id: string) => readBooking(t, token, id);

  /** Quotes asked of Duffel to cancel `orderId`, and confirmations it answered. */
  function cancellationsOf(orderId: string) {
    const quotes = stub.seen.filter(
      (s) => s.method === "POST" && s.url === "/air/order_cancellations" && s.body?.data?.order_id === orderId,
    );
    const confirmed = [...stub.cancellations.values()].filter((c) => c.order_id === orderId && c.confirmed_at);
    return { quotes: quotes.length, confirmed: confirmed.length };
  }

  /**
   * A booking of two flights (out from JFK, back from BOS), paid and confirmed, whose traveller cancelled it: Duffel
   * cancelled the outbound flight (giving back `outRefund`) and failed on the return one. The traveller never retries.
   */
  async function halfCancelled(offset: number, outRefund?: string) {
    const date = futureDay(offset);
    const n = String(++offers).padStart(3, "0");
    const { out, back, flights } = outAndBack(stub, [`off_${n}0edgeout`, `off_${n}1edgeback`], date);
    const { id, amount } = await bookFlightsAndPay(t, token, traveller, flights);
    await waitUntil("confirmed", async () => (await read(id)).status === "confirmed");

    if (outRefund) stub.refundFor = (order) => (order.id === stub.ordersOf(out.id)[0]!.id ? outRefund : "0.00");
    // Both quotes are asked first, then the confirmations: the second confirmation fails.
    stub.script({ ...OUTAGE, path: "/air/order_cancellations/", after: 1 });
    const halfway = await call(t.app, "POST", `/bookings/${id}/cancel`, { token });
    stub.refundFor = (order) => order.total_amount;
    expect(expectError(halfway)).toMatchObject({ status: 502, code: "supplier_cancellation_incomplete" });
    const [outOrder] = stub.ordersOf(out.id);
    const [backOrder] = stub.ordersOf(back.id);
    expect(outOrder!.cancelled_at).not.toBeNull();
    expect(backOrder!.cancelled_at ?? null).toBeNull();
    return { id, amount, outOrder: outOrder!, backOrder: backOrder! };
  }

  /** Past the hold: the booking is due, and the keeper takes it up. Waits until it is refunded or settled. */
  async function holdEnds(id: string) {
    ahead = HOLD_MINUTES * MINUTE + MINUTE;
    return waitUntil("refunded or settled", async () => {
      const booking = await read(id);
      return ["refunded", "settled", "rewarded"].includes(booking.status) ? booking : undefined;
    });
  }

  it("the keeper cancels the rest with Duffel (retrying an outage) and the escrow refunds all of it; nothing is settled", async () => {
    const booking = await halfCancelled(60);
    // The keeper's first try meets an outage too.
    stub.script(OUTAGE);
    try {
      const ended = await holdEnds(booking.id);
      expect(ended.status).toBe("refunded");
    } finally {
      ahead = 0;
    }
    expect(booking.backOrder.cancelled_at).not.toBeNull();
    const events = await escrowEventsOf(booking.id);
    expect(events.map((e) => e.eventName)).toEqual(["BookingPaid", "BookingRefunded"]);
    expect((events[1]!.args as { amount: bigint }).amount).toBe(booking.amount);
    // Each order cancelled once; the outbound one not asked for again.
    expect(cancellationsOf(booking.outOrder.id)).toEqual({ quotes: 1, confirmed: 1 });
    expect(cancellationsOf(booking.backOrder.id).confirmed).toBe(1);
    const refunded = await read(booking.id);
    expect(refunded.items.map((item: { orderCancelledAt: string | null }) => item.orderCancelledAt !== null)).toEqual([
      true,
      true,
    ]);
    expect(refunded.cancellation.refundAmount).toBe(String(booking.amount));
  });

  it("an order Duffel will not cancel stands: the cancelled flight's refund comes back, the rest is settled", async () => {
    const booking = await halfCancelled(61, "150.00");
    stub.script({
      method: "POST",
      path: "/air/order_cancellations",
      status: 422,
      body: {
        errors: [
          {
            type: "airline_error",
            code: "order_not_cancellable",
            message: "The airline does not allow this order to be cancelled",
          },
        ],
      },
    });
    let ended;
    try {
      ended = await holdEnds(booking.id);
    } finally {
      ahead = 0;
    }
    expect(["settled", "rewarded"]).toContain(ended.status);
    // What Duffel gave back of the outbound flight ($150 of the booking's $410), in the payment token.
    const expected = (booking.amount * 15_000n) / 41_000n;
    const events = await escrowEventsOf(booking.id);
    const partial = events.filter((e) => e.eventName === "BookingPartiallyRefunded");
    expect(partial).toHaveLength(1);
    expect(partial[0]!.args).toMatchObject({ refunded: expected, kept: booking.amount - expected });
    expect(events.filter((e) => e.eventName === "BookingSettled")).toHaveLength(1);
    expect(events.filter((e) => e.eventName === "BookingRefunded")).toHaveLength(0);
    // The traveller sees the return flight as booked, and why.
    const [out, back] = ended.items;
    expect(out.orderCancelledAt).not.toBeNull();
    expect(back).toMatchObject({ orderCancelledAt: null, bookingReference: booking.backOrder.booking_reference });
    expect(back.orderCancelRefusal).toContain("order_not_cancellable");
    expect(booking.backOrder.cancelled_at ?? null).toBeNull();
    expect(ended.cancellation.refundAmount).toBe(String(expected));
  });

  it("an order Duffel cancelled whose answer was lost is recorded cancelled with Duffel's refund: all of it back, nothing settled", async () => {
    const { out, back, flights } = outAndBack(stub, ["off_0930edgeout", "off_0931edgeback"], futureDay(63));
    const { id, amount } = await bookFlightsAndPay(t, token, traveller, flights);
    await waitUntil("confirmed", async () => (await read(id)).status === "confirmed");
    const [outOrder] = stub.ordersOf(out.id);
    const [backOrder] = stub.ordersOf(back.id);
    // Duffel cancels the return flight, but its answer never arrives.
    stub.onCancellationConfirmed = (cancellation) => cancellation.order_id === backOrder!.id;
    let halfway;
    try {
      halfway = await call(t.app, "POST", `/bookings/${id}/cancel`, { token });
    } finally {
      stub.onCancellationConfirmed = undefined;
    }
    expect(expectError(halfway)).toMatchObject({ status: 502, code: "supplier_cancellation_incomplete" });
    expect(backOrder!.cancelled_at).not.toBeNull();
    expect((await read(id)).items[1].orderCancelledAt).toBeNull();

    let ended;
    try {
      ended = await holdEnds(id);
    } finally {
      ahead = 0;
    }
    expect(ended.status).toBe("refunded");
    const events = await escrowEventsOf(id);
    expect(events.map((e) => e.eventName)).toEqual(["BookingPaid", "BookingRefunded"]);
    expect((events[1]!.args as { amount: bigint }).amount).toBe(amount);
    expect(ended.items.map((item: { orderCancelledAt: string | null }) => item.orderCancelledAt !== null)).toEqual([
      true,
      true,
    ]);
    expect(ended.items[1].orderCancelRefusal ?? null).toBeNull();
    // Duffel's confirmed cancellation was taken as it stands: none asked for again.
    expect(cancellationsOf(outOrder!.id)).toEqual({ quotes: 1, confirmed: 1 });
    expect(cancellationsOf(backOrder!.id)).toEqual({ quotes: 1, confirmed: 1 });
  });

  it("a worker restarted while Duffel is down finishes the cancellation once: one refund, each order cancelled once", async () => {
    const booking = await halfCancelled(62);
    stub.failing = true;
    const settleJob = async () =>
      (
        await t.services.db
          .select()
          .from(schema.keeperJobs)
          .where(and(eq(schema.keeperJobs.bookingId, booking.id), eq(schema.keeperJobs.kind, "settle")))
      )[0];
    try {
      ahead = HOLD_MINUTES * MINUTE + MINUTE;
      await waitUntil("the keeper's first try failed", async () =>
        (await settleJob())?.lastError?.includes("cancelling"),
      );
      await worker!.stop();
      worker = undefined;
      expect((await read(booking.id)).status).toBe("confirmed");
      stub.failing = false;
      worker = startWorker(t.services);
      const ended = await holdEnds(booking.id);
      expect(ended.status).toBe("refunded");
    } finally {
      stub.failing = false;
      ahead = 0;
    }
    const events = await escrowEventsOf(booking.id);
    expect(events.map((e) => e.eventName)).toEqual(["BookingPaid", "BookingRefunded"]);
    expect((events[1]!.args as { amount: bigint }).amount).toBe(booking.amount);
    expect(cancellationsOf(booking.outOrder.id)).toEqual({ quotes: 1, confirmed: 1 });
    expect(cancellationsOf(booking.backOrder.id).confirmed).toBe(1);
    expect(await settleJob()).toMatchObject({ status: "done" });
  });
});
