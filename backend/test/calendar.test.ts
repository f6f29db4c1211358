/**
 * The planner and the recommendations on any day, through the app's injected clock: relative dates resolve from
 * "today", and an outdoors-loving traveller's plan opens with outdoors whenever one is free that day (or says why
 * not). Checked at the calendar's edges (a mid-year weekday, New Year's Eve, a leap day, the test day) and at seeded
 * random days over the next three years.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { addDays, parseDay } from "../src/catalog/dates.js";
import { call, createTestApp, siweMessage, testAccount, type TestApp } from "./helpers/app.js";
import { CALENDAR_DATES, TEST_DATE } from "./helpers/clock.js";
import { LISBON, availableItems } from "./helpers/trips.js";

type Json = Record<string, any>;

const weekday = (day: string) => new Date(parseDay(day)).getUTCDay();
const dayOfMonth = (day: string) => Number(day.slice(8, 10));

/** The first day on or after `from` that satisfies `test`. */
function firstDay(from: string, test: (day: string) => boolean): string {
  let day = from;
  while (!test(day)) day = addDays(day, 1);
  return day;
}

describe("on any day", () => {
  let t: TestApp;
  let now = new Date(`${TEST_DATE}T10:00:00Z`);
  let token: string;
  const lover = testAccount(7);
  /** Moves the app's clock to 10:00 UTC on `day`, and signs the traveller in again there (sessions last a day). */
  const setToday = async (day: string) => {
    now = new Date(`${day}T10:00:00Z`);
    if (t) token = await signInToday();
  };

  async function signInToday(): Promise<string> {
    const message = await siweMessage(t.app, lover, { issuedAt: now });
    const signed = await call(t.app, "POST", "/auth/verify", {
      body: { message, signature: await lover.signMessage({ message }) },
    });
    expect(signed.status, JSON.stringify(signed.body)).toBe(200);
    return signed.body.token;
  }

  beforeAll(async () => {
    t = await createTestApp("pglite", { now: () => new Date(now.getTime()) });
    token = await signInToday();
    // Books three outdoors activities: the traveller now loves the outdoors.
    const outdoors = (await call(t.app, "GET", "/catalog/search?type=activity&q=outdoors&limit=3")).body
      .items as Json[];
    expect(outdoors).toHaveLength(3);
    for (const item of outdoors) {
      const recorded = await call(t.app, "POST", "/interactions", { token, body: { itemId: item.id, kind: "book" } });
      expect(recorded.status).toBe(201);
    }
  });
  afterAll(() => t.close());

  const plan = async (text: string, auth?: string) => {
    const response = await call(t.app, "POST", "/planner/plan", { token: auth, body: { text } });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  };

  /** Relative dates in a request resolve from the clock's today, never before it. */
  async function checkRelativeDates(today: string) {
    await setToday(today);
    const cases: [string, string][] = [
      ["3 nights in Lisbon in 10 days", addDays(today, 10)],
      ["3 nights in Lisbon from the 4th", firstDay(today, (d) => dayOfMonth(d) === 4)],
      ["Lisbon this weekend", firstDay(today, (d) => weekday(d) === 5)],
      ["4 nights in Lisbon next week", firstDay(addDays(today, 1), (d) => weekday(d) === 1)],
      ["3 nights in Lisbon next month", firstDay(addDays(today, 1), (d) => dayOfMonth(d) === 1)],
      ["2 nights in Lisbon tomorrow", addDays(today, 1)],
    ];
    for (const [text, checkIn] of cases) {
      const body = await plan(text);
      expect(body.status, `${text} on ${today}: ${body.reply}`).toBe("plan");
      expect(body.plan.checkIn, `${text} on ${today}`).toBe(checkIn);
      expect(body.plan.days[0].date).toBe(checkIn);
    }
    // A month that has already started this year is this year's remaining days; one that is over is next year's.
    const month = today.slice(5, 7);
    const thisMonth = new Date(parseDay(today)).toLocaleString("en-GB", { month: "long", timeZone: "UTC" });
    const isLastDay = addDays(today, 1).slice(5, 7) !== month;
    const body = await plan(`3 nights in Lisbon in ${thisMonth}`);
    expect(body.plan.checkIn, `in ${thisMonth} on ${today}`).toBe(
      isLastDay ? `${Number(today.slice(0, 4)) + 1}-${month}-01` : addDays(today, 1),
    );
  }

  /** An outdoors lover's plan opens with outdoors when one is free on its first day, and says why when none is. */
  async function checkOutdoorsFirst(today: string, checkIn: string) {
    await setToday(today);
    const body = await plan(`3 nights in Lisbon from ${checkIn}`, token);
    expect(body.status, body.reply).toBe("plan");
    const firstDayActivities = await availableItems(t.app, "activity", checkIn, addDays(checkIn, 1));
    const category = new Map(firstDayActivities.map((i) => [i.id, (i as Json).details.category as string]));
    const outdoorsFree = firstDayActivities.some((i) => category.get(i.id) === "outdoors");
    const first = (body.plan.days[0].items as Json[]).find((i) => i.type === "activity");
    if (outdoorsFree) {
      expect(category.get(first?.itemId), `${checkIn} (today ${today})`).toBe("outdoors");
      expect(first!.why).toMatch(/close to what you liked before \(outdoors\)/);
    } else {
      expect(body.plan.assumptions, `${checkIn} (today ${today})`).toContainEqual(
        expect.stringMatching(/^No outdoors activity, which you liked before, is free on /),
      );
    }
    return outdoorsFree;
  }

  /** Recommendations for a window list only items bookable in it, best first, outdoors leading when free. */
  async function checkRecommendations(today: string, checkIn: string) {
    await setToday(today);
    const checkOut = addDays(checkIn, 2);
    const response = await call(
      t.app,
      "GET",
      `/recommendations?destination=${LISBON}&checkIn=${checkIn}&checkOut=${checkOut}&limit=10`,
      { token },
    );
    expect(response.status).toBe(200);
    const items = response.body.items as Json[];
    const bookable = new Set<string>();
    for (const type of ["hotel", "activity", "restaurant", "flight"]) {
      const query = new URLSearchParams({ destination: LISBON, type, checkIn, checkOut, limit: "100" });
      const search = await call(t.app, "GET", `/catalog/search?${query}`);
      expect(search.body.total).toBeLessThanOrEqual(100);
      for (const item of search.body.items as Json[]) bookable.add(item.id);
    }
    for (const entry of items)
      expect(bookable.has(entry.item.id), `${entry.item.id} in ${checkIn}..${checkOut}`).toBe(true);
    const scores = items.map((e) => e.score as number);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    const outdoors = await availableItems(t.app, "activity", checkIn, checkOut);
    if (outdoors.some((i) => (i as Json).details.category === "outdoors"))
      expect(items[0].item.details.category).toBe("outdoors");
  }

  it.each([...CALENDAR_DATES, TEST_DATE])("resolves relative dates from today, %s", async (today) => {
    await checkRelativeDates(today);
  });

  it.each([...CALENDAR_DATES, TEST_DATE])("plans and recommends for an outdoors lover, %s", async (today) => {
    await checkOutdoorsFirst(today, addDays(today, 30));
    await checkRecommendations(today, addDays(today, 30));
  });

  it.each([...CALENDAR_DATES, TEST_DATE])("plans up to 18 months ahead and says so beyond, %s", async (today) => {
    await setToday(today);
    expect((await plan(`3 nights in Lisbon from ${addDays(today, 500)}`)).status).toBe("plan");
    const beyond = await plan(`3 nights in Lisbon from ${addDays(today, 600)}`);
    expect(beyond.status).toBe("cannot");
    expect(beyond.reason).toMatch(/at most 18 months ahead/);
  });

  it("opens with outdoors on a day with one free, and says why on a day with none", async () => {
    await setToday(TEST_DATE);
    const outdoorsOn = async (day: string) =>
      (await availableItems(t.app, "activity", day, addDays(day, 1))).some(
        (i) => (i as Json).details.category === "outdoors",
      );
    const seen = new Set<boolean>();
    for (let day = addDays(TEST_DATE, 1); seen.size < 2; day = addDays(day, 1)) {
      const free = await outdoorsOn(day);
      if (seen.has(free)) continue;
      expect(await checkOutdoorsFirst(TEST_DATE, day)).toBe(free);
      seen.add(free);
    }
  });

  it("holds on random days over the next three years", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 3 * 365 }),
        fc.integer({ min: 1, max: 300 }),
        async (offset, ahead) => {
          const today = addDays(TEST_DATE, offset);
          await checkRelativeDates(today);
          await checkOutdoorsFirst(today, addDays(today, ahead));
          await checkRecommendations(today, addDays(today, ahead));
        },
      ),
      { numRuns: 40, seed: process.env.TRVL_PROPERTY_SEED ? Number(process.env.TRVL_PROPERTY_SEED) : undefined },
    );
  });
});
