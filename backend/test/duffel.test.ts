/**
 * The Duffel adapter against a local stub of Duffel's HTTP API (the outer edge: the real SDK makes real requests).
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { addDays } from "../src/catalog/dates.js";
import { call, createTestApp, expectError, signIn, testAccount, type TestApp } from "./helpers/app.js";
import { DRIVERS } from "./helpers/databases.js";
import { LISBON, STABLECOIN, futureDay } from "./helpers/trips.js";

type Json = Record<string, any>;

const TOKEN = "duffel_test_stub_token";

function offer(id: string, date: string, passengers: number, amount = "412.37") {
  return {
    id,
    total_amount: amount,
    total_currency: "USD",
    expires_at: `${date}T00:00:00Z`,
    owner: { name: "Stub Airways", iata_code: "ZZ" },
    passengers: Array.from({ length: passengers }, (_, i) => ({ id: `pas_${i}`, type: "adult" })),
    slices: [
      {
        origin: { iata_code: "JFK" },
        destination: { iata_code: "LIS" },
        duration: "PT6H55M",
        segments: [
          {
            departing_at: `${date}T19:35:00`,
            arriving_at: `${addDays(date, 1)}T07:30:00`,
            marketing_carrier: { name: "Stub Airways", iata_code: "ZZ" },
            marketing_carrier_flight_number: "201",
            distance: "5420",
          },
        ],
      },
    ],
  };
}

interface Seen {
  method: string;
  url: string;
  authorization?: string;
  version?: string;
  body?: Json;
}

describe.each(DRIVERS)("Duffel flights adapter (%s)", (driver) => {
  let server: Server;
  let t: TestApp;
  const seen: Seen[] = [];
  let failing = false;
  const date = futureDay(45);
  const offers = new Map<string, Json>();

  beforeAll(async () => {
    server = createServer(async (req: IncomingMessage, res) => {
      let raw = "";
      for await (const chunk of req) raw += chunk;
      const record: Seen = {
        method: req.method ?? "",
        url: req.url ?? "",
        authorization: req.headers.authorization,
        version: req.headers["duffel-version"] as string | undefined,
        body: raw ? JSON.parse(raw) : undefined,
      };
      seen.push(record);
      const reply = (status: number, body: Json) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (failing) return reply(500, { errors: [{ message: "stub outage", code: "internal_server_error" }] });
      if (req.method === "POST" && req.url?.startsWith("/air/offer_requests")) {
        const passengers = (record.body?.data?.passengers ?? []).length;
        const made = [offer("off_0001stub", date, passengers), offer("off_0002stub", date, passengers, "530.00")];
        made.forEach((o) => offers.set(o.id, o));
        return reply(201, { data: { id: "orq_stub", offers: made } });
      }
      const match = /^\/air\/offers\/(off_\w+)/.exec(req.url ?? "");
      if (req.method === "GET" && match) {
        const found = offers.get(match[1]);
        return found
          ? reply(200, { data: found })
          : reply(404, { errors: [{ message: "not found", code: "not_found" }] });
      }
      reply(404, { errors: [{ message: "no such stub route" }] });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    t = await createTestApp(driver, {
      env: { DUFFEL_ACCESS_TOKEN: TOKEN, DUFFEL_API_URL: `http://127.0.0.1:${port}` },
    });
  });
  afterAll(async () => {
    await t.close();
    await new Promise((resolve) => server.close(resolve));
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
    const booked = await call(t.app, "POST", "/bookings", {
      token,
      body: { ...stay, guests: 2, items: [{ itemId: "duffel-off_0001stub", date }] },
    });
    expect(booked.status).toBe(201);
    expect((booked.body as Json).booking.items[0]).toMatchObject({ quantity: 1, total: { amount: "412.37" } });
    expect((booked.body as Json).booking.payment.amount).toBe("412370000");
    const wrongParty = await call(t.app, "POST", "/bookings", {
      token,
      body: { ...stay, guests: 3, items: [{ itemId: "duffel-off_0001stub", date }] },
    });
    expect(expectError(wrongParty)).toMatchObject({ status: 422, code: "party_mismatch" });
    const gone = await call(t.app, "POST", "/bookings", {
      token,
      body: { ...stay, guests: 2, items: [{ itemId: "duffel-off_9999stub", date }] },
    });
    expect(expectError(gone)).toMatchObject({ status: 422, code: "item_not_found" });
  });

  it("when Duffel fails, search still answers with demo inventory and says which source failed; item lookup is a 502", async () => {
    failing = true;
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
      failing = false;
    }
  });
});
