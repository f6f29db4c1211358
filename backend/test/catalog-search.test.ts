/**
 * Catalog search under hostile queries: whatever a client asks, a search over the whole inventory does bounded work
 * (counted by the search itself, not timed), and its answers are the ones a naive filter-and-sort gives: the same
 * first page, the same pages one after another when its cursors are followed, an exact total or a lower bound that
 * says so. Check-in dates past the booking horizon are refused by search and by pricing.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { priceLines } from "../src/bookings/pricing.js";
import { addDays, daysBetween } from "../src/catalog/dates.js";
import { demoAvailable, HUBS } from "../src/catalog/demo.js";
import { loadDestinations } from "../src/catalog/geodata.js";
import { MAX_LOOKUPS, SEARCH_COSTS, SEARCH_WORK_BUDGET, SELECTIVE_POSTINGS } from "../src/catalog/search-index.js";
import { Catalog } from "../src/catalog/service.js";
import { ITEM_TYPES, SORTS, type CatalogItem, type SearchQuery } from "../src/catalog/types.js";
import { ApiError } from "../src/http/errors.js";
import { call, createTestApp, type TestApp } from "./helpers/app.js";
import { TEST_DATE } from "./helpers/clock.js";
import { futureDay } from "./helpers/trips.js";

type Json = Record<string, any>;

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const FIXED_DAY = "2030-03-04";

// ------------------------------------------------------------------------------------------------------------------
// The reference: the plainest search there is (filter everything, sort everything, slice)
// ------------------------------------------------------------------------------------------------------------------

const collator = new Intl.Collator("en");
const byId = (a: CatalogItem, b: CatalogItem) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const REFERENCE_ORDER = {
  price_asc: (a: CatalogItem, b: CatalogItem) => Number(a.priceCents - b.priceCents) || byId(a, b),
  price_desc: (a: CatalogItem, b: CatalogItem) => Number(b.priceCents - a.priceCents) || byId(a, b),
  rating_desc: (a: CatalogItem, b: CatalogItem) =>
    b.ratingTenths - a.ratingTenths || b.reviewCount - a.reviewCount || byId(a, b),
  name_asc: (a: CatalogItem, b: CatalogItem) => collator.compare(a.name, b.name) || byId(a, b),
};

function referenceMatch(item: CatalogItem, query: SearchQuery): boolean {
  const tokens = (query.text ?? "").toLowerCase().split(/\s+/).filter(Boolean);
  if (query.type && item.type !== query.type) return false;
  if (query.minPriceCents !== undefined && item.priceCents < query.minPriceCents) return false;
  if (query.maxPriceCents !== undefined && item.priceCents > query.maxPriceCents) return false;
  if (query.origin && !(item.details.kind === "flight" && item.details.origin === query.origin)) return false;
  if (!tokens.every((token) => item.searchText.includes(token))) return false;
  if (!query.checkIn) return true;
  const days = daysBetween(query.checkIn, query.checkOut ?? addDays(query.checkIn, 1));
  return item.type === "hotel"
    ? days.every((day) => demoAvailable(item, day))
    : days.some((day) => demoAvailable(item, day));
}

function referenceSearch(items: readonly CatalogItem[], query: SearchQuery): string[] {
  const found = items.filter((item) => referenceMatch(item, query));
  if (query.sort !== "relevance") found.sort(REFERENCE_ORDER[query.sort]);
  return found.map((item) => item.id);
}

/** The first `limit` matches in the inventory's own order, without looking at the rest. */
function referenceFirstByRelevance(items: readonly CatalogItem[], query: SearchQuery): string[] {
  const found: string[] = [];
  for (const item of items) {
    if (found.length === query.limit) break;
    if (referenceMatch(item, query)) found.push(item.id);
  }
  return found;
}

/** Every page of a search, following its cursors (as the route does) up to `maxPages`. */
async function allPages(catalog: Catalog, query: SearchQuery, budget: number, vocabulary: number, maxPages = 400) {
  const ids: string[] = [];
  let next: { offset: number; position?: number; skip?: number } | null = { offset: 0 };
  let pages = 0;
  let last;
  while (next && pages < maxPages) {
    last = await catalog.search({ ...query, offset: next.offset, resumeAt: next.position, skip: next.skip });
    expect(last.work).toBeLessThanOrEqual(budget + overshoot(query, vocabulary));
    ids.push(...last.items.map((item) => item.id));
    next = last.next;
    pages++;
  }
  return { ids, finished: next === null, last: last! };
}

