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
import { labelOf } from "../src/planner/interests.js";
import { CALENDAR_DATES } from "./helpers/clock.js";
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

  if (expected.budget) expect(plan.budget).toEqual(expected.budget);
  if (expected.maxUsd !== undefined) {
    expect(Number(plan.totals.total.amount)).toBeLessThanOrEqual(expected.maxUsd);
    expect(Number(plan.budget!.usd)).toBeLessThanOrEqual(expected.maxUsd);
    expect(items.filter((i) => i.type === "activity").length).toBeGreaterThan(0);
  }
  // Every stated interest shapes an item, with the reason shown, or the reply names it as not there.
  for (const interest of expected.interests ?? []) {
    expect(plan.interests).toContain(interest);
    const label = labelOf(interest);
    const shaped = items.some((item) => /^because you like/i.test(item.why) && item.why.includes(label));
    const named = plan.summary.includes(label) && plan.assumptions.some((note) => note.includes(label));
    expect(shaped || named, `interest ${interest}: ${plan.summary}`).toBe(true);
    if (expected.offered?.includes(interest)) expect(shaped, `${interest} should be offered`).toBe(true);
  }
  await checkTimes(plan);
  expect(plan.pace).toBe(expected.pace ?? "balanced");
  if (expected.pace) {
    const fullDays = plan.days.slice(1, -1).map((day) => day.items.filter((i) => i.type === "activity").length);
    // Packed is up to three where the booking's 20 items leave room: a long stay fills its days with two first.
    const most = Math.max(...fullDays);
    if (expected.pace === "relaxed") expect(most).toBe(1);
    if (expected.pace === "balanced") expect(most).toBe(2);
    if (expected.pace === "packed") expect(most).toBe(plan.days.length <= 5 ? 3 : 2);
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

/** Minutes after midnight; an end earlier than its start is after midnight. */
const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
const EVENING_KINDS = new Set(["sunset", "evening", "night"]);

/**
 * Times that fit: each item inside its opening hours and at a time matching its nature (sunset, evening and night
 * items after 16:30, mornings before 13:00, dinners in the destination's dinner hours), nothing overlapping, with
 * the way between places, and the departure day's morning done before check-out.
 */
async function checkTimes(plan: Plan) {
  for (const day of plan.days) {
    let free = 0;
    for (const item of day.items) {
      const found = (await catalog.getItem(item.itemId))!;
      const start = minutes(item.time);
      if (item.type === "hotel") {
        expect(start).toBeGreaterThanOrEqual(15 * 60);
        continue;
      }
      expect(item.endTime, `${item.name} has an end`).toBeDefined();
      let end = minutes(item.endTime!);
      if (end < start) end += 24 * 60;
      expect(start, `${item.name} at ${item.time} overlaps the previous item on ${day.date}`).toBeGreaterThanOrEqual(
        free + (item.travelMinutes ?? 0),
      );
      free = end;
      const details = found.details;
      if (details.kind === "activity" && details.timeOfDay) {
        let closes = minutes(details.closes!);
        if (closes <= minutes(details.opens!)) closes += 24 * 60;
        expect(start, `${item.name} opens at ${details.opens}`).toBeGreaterThanOrEqual(minutes(details.opens!));
        expect(end, `${item.name} closes at ${details.closes}`).toBeLessThanOrEqual(closes);
        expect(end - start).toBe(details.durationMinutes);
        if (EVENING_KINDS.has(details.timeOfDay))
          expect(start, `${item.name} is an evening item`).toBeGreaterThanOrEqual(16 * 60 + 30);
        if (details.timeOfDay === "morning") expect(start, `${item.name} is a morning item`).toBeLessThan(13 * 60);
        if (/^(Evening|Sunset|Night)/.test(item.name)) expect(start).toBeGreaterThanOrEqual(16 * 60 + 30);
      }
      if (details.kind === "restaurant") {
        expect(start, `dinner at ${item.name}`).toBeGreaterThanOrEqual(minutes(details.opens!));
        expect(end).toBeLessThanOrEqual(minutes(details.closes!) + (minutes(details.closes!) < 12 * 60 ? 24 * 60 : 0));
      }
    }
  }
  const departure = plan.days.at(-1)!;
  const checkOut = minutes(departure.notes!.find((note) => note.text.startsWith("Check out"))!.time);
  for (const item of departure.items) expect(minutes(item.endTime!)).toBeLessThanOrEqual(checkOut);
  expect(departure.items.every((item) => item.type !== "restaurant")).toBe(true);
  // Days are not all the same template: with three full days or more, their first items start at different times.
  const middle = plan.days.slice(1, -1).filter((day) => day.items.length > 0);
  if (middle.length >= 3)
    expect(new Set(middle.map((day) => day.items[0].time + day.items.length)).size).toBeGreaterThan(1);
}

describe("offline planner: request table", () => {
  it("has at least 120 varied requests", () => {
    expect(PLANNER_REQUESTS.length).toBeGreaterThanOrEqual(120);
  });

  it.each(PLANNER_REQUESTS)("%s", async (text, expected) => {
    const answer: Answer = await planner.plan({ text, traveller: EMPTY_TRAVELLER, history: [], today: TODAY });
    // The shape every adapter returns.
    PlanResult.parse({ ...answer, source: "offline", fallback: null });
    expect(answer.status, JSON.stringify(answer).slice(0, 400)).toBe(expected.status);
    expect(answer.reply.length).toBeGreaterThan(10);
    if (answer.status === "plan") await check(answer.plan, expected);
    if (answer.status === "clarification") {
      expect(answer.missing).toEqual(expected.missing);
      const ideas = answer.suggestions?.length ?? 0;
      if (expected.ideas) expect(ideas >= 3 && ideas <= 5, answer.reply).toBe(true);
      else expect(ideas).toBe(0);
    }
    if (answer.status === "cannot") expect(answer.reason).toMatch(expected.reason!);
  });

  // The same rules on other days of the calendar (a mid-year weekday, a year's last day, a leap day): whatever the
  // request plans, its days, times, interests and budget follow them.
  it.each(CALENDAR_DATES)("keeps every rule when today is %s", async (today) => {
    let plans = 0;
    for (const [text, expected] of PLANNER_REQUESTS) {
      const answer = await planner.plan({ text, traveller: EMPTY_TRAVELLER, history: [], today });
      if (answer.status !== "plan") continue;
      plans++;
      const { plan } = answer;
      expect(plan.checkIn >= today).toBe(true);
      expect(plan.days.map((d) => d.date)).toEqual(
        Array.from({ length: plan.nights + 1 }, (_, i) => addDays(plan.checkIn, i)),
      );
      if (expected.days && !/\d{4}|\d{1,2}(st|nd|th|rd)?\b.*\b(to|-)\b/.test(text))
        expect(plan.days).toHaveLength(expected.days);
      if (plan.budget) expect(Number(plan.totals.total.amount)).toBeLessThanOrEqual(Number(plan.budget.usd));
      const items = plan.days.flatMap((day) => day.items);
      for (const interest of expected.interests ?? []) {
        const label = labelOf(interest);
        const shaped = items.some((item) => /^because you like/i.test(item.why) && item.why.includes(label));
        expect(shaped || plan.summary.includes(label), `${text} on ${today}: ${interest}`).toBe(true);
      }
      await checkTimes(plan);
    }
    expect(plans).toBeGreaterThan(PLANNER_REQUESTS.length / 2);
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
      interests: ["outdoors"],
      dietary: ["vegetarian"],
    });
  });
});
