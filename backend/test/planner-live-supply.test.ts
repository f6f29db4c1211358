/**
 * The planner with live suppliers configured (Duffel flights and Stays, against the local stub): a planned trip holds
 * the real hotel for its stay and party and the real flight from the traveller's city, priced whole and bookable as
 * planned; a supplier failing leaves the plan to the demo inventory.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { addDays } from "../src/catalog/dates.js";
import { EMPTY_TRAVELLER } from "../src/planner/types.js";
import { call, createTestApp, signIn, testAccount, type TestApp } from "./helpers/app.js";
import { futureDay } from "./helpers/clock.js";
import { DuffelStub, PASSENGERS, stubHotel } from "./helpers/duffel-stub.js";
import { ChatStub, streamed } from "./helpers/openai-stub.js";
import { LISBON, STABLECOIN } from "./helpers/trips.js";

type Json = Record<string, any>;

describe("planning with live supply", () => {
  const stub = new DuffelStub();
  let t: TestApp;

  beforeAll(async () => {
    const url = await stub.listen();
    stub.hotelsNear = (latitude, longitude) => [
      stubHotel("acc_0001plan", "Stub Palace", { lat: latitude + 0.001, lon: longitude }, [
        { id: "rat_0001plan", total: "900.00" },
      ]),
    ];
    t = await createTestApp("pglite", {
      env: { DUFFEL_ACCESS_TOKEN: "duffel_test_stub_token", DUFFEL_API_URL: url, DUFFEL_STAYS: "true" },
    });
  });
  afterAll(async () => {
    await t?.close();
    await stub.close();
  });

  it("puts the live hotel for the stay and party and the live flight from the traveller's city in the plan", async () => {
    stub.seen.length = 0;
    const planned = await call(t.app, "POST", "/planner/plan", {
      body: { text: "4 days in Lisbon from New York for 2" },
    });
    expect(planned.status, JSON.stringify(planned.body)).toBe(200);
    const plan = (planned.body as Json).plan;
    const { checkIn, checkOut } = plan.booking;
    const search = stub.seen.find((s) => s.url.includes("/stays/search"))!;
    expect(search.body?.data).toMatchObject({ check_in_date: checkIn, check_out_date: checkOut });
    expect(search.body?.data.guests).toHaveLength(2);

    const lines = plan.days.flatMap((day: Json) => day.items) as Json[];
    const hotel = lines.find((line) => line.itemId === "duffel-stay-rat_0001plan");
    expect(hotel).toMatchObject({ type: "hotel", quantity: 1, total: { amount: "900.00" } });
    const flight = lines.find((line) => /^duffel-off_000[12]stub$/.test(line.itemId));
    expect(flight).toMatchObject({ type: "flight", quantity: 1 });
    expect(lines.some((line) => line.type === "hotel" && line.itemId !== hotel!.itemId)).toBe(false);

    const token = await signIn(t.app, testAccount(18));
    const booked = await call(t.app, "POST", "/bookings", {
      token,
      body: { ...plan.booking, paymentToken: STABLECOIN, passengers: PASSENGERS },
    });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    const items = (booked.body as Json).booking.items as Json[];
    expect(items.find((item) => item.itemId === hotel!.itemId)).toMatchObject({
      quantity: 1,
      total: { amount: "900.00" },
    });
    expect(items.map((item) => item.itemId).sort()).toEqual(plan.booking.items.map((line: Json) => line.itemId).sort());
  });

  it("still plans, from the demo inventory, when the supplier fails", async () => {
    stub.failing = true;
    try {
      const planned = await call(t.app, "POST", "/planner/plan", {
        body: { text: "4 days in Lisbon from New York for 2" },
      });
      expect(planned.status).toBe(200);
      const plan = (planned.body as Json).plan;
      const lines = plan.days.flatMap((day: Json) => day.items) as Json[];
      expect(lines.some((line) => line.type === "hotel")).toBe(true);
      expect(lines.every((line) => !line.itemId.startsWith("duffel-"))).toBe(true);
    } finally {
      stub.failing = false;
    }
  });

  it("lets the OpenAI planner search the live flights from an airport and the live hotels, for the party", async () => {
    const checkIn = futureDay(40);
    const model = new ChatStub((messages) =>
      messages.some((m) => m.role === "tool")
        ? streamed([{ name: "answer_without_plan", args: { status: "cannot", reply: "Seen enough." } }])
        : streamed([
            {
              name: "search_catalog",
              args: { destinationId: LISBON, type: "flight", origin: "jfk", checkIn, guests: 2 },
            },
            {
              name: "search_catalog",
              args: { destinationId: LISBON, type: "hotel", checkIn, checkOut: addDays(checkIn, 3), guests: 2 },
            },
          ]),
    );
    const planner = await model.planner(t.services.catalog);
    try {
      await planner.plan({ text: "Lisbon from New York", traveller: EMPTY_TRAVELLER, history: [], today: checkIn });
      const results = model.chats[1].messages
        .filter((m: Json) => m.role === "tool")
        .map((m: Json) => JSON.parse(m.content));
      expect(results[0]).toContainEqual(expect.objectContaining({ id: "duffel-off_0001stub", per: "offer" }));
      expect(results[1]).toContainEqual(
        expect.objectContaining({ id: "duffel-stay-rat_0001plan", per: "offer", priceUsd: "900.00" }),
      );
    } finally {
      await model.close();
    }
  });
});