/** Distinct words of the items' texts: what the word index holds. */
const vocabularyOf = (items: readonly CatalogItem[]) =>
  new Set(items.flatMap((item) => item.searchText.split(/\s+/))).size;

/**
 * The most a search may spend past its budget: looking its longest tokens up in the word index (each a pass over the
 * vocabulary and at most SELECTIVE_POSTINGS items, then those put in order) and the evaluation of one item.
 */
function overshoot(query: SearchQuery, vocabulary: number): number {
  const lookUps = MAX_LOOKUPS * (vocabulary * SEARCH_COSTS.word + SELECTIVE_POSTINGS * SEARCH_COSTS.posting);
  const ordering = SELECTIVE_POSTINGS * SEARCH_COSTS.posting;
  const tokens = (query.text ?? "").split(/\s+/).filter(Boolean).length;
  return lookUps + ordering + SEARCH_COSTS.visit + tokens * SEARCH_COSTS.token + 31 * SEARCH_COSTS.day;
}

// ------------------------------------------------------------------------------------------------------------------
// Random queries
// ------------------------------------------------------------------------------------------------------------------

function queries(items: readonly CatalogItem[]) {
  // Text made of pieces of the inventory's own words (so that it matches something), with some that match nothing;
  // often pieces of one item's words, which occur together.
  const cut = (word: string, start: number, length: number) =>
    word.slice(start % word.length, (start % word.length) + length);
  const words = [...new Set(items.flatMap((item) => item.searchText.split(/\s+/)))].sort();
  const piece = fc
    .tuple(fc.constantFrom(...words), fc.nat(), fc.integer({ min: 1, max: 12 }))
    .map(([word, start, length]) => cut(word, start, length));
  const scattered = fc
    .array(fc.oneof({ weight: 6, arbitrary: piece }, { weight: 1, arbitrary: fc.constantFrom("zqx", "E", "é") }), {
      maxLength: 3,
    })
    .map((pieces) => pieces.join(" "));
  const together = fc
    .tuple(
      fc.constantFrom(...items),
      fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 8 })), { minLength: 2, maxLength: 4 }),
    )
    .map(([item, picks]) => {
      const own = item.searchText.split(/\s+/);
      return picks.map(([which, start, length]) => cut(own[which % own.length], start, length)).join(" ");
    });
  const text = fc.oneof(scattered, together);
  // Bounds at items' own prices too: an item priced exactly at a bound is in the range.
  const prices = [...new Set(items.map((item) => item.priceCents))];
  const cents = fc.oneof(fc.integer({ min: 0, max: 120_000 }).map(BigInt), fc.constantFrom(...prices));
  return fc
    .record(
      {
        text,
        type: fc.constantFrom(...ITEM_TYPES),
        origin: fc.constantFrom(...HUBS.map(([iata]) => iata), "XXX"),
        minPriceCents: cents,
        maxPriceCents: cents,
        checkIn: fc.integer({ min: 0, max: 540 }).map((days) => addDays(FIXED_DAY, days)),
        nights: fc.integer({ min: 1, max: 30 }),
        withCheckOut: fc.boolean(),
        sort: fc.constantFrom(...SORTS),
        limit: fc.integer({ min: 1, max: 100 }),
      },
      { requiredKeys: ["sort", "limit", "nights", "withCheckOut"] },
    )
    .map(({ nights, withCheckOut, ...query }): SearchQuery => {
      if (
        query.minPriceCents !== undefined &&
        query.maxPriceCents !== undefined &&
        query.minPriceCents > query.maxPriceCents
      )
        [query.minPriceCents, query.maxPriceCents] = [query.maxPriceCents, query.minPriceCents];
      const checkOut = query.checkIn && withCheckOut ? addDays(query.checkIn, nights) : undefined;
      return { ...query, checkOut, offset: 0 };
    });
}

// ------------------------------------------------------------------------------------------------------------------
// Search over part of the world: every answer checked against the reference
// ------------------------------------------------------------------------------------------------------------------

