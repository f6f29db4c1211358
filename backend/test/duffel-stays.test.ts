/**
 * Duffel Stays hotels booked for real: a hotel search finds rates through the real SDK against a local stub of
 * Duffel's API; after the escrow's payment the keeper quotes the rate again and books it, records the booking and only
 * then confirms; an unavailable or repriced rate refunds the traveller; a rate limit waits for its reset; cancelling
 * cancels the Duffel booking and the escrow gives back what the rate's cancellation timeline gives then, also when
 * Duffel's answer to the cancel was lost and the traveller or the keeper cancels again. The worker of a real app against
 * the shared local chain, a real Postgres, and the services' injected clock.
 */
import { and, eq } from "drizzle-orm";
import type { Hex, PrivateKeyAccount } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { addDays } from "../src/catalog/dates.js";
import { HOLD_MINUTES } from "../src/catalog/duffel-shared.js";
import { stayPolicy } from "../src/catalog/duffel-stays.js";
import { schema } from "../src/db/index.js";
import { startWorker, type Worker } from "../src/worker/worker.js";
import { call, createTestApp, signIn, type TestApp } from "./helpers/app.js";
import { escrowEventsOf, fundedAccount, keeperKey, payInEth } from "./helpers/chain.js";
import { futureDay, testClock } from "./helpers/clock.js";
import { DuffelStub, PASSENGERS, stubHotel, stubOffer, type StubRate } from "./helpers/duffel-stub.js";
import { FAST_WORKER_ENV, readBooking, waitUntil } from "./helpers/pipeline.js";
import { ETH, LISBON } from "./helpers/trips.js";

type Json = Record<string, any>;

const MINUTE = 60_000;
const TOKEN = "duffel_test_stub_token";

describe("a Stays rate's cancellation timeline as booked terms", () => {
  const now = new Date("2027-05-10T08:00:00Z");
  const rate = (total: string, timeline: [string, string][]) => ({
    total_amount: total,
    total_currency: "USD",
    cancellation_timeline: timeline.map(([before, refund_amount]) => ({ before, refund_amount, currency: "USD" })),
  });

  it("is free until the full refund's deadline, then keeps the fee the next step implies until that step ends", () => {
    const terms = stayPolicy(
      rate("300.00", [
        ["2027-05-10T09:00:00Z", "300.00"],
        ["2027-05-10T14:00:00Z", "100.00"],
      ]),
      now,
    );
    // 200 of 300 kept: 6 667 bps, rounded up so the escrow never gives back more than the hotel.
    expect(terms).toEqual({ kind: "window", freeMinutes: 60, feeBps: 6_667, dueMinutes: 360 });
  });

  it("keeps all of it after the only step, and caps every deadline at the escrow hold", () => {
    expect(stayPolicy(rate("300.00", [["2027-05-20T00:00:00Z", "300.00"]]), now)).toEqual({
      kind: "window",
      freeMinutes: HOLD_MINUTES,
      feeBps: 10_000,
      dueMinutes: HOLD_MINUTES,
    });
  });

  it("is due at once without a refund to come: no timeline, only past steps, or refunds in another currency", () => {
    const due = { kind: "window", freeMinutes: 0, feeBps: 10_000, dueMinutes: 0 };
    expect(stayPolicy(rate("300.00", []), now)).toEqual(due);
    expect(stayPolicy(rate("300.00", [["2027-05-10T07:59:00Z", "300.00"]]), now)).toEqual(due);
    const inEuros = rate("300.00", [["2027-05-10T09:00:00Z", "300.00"]]);
    inEuros.cancellation_timeline[0]!.currency = "EUR";
    expect(stayPolicy(inEuros, now)).toEqual(due);
  });

  it("is never free when the first step already keeps part of it", () => {
    expect(stayPolicy(rate("300.00", [["2027-05-10T10:00:00Z", "150.00"]]), now)).toEqual({
      kind: "window",
      freeMinutes: 0,
      feeBps: 5_000,
      dueMinutes: 120,
    });
  });
});

