/**
 * Requests without a destination get 3 to 5 ranked ideas from real data: each reason's temperature is the month's mean
 * in the committed climate normals (read here straight from the file), what the catalog has there for the interests
 * said, a hotel free for the stay within the budget, the distance from where the traveller leaves; naming one plans it.
 */
import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { CLIMATE_NORMALS_FILE } from "../src/catalog/climate.js";
import { distanceKm } from "../src/catalog/geodata.js";
import { Catalog } from "../src/catalog/service.js";
import { OfflinePlanner } from "../src/planner/offline.js";
import { EMPTY_TRAVELLER, PlanResult, type Answer, type Suggestion } from "../src/planner/types.js";
import { CALENDAR_DATES } from "./helpers/clock.js";
import { TODAY } from "./fixtures/planner-requests.js";

const catalog = new Catalog();
const planner = new OfflinePlanner(catalog);

/** The dataset as committed: destination id → region and the twelve monthly means as written. */
const DATASET = new Map(
  readFileSync(CLIMATE_NORMALS_FILE, "utf8")
    .trimEnd()
    .split("\n")
    .slice(1)
    .map((row) => row.split("\t"))
    .map(([id, region, , , ...means]) => [id, { region, means }] as const),
);

async function ideas(text: string, today = TODAY) {
  const answer = await planner.plan({ text, traveller: EMPTY_TRAVELLER, history: [], today });
  PlanResult.parse({ ...answer, source: "offline", fallback: null });
  expect(answer).toMatchObject({ status: "clarification", missing: ["destination"] });
  const suggestions = (answer as Extract<Answer, { status: "clarification" }>).suggestions ?? [];
  return { answer, suggestions };
}

/** Every reason's figure is the dataset's value for that city and month, and the reply says each reason. */
function expectFromDataset(answer: Answer, suggestions: Suggestion[], month: number) {
  expect(suggestions.length).toBeGreaterThanOrEqual(3);
  expect(suggestions.length).toBeLessThanOrEqual(5);
  expect(new Set(suggestions.map((s) => s.destination.country)).size).toBe(suggestions.length);
  for (const suggestion of suggestions) {
    const row = DATASET.get(suggestion.destination.id);
    expect(row, suggestion.destination.id).toBeDefined();
    expect(suggestion.climate).toEqual({ month, meanC: row!.means[month - 1], source: "Wikipedia's climate normals" });
    const said = suggestion.reason.match(/: (-?\d+(?:\.\d+)?) °C on average in (\w+);/);
    expect(said?.[1], suggestion.reason).toBe(row!.means[month - 1]);
    expect(answer.reply).toContain(suggestion.reason);
  }
  return suggestions.map((s) => ({
    ...s,
    mean: Number(s.climate.meanC),
    region: DATASET.get(s.destination.id)!.region,
  }));
}

const cents = (reason: string) => Number(reason.match(/hotels from \$([\d,]+)/)![1].replace(/,/g, "")) * 100;

describe("inspiration: requests without a destination", () => {
  it("somewhere warm in February: warm places in February, warmest kind first", async () => {
    const { answer, suggestions } = await ideas("somewhere warm in February");
    const found = expectFromDataset(answer, suggestions, 2);
    for (const idea of found) expect(idea.mean).toBeGreaterThanOrEqual(18);
    expect(answer.reply).toMatch(/^Ideas for somewhere warm in February, best first/);
  });

  it("a beach in Europe in June under $1,500: European cities with beaches and a hotel within the budget", async () => {
    const { answer, suggestions } = await ideas("a beach in Europe in June under $1,500");
    const found = expectFromDataset(answer, suggestions, 6);
    for (const idea of found) {
      expect(idea.region).toBe("Europe");
      expect(idea.reason).toContain("beaches in the catalog");
      expect(cents(idea.reason)).toBeLessThanOrEqual(150_000);
      const { items } = await catalog.search({
        destinationId: idea.destination.id,
        type: "activity",
        sort: "relevance",
        offset: 0,
        limit: 100,
      });
      expect(items.some((item) => item.tags.includes("beach"))).toBe(true);
    }
  });

  it("surprise me for a long weekend from Berlin: near Berlin, the distance said", async () => {
    const { answer, suggestions } = await ideas("surprise me for a long weekend from Berlin");
    const found = expectFromDataset(answer, suggestions, Number(TODAY.slice(5, 7)));
    const berlin = catalog.destinationsById.get("berlin-de-2950159")!;
    for (const idea of found) {
      const destination = catalog.destinationsById.get(idea.destination.id)!;
      const km = Math.round(distanceKm(berlin.lat, berlin.lon, destination.lat, destination.lon));
      expect(km).toBeLessThanOrEqual(2_500);
      expect(idea.reason).toContain(`${km.toLocaleString("en-US")} km from Berlin`);
      expect(idea.destination.id).not.toBe(berlin.id);
    }
  });

  it("naming a suggestion plans it, keeping the month and what else was said", async () => {
    const text = "a beach in Europe in June under $1,500";
    const { answer, suggestions } = await ideas(text);
    const pick = suggestions[1];
    const history = [
      { request: text, result: { ...answer, source: "offline" as const, fallback: null, conversationId: null } },
    ];
    const planned = await planner.plan({
      text: `${pick.destination.name}, ${pick.destination.countryName}`,
      traveller: EMPTY_TRAVELLER,
      history,
      today: TODAY,
    });
    expect(planned.status, planned.reply).toBe("plan");
    if (planned.status !== "plan") return;
    expect(planned.plan.destination.id).toBe(pick.destination.id);
    expect(planned.plan.checkIn.slice(5, 7)).toBe("06");
    expect(planned.plan.interests).toContain("beach");
    expect(Number(planned.plan.totals.total.amount)).toBeLessThanOrEqual(1_500);
  });

  it.each(CALENDAR_DATES)("answers with ideas from the dataset when today is %s", async (today) => {
    const { answer, suggestions } = await ideas("somewhere mild in Europe in October", today);
    const found = expectFromDataset(answer, suggestions, 10);
    for (const idea of found) {
      expect(idea.region).toBe("Europe");
      expect(idea.mean).toBeGreaterThanOrEqual(12);
      expect(idea.mean).toBeLessThanOrEqual(22);
    }
  });

  it("says so when nothing fits, and a request with nothing to go on still asks where", async () => {
    const { answer, suggestions } = await ideas("somewhere warm in Europe in January");
    expect(suggestions).toEqual([]);
    expect(answer.reply).toMatch(/^I found no city warm in January in Europe/);
    const vague = await planner.plan({ text: "plan me a trip", traveller: EMPTY_TRAVELLER, history: [], today: TODAY });
    expect(vague).toMatchObject({ status: "clarification", missing: ["destination"] });
    expect(vague).not.toHaveProperty("suggestions");
  });
});
