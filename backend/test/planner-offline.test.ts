/**
 * The offline planner over a table of varied requests: every plan is checked against the catalog (items exist, are
 * available on their days, inside the stay), the budget, the dates and the interests asked for; vague and
 * impossible requests must get an honest answer rather than a plan.
 */
import { describe, expect, it } from "vitest";

import { priceLines } from "../src/bookings/pricing.js";
import { addDays } from "../src/catalog/dates.js";
import { Catalog } from "../src/catalog/service.js";
import { OfflinePlanner } from "../src/planner/offline.js";
import { PlanResult, EMPTY_TRAVELLER, type Answer, type Plan } from "../src/planner/types.js";
import { PLANNER_REQUESTS, TODAY, type Expect } from "./fixtures/planner-requests.js";

const catalog = new Catalog();
const planner = new OfflinePlanner(catalog);

async function check(plan: Plan, expected: Expect) {
  if (expected.city) expect(plan.destination.name).toBe(expected.city);
  if (expected.country) expect(plan.destination.country).toBe(expected.country);
  if (typeof expected.checkIn === "string") expect(plan.checkIn).toBe(expected.checkIn);
  if (typeof expected.checkIn === "function") expect(expected.checkIn(plan.checkIn), plan.checkIn).toBe(true);
  if (expected.checkOut) expect(plan.checkOut).toBe(expected.checkOut);
  if (expected.nights) expect(plan.nights).toBe(expected.nights);
  if (expected.guests) expect(plan.guests).toBe(expected.guests);
  expect(plan.checkIn >= TODAY).toBe(true);
  expect(addDays(plan.checkIn, plan.nights)).toBe(plan.checkOut);
  // N nights are N + 1 day cards, arrival to departure; the departure day is planned too.
  expect(plan.days.map((d) => d.date)).toEqual(
    Array.from({ length: plan.nights + 1 }, (_, i) => addDays(plan.checkIn, i)),
  );
  if (expected.days) expect(plan.days).toHaveLength(expected.days);
  const departure = plan.days.at(-1)!;
  expect(departure.notes?.map((n) => n.text).join(" ")).toMatch(/^Check out of .+ Travel home/);

  const items = plan.days.flatMap((day) => day.items.map((item) => ({ ...item, day: day.date })));
  expect(items.length).toBeLessThanOrEqual(20);
  expect(items.filter((i) => i.type === "hotel")).toHaveLength(1);
  for (const item of items) {
    const found = await catalog.getItem(item.itemId);
    expect(found, item.itemId).toBeDefined();
    expect(found!.destinationId).toBe(plan.destination.id);
    expect(item.day).toBe(item.date);
    expect(item.date >= plan.checkIn && item.date <= plan.checkOut).toBe(true);
    if (item.type === "hotel") expect(catalog.isAvailable(found!, plan.checkIn, plan.checkOut)).toBe(true);
    else expect(catalog.availableOn(found!, item.date), `${item.itemId} on ${item.date}`).toBe(true);
  }
  // Bookable as is: POST /bookings' own pricing accepts the booking body and gives the same total.
  const priced = await priceLines(catalog, { ...plan.booking, paymentToken: `0x${"0".repeat(40)}` }, TODAY);
  const cents = priced.reduce((sum, line) => sum + line.totalCents, 0n);
  expect(`${cents / 100n}.${(cents % 100n).toString().padStart(2, "0")}`).toBe(plan.totals.total.amount);
  expect(plan.booking.items).toHaveLength(items.length);

  if (expected.maxUsd !== undefined) {
    expect(Number(plan.totals.total.amount)).toBeLessThanOrEqual(expected.maxUsd);
    expect(Number(plan.budget!.usd)).toBeLessThanOrEqual(expected.maxUsd);
    expect(items.filter((i) => i.type === "activity").length).toBeGreaterThan(0);
  }
  const categories = await Promise.all(
    items
      .filter((i) => i.type === "activity")
      .map(async (i) => ((await catalog.getItem(i.itemId))!.details as { category: string }).category),
  );
  // An interest is reflected when the destination offers it on one of the days (else the plan says it could not).
  const inventory = catalog.demo.candidates({ destinationId: plan.destination.id });
  for (const category of expected.categories ?? []) {
    expect(plan.interests).toContain(category);
    const offered = inventory.some(
      (item) =>
        item.details.kind === "activity" &&
        item.details.category === category &&
        plan.days.some((day) => catalog.availableOn(item, day.date)),
    );
    if (offered) expect(categories, `interest ${category}`).toContain(category);
    else expect(plan.assumptions.join(" ")).toContain(`No ${category} activity`);
  }
  for (const diet of expected.dietary ?? []) {
    const dinners = items.filter((i) => i.type === "restaurant");
    expect(dinners.length).toBeGreaterThan(0);
    for (const dinner of dinners) {
      const details = (await catalog.getItem(dinner.itemId))!.details as { dietaryOptions: string[] };
      expect(details.dietaryOptions).toContain(diet);
    }
  }
  if (expected.minStars) {
    const hotel = await catalog.getItem(items.find((i) => i.type === "hotel")!.itemId);
    expect((hotel!.details as { stars: number }).stars).toBeGreaterThanOrEqual(expected.minStars);
  }
  if (expected.flight) expect(items.some((i) => i.type === "flight")).toBe(true);
  if (expected.assumption) expect(plan.assumptions.join(" ")).toMatch(expected.assumption);
  expect(plan.summary).toContain(plan.destination.name);
}

describe("offline planner: request table", () => {
  it("has at least 40 varied requests", () => {
    expect(PLANNER_REQUESTS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(PLANNER_REQUESTS)("%s", async (text, expected) => {
    const answer: Answer = await planner.plan({ text, traveller: EMPTY_TRAVELLER, history: [], today: TODAY });
    // The shape every adapter returns.
    PlanResult.parse({ ...answer, source: "offline", fallback: null });
    expect(answer.status, JSON.stringify(answer).slice(0, 400)).toBe(expected.status);
    expect(answer.reply.length).toBeGreaterThan(10);
    if (answer.status === "plan") await check(answer.plan, expected);
    if (answer.status === "clarification") expect(answer.missing).toEqual(expected.missing);
    if (answer.status === "cannot") expect(answer.reason).toMatch(expected.reason!);
  });

  it("is deterministic: the same request plans the same trip", async () => {
    const input = { text: "4 days in Rome for 2, food", traveller: EMPTY_TRAVELLER, history: [], today: TODAY };
    expect(await planner.plan(input)).toEqual(await planner.plan(input));
  });

  it("takes what a follow-up leaves out from earlier turns, and the profile's interests and diet", async () => {
    const first = await planner.plan({ text: "trip to Lisbon", traveller: EMPTY_TRAVELLER, history: [], today: TODAY });
    expect(first.status).toBe("clarification");
    const history = [
      {
        request: "trip to Lisbon",
        result: { ...first, source: "offline" as const, fallback: null, conversationId: null },
      },
    ];
    const second = await planner.plan({
      text: "3 days from June 4th for two",
      traveller: { ...EMPTY_TRAVELLER, interests: ["outdoors"], dietary: ["vegetarian"] },
      history,
      today: TODAY,
    });
    expect(second.status).toBe("plan");
    if (second.status !== "plan") return;
    await check(second.plan, {
      status: "plan",
      city: "Lisbon",
      checkIn: "2030-06-04",
      nights: 2,
      days: 3,
      guests: 2,
      categories: ["outdoors"],
      dietary: ["vegetarian"],
    });
  });
});
