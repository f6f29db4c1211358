import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DEMO_COMMISSION_BPS, generateInventory } from "../src/catalog/demo.js";
import { loadDestinations } from "../src/catalog/geodata.js";
import { addDays } from "../src/catalog/dates.js";
import { call, createTestApp, type TestApp } from "./helpers/app.js";
import { LISBON, futureDay } from "./helpers/trips.js";

type Json = Record<string, any>;

// The catalog lives in memory; the app around it is the real one (its database is not touched here).
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp("pglite");
});
afterAll(() => t.close());

async function get(path: string) {
  const { status, body } = await call(t.app, "GET", path);
  return { status, body: body as Json };
}

describe("destinations from real geodata", () => {
  it("lists large cities with their airports, largest first", async () => {
    const destinations = loadDestinations();
    expect(destinations.length).toBeGreaterThan(3_000);
    expect(destinations[0].population).toBeGreaterThan(10_000_000);
    const lisbon = destinations.find((d) => d.id === LISBON)!;
    expect(lisbon).toMatchObject({ name: "Lisbon", country: "PT", countryName: "Portugal", size: "city" });
    expect(lisbon.airports.map((a) => a.iata)).toContain("LIS");
  });

  it("searches destinations by name, IATA code and country, with a cursor", async () => {
    expect((await get("/catalog/destinations?q=lisb")).body.destinations[0].id).toBe(LISBON);
    expect((await get("/catalog/destinations?q=LIS")).body.destinations.map((d: Json) => d.id)).toContain(LISBON);
    const french = await get("/catalog/destinations?country=fr&limit=5");
    expect(french.body.destinations.every((d: Json) => d.country === "FR")).toBe(true);
    const next = await get(`/catalog/destinations?country=FR&limit=5&cursor=${french.body.nextCursor}`);
    expect(next.body.destinations[0].id).not.toBe(french.body.destinations[0].id);
  });
});

describe("demo inventory", () => {
  const destinations = loadDestinations();
  const lisbon = destinations.find((d) => d.id === LISBON)!;

  it("is deterministic: the same destination always gives the same ids, names and prices", () => {
    const a = generateInventory(lisbon);
    const b = generateInventory(lisbon);
    expect(a.map((i) => [i.id, i.name, i.priceCents])).toEqual(b.map((i) => [i.id, i.name, i.priceCents]));
    expect(new Set(a.map((i) => i.id)).size).toBe(a.length);
    expect(a.every((item) => item.demo && item.description.includes("Demo inventory"))).toBe(true);
  });

  it("prices by type and city size: a megacity's hotels cost more than a town's, 5 stars more than 2", () => {
    const median = (values: bigint[]) => values.sort((x, y) => (x < y ? -1 : 1))[Math.floor(values.length / 2)];
    const hotelPrices = (size: string) =>
      destinations
        .filter((d) => d.size === size && d.country === "US")
        .slice(0, 20)
        .flatMap((d) =>
          generateInventory(d)
            .filter((i) => i.type === "hotel")
            .map((i) => i.priceCents),
        );
    expect(median(hotelPrices("megacity").length ? hotelPrices("megacity") : hotelPrices("metro"))).toBeGreaterThan(
      median(hotelPrices("town")),
    );
    const hotels = generateInventory(lisbon).filter((i) => i.details.kind === "hotel");
    const byStars = (stars: number) => hotels.filter((h) => h.details.kind === "hotel" && h.details.stars === stars);
    expect(byStars(5)[0].priceCents).toBeGreaterThan(byStars(2)[0].priceCents);
    for (const item of generateInventory(lisbon)) {
      expect(item.priceCents).toBeGreaterThan(0n);
      expect(item.priceCents % 100n).toBe(0n);
      expect(item.commissionBps).toBe(DEMO_COMMISSION_BPS[item.type]);
    }
  });

  it("flights arrive at the destination's airport from a hub, priced by distance", () => {
    const flights = generateInventory(lisbon).filter((i) => i.details.kind === "flight");
    expect(flights.length).toBeGreaterThan(0);
    for (const flight of flights) {
      if (flight.details.kind !== "flight") continue;
      expect(flight.details.destination).toBe("LIS");
      expect(flight.details.distanceKm).toBeGreaterThan(150);
    }
    const [near, far] = [...flights]
      .sort((a, b) =>
        a.details.kind === "flight" && b.details.kind === "flight" ? a.details.distanceKm - b.details.distanceKm : 0,
      )
      .filter((_, i, all) => i === 0 || i === all.length - 1);
    expect(far.priceCents).toBeGreaterThan(near.priceCents);
  });
});

