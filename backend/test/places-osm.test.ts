/**
 * Places from OpenStreetMap against a local Overpass stub serving recorded answers for Kyoto and Lisbon: what is read
 * from them, the cache (one fetch per destination and TTL, however many ask at once, across instances), failures that
 * plan without places, and the planner setting visits between the bookings by interest and opening hours.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { addDays } from "../src/catalog/dates.js";
import type { Destination } from "../src/catalog/geodata.js";
import { Catalog } from "../src/catalog/service.js";
import { minutesOf } from "../src/planner/schedule.js";
import { OfflinePlanner } from "../src/planner/offline.js";
import { OpenAIPlanner } from "../src/planner/openai.js";
import { EMPTY_TRAVELLER, PlanResult, type Plan } from "../src/planner/types.js";
import { placeVisits } from "../src/planner/visits.js";
import { openIntervals } from "../src/places/hours.js";
import { OsmPlaces } from "../src/places/osm.js";
import type { Place, PlacesSource } from "../src/places/types.js";
import { call, createTestApp } from "./helpers/app.js";
import { DRIVERS, openTestDatabase, reopenTestDatabase, type TestDatabase } from "./helpers/databases.js";
import { startOverpassStub, type OverpassStub } from "./helpers/overpass-stub.js";

const catalog = new Catalog();
const city = (name: string) => catalog.destinations.find((d) => d.name === name) as Destination;
const KYOTO = city("Kyoto");
const LISBON = city("Lisbon");
/** A Monday: plans start a fortnight later, on Monday 2027-03-15. */
const TODAY = "2027-03-01";
const HOUR = 3_600_000;

function logs() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: "warn" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

/** A clock the test moves by hand. */
function handClock(start = "2027-03-01T10:00:00Z") {
  let at = new Date(start).getTime();
  const clock = () => new Date(at);
  clock.advance = (ms: number) => (at += ms);
  return clock;
}

let stub: OverpassStub;
beforeAll(async () => {
  stub = await startOverpassStub();
});
afterAll(() => stub.close());
afterEach(() => {
  stub.mode = "answer";
  stub.gate = undefined;
  stub.queries.length = 0;
});

