/**
 * The recommender's ranking over the whole demo catalog, on both databases: exactly the items a full scan would pick
 * (highest cosine first, ties in catalog order, every filter applied), scores that are the cosine of the traveller's
 * and the item's features, a pinned ranking for a fixed traveller, and likes that move later recommendations.
 */
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { Catalog } from "../src/catalog/service.js";
import type { CatalogItem, ItemType } from "../src/catalog/types.js";
import { schema } from "../src/db/index.js";
import { EMPTY_TRAVELLER, type TravellerContext } from "../src/planner/types.js";
import { HashingEmbedder, normalize } from "../src/recommendations/embeddings.js";
import { itemFeatures, travellerFeatures } from "../src/recommendations/features.js";
import { recordInteraction } from "../src/recommendations/interactions.js";
import { Recommender, type RecommendationQuery } from "../src/recommendations/service.js";
import { DRIVERS, openTestDatabase, type TestDatabase } from "./helpers/databases.js";

const logger = pino({ level: "silent" });
const catalog = new Catalog({ logger });
const items = catalog.demo.all;
const NOW = new Date("2027-03-01T12:00:00Z");

const WITH_HISTORY = "0x00000000000000000000000000000000000000a1";
const NO_HISTORY = "0x00000000000000000000000000000000000000a2";
const FOODIE: TravellerContext = { ...EMPTY_TRAVELLER, interests: ["food", "hiking"], dietary: ["vegetarian"] };
const LUXURY_VEGAN: TravellerContext = { ...EMPTY_TRAVELLER, dietary: ["vegan"], travelStyle: "luxury" };

/** The reference: score every item, keep those that pass the filters, order by score then catalog order. */
function fullScan(query: RecommendationQuery, score: (item: CatalogItem) => number) {
  return items
    .map((item, position) => ({ item, position, score: score(item) }))
    .filter(
      ({ item }) =>
        (!query.destinationId || item.destinationId === query.destinationId) &&
        (!query.type || item.type === query.type) &&
        (!query.checkIn || catalog.isAvailable(item, query.checkIn, query.checkOut)),
    )
    .sort((a, b) => b.score - a.score || a.position - b.position)
    .slice(0, query.limit);
}

describe.each(DRIVERS)("recommendations ranking (%s)", (driver) => {
  let database: TestDatabase;
  let recommender: Recommender;

  beforeAll(async () => {
    database = await openTestDatabase(driver);
    const { db } = database.database;
    for (let i = 0; i < 30; i++) {
      const item = items[(i * 7919) % items.length];
      await recordInteraction({ db, catalog, now: () => NOW }, WITH_HISTORY, {
        itemId: item.id,
        kind: (["view", "like", "book"] as const)[i % 3],
      });
    }
    recommender = new Recommender({ catalog, db, logger, embedder: new HashingEmbedder() });
    await recommender.warm();
  });
  afterAll(() => database.drop());

  const lisbon = "lisbon-pt-2267057";
  const queries: RecommendationQuery[] = [
    { limit: 20 },
    { type: "activity", limit: 20 },
    { type: "restaurant", limit: 50 },
    { type: "hotel", limit: 10 },
    { type: "flight", limit: 5 },
    { limit: 30, checkIn: "2027-04-09", checkOut: "2027-04-11" },
    { destinationId: lisbon, limit: 30 },
    { destinationId: lisbon, type: "restaurant", limit: 10, checkIn: "2027-05-01", checkOut: "2027-05-03" },
  ];

  it.each([
    ["a traveller with interests and history", WITH_HISTORY, FOODIE],
    ["a traveller with a diet and a style only", NO_HISTORY, LUXURY_VEGAN],
    ["a traveller with history only", WITH_HISTORY, EMPTY_TRAVELLER],
  ] as const)("picks what a full scan of the catalog picks, for %s", async (_name, address, traveller) => {
    const affinity = (await recommender.affinityFor(address, traveller))!;
    for (const query of queries) {
      const { items: got, personalised } = await recommender.recommend(address, traveller, query);
      expect(personalised).toBe(true);
      const expected = fullScan(query, affinity.of);
      expect(
        got.map((r) => r.item.id),
        JSON.stringify(query),
      ).toEqual(expected.map((e) => e.item.id));
      expect(got.map((r) => r.score)).toEqual(expected.map((e) => Math.round(e.score * 1000) / 1000));
    }
  });

  it("scores an item by the cosine of its features with the traveller's", async () => {
    const embedder = new HashingEmbedder();
    const sum = (features: string[], weight: number) => {
      const vector = new Float32Array(embedder.dimensions);
      for (const feature of features) {
        const v = embedder.embedOne(feature);
        for (let d = 0; d < vector.length; d++) vector[d] += weight * v[d];
      }
      return normalize(vector);
    };
    const profile = sum(
      travellerFeatures(FOODIE).map((f) => f.feature),
      1.5,
    );
    const { items: got } = await recommender.recommend(NO_HISTORY, FOODIE, { limit: 10 });
    for (const { item, score } of got) {
      const vector = sum(itemFeatures(item), 1);
      const cosine = vector.reduce((total, v, d) => total + v * profile[d], 0);
      expect(score).toBeCloseTo(cosine, 3);
    }
  });

  it("ranks the demo catalog the same way for a fixed traveller", async () => {
    const { items: got } = await recommender.recommend(WITH_HISTORY, FOODIE, { type: "activity", limit: 5 });
    expect(got.map((r) => [r.item.id, r.score, r.reason])).toMatchInlineSnapshot(`
      [
        [
          "demo-activity-1796236-0",
          0.456,
          "Because you booked Cathedral and old churches walk",
        ],
        [
          "demo-activity-1796236-4",
          0.456,
          "Because you booked Cathedral and old churches walk",
        ],
        [
          "demo-activity-1796236-5",
          0.456,
          "Because you booked Cathedral and old churches walk",
        ],
        [
          "demo-activity-1796236-6",
          0.456,
          "Because you booked Cathedral and old churches walk",
        ],
        [
          "demo-activity-1796236-8",
          0.456,
          "Because you booked Cathedral and old churches walk",
        ],
      ]
    `);
  });

  it("moves what a traveller liked, and its kind, up their later recommendations", async () => {
    const address = "0x00000000000000000000000000000000000000a3";
    const query = { type: "activity" as ItemType, limit: 20 };
    const category = (item: CatalogItem) => (item.details.kind === "activity" ? item.details.category : "");
    const before = await recommender.recommend(address, EMPTY_TRAVELLER, query);
    expect(before.personalised).toBe(false);
    const liked = items.find((item) => category(item) === "nightlife")!;
    await recordInteraction({ db: database.database.db, catalog, now: () => NOW }, address, {
      itemId: liked.id,
      kind: "like",
    });
    const after = await recommender.recommend(address, EMPTY_TRAVELLER, query);
    expect(after.personalised).toBe(true);
    expect(after.items.every((r) => category(r.item) === "nightlife")).toBe(true);
    expect(after.items[0].reason).toBe(`Because you liked ${liked.name}`);
    expect(before.items.filter((r) => category(r.item) === "nightlife").length).toBeLessThan(after.items.length);
    const rows = await database.database.db.select().from(schema.interactions);
    expect(rows.filter((row) => row.address === address)).toHaveLength(1);
  });
});