describe("GET /catalog/search", () => {
  it("filters by destination and type, sorts by price, and paginates without repeats", async () => {
    const first = await get(`/catalog/search?destination=${LISBON}&type=hotel&sort=price_asc&limit=3`);
    expect(first.status).toBe(200);
    const prices = first.body.items.map((i: Json) => Number(i.price.amount));
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    expect(first.body.items.every((i: Json) => i.type === "hotel" && i.destination.id === LISBON && i.demo)).toBe(true);
    const second = await get(
      `/catalog/search?destination=${LISBON}&type=hotel&sort=price_asc&limit=3&cursor=${first.body.nextCursor}`,
    );
    const ids = [...first.body.items, ...second.body.items].map((i: Json) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Number(second.body.items[0].price.amount)).toBeGreaterThanOrEqual(prices.at(-1));
  });

  it("filters by free text, price range and origin airport", async () => {
    const text = await get(`/catalog/search?q=lisbon walking&limit=50`);
    expect(text.body.items.length).toBeGreaterThan(0);
    expect(text.body.items.every((i: Json) => /walking/i.test(i.name) && i.destination.name === "Lisbon")).toBe(true);
    const cheap = await get(`/catalog/search?destination=${LISBON}&minPrice=20&maxPrice=60.50`);
    expect(cheap.body.items.every((i: Json) => Number(i.price.amount) >= 20 && Number(i.price.amount) <= 60.5)).toBe(
      true,
    );
    const flights = await get(`/catalog/search?destination=${LISBON}&type=flight`);
    const origin = flights.body.items[0].details.origin;
    const fromOrigin = await get(`/catalog/search?destination=${LISBON}&type=flight&origin=${origin.toLowerCase()}`);
    expect(fromOrigin.body.items.every((i: Json) => i.details.origin === origin)).toBe(true);
  });

  it("with dates, returns only items available in the window; item detail shows availability by day", async () => {
    const checkIn = futureDay(30);
    const checkOut = addDays(checkIn, 5);
    const all = await get(`/catalog/search?destination=${LISBON}&type=hotel&limit=100`);
    const available = await get(
      `/catalog/search?destination=${LISBON}&type=hotel&checkIn=${checkIn}&checkOut=${checkOut}&limit=100`,
    );
    expect(available.body.total).toBeLessThanOrEqual(all.body.total);
    for (const item of available.body.items) {
      const detail = await get(`/catalog/items/${item.id}?checkIn=${checkIn}&checkOut=${checkOut}`);
      expect(detail.body.availability).toHaveLength(5);
      expect(detail.body.availability.every((d: Json) => d.available)).toBe(true);
    }
  });

  it("names the bad field: unknown destination, bad dates, bad price range, bad cursor", async () => {
    const cases: [string, string][] = [
      ["/catalog/search?destination=atlantis", "query.destination"],
      ["/catalog/search?checkIn=2030-02-30", "query.checkIn"],
      ["/catalog/search?checkIn=2030-01-05&checkOut=2030-01-04", "query.checkOut"],
      ["/catalog/search?checkOut=2030-01-04", "query.checkIn"],
      ["/catalog/search?minPrice=50&maxPrice=10", "query.maxPrice"],
      ["/catalog/search?minPrice=-1", "query.minPrice"],
      ["/catalog/search?type=spaceship", "query.type"],
      ["/catalog/search?cursor=not-a-cursor", "query.cursor"],
      ["/catalog/search?limit=1000", "query.limit"],
    ];
    for (const [path, field] of cases) {
      const { status, body } = await get(path);
      expect(status, path).toBe(400);
      expect(
        body.error.details.fields.map((f: Json) => f.field),
        path,
      ).toContain(field);
    }
  });

  it("answers 404 for an unknown item id", async () => {
    expect((await get("/catalog/items/demo-hotel-0-0")).status).toBe(404);
  });
});