describe.each(DRIVERS)("OpenStreetMap places (%s)", (driver) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(driver);
  });
  afterAll(() => db.drop());

  const source = (
    options: { now?: () => Date; timeoutMs?: number; database?: TestDatabase; logger?: pino.Logger } = {},
  ) =>
    new OsmPlaces({
      db: (options.database ?? db).database.db,
      logger: options.logger ?? pino({ level: "silent" }),
      now: options.now ?? handClock(),
      url: stub.url,
      timeoutMs: options.timeoutMs ?? 5_000,
      ttlMs: 24 * HOUR,
      pollMs: 20,
    });

  it("reads real places of a city: English names with the local one, kinds, hours, website and the OSM object", async () => {
    const { places, problem } = await source().placesFor(KYOTO);
    expect(problem).toBeUndefined();
    expect(stub.queries).toHaveLength(1);
    expect(stub.queries[0]).toContain(`around:5000,${KYOTO.lat.toFixed(5)},${KYOTO.lon.toFixed(5)}`);
    expect(stub.queries[0]).toContain("out center tags");

    const kinkakuji = places.find((p) => p.name === "Kinkaku-ji")!;
    expect(kinkakuji).toMatchObject({
      id: "osm:way/26745432",
      osmType: "way",
      osmId: 26745432,
      localName: "金閣寺",
      kind: "place_of_worship",
      lat: 35.0394,
      lon: 135.7292,
      openingHours: "09:00-17:00",
      website: "https://www.shokoku-ji.jp/kinkakuji/",
      notable: true,
    });
    expect(kinkakuji.tags).toEqual(expect.arrayContaining(["temple", "history"]));
    expect(places.find((p) => p.name === "Fushimi Inari-taisha")!.tags).toContain("shrine");
    expect(places.find((p) => p.name === "Kyoto National Museum")).toMatchObject({ kind: "museum" });
    expect(places.find((p) => p.name === "Kyoto Botanical Gardens")).toMatchObject({ kind: "garden" });
    expect(places.find((p) => p.name === "Shogunzuka Observation Deck")).toMatchObject({ kind: "viewpoint" });
    // No English name: the local one, alone.
    const ramen = places.find((p) => p.name === "麺屋 極鶏")!;
    expect(ramen).toMatchObject({ kind: "restaurant", cuisines: ["ramen"] });
    expect(ramen.localName).toBeUndefined();
    expect(places.find((p) => p.name === "Saishoku Mame")!.diets).toEqual(["vegetarian", "vegan"]);
    // Once each (Overpass answered Kinkaku-ji twice), the nameless restaurant left out, best known first.
    expect(places.filter((p) => p.id === kinkakuji.id)).toHaveLength(1);
    expect(places.some((p) => p.cuisines?.includes("italian"))).toBe(false);
    expect(places.findIndex((p) => !p.notable)).toBeGreaterThan(places.findLastIndex((p) => p.notable));

    const lisbon = await source().placesFor(LISBON);
    expect(lisbon.places.find((p) => p.name === "Jerónimos Monastery")).toMatchObject({
      localName: "Mosteiro dos Jerónimos",
      kind: "place_of_worship",
    });
    expect(lisbon.places.find((p) => p.name === "Miradouro de Santa Luzia")).toMatchObject({ kind: "viewpoint" });
    expect(lisbon.places.find((p) => p.id === "osm:relation/2996458")).toMatchObject({ name: "Eduardo VII Park" });
  });

  it("fetches a destination once for concurrent requests, keeps it for the TTL, then fetches it again", async () => {
    const now = handClock("2027-04-01T10:00:00Z");
    const places = source({ now });
    let open!: () => void;
    stub.gate = new Promise((resolve) => (open = resolve));
    const answers = Array.from({ length: 5 }, () => places.placesFor(LISBON));
    await new Promise((resolve) => setTimeout(resolve, 50));
    open();
    const all = await Promise.all(answers);
    expect(stub.queries).toHaveLength(1);
    for (const answer of all) expect(answer.places.map((p) => p.id)).toEqual(all[0].places.map((p) => p.id));
    expect(all[0].places.length).toBeGreaterThan(5);

    // Another process reading the same database later: the cached answer.
    now.advance(23 * HOUR);
    expect((await source({ now }).placesFor(LISBON)).places).toHaveLength(all[0].places.length);
    expect(stub.queries).toHaveLength(1);
    now.advance(2 * HOUR);
    await source({ now }).placesFor(LISBON);
    expect(stub.queries).toHaveLength(2);
  });

  if (driver === "postgres")
    it("fetches once when two instances ask at the same time", async () => {
      const second = await reopenTestDatabase(db);
      try {
        const now = handClock("2027-05-01T10:00:00Z");
        let open!: () => void;
        stub.gate = new Promise((resolve) => (open = resolve));
        const a = source({ now }).placesFor(KYOTO);
        const b = source({ now, database: second }).placesFor(KYOTO);
        await new Promise((resolve) => setTimeout(resolve, 200));
        open();
        const [first, other] = await Promise.all([a, b]);
        expect(stub.queries).toHaveLength(1);
        expect(other.places.map((p) => p.id)).toEqual(first.places.map((p) => p.id));
        expect(first.places.length).toBeGreaterThan(5);
      } finally {
        await second.drop();
      }
    });

  it("answers without places, logged and never thrown, when Overpass fails, and tries again next time", async () => {
    const failing: [typeof stub.mode, RegExp][] = [
      ["fail", /HTTP 504/],
      ["rate-limit", /rate limiting/],
      ["garbage", /other than JSON/],
      ["cut-short", /Query timed out/],
    ];
    // A database of its own: no places kept from the other tests.
    const database = await openTestDatabase(driver);
    const now = handClock("2027-06-01T10:00:00Z");
    for (const [mode, reason] of failing) {
      stub.mode = mode;
      const { logger, lines } = logs();
      const answer = await source({ now, logger, database }).placesFor(KYOTO);
      expect(answer.places).toEqual([]);
      expect(answer.problem).toMatch(reason);
      expect(lines[0]).toMatchObject({ msg: "OpenStreetMap places unavailable", destination: KYOTO.id });
    }
    expect(stub.queries).toHaveLength(failing.length);

    stub.mode = "hang";
    const timedOut = await source({ now, timeoutMs: 300, database }).placesFor(KYOTO);
    expect(timedOut).toEqual({ places: [], problem: "Overpass did not answer in time" });

    // Nothing was kept from the failures: the next request fetches, and then it is kept.
    stub.mode = "answer";
    expect((await source({ now, database }).placesFor(KYOTO)).places.length).toBeGreaterThan(5);
    // Expired and failing again: the places kept before serve.
    now.advance(25 * HOUR);
    stub.mode = "fail";
    const stale = await source({ now, database }).placesFor(KYOTO);
    expect(stale.problem).toBeUndefined();
    expect(stale.places.length).toBeGreaterThan(5);
    await database.drop();
  });
});

