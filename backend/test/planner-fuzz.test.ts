/**
 * Property-based: whatever a traveller says (random text, or random mixes of trip words), the offline planner
 * answers with a valid PlanResult, never throws, and any plan it makes is inside its own dates, within its budget
 * and made of available catalog items.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { Catalog } from "../src/catalog/service.js";
import { OfflinePlanner } from "../src/planner/offline.js";
import { EMPTY_TRAVELLER, PlanResult } from "../src/planner/types.js";
import { call, createTestApp } from "./helpers/app.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const TODAY = "2030-03-04";
const catalog = new Catalog();
const planner = new OfflinePlanner(catalog);

const words = fc.constantFrom(
  "3 days",
  "a week",
  "a long weekend",
  "in",
  "to",
  "from the 4th to the 9th",
  "June 31",
  "2029-01-01 to 2029-01-05",
  "in May",
  "for 2 people",
  "family of 12",
  "$1,500",
  "€0",
  "£ 20k",
  "fifteen hundred dollars",
  "200 euros per day",
  "Lisbon",
  "Paris",
  "Tokyo",
  "Portugal",
  "the moon",
  "Wakanda",
  "vegan",
  "hiking",
  "nightlife",
  "5-star",
  "cheap",
  "from London",
  "next weekend",
  "tomorrow",
  "and",
  "45 nights",
  "0 days",
);

async function checkAnswer(text: string) {
  const answer = await planner.plan({ text, traveller: EMPTY_TRAVELLER, history: [], today: TODAY });
  PlanResult.parse({ ...answer, source: "offline", fallback: null });
  if (answer.status !== "plan") return;
  const { plan } = answer;
  expect(plan.checkIn >= TODAY).toBe(true);
  if (plan.budget) expect(Number(plan.totals.total.amount)).toBeLessThanOrEqual(Number(plan.budget.usd));
  for (const day of plan.days) {
    expect(day.date >= plan.checkIn && day.date <= plan.checkOut).toBe(true);
    for (const item of day.items) {
      const found = await catalog.getItem(item.itemId);
      expect(found).toBeDefined();
      if (item.type !== "hotel") expect(catalog.availableOn(found!, item.date)).toBe(true);
    }
  }
}

describe("offline planner under random requests", () => {
  it("answers random text with a valid result", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "grapheme", maxLength: 80 }), (text) => checkAnswer(text)),
      { numRuns: RUNS },
    );
  });

  it("answers random mixes of trip words consistently", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(words, { minLength: 1, maxLength: 8 }), (parts) => checkAnswer(parts.join(" "))),
      { numRuns: RUNS * 3 },
    );
  });

  it("answers junk bodies at POST /planner/plan below 500 with the standard error", async () => {
    const t = await createTestApp("pglite");
    try {
      await fc.assert(
        fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (body) => {
          const response = await call(t.app, "POST", "/planner/plan", { body: JSON.stringify(body) });
          expect(response.status).toBeLessThan(500);
          if (response.status !== 200) expect(response.body.error.code).toBeTypeOf("string");
        }),
        { numRuns: RUNS },
      );
    } finally {
      await t.close();
    }
  });
});
