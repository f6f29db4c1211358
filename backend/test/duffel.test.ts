/**
 * The Duffel adapter against a local stub of Duffel's HTTP API (the outer edge: the real SDK makes real requests).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { eq } from "drizzle-orm";

import { addDays } from "../src/catalog/dates.js";
import { schema } from "../src/db/index.js";
import { call, createTestApp, expectError, signIn, testAccount, type TestApp } from "./helpers/app.js";
import { DRIVERS } from "./helpers/databases.js";
import { DuffelStub, PASSENGERS } from "./helpers/duffel-stub.js";
import { LISBON, STABLECOIN, futureDay } from "./helpers/trips.js";

type Json = Record<string, any>;

const TOKEN = "duffel_test_stub_token";

describe.each(DRIVERS)("Duffel flights adapter (%s)", (driver) => {
  const stub = new DuffelStub();
  const seen = stub.seen;
  let t: TestApp;
  const date = futureDay(45);

  beforeAll(async () => {
    const url = await stub.listen();
    t = await createTestApp(driver, { env: { DUFFEL_ACCESS_TOKEN: TOKEN, DUFFEL_API_URL: url } });
  });
  afterAll(async () => {
    await t?.close();
    await stub.close();
  });

  it("searches live offers for origin → destination airport on the date, priced as Duffel prices them", async () => {
    seen.length = 0;
    const response = await call(
      t.app,
      "GET",
      `/catalog/search?destination=${LISBON}&type=flight&origin=jfk&checkIn=${date}&guests=2&sort=price_asc`,
    );
    expect(response.status).toBe(200);
    const request = seen.find((s) => s.method === "POST")!;
    expect(request.url).toContain("/air/offer_requests");
    expect(request.url).toContain("return_offers=true");
    expect(request.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request.version).toBe("v2");
    expect(request.body?.data).toMatchObject({
      slices: [{ origin: "JFK", destination: "LIS", departure_date: date }],
      passengers: [{ type: "adult" }, { type: "adult" }],
    });
    const body = response.body as Json;
    expect(body.sources).toContainEqual({ provider: "duffel", status: "ok" });
    const live = body.items.filter((i: Json) => i.provider === "duffel");
    expect(live.map((i: Json) => [i.id, i.price.amount, i.priceUnit, i.demo])).toEqual([
      ["duffel-off_0001stub", "412.37", "offer", false],
      ["duffel-off_0002stub", "530.00", "offer", false],
    ]);
    expect(live[0].details).toMatchObject({ origin: "JFK", destination: "LIS", passengers: 2, durationMinutes: 415 });
  });

  it("books a Duffel offer at its exact price, for the party it was priced for", async () => {
    const token = await signIn(t.app, testAccount(14));
    const stay = { checkIn: date, checkOut: addDays(date, 4), paymentToken: STABLECOIN };
    const withoutPassengers = await call(t.app, "POST", "/bookings", {
      token,
      body: { ...stay, guests: 2, items: [{ itemId: "duffel-off_0001stub", date }] },
    });
    expect(expectError(withoutPassengers)).toMatchObject({ status: 422, code: "passengers_required" });
    const booked = await call(t.app, "POST", "/bookings", {
      token,
      body: { ...stay, guests: 2, passengers: PASSENGERS, items: [{ itemId: "duffel-off_0001stub", date }] },
    });
    expect(booked.status).toBe(201);
    // Stored with the booking, never shown back: only the supplier gets them.
    expect(JSON.stringify(booked.body)).not.toContain("Stark");
    const [stored] = await t.services.db
      .select({ passengers: schema.bookings.passengers })
      .from(schema.bookings)
      .where(eq(schema.bookings.id, (booked.body as Json).booking.id));
    expect(stored!.passengers).toEqual(PASSENGERS);
    expect((booked.body as Json).booking.items[0]).toMatchObject({ quantity: 1, total: { amount: "412.37" } });
    expect((booked.body as Json).booking.payment.amount).toBe("412370000");
    const wrongParty = await call(t.app, "POST", "/bookings", {
      token,
      body: {
        ...stay,
        guests: 3,
        passengers: [...PASSENGERS, PASSENGERS[0]],
        items: [{ itemId: "duffel-off_0001stub", date }],
      },
    });
    expect(expectError(wrongParty)).toMatchObject({ status: 422, code: "party_mismatch" });
    const gone = await call(t.app, "POST", "/bookings", {
      token,
      body: { ...stay, guests: 2, passengers: PASSENGERS, items: [{ itemId: "duffel-off_9999stub", date }] },
    });
    expect(expectError(gone)).toMatchObject({ status: 422, code: "item_not_found" });
  });

  it("rejects passengers' details naming the bad field, and a list that does not match the party", async () => {
    const token = await signIn(t.app, testAccount(14));
    const stay = { checkIn: date, checkOut: addDays(date, 4), paymentToken: STABLECOIN, guests: 2 };
    const items = [{ itemId: "duffel-off_0001stub", date }];
    const cases: [Json, string][] = [
      [{ ...PASSENGERS[1], bornOn: "1980-02-30" }, "body.passengers.1.bornOn"],
      [{ ...PASSENGERS[1], email: "tony" }, "body.passengers.1.email"],
      [{ ...PASSENGERS[1], phoneNumber: "020 8016 0509" }, "body.passengers.1.phoneNumber"],
      [{ ...PASSENGERS[1], title: "sir" }, "body.passengers.1.title"],
      [{ ...PASSENGERS[1], givenName: " " }, "body.passengers.1.givenName"],
      [{ ...PASSENGERS[1], bornOn: addDays(date, 1) }, "body.passengers.1.bornOn"],
    ];
    for (const [bad, field] of cases) {
      const response = await call(t.app, "POST", "/bookings", {
        token,
        body: { ...stay, items, passengers: [PASSENGERS[0], bad] },
      });
      const error = expectError(response);
      expect(error.status, field).toBe(400);
      expect(JSON.stringify(response.body), field).toContain(field);
    }
    const short = await call(t.app, "POST", "/bookings", {
      token,
      body: { ...stay, items, passengers: [PASSENGERS[0]] },
    });
    expect(expectError(short).status).toBe(400);
    expect(JSON.stringify(short.body)).toContain("body.passengers");
  });

  it("when Duffel fails, search still answers with demo inventory and says which source failed; item lookup is a 502", async () => {
    stub.failing = true;
    try {
      const response = await call(
        t.app,
        "GET",
        `/catalog/search?destination=${LISBON}&type=flight&origin=JFK&checkIn=${date}`,
      );
      expect(response.status).toBe(200);
      const body = response.body as Json;
      expect(body.items.every((i: Json) => i.provider === "demo")).toBe(true);
      expect(body.sources).toContainEqual(expect.objectContaining({ provider: "duffel", status: "error" }));
      const item = await call(t.app, "GET", "/catalog/items/duffel-off_0001stub");
      expect(expectError(item)).toMatchObject({ status: 502, code: "supplier_failed", hasShape: true });
    } finally {
      stub.failing = false;
    }
  });

  it("plans the live flight from the traveller's city for the trip's first day and party, bookable as planned", async () => {
    seen.length = 0;
    const planned = await call(t.app, "POST", "/planner/plan", {
      body: { text: "3 days in Lisbon from New York for 2" },
    });
    expect(planned.status).toBe(200);
    const plan = (planned.body as Json).plan;
    const flights = plan.booking.items.filter((line: Json) => line.itemId.startsWith("duffel-"));
    expect(flights).toEqual([
      { itemId: expect.stringMatching(/^duffel-off_000[12]stub$/), date: plan.booking.checkIn },
    ]);
    const asked = seen.filter((s) => s.url.includes("/air/offer_requests"));
    expect(asked.map((s) => s.body?.data.slices[0].origin)).toContain("JFK");
    for (const request of asked) {
      expect(request.body?.data).toMatchObject({
        slices: [{ destination: "LIS", departure_date: plan.booking.checkIn }],
        passengers: [{ type: "adult" }, { type: "adult" }],
      });
    }
    // Priced whole (one offer for the party), as the booking prices it.
    const day = plan.days.find((d: Json) => d.items.some((i: Json) => i.itemId === flights[0].itemId));
    expect(day.items.find((i: Json) => i.itemId === flights[0].itemId)).toMatchObject({ quantity: 1 });
    const token = await signIn(t.app, testAccount(16));
    const booked = await call(t.app, "POST", "/bookings", {
      token,
      body: { ...plan.booking, paymentToken: STABLECOIN, passengers: PASSENGERS },
    });
    expect(booked.status).toBe(201);
    expect((booked.body as Json).booking.items.map((line: Json) => line.itemId)).toEqual(
      plan.booking.items.map((line: Json) => line.itemId),
    );
  });
});