describe("the planner with OpenStreetMap places", () => {
  let db: TestDatabase;
  let places: PlacesSource;
  beforeAll(async () => {
    db = await openTestDatabase("pglite");
    places = new OsmPlaces({
      db: db.database.db,
      logger: pino({ level: "silent" }),
      now: handClock(),
      url: stub.url,
      timeoutMs: 5_000,
      ttlMs: 24 * HOUR,
    });
  });
  afterAll(() => db.drop());

  /** Plans with `source` (null: without places). */
  const plan = async (text: string, source: PlacesSource | null = places): Promise<Plan> => {
    const answer = await new OfflinePlanner(catalog, source ?? undefined).plan({
      text,
      traveller: EMPTY_TRAVELLER,
      history: [],
      today: TODAY,
    });
    const result = PlanResult.parse({ ...answer, source: "offline", fallback: null });
    if (result.status !== "plan") throw new Error(result.reply);
    return result.plan;
  };

  /** Every visit is inside its place's opening hours that day and overlaps nothing else of the day. */
  function expectFitting(plan: Plan, all: Place[], country: string) {
    for (const day of plan.days) {
      const spans = [
        ...day.items
          .filter((item) => item.type !== "flight")
          .map((item) => ({ what: item.name, start: minutesOf(item.time), end: minutesOf(item.endTime ?? item.time) })),
        ...(day.visits ?? []).map((visit) => ({
          what: visit.name,
          start: minutesOf(visit.time),
          end: minutesOf(visit.endTime),
        })),
      ].sort((a, b) => a.start - b.start);
      for (let i = 1; i < spans.length; i++)
        expect(spans[i].start, `${spans[i - 1].what} then ${spans[i].what} on ${day.date}`).toBeGreaterThanOrEqual(
          spans[i - 1].end,
        );
      for (const visit of day.visits ?? []) {
        const place = all.find((p) => p.id === visit.placeId)!;
        const open = openIntervals(place, day.date, country);
        if (!open) continue;
        expect(
          open.some((o) => o.opens <= minutesOf(visit.time) && minutesOf(visit.endTime) <= o.closes),
          `${visit.name} ${visit.time}-${visit.endTime} on ${day.date} (${place.openingHours})`,
        ).toBe(true);
      }
    }
  }

  it("sets free visits between the bookings, by the traveller's interests, with attribution and links", async () => {
    const text = "4 days in Kyoto from March 15 2027, I love temples, shrines and gardens";
    const withPlaces = await plan(text);
    const without = await plan(text, null);
    // The bookings and the price are the plan's without places: visits are free and book nothing.
    expect(withPlaces.booking).toEqual(without.booking);
    expect(withPlaces.totals).toEqual(without.totals);
    expect(without.places).toBeUndefined();
    expect(withPlaces.summary).toMatch(/Free to visit between the bookings: .+ \(from OpenStreetMap\)\.$/);
    expect(without.summary).not.toContain("OpenStreetMap");
    expect(without.days.every((day) => day.visits === undefined)).toBe(true);

    expect(withPlaces.places, withPlaces.assumptions.join("\n")).toEqual({
      source: "openstreetmap",
      attribution: "© OpenStreetMap contributors",
      licenseUrl: "https://www.openstreetmap.org/copyright",
    });
    const visits = withPlaces.days.flatMap((day) => day.visits ?? []);
    expect(visits.length).toBeGreaterThanOrEqual(4);
    expect(new Set(visits.map((v) => v.placeId)).size).toBe(visits.length);
    const temple = visits.find((v) => v.why.includes("temples"))!;
    expect(temple).toBeDefined();
    expect(temple.osmUrl).toMatch(/^https:\/\/www\.openstreetmap\.org\/way\/\d+$/);
    expect(visits.some((v) => v.why.includes("shrines"))).toBe(true);
    expect(visits.some((v) => v.kind === "garden" && v.why.includes("gardens"))).toBe(true);
    // Interests the catalog lacks but OpenStreetMap has are not reported missing.
    expect(withPlaces.assumptions.join(" ")).not.toMatch(/nothing for (temples|shrines|gardens)/);
    const kinkakuji = visits.find((v) => v.name === "Kinkaku-ji");
    if (kinkakuji) expect(kinkakuji.localName).toBe("金閣寺");
    // Lunch from OpenStreetMap restaurants on the days before departure.
    expect(withPlaces.days.slice(0, -1).some((day) => day.visits?.some((v) => v.kind === "restaurant"))).toBe(true);

    const { places: all } = await places.placesFor(KYOTO);
    expectFitting(withPlaces, all, "JP");
  });

  it("says the visits and their reasons in the request's language", async () => {
    const spanish = await plan("Un viaje a Kioto de 4 días del 15 al 18 de marzo de 2027, me gustan los templos");
    const visits = spanish.days.flatMap((day) => day.visits ?? []);
    expect(visits.length).toBeGreaterThan(0);
    expect(visits.some((v) => v.why === "por tu interés en los templos; no hace falta reservar")).toBe(true);
    for (const visit of visits) expect(visit.why).not.toMatch(/\b(?:because|booking|nearby|lunch|restaurant)\b/);
    expect(spanish.summary).toMatch(/Para visitar gratis entre las reservas: .+ \(de OpenStreetMap\)\.$/);
  });

  it("never schedules a visit when the place is closed", async () => {
    const museums = await plan("3 days in Lisbon from March 15 2027, museums and art please");
    const { places: all } = await places.placesFor(LISBON);
    expectFitting(museums, all, "PT");
    const visits = museums.days.flatMap((day) => (day.visits ?? []).map((v) => ({ ...v, date: day.date })));
    expect(visits.some((v) => v.name === "Calouste Gulbenkian Museum")).toBe(true);
    // Gulbenkian is closed on Tuesdays, Jerónimos and Belém on Mondays (March 15 2027 is a Monday).
    for (const v of visits) {
      if (v.name === "Calouste Gulbenkian Museum") expect(v.date).not.toBe("2027-03-16");
      if (v.name === "Jerónimos Monastery" || v.name === "Belém Tower") expect(v.date).not.toBe("2027-03-15");
    }

    // One museum closed on Mondays, two free days from a Monday: visited on the Tuesday only, inside its hours.
    const museum: Place = {
      id: "osm:way/25409873",
      osmType: "way",
      osmId: 25409873,
      name: "Kyoto National Museum",
      kind: "museum",
      tags: ["museum", "history"],
      lat: 35.0148,
      lon: 135.7737,
      openingHours: "Tu-Su 09:30-17:00; Mo off",
      notable: true,
    };
    const days = ["2027-03-15", "2027-03-16", "2027-03-17"].map((date, index) => ({
      date,
      index,
      placed: [],
      limits: {},
    }));
    const request = {
      interests: ["museums"],
      avoided: [],
      dietary: [],
      cuisines: [],
      stepFree: false,
      pace: "balanced" as const,
      met: () => false,
    };
    const { visits: placed, met } = placeVisits([museum], days, request, { country: "JP" });
    expect([...placed.keys()]).toEqual(["2027-03-16"]);
    const visit = placed.get("2027-03-16")![0];
    expect(minutesOf(visit.time)).toBeGreaterThanOrEqual(9 * 60 + 30);
    expect(minutesOf(visit.endTime)).toBeLessThanOrEqual(17 * 60);
    expect(met.has("museums")).toBe(true);
    // "No museums": none.
    expect(
      placeVisits([museum], days, { ...request, interests: [], avoided: ["museums"] }, { country: "JP" }).visits.size,
    ).toBe(0);
  });

  it("adds visits to the plan the OpenAI planner's model submits, its bookings as submitted", async () => {
    const text = "3 days in Lisbon from March 15 2027, churches, views and gardens";
    const offline = await plan(text, null);
    const times = new Map(offline.days.flatMap((day) => day.items.map((i) => [`${i.itemId}@${i.date}`, i.time])));
    const submission = {
      destinationId: LISBON.id,
      checkIn: offline.checkIn,
      checkOut: offline.checkOut,
      guests: offline.guests,
      interests: offline.interests,
      items: offline.booking.items.map((line) => ({
        ...line,
        time: times.get(`${line.itemId}@${line.date ?? offline.checkIn}`),
      })),
      summary: "Three days of churches, views and gardens in Lisbon.",
    };
    // The model: submits that plan at once (the real SDK streams from this stub of the chat completions API).
    const model: Server = createServer((request, response) => {
      request.resume();
      request.on("end", () => {
        const call = { index: 0, id: "call_0", type: "function", function: { name: "submit_plan", arguments: "" } };
        call.function.arguments = JSON.stringify(submission);
        const chunk = (delta: object, finish: string | null) =>
          `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 0, model: "gpt-test", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
        response.writeHead(200, { "content-type": "text/event-stream" });
        response.end(`${chunk({ tool_calls: [call] }, null)}${chunk({}, "tool_calls")}data: [DONE]\n\n`);
      });
    });
    await new Promise<void>((resolve) => model.listen(0, "127.0.0.1", resolve));
    try {
      const planner = new OpenAIPlanner(catalog, {
        apiKey: "sk-test",
        baseURL: `http://127.0.0.1:${(model.address() as AddressInfo).port}/v1`,
        model: "gpt-test",
        timeoutMs: 5_000,
        maxRetries: 0,
        contextTokens: 2_000,
        places,
      });
      const answer = await planner.plan({ text, traveller: EMPTY_TRAVELLER, history: [], today: TODAY });
      if (answer.status !== "plan") throw new Error(answer.reply);
      const result = answer.plan;
      expect(result.booking).toEqual(offline.booking);
      expect(result.places?.attribution).toBe("© OpenStreetMap contributors");
      const visits = result.days.flatMap((day) => day.visits ?? []);
      expect(visits.some((v) => v.why.includes("churches"))).toBe(true);
      expect(visits.some((v) => v.kind === "viewpoint")).toBe(true);
      const { places: all } = await places.placesFor(LISBON);
      expectFitting(result, all, "PT");
    } finally {
      model.closeAllConnections();
      await new Promise((resolve) => model.close(resolve));
    }
  });

  it("plans without places, saying why, when Overpass fails", async () => {
    stub.mode = "fail";
    const failing = new OsmPlaces({
      db: db.database.db,
      logger: pino({ level: "silent" }),
      now: handClock("2030-01-01T00:00:00Z"),
      url: stub.url,
      timeoutMs: 5_000,
      ttlMs: HOUR,
    });
    const result = await plan(`3 days in Porto from ${addDays(TODAY, 30)}, temples`, failing);
    expect(result.days.every((day) => day.visits === undefined)).toBe(true);
    expect(result.places).toBeUndefined();
    expect(result.assumptions.join(" ")).toMatch(/OpenStreetMap are unavailable just now \(Overpass is failing/);
    const spanish = await plan(`Un viaje a Oporto de 3 días desde el ${addDays(TODAY, 30)}`, failing);
    expect(spanish.assumptions).toContain(
      "Los lugares para visitar de OpenStreetMap no están disponibles ahora; el plan solo tiene reservas.",
    );
  });
});

describe("places over HTTP", () => {
  it("are off by default (no request to Overpass) and in the plan with PLACES_PROVIDER=osm", async () => {
    const off = await createTestApp("pglite", { env: { OVERPASS_URL: stub.url } });
    try {
      const { body } = await call(off.app, "POST", "/planner/plan", { body: { text: "3 days in Kyoto, temples" } });
      expect(body.status).toBe("plan");
      expect(body.plan.places).toBeUndefined();
      expect(stub.queries).toHaveLength(0);
    } finally {
      await off.close();
    }
    const on = await createTestApp("pglite", { env: { PLACES_PROVIDER: "osm", OVERPASS_URL: stub.url } });
    try {
      const { status, body } = await call(on.app, "POST", "/planner/plan", {
        body: { text: "3 days in Kyoto, temples" },
      });
      expect(status).toBe(200);
      expect(body.plan.places.attribution).toBe("© OpenStreetMap contributors");
      const visits = body.plan.days.flatMap((day: { visits?: unknown[] }) => day.visits ?? []);
      expect(visits.length).toBeGreaterThan(0);
      expect(stub.queries).toHaveLength(1);
      stub.mode = "fail";
      // Cached: a second plan does not ask again, even with Overpass failing.
      const again = await call(on.app, "POST", "/planner/plan", { body: { text: "3 days in Kyoto, gardens" } });
      expect(again.body.plan.places).toBeDefined();
      expect(stub.queries).toHaveLength(1);
    } finally {
      await on.close();
    }
  });
});