describe("Duffel Stays: search, booking on payment, refusals and cancellation", () => {
  const stub = new DuffelStub();
  let t: TestApp;
  let worker: Worker | undefined;
  let traveller: PrivateKeyAccount;
  let token: string;
  // The services' clock, moved forward by the test: deadlines, the hold and rate-limit resets follow it.
  let ahead = 0;
  const now = () => new Date(testClock().getTime() + ahead);
  const later = (minutes: number) => new Date(now().getTime() + minutes * MINUTE).toISOString();
  let hotels = 0;

  beforeAll(async () => {
    stub.now = now;
    const stubUrl = await stub.listen();
    t = await createTestApp("postgres", {
      env: {
        ...FAST_WORKER_ENV,
        KEEPER_PRIVATE_KEY: await keeperKey(),
        DUFFEL_ACCESS_TOKEN: TOKEN,
        DUFFEL_API_URL: stubUrl,
        DUFFEL_STAYS: "true",
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

  /** Searches hotels in Lisbon for two, where Duffel finds one hotel with `rates`; returns the live items. */
  async function search(checkIn: string, rates: StubRate[]) {
    const id = `acc_${String(++hotels).padStart(4, "0")}stub`;
    stub.hotelsNear = (latitude, longitude) => [
      stubHotel(id, `Stub Palace ${hotels}`, { lat: latitude + 0.001, lon: longitude }, rates),
    ];
    const response = await call(
      t.app,
      "GET",
      `/catalog/search?destination=${LISBON}&type=hotel&checkIn=${checkIn}&checkOut=${addDays(checkIn, 3)}&guests=2&sort=price_asc&limit=50`,
    );
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const body = response.body as Json;
    return { body, live: (body.items as Json[]).filter((item) => item.provider === "duffel") };
  }

  /** Searches a hotel with one bookable rate, books it for the two PASSENGERS and pays in ETH. */
  async function bookAndPay(offset: number, rate: Omit<StubRate, "id">, beforePay?: (rateId: string) => void) {
    const checkIn = futureDay(offset);
    const rateId = `rat_${String(hotels + 1).padStart(4, "0")}paid`;
    const { live } = await search(checkIn, [{ id: rateId, ...rate }]);
    expect(live.map((item) => item.id)).toEqual([`duffel-stay-${rateId}`]);
    const { status, body } = await call(t.app, "POST", "/bookings", {
      token,
      body: {
        items: [{ itemId: `duffel-stay-${rateId}` }],
        checkIn,
        checkOut: addDays(checkIn, 3),
        guests: 2,
        passengers: PASSENGERS,
        paymentToken: ETH,
      },
    });
    expect(status, JSON.stringify(body)).toBe(201);
    expect(body.booking.items[0]).toMatchObject({ provider: "duffel", providerOfferId: rateId, quantity: 1 });
    beforePay?.(rateId);
    await payInEth(traveller, body.pay);
    return { id: body.booking.id as Hex, amount: BigInt(body.booking.payment.amount), rateId, booking: body.booking };
  }

  /** Books a trip of a $420.00 flight (`offerId`) and a hotel with one bookable rate for the two PASSENGERS, unpaid. */
  async function bookFlightAndHotel(checkIn: string, offerId: string, rate: StubRate) {
    const flight = stub.addOffer(stubOffer(offerId, checkIn, 2, "420.00"));
    await search(checkIn, [rate]);
    const { status, body } = await call(t.app, "POST", "/bookings", {
      token,
      body: {
        items: [{ itemId: `duffel-${flight.id}`, date: checkIn }, { itemId: `duffel-stay-${rate.id}` }],
        checkIn,
        checkOut: addDays(checkIn, 3),
        guests: 2,
        passengers: PASSENGERS,
        paymentToken: ETH,
      },
    });
    expect(status, JSON.stringify(body)).toBe(201);
    return { flight, body };
  }

  const read = (id: string) => readBooking(t, token, id);

  const bookingsOf = (rateId: string) =>
    stub.stayBookings.filter((booking) =>
      booking.accommodation.rooms.some((room: Json) => room.rates.some((rate: Json) => rate.id === rateId)),
    );

  it("searches around the destination for the stay and party, and offers each hotel's cheapest bookable rate", async () => {
    stub.seen.length = 0;
    const checkIn = futureDay(40);
    const { body, live } = await search(checkIn, [
      { id: "rat_0001cheap", total: "610.00", timeline: [[later(60 * 24), "610.00"]] },
      // Cheaper, but paid at the hotel, or in euros: TRVL cannot sell them through the escrow.
      { id: "rat_0002athotel", total: "500.00", payAtHotel: true },
      { id: "rat_0003euros", total: "450.00", currency: "EUR" },
      { id: "rat_0004dear", total: "800.00" },
    ]);
    const request = stub.seen.find((s) => s.method === "POST" && s.url === "/stays/search")!;
    const lisbon = t.services.catalog.destinationsById.get(LISBON)!;
    expect(request.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request.body?.data).toEqual({
      location: { radius: expect.any(Number), geographic_coordinates: { latitude: lisbon.lat, longitude: lisbon.lon } },
      check_in_date: checkIn,
      check_out_date: addDays(checkIn, 3),
      rooms: 1,
      guests: [{ type: "adult" }, { type: "adult" }],
    });
    expect(
      stub.seen.some(
        (s) => s.method === "POST" && /\/stays\/search_results\/srr_\w+\/actions\/fetch_all_rates/.test(s.url),
      ),
    ).toBe(true);
    expect(body.sources).toContainEqual({ provider: "duffel", status: "ok" });
    // The live hotel comes with the demo hotels.
    expect(body.items.some((item: Json) => item.provider === "demo")).toBe(true);
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({
      id: "duffel-stay-rat_0001cheap",
      type: "hotel",
      demo: false,
      name: "Stub Palace 1",
      price: { amount: "610.00" },
      priceUnit: "offer",
      rating: 4.3,
      reviewCount: 412,
      destination: { id: LISBON },
      details: {
        kind: "hotel",
        stars: 4,
        address: "Rua Augusta 100, 1100-053, Lisbon",
        photos: ["https://photos.example.com/acc_0001stub/1.jpg"],
        stay: { checkIn, checkOut: addDays(checkIn, 3), guests: 2, rooms: 1 },
        amenities: ["wifi", "restaurant"],
      },
    });
    // A search without dates asks no supplier for hotels.
    stub.seen.length = 0;
    expect((await call(t.app, "GET", `/catalog/search?destination=${LISBON}&type=hotel`)).status).toBe(200);
    expect(stub.seen).toHaveLength(0);
  });

  it("a rate is booked only for the stay and party it was searched for", async () => {
    const checkIn = futureDay(41);
    await search(checkIn, [{ id: "rat_0005party", total: "300.00" }]);
    const { status, body } = await call(t.app, "POST", "/bookings", {
      token,
      body: {
        items: [{ itemId: "duffel-stay-rat_0005party" }],
        checkIn,
        checkOut: addDays(checkIn, 3),
        guests: 1,
        passengers: [PASSENGERS[0]],
        paymentToken: ETH,
      },
    });
    expect(status).toBe(422);
    expect(body.error).toMatchObject({ code: "party_mismatch" });
    const withoutGuests = await call(t.app, "POST", "/bookings", {
      token,
      body: {
        items: [{ itemId: "duffel-stay-rat_0005party" }],
        checkIn,
        checkOut: addDays(checkIn, 3),
        guests: 2,
        paymentToken: ETH,
      },
    });
    expect(withoutGuests.status).toBe(422);
    expect(withoutGuests.body.error).toMatchObject({ code: "passengers_required" });
  });

  it("paid → quoted again and booked with Duffel for the guests → confirmed with the hotel's reference", async () => {
    const booking = await bookAndPay(42, { total: "612.40", timeline: [[later(60 * 48), "612.40"]] });
    await waitUntil("confirmed", async () => (await read(booking.id)).status === "confirmed");

    const [made] = bookingsOf(booking.rateId);
    expect(bookingsOf(booking.rateId)).toHaveLength(1);
    const created = stub.seen.filter((s) => s.method === "POST" && s.url === "/stays/bookings").at(-1)!.body!.data;
    expect(created).toEqual({
      quote_id: expect.stringMatching(/^quo_/),
      guests: [
        { given_name: "Amélia", family_name: "O'Neil-Sousa" },
        { given_name: "Tony", family_name: "Stark" },
      ],
      email: "amelia@example.com",
      phone_number: "+351912345678",
      metadata: { trvl_booking_id: booking.id, trvl_item: "0" },
    });
    const confirmed = await read(booking.id);
    expect(confirmed.providerReference).toBe(made!.reference);
    expect(confirmed.items[0]).toMatchObject({ bookingReference: made!.reference, orderCancelledAt: null });
    const [item] = await t.services.db
      .select()
      .from(schema.bookingItems)
      .where(eq(schema.bookingItems.bookingId, booking.id));
    expect(item).toMatchObject({ providerOrderId: made!.id, providerBookingReference: made!.reference });
    // Free to cancel for the hold (the hotel's own deadline is two days away), then the supplier is due.
    expect(confirmed.cancellation).toMatchObject({ cancellable: true, refund: "full", policy: "window" });
    expect(confirmed.cancellation.summary).toContain("what its rate's cancellation terms give back then");
    expect(confirmed.cancellation.summary).not.toContain("airline");
    expect(Date.parse(confirmed.items[0].freeCancelUntil) - Date.parse(confirmed.createdAt)).toBe(
      HOLD_MINUTES * MINUTE,
    );
  });

  it("a rate Duffel says is no longer available refunds the traveller, with the reason on the booking", async () => {
    const booking = await bookAndPay(43, { total: "300.00", timeline: [[later(600), "300.00"]] }, () =>
      stub.script({
        method: "POST",
        path: "/stays/quotes",
        status: 422,
        body: {
          errors: [
            {
              type: "invalid_request_error",
              code: "rate_unavailable",
              title: "Rate unavailable",
              message: "The rate is no longer available",
            },
          ],
        },
      }),
    );
    await waitUntil("refunded", async () => (await read(booking.id)).status === "refunded");
    const refunded = await read(booking.id);
    expect(refunded.supplierRefusal).toContain("rate_unavailable");
    expect(refunded.providerReference).toBeNull();
    expect((await escrowEventsOf(booking.id, "BookingRefunded"))[0]!.args.amount).toBe(booking.amount);
    expect(bookingsOf(booking.rateId)).toHaveLength(0);
  });

  it("a rate whose price changed is refused and refunded, never booked at another price", async () => {
    const booking = await bookAndPay(44, { total: "300.00", timeline: [[later(600), "300.00"]] }, (rateId) => {
      stub.rates.get(rateId)!.rate.total_amount = "345.00";
    });
    await waitUntil("refunded", async () => (await read(booking.id)).status === "refunded");
    expect((await read(booking.id)).supplierRefusal).toMatch(/price changed to 345.00 USD/);
    expect(bookingsOf(booking.rateId)).toHaveLength(0);
  });

  it("a rate limit (429) waits for Duffel's reset without using up attempts, then the stay is booked", async () => {
    const reset = new Date(now().getTime() + 10 * MINUTE);
    const booking = await bookAndPay(45, { total: "300.00", timeline: [[later(600), "300.00"]] }, () =>
      stub.script({
        method: "POST",
        path: "/stays/bookings",
        status: 429,
        headers: { "ratelimit-limit": "60", "ratelimit-remaining": "0", "ratelimit-reset": reset.toUTCString() },
        body: { errors: [{ type: "rate_limit_error", code: "rate_limit_exceeded", message: "Too many requests" }] },
      }),
    );
    const job = async () =>
      (
        await t.services.db
          .select()
          .from(schema.keeperJobs)
          .where(and(eq(schema.keeperJobs.bookingId, booking.id), eq(schema.keeperJobs.kind, "confirm")))
      )[0];
    await waitUntil("rate limited", async () => (await job())?.lastError?.includes("rate limit") ?? false);
    expect(await job()).toMatchObject({ status: "pending", attempts: 0 });
    expect((await read(booking.id)).status).toBe("paid");
    ahead += 10 * MINUTE + 5_000;
    await waitUntil("confirmed after the reset", async () => (await read(booking.id)).status === "confirmed");
    expect(bookingsOf(booking.rateId)).toHaveLength(1);
  });

  it("an answer lost after Duffel booked: the keeper finds the booking by its metadata, and books nothing twice", async () => {
    stub.onStayBooked = () => {
      stub.onStayBooked = undefined;
      return true;
    };
    const booking = await bookAndPay(46, { total: "300.00", timeline: [[later(600), "300.00"]] });
    await waitUntil("confirmed", async () => (await read(booking.id)).status === "confirmed");
    const made = bookingsOf(booking.rateId);
    expect(made).toHaveLength(1);
    expect((await read(booking.id)).items[0].bookingReference).toBe(made[0]!.reference);
    expect(stub.seen.some((s) => s.method === "GET" && s.url.startsWith("/stays/bookings"))).toBe(true);
  });

  it("a trip with a flight and a hotel whose rate is gone: the flight's order already placed is cancelled, and all is refunded", async () => {
    const checkIn = futureDay(49);
    const rateId = "rat_0001withflight";
    const { flight, body } = await bookFlightAndHotel(checkIn, "off_0001withstay", {
      id: rateId,
      total: "300.00",
      timeline: [[later(600), "300.00"]],
    });
    stub.script({
      method: "POST",
      path: "/stays/quotes",
      status: 422,
      body: { errors: [{ type: "invalid_request_error", code: "rate_unavailable", message: "Sold out" }] },
    });
    await payInEth(traveller, body.pay);
    const id = body.booking.id as string;
    await waitUntil("refunded", async () => (await read(id)).status === "refunded");
    const [order] = stub.ordersOf(flight.id);
    expect(order!.cancelled_at).not.toBeNull();
    expect(bookingsOf(rateId)).toHaveLength(0);
    expect((await read(id)).supplierRefusal).toContain("rate_unavailable");
    expect((await escrowEventsOf(id as Hex, "BookingRefunded"))[0]!.args.amount).toBe(
      BigInt(body.booking.payment.amount),
    );
  });

  it("cancelling inside the free window cancels the Duffel booking, and the escrow refunds all of it", async () => {
    const booking = await bookAndPay(47, {
      total: "400.00",
      timeline: [
        [later(120), "400.00"],
        [later(360), "100.00"],
      ],
    });
    await waitUntil("confirmed", async () => (await read(booking.id)).status === "confirmed");
    const cancelled = await call(t.app, "POST", `/bookings/${booking.id}/cancel`, { token });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    await waitUntil("refunded", async () => (await read(booking.id)).status === "refunded");
    expect((await escrowEventsOf(booking.id, "BookingRefunded"))[0]!.args.amount).toBe(booking.amount);
    const [made] = bookingsOf(booking.rateId);
    expect(made).toMatchObject({ status: "cancelled" });
    const [item] = (await read(booking.id)).items;
    expect(item).toMatchObject({ bookingReference: made!.reference });
    expect(item.orderCancelledAt).not.toBeNull();
  });

  it("cancelling after the free deadline cancels with Duffel and keeps the fee: the escrow refunds the rest", async () => {
    const booking = await bookAndPay(48, {
      total: "400.00",
      timeline: [
        [later(60), "400.00"],
        [later(360), "100.00"],
      ],
    });
    await waitUntil("confirmed", async () => (await read(booking.id)).status === "confirmed");
    expect((await read(booking.id)).items[0]).toMatchObject({ cancelFeeBps: 7_500 });
    ahead += 90 * MINUTE;
    const cancelled = await call(t.app, "POST", `/bookings/${booking.id}/cancel`, { token });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    const expected = booking.amount / 4n;
    await waitUntil("the kept part settled", async () =>
      ["settled", "rewarded"].includes((await read(booking.id)).status),
    );
    const [partial] = await escrowEventsOf(booking.id, "BookingPartiallyRefunded");
    expect(partial!.args).toMatchObject({ refunded: expected, kept: booking.amount - expected });
    expect(bookingsOf(booking.rateId)[0]).toMatchObject({ status: "cancelled" });
  });

  it("a cancellation Duffel confirmed whose answer was lost is recorded when the traveller cancels again, with the refund due when Duffel cancelled", async () => {
    const booking = await bookAndPay(49, {
      total: "400.00",
      timeline: [
        [later(60), "400.00"],
        [later(360), "100.00"],
      ],
    });
    await waitUntil("confirmed", async () => (await read(booking.id)).status === "confirmed");
    // Inside the free window Duffel cancels the booking, but its answer never arrives.
    stub.onStayCancelled = () => true;
    try {
      const lost = await call(t.app, "POST", `/bookings/${booking.id}/cancel`, { token });
      expect(lost.status).toBe(502);
    } finally {
      stub.onStayCancelled = undefined;
    }
    const [made] = bookingsOf(booking.rateId);
    expect(made).toMatchObject({ status: "cancelled" });
    expect((await read(booking.id)).status).toBe("confirmed");

    // Past the free deadline the traveller cancels again: what Duffel's cancellation gave back, all of it, comes back.
    ahead += 90 * MINUTE;
    const again = await call(t.app, "POST", `/bookings/${booking.id}/cancel`, { token });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    await waitUntil("refunded", async () => (await read(booking.id)).status === "refunded");
    expect((await escrowEventsOf(booking.id, "BookingRefunded"))[0]!.args.amount).toBe(booking.amount);
    expect(await escrowEventsOf(booking.id, "BookingPartiallyRefunded")).toHaveLength(0);
    expect((await read(booking.id)).items[0].orderCancelledAt).not.toBeNull();
    const cancels = stub.seen.filter(
      (s) => s.method === "POST" && s.url === `/stays/bookings/${made!.id}/actions/cancel`,
    );
    expect(cancels).toHaveLength(2);
  });

  it("a trip's hotel Duffel cancelled whose answer was lost, never retried by the traveller: at the hold's end the keeper records it cancelled and refunds all, nothing settled", async () => {
    const rateId = "rat_0002withflight";
    const { body } = await bookFlightAndHotel(futureDay(50), "off_0002withstay", {
      id: rateId,
      total: "300.00",
      timeline: [[later(60 * 24 * 3), "300.00"]],
    });
    await payInEth(traveller, body.pay);
    const id = body.booking.id as Hex;
    await waitUntil("confirmed", async () => (await read(id)).status === "confirmed");

    // Duffel cancels the flight, then the hotel, but the hotel's answer never arrives.
    stub.onStayCancelled = () => true;
    try {
      const halfway = await call(t.app, "POST", `/bookings/${id}/cancel`, { token });
      expect(halfway.status).toBe(502);
      expect(halfway.body.error).toMatchObject({ code: "supplier_cancellation_incomplete" });
    } finally {
      stub.onStayCancelled = undefined;
    }
    const [made] = bookingsOf(rateId);
    expect(made).toMatchObject({ status: "cancelled" });
    expect((await read(id)).items[1].orderCancelledAt).toBeNull();

    ahead += HOLD_MINUTES * MINUTE + MINUTE;
    const ended = await waitUntil("refunded or settled", async () => {
      const booking = await read(id);
      return ["refunded", "settled", "rewarded"].includes(booking.status) ? booking : undefined;
    });
    expect(ended.status).toBe("refunded");
    expect((await escrowEventsOf(id, "BookingRefunded"))[0]!.args.amount).toBe(BigInt(body.booking.payment.amount));
    expect(await escrowEventsOf(id, "BookingPartiallyRefunded")).toHaveLength(0);
    expect(ended.items.map((item: Json) => item.orderCancelledAt !== null)).toEqual([true, true]);
    expect(ended.items[1].orderCancelRefusal ?? null).toBeNull();
  });
});
