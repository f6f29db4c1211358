/**
 * Property-based tests: random and malformed input at every endpoint. Whatever a client sends, the API answers
 * below 500, every error has the standard shape, and a refused request writes nothing.
 */
import { count } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { schema } from "../src/db/index.js";
import { call, createTestApp, expectError, signIn, testAccount, type TestApp } from "./helpers/app.js";
import { DRIVERS } from "./helpers/databases.js";
import { ETH, LISBON, STABLECOIN, availableItems, futureDay } from "./helpers/trips.js";

type Json = Record<string, any>;

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);

const junkString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.constantFrom(
    "",
    " ",
    "0x",
    "null",
    "-1",
    "1e309",
    "NaN",
    "%00",
    "../../etc/passwd",
    "' or 1=1 --",
    "<script>",
    "🛫",
  ),
);
const hex = (bytes: number) =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => `0x${Buffer.from(b).toString("hex")}`);
const maybeDate = fc.oneof(
  fc.integer({ min: -400, max: 800 }).map((d) => futureDay(d)),
  fc.constantFrom("2030-02-30", "2030-13-01", "20300101", "", "yesterday"),
  junkString,
);
const junkJson = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  // fc.stringify, not String(): generated objects may have no prototype to convert them with.
  fc.anything({ maxDepth: 2 }).map((v) => fc.stringify(v)),
);

async function tableCounts(t: TestApp) {
  const db = t.services.db;
  const [[bookings], [items], [profiles], [jobs], [sessions]] = await Promise.all([
    db.select({ n: count() }).from(schema.bookings),
    db.select({ n: count() }).from(schema.bookingItems),
    db.select({ n: count() }).from(schema.profiles),
    db.select({ n: count() }).from(schema.keeperJobs),
    db.select({ n: count() }).from(schema.sessions),
  ]);
  return { bookings: bookings.n, items: items.n, profiles: profiles.n, jobs: jobs.n, sessions: sessions.n };
}

function assertWellFormed(response: { status: number; body: Json }, label: string) {
  expect(response.status, `${label} → ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`).toBeLessThan(
    500,
  );
  if (response.status >= 400) expect(expectError(response).hasShape, label).toBe(true);
}