describe("catalog search over the whole inventory, against a naive filter-and-sort", () => {
  // Every 40th destination, large to small: about 3,000 items, so that the reference is quick.
  const destinations = loadDestinations().filter((_, index) => index % 40 === 0);
  const catalog = new Catalog({}, destinations);
  const items = catalog.demo.all;
  const vocabulary = vocabularyOf(items);

  it("gives the same first page, and the exact total (or a lower bound that says so)", async () => {
    await fc.assert(
      fc.asyncProperty(queries(items), async (query) => {
        const result = await catalog.search(query);
        const expected = referenceSearch(items, query);
        expect(result.work).toBeLessThanOrEqual(SEARCH_WORK_BUDGET + overshoot(query, vocabulary));
        if (result.totalExact) {
          expect(result.items.map((item) => item.id)).toEqual(expected.slice(0, query.limit));
          expect(result.total).toBe(expected.length);
          expect(result.next === null).toBe(expected.length <= query.limit);
        } else {
          // Budget spent: what it found is the start of the answer, and the total does not overstate.
          expect(result.items.map((item) => item.id)).toEqual(expected.slice(0, result.items.length));
          expect(result.total).toBeGreaterThanOrEqual(result.items.length);
          expect(result.total).toBeLessThanOrEqual(expected.length);
          expect(result.next).not.toBeNull();
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("on a small work budget, still pages through exactly the answer, never repeating or skipping an item", async () => {
    const budget = 60_000;
    const frugal = new Catalog({ searchWorkBudget: budget }, destinations);
    await fc.assert(
      fc.asyncProperty(queries(items), async (generated) => {
        // Short pages, so that most answers take several.
        const query = { ...generated, limit: 8 + (generated.limit % 13) };
        const { ids, finished, last } = await allPages(frugal, query, budget, vocabulary, 1_000);
        expect(finished).toBe(true);
        expect(ids).toEqual(referenceSearch(items, query));
        expect(last.totalExact).toBe(true);
        expect(last.total).toBe(ids.length);
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });

  it("scans the same sequence for every page, whether the query's words were looked up before or not", async () => {
    const budget = 60_000;
    const city = destinations
      .filter((destination) => /^[a-z]{3,9}$/i.test(destination.name))
      .sort((a, b) => a.name.length - b.name.length)[0];
    // The most selective token is the shortest, looked up last. The first page looks the words up (which may spend
    // its whole budget: it then comes back empty, with a cursor); the next pages find them remembered.
    const query: SearchQuery = {
      text: `inventory. restaurant ${city.name}`,
      sort: "name_asc",
      offset: 0,
      limit: 2,
    };
    const { ids, finished } = await allPages(
      new Catalog({ searchWorkBudget: budget }, destinations),
      query,
      budget,
      vocabulary,
    );
    expect(finished).toBe(true);
    expect(ids).toEqual(referenceSearch(items, query));
    expect(ids.length).toBeGreaterThan(2);
  });

  it("reads an offset-only cursor (as earlier pages gave) as the number of matches to pass over", async () => {
    const query: SearchQuery = { type: "activity", checkIn: FIXED_DAY, sort: "name_asc", offset: 13, limit: 5 };
    const result = await catalog.search(query);
    expect(result.items.map((item) => item.id)).toEqual(referenceSearch(items, query).slice(13, 18));
  });
});

// ------------------------------------------------------------------------------------------------------------------
// The whole world: the worst queries stay within the budget and still answer correctly
// ------------------------------------------------------------------------------------------------------------------

describe("catalog search's worst cases over the full inventory", () => {
  const catalog = new Catalog();
  const items = catalog.demo.all;
  const vocabulary = vocabularyOf(items);
  const checkIn = "2030-06-01";
  const checkOut = addDays(checkIn, 30);

  it("a 30-night window at any price, one result: bounded work, the same first page, a lower-bound total", async () => {
    for (const minPriceCents of [10n, 11n, 12n]) {
      // Changing the price by a cent made a new query, so no cache helped: the work itself is bounded.
      const query: SearchQuery = { checkIn, checkOut, minPriceCents, sort: "relevance", offset: 0, limit: 1 };
      const result = await catalog.search(query);
      expect(result.work).toBeLessThanOrEqual(SEARCH_WORK_BUDGET + overshoot(query, vocabulary));
      expect(result.items.map((item) => item.id)).toEqual(referenceFirstByRelevance(items, { ...query, limit: 1 }));
      expect(result.totalExact).toBe(false);
      expect(result.total).toBeGreaterThan(1);
      // The next page resumes after the first: it is the reference's second match.
      const second = await catalog.search({ ...query, offset: 1, resumeAt: result.next!.position });
      expect(second.items.map((item) => item.id)).toEqual(
        referenceFirstByRelevance(items, { ...query, limit: 2 }).slice(1),
      );
    }
  });

  it("searches without a destination take turns, and a burst beyond the waiting line gets 503 server_busy", async () => {
    const worst: SearchQuery = { checkIn, checkOut, minPriceCents: 13n, sort: "relevance", offset: 0, limit: 1 };
    const quick: SearchQuery = { text: "lisbon", sort: "relevance", offset: 0, limit: 1 };
    const alone = await Promise.all([catalog.search(worst), catalog.search(quick)]);

    // The worst case yields to the event loop many times; a quick search sent after it still answers after it.
    const finished: string[] = [];
    const burst = [
      catalog.search(worst).then((result) => (finished.push("worst"), result)),
      catalog.search(quick).then((result) => (finished.push("quick"), result)),
      ...Array.from({ length: 63 }, () => catalog.search(worst)),
    ];
    // One runs and 64 wait: the next is refused at once.
    const refused = await catalog.search(quick).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 503, code: "server_busy" });
    expect(Number((refused as ApiError).headers["Retry-After"])).toBeGreaterThan(0);

    const answers = await Promise.all(burst);
    expect(finished).toEqual(["worst", "quick"]);
    expect(answers[0]!.items).toEqual(alone[0].items);
    expect(answers[1]!.items).toEqual(alone[1].items);
    for (const answer of answers.slice(2)) expect(answer.items).toEqual(alone[0].items);
    // Once the line has gone, searches are answered again.
    expect((await catalog.search(quick)).items).toEqual(alone[1].items);
  });

  it("hotels free for 30 nights, by name, 100 a page: bounded work, pages equal to the reference's", async () => {
    const query: SearchQuery = { type: "hotel", checkIn, checkOut, sort: "name_asc", offset: 0, limit: 100 };
    const expected = referenceSearch(items, query);
    const { ids, last } = await allPages(catalog, query, SEARCH_WORK_BUDGET, vocabulary, 3);
    expect(ids).toEqual(expected.slice(0, ids.length));
    expect(ids.length).toBeGreaterThan(0);
    expect(last.total).toBeLessThanOrEqual(expected.length);
  });

  it("many common tokens, sorted by price: bounded work, the start of the reference's answer", async () => {
    const query: SearchQuery = { text: "d e m o i n v t r y a", sort: "price_desc", offset: 0, limit: 20 };
    const result = await catalog.search(query);
    expect(result.work).toBeLessThanOrEqual(SEARCH_WORK_BUDGET + overshoot(query, vocabulary));
    const expected = referenceSearch(items, query);
    expect(result.items.map((item) => item.id)).toEqual(expected.slice(0, result.items.length));
    expect(result.total).toBeLessThanOrEqual(expected.length);
  });

  it("ordinary queries are answered exactly: a city and a word, an exact price band, every item by name", async () => {
    for (const query of [
      { text: "lisbon walking", sort: "price_asc", offset: 0, limit: 20 },
      { text: "outdoors", type: "activity", sort: "rating_desc", offset: 0, limit: 3 },
      { type: "hotel", minPriceCents: 20_000n, maxPriceCents: 20_900n, sort: "name_asc", offset: 0, limit: 50 },
      { sort: "name_asc", offset: 0, limit: 100 },
    ] satisfies SearchQuery[]) {
      const result = await catalog.search(query);
      const expected = referenceSearch(items, query);
      expect(result.totalExact).toBe(true);
      expect(result.total).toBe(expected.length);
      expect(result.items.map((item) => item.id)).toEqual(expected.slice(0, query.limit));
    }
  });
});

// ------------------------------------------------------------------------------------------------------------------
// Over HTTP: cursors, the flag, the booking horizon
// ------------------------------------------------------------------------------------------------------------------

describe("GET /catalog/search, bounded", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp("pglite");
  });
  afterAll(() => t.close());

  const get = async (path: string) => {
    const { status, body } = await call(t.app, "GET", path);
    return { status, body: body as Json };
  };

  it("answers the hostile query with a page, a lower-bound total flagged as such, and a cursor that goes on", async () => {
    const checkIn = futureDay(30);
    const path = `/catalog/search?limit=1&checkIn=${checkIn}&checkOut=${addDays(checkIn, 30)}&minPrice=0.10`;
    const first = await get(path);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.totalExact).toBe(false);
    const second = await get(`${path}&cursor=${first.body.nextCursor}`);
    expect(second.status).toBe(200);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
  });

  it("pages through a text search by name exactly, with an exact total", async () => {
    const { catalog } = t.services;
    const query: SearchQuery = { text: "walking", type: "activity", sort: "name_asc", offset: 0, limit: 100 };
    const expected = referenceSearch(catalog.demo.all, query);
    const ids: string[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page = await get(
        `/catalog/search?q=walking&type=activity&sort=name_asc&limit=100${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(page.body).toMatchObject({ total: expected.length, totalExact: true });
      ids.push(...page.body.items.map((item: Json) => item.id));
      cursor = page.body.nextCursor;
    }
    expect(ids).toEqual(expected);
  });

  it("refuses a check-in more than 18 months ahead, naming the field; 500 days ahead is fine", async () => {
    for (const checkIn of ["9999-12-01", futureDay(600)]) {
      const { status, body } = await get(`/catalog/search?checkIn=${checkIn}`);
      expect(status).toBe(400);
      expect(body.error.details.fields.map((f: Json) => f.field)).toEqual(["query.checkIn"]);
    }
    expect((await get(`/catalog/search?checkIn=${futureDay(500)}&limit=1`)).status).toBe(200);
  });

  it("prices no booking that starts more than 18 months ahead (what quotes and the planner use)", async () => {
    const { catalog } = t.services;
    const activity = catalog.demo.all.find((item) => item.type === "activity")!;
    const booking = (checkIn: string) => ({
      items: [{ itemId: activity.id }],
      checkIn,
      checkOut: addDays(checkIn, 1),
      guests: 1,
      paymentToken: `0x${"0".repeat(40)}` as const,
    });
    for (const checkIn of ["9999-12-01", futureDay(600)]) {
      const refused = await priceLines(catalog, booking(checkIn), TEST_DATE).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ApiError);
      expect(refused).toMatchObject({ status: 400, details: { fields: [{ field: "body.checkIn" }] } });
    }
    // Within the horizon, the only reason to refuse is availability.
    const day = [...Array(30).keys()].map((n) => futureDay(500 + n)).find((d) => catalog.availableOn(activity, d))!;
    await expect(priceLines(catalog, booking(day), TEST_DATE)).resolves.toHaveLength(1);
  });
});

describe("searches without a destination, per IP per window", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp("pglite", {
      env: { TRUST_PROXY: "true", CATALOG_BROAD_SEARCHES_PER_IP_PER_WINDOW: "2" },
    });
  });
  afterAll(() => t.close());

  const from = (ip: string, path: string) => call(t.app, "GET", path, { headers: { "x-forwarded-for": ip } });

  it("an IP past its budget gets 429 broad_searches_exhausted; cached answers, destination searches and other IPs don't count", async () => {
    const checkIn = futureDay(30);
    const broad = (cents: number) =>
      `/catalog/search?limit=1&checkIn=${checkIn}&checkOut=${addDays(checkIn, 30)}&minPrice=0.${cents}`;
    const attacker = "192.0.2.80";
    expect((await from(attacker, broad(10))).status).toBe(200);
    expect((await from(attacker, broad(11))).status).toBe(200);
    // The same question again is answered from the cache: no scan, no budget.
    expect((await from(attacker, broad(10))).status).toBe(200);
    const refused = await from(attacker, broad(12));
    expect(refused.status).toBe(429);
    expect((refused.body as Json).error).toMatchObject({ code: "broad_searches_exhausted", details: { limit: 2 } });
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);

    const destination = (await from(attacker, "/catalog/destinations?q=Lisbon")).body as Json;
    const lisbon = destination.destinations[0].id as string;
    expect((await from(attacker, `/catalog/search?destination=${lisbon}&checkIn=${checkIn}`)).status).toBe(200);
    expect((await from("192.0.2.81", broad(12))).status).toBe(200);
  });
});
