/**
 * Duffel flights booked for real: after the escrow's payment the keeper places the Duffel order (instant, balance
 * payment, the passengers) through the real SDK against a local stub of Duffel's API, records it and only then
 * confirms; a refused order refunds the traveller; a rate limit waits for its reset; a cancellation goes through
 * Duffel's order cancellation and the escrow refunds what Duffel gives back; a worker killed between placing an order
 * and recording it does not place a second one. The worker of a real app against the shared local chain.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { and, eq } from "drizzle-orm";
import type { Hex, PrivateKeyAccount } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { BackendProcess } from "@trvl/tooling/backend-process";
import { addDays } from "../src/catalog/dates.js";
import { HOLD_MINUTES } from "../src/catalog/duffel.js";
import { schema } from "../src/db/index.js";
import { startWorker, type Worker } from "../src/worker/worker.js";
import { call, createTestApp, expectError, signIn, type TestApp } from "./helpers/app.js";
import { escrowEventsOf, fundedAccount, keeperKey } from "./helpers/chain.js";
import { futureDay, testClock } from "./helpers/clock.js";
import { bookFlightsAndPay, outAndBack } from "./helpers/duffel-bookings.js";
import { DuffelStub, stubOffer } from "./helpers/duffel-stub.js";
import { FAST_WORKER_ENV, readBooking, waitUntil } from "./helpers/pipeline.js";
import { startWorkerProcess } from "./helpers/worker-process.js";

const MINUTE = 60_000;
const TOKEN = "duffel_test_stub_token";

describe("Duffel orders on payment, cancellation and crashes", () => {
  const stub = new DuffelStub();
  let stubUrl: string;
  let t: TestApp;
  let worker: Worker | undefined;
  let traveller: PrivateKeyAccount;
  let token: string;
  let keeper: Hex;
  // The services' clock, moved forward by the test: the hold before settlement and rate-limit resets follow it.
  let ahead = 0;
  const now = () => new Date(testClock().getTime() + ahead);
  let offers = 0;
  let dataDir: string;

  beforeAll(async () => {
    stubUrl = await stub.listen();
    dataDir = await mkdtemp(path.join(tmpdir(), "trvl-duffel-"));
    keeper = await keeperKey();
    t = await createTestApp("postgres", {
      env: { ...FAST_WORKER_ENV, KEEPER_PRIVATE_KEY: keeper, DUFFEL_ACCESS_TOKEN: TOKEN, DUFFEL_API_URL: stubUrl },
      now,
    });
    traveller = await fundedAccount();
    token = await signIn(t.app, traveller);
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
    await stub.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** Books a fresh Duffel offer for two (each test its own offer, as each search gives), and pays it in ETH. */
  async function bookAndPay(offset: number, amount = "412.37", beforePay?: (offer: Record<string, any>) => void) {
    const date = futureDay(offset);
    const offer = stub.addOffer(stubOffer(`off_${String(++offers).padStart(4, "0")}paid`, date, 2, amount));
    const booking = await bookFlightsAndPay(t, token, traveller, [{ id: offer.id, date }], (booked) => {
      expect(booked.items[0]).toMatchObject({ provider: "duffel", providerOfferId: offer.id });
      // Changed before paying: the worker may act on the payment before the test hears it was mined.
      beforePay?.(offer);
    });
    return { ...booking, offerId: offer.id as string };
  }

  const read = (id: string) => readBooking(t, token, id);

  it("paid → Duffel order placed with the passengers → confirmed with its reference → settled after the hold → rewarded", async () => {
    worker = startWorker(t.services);
    const booking = await bookAndPay(45);
    await waitUntil("confirmed", async () => (await read(booking.id)).status === "confirmed");

    const [order] = stub.ordersOf(booking.offerId);
    expect(stub.ordersOf(booking.offerId)).toHaveLength(1);
    const created = stub.seen.find((s) => s.method === "POST" && s.url === "/air/orders")!.body!.data;
    expect(created).toMatchObject({
      type: "instant",
      selected_offers: [booking.offerId],
      payments: [{ type: "balance", amount: "412.37", currency: "USD" }],
      metadata: { trvl_booking_id: booking.id, trvl_item: "0" },
    });
    expect(created.passengers[1]).toEqual({
      id: `pas_${booking.offerId.slice(4)}_1`,
      title: "mr",
      given_name: "Tony",
      family_name: "Stark",
      born_on: "1980-07-24",
      gender: "m",
      email: "tony@example.com",
      phone_number: "+442080160509",
    });
    const confirmed = await read(booking.id);
    expect(confirmed.providerReference).toBe(order!.booking_reference);
    expect(confirmed.items[0].bookingReference).toBe(order!.booking_reference);
    const [item] = await t.services.db
      .select()
      .from(schema.bookingItems)
      .where(eq(schema.bookingItems.bookingId, booking.id));
    expect(item).toMatchObject({ providerOrderId: order!.id, providerBookingReference: order!.booking_reference });
    expect(item!.orderRequestedAt).not.toBeNull();

    // Cancellable through the hold; settled (the supplier paid) once it is over, then rewarded.
    expect(confirmed.cancellation).toMatchObject({ cancellable: true, refund: "full", policy: "window" });
    expect(confirmed.cancellation.summary).toContain("what the airline refunds");
    ahead = HOLD_MINUTES * MINUTE + MINUTE;
    await waitUntil("rewarded", async () => (await read(booking.id)).status === "rewarded");
    ahead = 0;
  });

  it("an order Duffel refuses (the offer is gone) refunds the traveller, with the reason on the booking", async () => {
    stub.script({
      method: "POST",
      path: "/air/orders",
      status: 422,
      body: {
        errors: [
          {
            type: "airline_error",
            code: "offer_no_longer_available",
            title: "Offer no longer available",
            message: "The selected offer is no longer available",
          },
        ],
      },
    });
    const booking = await bookAndPay(46);
    await waitUntil("refunded", async () => (await read(booking.id)).status === "refunded");
    const refunded = await read(booking.id);
    expect(refunded.supplierRefusal).toContain("offer_no_longer_available");
    expect(refunded.providerReference).toBeNull();
    expect((await escrowEventsOf(booking.id, "BookingRefunded"))[0]!.args.amount).toBe(booking.amount);
    expect(stub.ordersOf(booking.offerId)).toHaveLength(0);
  });

  it("a booking with two flights whose second order is refused cancels the first with Duffel and is refunded", async () => {
    const date = futureDay(52);
    const out = stub.addOffer(stubOffer("off_0090out", date, 2, "200.00"));
    const back = stub.addOffer(stubOffer("off_0091back", addDays(date, 3), 2, "210.00"));
    stub.script({
      method: "POST",
      path: "/air/orders",
      after: 1,
      status: 422,
      body: { errors: [{ type: "airline_error", code: "offer_no_longer_available", message: "Sold out" }] },
    });
    const { id } = await bookFlightsAndPay(t, token, traveller, [
      { id: out.id, date },
      { id: back.id, date: addDays(date, 3) },
    ]);
    await waitUntil("refunded", async () => (await read(id)).status === "refunded");
    const [first] = stub.ordersOf(out.id);
    expect(first!.cancelled_at).not.toBeNull();
    expect(stub.ordersOf(back.id)).toHaveLength(0);
    const refused = await read(id);
    expect(refused.supplierRefusal).toContain("offer_no_longer_available");
    // The outbound order was placed, then cancelled: its reference is shown as cancelled, not as a seat.
    expect(refused.items[0]).toMatchObject({ bookingReference: first!.booking_reference });
    expect(refused.items[0].orderCancelledAt).not.toBeNull();
    expect(refused.items[1]).toMatchObject({ bookingReference: null, orderCancelledAt: null });
  });

  it("an offer that expired before the order is placed is refused and refunded", async () => {
    const booking = await bookAndPay(53, undefined, (offer) => {
      offer.expires_at = new Date(now().getTime() - MINUTE).toISOString();
    });
    await waitUntil("refunded", async () => (await read(booking.id)).status === "refunded");
    expect((await read(booking.id)).supplierRefusal).toMatch(/expired/);
    expect(stub.ordersOf(booking.offerId)).toHaveLength(0);
  });

  it("an offer whose price changed is refused and refunded, never ordered at another price", async () => {
    // Duffel reprices the offer once the traveller has their quote.
    const booking = await bookAndPay(47, undefined, (offer) => {
      offer.total_amount = "450.00";
    });
    await waitUntil("refunded", async () => (await read(booking.id)).status === "refunded");
    expect((await read(booking.id)).supplierRefusal).toMatch(/price changed/);
    expect(stub.ordersOf(booking.offerId)).toHaveLength(0);
  });

  it("a rate limit (429) waits for Duffel's reset without using up attempts, then the order is placed", async () => {
    const reset = new Date(now().getTime() + 10 * MINUTE);
    stub.script({
      method: "POST",
      path: "/air/orders",
      status: 429,
      headers: { "ratelimit-limit": "60", "ratelimit-remaining": "0", "ratelimit-reset": reset.toUTCString() },
      body: { errors: [{ type: "rate_limit_error", code: "rate_limit_exceeded", message: "Too many requests" }] },
    });
    const booking = await bookAndPay(48);
    const job = async () =>
      (
        await t.services.db
          .select()
          .from(schema.keeperJobs)
          .where(and(eq(schema.keeperJobs.bookingId, booking.id), eq(schema.keeperJobs.kind, "confirm")))
      )[0];
    await waitUntil("rate limited", async () => (await job())?.lastError?.includes("rate limit") ?? false);
    const waiting = await job();
    expect(waiting).toMatchObject({ status: "pending", attempts: 0 });
    expect(Math.abs(waiting!.runAfter.getTime() - reset.getTime())).toBeLessThan(2_000);
    expect((await read(booking.id)).status).toBe("paid");
    // Duffel handled nothing: no order to look up later.
    const [item] = await t.services.db
      .select()
      .from(schema.bookingItems)
      .where(eq(schema.bookingItems.bookingId, booking.id));
    expect(item!.orderRequestedAt).toBeNull();
    ahead = 10 * MINUTE + 5_000;
    await waitUntil("confirmed after the reset", async () => (await read(booking.id)).status === "confirmed");
    expect(stub.ordersOf(booking.offerId)).toHaveLength(1);
    ahead = 0;
  });

  it("cancelling goes through Duffel's order cancellation (quote, confirm); the escrow refunds what Duffel gives back", async () => {
    const booking = await bookAndPay(49);
    await waitUntil("confirmed", async () => (await read(booking.id)).status === "confirmed");
    const [order] = stub.ordersOf(booking.offerId);
    stub.refundFor = () => "300.00";
    try {
      const cancelled = await call(t.app, "POST", `/bookings/${booking.id}/cancel`, { token });
      expect(cancelled.status).toBe(200);
      const expected = (booking.amount * 30_000n) / 41_237n;
      expect(cancelled.body.booking?.cancellation ?? cancelled.body.cancellation).toMatchObject({
        refundAmount: String(expected),
      });
      const quote = stub.seen.find(
        (s) => s.method === "POST" && s.url === "/air/order_cancellations" && s.body?.data?.order_id === order!.id,
      );
      expect(quote).toBeDefined();
      expect(order!.cancelled_at).not.toBeNull();
      await waitUntil("the kept part settled", async () =>
        ["settled", "rewarded"].includes((await read(booking.id)).status),
      );
      const [partial] = await escrowEventsOf(booking.id, "BookingPartiallyRefunded");
      expect(partial!.args).toMatchObject({ refunded: expected, kept: booking.amount - expected });
    } finally {
      stub.refundFor = (o) => o.total_amount;
    }
  });

  it("a cancellation Duffel refunds in full is refunded in full by the escrow", async () => {
    const booking = await bookAndPay(50);
    await waitUntil("confirmed", async () => (await read(booking.id)).status === "confirmed");
    expect((await call(t.app, "POST", `/bookings/${booking.id}/cancel`, { token })).status).toBe(200);
    await waitUntil("refunded", async () => (await read(booking.id)).status === "refunded");
    expect((await escrowEventsOf(booking.id, "BookingRefunded"))[0]!.args.amount).toBe(booking.amount);
    const [order] = stub.ordersOf(booking.offerId);
    expect(order!.cancelled_at).not.toBeNull();
    // The traveller sees the reference as cancelled, never as a live booking.
    const [item] = (await read(booking.id)).items;
    expect(item).toMatchObject({ bookingReference: order!.booking_reference });
    expect(item.orderCancelledAt).not.toBeNull();
  });

  it("a cancellation Duffel confirmed whose answer was lost is taken as it stands when the traveller cancels again", async () => {
    const booking = await bookAndPay(55);
    await waitUntil("confirmed", async () => (await read(booking.id)).status === "confirmed");
    const [order] = stub.ordersOf(booking.offerId);
    stub.refundFor = () => "300.00";
    stub.onCancellationConfirmed = () => true;
    try {
      const lost = await call(t.app, "POST", `/bookings/${booking.id}/cancel`, { token });
      expect(expectError(lost)).toMatchObject({ status: 502, code: "supplier_failed" });
      expect(order!.cancelled_at).not.toBeNull();
      expect((await read(booking.id)).status).toBe("confirmed");
      stub.onCancellationConfirmed = undefined;

      const again = await call(t.app, "POST", `/bookings/${booking.id}/cancel`, { token });
      expect(again.status, JSON.stringify(again.body)).toBe(200);
    } finally {
      stub.onCancellationConfirmed = undefined;
      stub.refundFor = (o) => o.total_amount;
    }
    // Duffel's refund of the cancellation it confirmed comes back; the order was not asked to be cancelled again.
    await waitUntil("the kept part settled", async () =>
      ["settled", "rewarded"].includes((await read(booking.id)).status),
    );
    const expected = (booking.amount * 30_000n) / 41_237n;
    const [partial] = await escrowEventsOf(booking.id, "BookingPartiallyRefunded");
    expect(partial!.args).toMatchObject({ refunded: expected, kept: booking.amount - expected });
    expect((await read(booking.id)).items[0].orderCancelledAt).not.toBeNull();
    const quotes = stub.seen.filter(
      (s) => s.method === "POST" && s.url === "/air/order_cancellations" && s.body?.data?.order_id === order!.id,
    );
    expect(quotes).toHaveLength(1);
  });

  it("when Duffel cancels the first flight and fails on the second, the booking records it and says so; cancelling again finishes", async () => {
    const date = futureDay(53);
    const { out, back, flights } = outAndBack(stub, ["off_0092out", "off_0093back"], date);
    const { id, amount } = await bookFlightsAndPay(t, token, traveller, flights);
    await waitUntil("confirmed", async () => (await read(id)).status === "confirmed");
    stub.script({
      method: "POST",
      path: "/air/order_cancellations/",
      after: 1,
      status: 500,
      body: { errors: [{ type: "api_error", code: "internal_server_error", message: "Airline unreachable" }] },
    });
    const halfway = await call(t.app, "POST", `/bookings/${id}/cancel`, { token });
    expect(expectError(halfway)).toMatchObject({ status: 502, code: "supplier_cancellation_incomplete" });
    expect(halfway.body.error.message).toContain('cancelled "Stub Airways JFK → LIS"');
    expect(halfway.body.error.message).toContain('could not cancel "Stub Airways BOS → LIS"');
    const [outOrder] = stub.ordersOf(out.id);
    const [backOrder] = stub.ordersOf(back.id);
    expect(outOrder!.cancelled_at).not.toBeNull();
    expect(backOrder!.cancelled_at ?? null).toBeNull();
    // Not refunded while a flight is still booked, but the cancelled order shows as cancelled.
    const between = await read(id);
    expect(between.status).toBe("confirmed");
    expect(between.items[0].orderCancelledAt).not.toBeNull();
    expect(between.items[1].orderCancelledAt).toBeNull();

    const finished = await call(t.app, "POST", `/bookings/${id}/cancel`, { token });
    expect(finished.status, JSON.stringify(finished.body)).toBe(200);
    await waitUntil("refunded", async () => (await read(id)).status === "refunded");
    expect(stub.ordersOf(back.id)[0]!.cancelled_at).not.toBeNull();
    // The first order was not asked to be cancelled twice.
    const quotesForOut = stub.seen.filter(
      (s) => s.method === "POST" && s.url === "/air/order_cancellations" && s.body?.data?.order_id === outOrder!.id,
    );
    expect(quotesForOut).toHaveLength(1);
    expect((await escrowEventsOf(id, "BookingRefunded"))[0]!.args.amount).toBe(amount);
  });

  it(
    "SIGKILLed after Duffel placed the order and before it was recorded: the restarted worker finds it, no second order",
    { timeout: 180_000 },
    async () => {
      await worker?.stop();
      worker = undefined;
      const backend = () =>
        startWorkerProcess(t, {
          dataDir,
          keeper,
          env: { DUFFEL_ACCESS_TOKEN: TOKEN, DUFFEL_API_URL: stubUrl },
        });
      let first: BackendProcess | undefined = await backend();
      let second: BackendProcess | undefined;
      try {
        // The order is placed at Duffel; the worker dies before it hears back.
        stub.onOrderCreated = () => {
          process.kill(first!.pid, "SIGKILL");
          stub.onOrderCreated = undefined;
        };
        const booking = await bookAndPay(51);
        await waitUntil("the order placed", async () => stub.ordersOf(booking.offerId).length === 1);
        await first.kill();
        first = undefined;
        const [item] = await t.services.db
          .select()
          .from(schema.bookingItems)
          .where(eq(schema.bookingItems.bookingId, booking.id));
        expect(item!.orderRequestedAt).not.toBeNull();
        expect(item!.providerOrderId).toBeNull();
        // Its order may exist: the booking cannot be cancelled until the keeper knows.
        const early = await call(t.app, "POST", `/bookings/${booking.id}/cancel`, { token });
        expect(expectError(early)).toMatchObject({ status: 409, code: "order_in_progress" });

        second = await backend();
        await waitUntil(
          "confirmed after the restart",
          async () => (await read(booking.id)).status === "confirmed",
          120_000,
        );
        const orders = stub.ordersOf(booking.offerId);
        expect(orders).toHaveLength(1);
        expect((await read(booking.id)).items[0].bookingReference).toBe(orders[0]!.booking_reference);
        // Looked up by passenger name, matched by its metadata.
        expect(stub.seen.some((s) => s.method === "GET" && s.url.startsWith("/air/orders?"))).toBe(true);
      } finally {
        stub.onOrderCreated = undefined;
        await first?.kill();
        await second?.stop();
      }
    },
  );
});