describe.each(DRIVERS)("fuzzing every endpoint (%s)", (driver) => {
  let t: TestApp;
  let token: string;
  let itemIds: string[];

  beforeAll(async () => {
    t = await createTestApp(driver);
    token = await signIn(t.app, testAccount(16));
    const hotels = await availableItems(t.app, "hotel", futureDay(20), futureDay(22));
    const activities = await availableItems(t.app, "activity", futureDay(20), futureDay(21));
    itemIds = [...hotels, ...activities].map((item) => item.id);
  });
  afterAll(() => t.close());

  const auth = () => fc.constantFrom<"valid" | "none" | "junk">("valid", "valid", "none", "junk");
  const headersFor = (mode: "valid" | "none" | "junk", junk: string): Record<string, string> =>
    mode === "valid"
      ? { authorization: `Bearer ${token}` }
      : mode === "junk"
        ? { authorization: `Bearer ${encodeURIComponent(junk)}x` }
        : {};

  it("GET endpoints with random paths and query strings never fail with a 5xx", async () => {
    const paths = [
      "/catalog/search",
      "/catalog/destinations",
      "/catalog/items/{x}",
      "/bookings",
      "/bookings/{x}",
      "/accounts/{x}",
      "/rewards",
      "/referrals",
      "/referrals/signature",
      "/governance/proposals",
      "/governance/votes",
      "/ipfs/{x}",
      "/me/profile",
      "/auth/me",
      "/auth/session",
    ];
    const keys = [
      "q",
      "destination",
      "type",
      "checkIn",
      "checkOut",
      "origin",
      "guests",
      "minPrice",
      "maxPrice",
      "sort",
      "cursor",
      "limit",
      "status",
      "country",
      "referrer",
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.oneof(junkString, hex(20), hex(32), fc.constantFrom(LISBON, "demo-hotel-2267057-1")),
        fc.dictionary(fc.constantFrom(...keys), fc.oneof(junkString, maybeDate, fc.integer().map(String)), {
          maxKeys: 5,
        }),
        auth(),
        async (template, param, query, mode) => {
          const path = `${template.replace("{x}", encodeURIComponent(param) || "x")}?${new URLSearchParams(query)}`;
          const response = await call(t.app, "GET", path, { headers: headersFor(mode, param) });
          assertWellFormed(response, `GET ${path}`);
        },
      ),
      { numRuns: RUNS * 3 },
    );
  });

  it("POST /bookings with random bodies: no 5xx, and a refused request writes nothing", async () => {
    const line = fc.record(
      {
        itemId: fc.oneof(fc.constantFrom(...itemIds), junkString),
        date: maybeDate,
      },
      { requiredKeys: ["itemId"] },
    );
    const body = fc.oneof(
      fc.record(
        {
          items: fc.oneof(fc.array(line, { maxLength: 4 }), junkJson),
          checkIn: maybeDate,
          checkOut: maybeDate,
          guests: fc.oneof(fc.integer({ min: -2, max: 12 }), junkJson),
          paymentToken: fc.oneof(fc.constantFrom(STABLECOIN, ETH), hex(20), junkString),
        },
        { requiredKeys: [] },
      ),
      junkJson,
    );
    await fc.assert(
      // Header values can only carry bytes: the key is random Latin-1 text.
      fc.asyncProperty(
        body,
        auth(),
        fc.option(junkString.map((k) => k.replace(/[^\x20-\xff]/g, ""))),
        async (payload, mode, key) => {
          const before = await tableCounts(t);
          const headers = { ...headersFor(mode, "k"), ...(key ? { "idempotency-key": key } : {}) };
          const response = await call(t.app, "POST", "/bookings", { body: payload, headers });
          assertWellFormed(response, `POST /bookings ${JSON.stringify(payload).slice(0, 200)}`);
          const after = await tableCounts(t);
          if (response.status === 201) {
            expect(after.bookings).toBe(before.bookings + 1);
            expect(after.items).toBe(before.items + (response.body.booking as Json).items.length);
          } else {
            expect(after).toEqual(before);
          }
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it("mutating endpoints with random ids and bodies: no 5xx, no writes on refusal", async () => {
    const targets: [string, string][] = [
      ["POST", "/bookings/{x}/cancel"],
      ["POST", "/bookings/{x}/payment"],
      ["PUT", "/me/profile"],
      ["POST", "/referrals/signature"],
      ["POST", "/auth/verify"],
      ["POST", "/auth/logout"],
    ];
    const profileish = fc.record(
      {
        interests: fc.oneof(fc.array(junkString, { maxLength: 25 }), junkJson),
        travelStyle: fc.oneof(fc.constantFrom("budget", "luxury", null), junkString),
        budget: fc.oneof(
          fc.record({ perDay: fc.oneof(junkString, fc.constant("120.50")), perTrip: junkJson }),
          junkJson,
        ),
        dietary: fc.oneof(fc.array(fc.constantFrom("vegan", "halal", "meat"), { maxLength: 4 }), junkJson),
        pastDestinations: fc.oneof(fc.array(fc.constantFrom(LISBON, "atlantis"), { maxLength: 3 }), junkJson),
      },
      { requiredKeys: [] },
    );
    const other = fc.record(
      {
        txHash: fc.oneof(hex(32), junkString),
        referrer: fc.oneof(hex(20), junkString),
        deadline: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 70n }).map(String), junkString),
        signature: fc.oneof(hex(65), junkString),
        message: fc.oneof(junkString, fc.constant("localhost:3000 wants you to sign in")),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...targets),
        fc.oneof(hex(32), junkString),
        fc.oneof(profileish, other, junkJson),
        fc.constantFrom<"valid" | "none" | "junk">("valid", "valid", "valid", "none", "junk"),
        async ([method, template], id, payload, mode) => {
          // Logging out with the shared session would end it for the next runs.
          if (template === "/auth/logout" && mode === "valid") return;
          const before = await tableCounts(t);
          const path = template.replace("{x}", encodeURIComponent(id) || "x");
          const response = await call(t.app, method, path, { body: payload, headers: headersFor(mode, id) });
          assertWellFormed(response, `${method} ${path} ${JSON.stringify(payload)?.slice(0, 200)}`);
          if (response.status >= 400) expect(await tableCounts(t)).toEqual(before);
        },
      ),
      { numRuns: RUNS * 3 },
    );
  });

  it("random methods on every route answer 404 or 405, never 5xx", async () => {
    const routes = [
      "/health",
      "/ready",
      "/bookings",
      "/catalog/search",
      "/auth/nonce",
      "/openapi.json",
      "/docs",
      "/x/y/z",
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE"),
        fc.constantFrom(...routes),
        async (method, path) => {
          const response = await call(t.app, method, path, { headers: { authorization: `Bearer ${token}` } });
          expect(response.status).toBeLessThan(500);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
