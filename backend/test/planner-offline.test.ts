/**
 * The offline planner over a table of varied requests: every plan is checked against the catalog (items exist, are
 * available on their days, inside the stay), the budget, the dates and the interests asked for; vague and
 * impossible requests must get an honest answer rather than a plan.
 */
import { describe, expect, it } from "vitest";

import { priceLines } from "../src/bookings/service.js";
import { addDays, parseDay } from "../src/catalog/dates.js";
import { Catalog } from "../src/catalog/service.js";
import { OfflinePlanner } from "../src/planner/offline.js";
import { PlanResult, EMPTY_TRAVELLER, type Answer, type Plan } from "../src/planner/types.js";

// A fixed "today" (a Monday), so relative dates are checked exactly.
const TODAY = "2030-03-04";
const catalog = new Catalog();
const planner = new OfflinePlanner(catalog);

interface Expect {
  status: "plan" | "clarification" | "cannot";
  city?: string;
  country?: string;
  checkIn?: string | ((day: string) => boolean);
  checkOut?: string;
  nights?: number;
  guests?: number;
  /** The plan's total must not exceed this many US dollars. */
  maxUsd?: number;
  /** Activity categories the plan must include. */
  categories?: string[];
  dietary?: string[];
  /** Restaurants must serve one of these cuisines (at least one dinner). */
  cuisine?: string;
  minStars?: number;
  flight?: boolean;
  assumption?: RegExp;
  missing?: string[];
  reason?: RegExp;
}

const weekday = (day: string) => new Date(parseDay(day)).getUTCDay();
const isFridayIn = (month: string) => (day: string) => weekday(day) === 5 && day.slice(5, 7) === month;

const TABLE: [string, Expect][] = [
  // Destinations, lengths and relative dates
  [
    "A long weekend in Lisbon in May with food and museums",
    { status: "plan", city: "Lisbon", checkIn: isFridayIn("05"), nights: 3, categories: ["food", "culture"] },
  ],
  [
    "3 days in Paris",
    { status: "plan", city: "Paris", nights: 3, checkIn: addDays(TODAY, 14), assumption: /two weeks from today/ },
  ],
  [
    "From the 4th to the 9th in Tokyo",
    { status: "plan", city: "Tokyo", checkIn: "2030-03-04", checkOut: "2030-03-09" },
  ],
  [
    "from the 10th to the 12th in Rome",
    { status: "plan", city: "Rome", checkIn: "2030-03-10", checkOut: "2030-03-12" },
  ],
  ["Berlin from June 3 to June 7", { status: "plan", city: "Berlin", checkIn: "2030-06-03", checkOut: "2030-06-07" }],
  ["Madrid 12-15 April", { status: "plan", city: "Madrid", checkIn: "2030-04-12", checkOut: "2030-04-15" }],
  [
    "between the 20th and the 23rd of july in Vienna",
    { status: "plan", city: "Vienna", checkIn: "2030-07-20", checkOut: "2030-07-23" },
  ],
  [
    "Prague 2030-09-01 to 2030-09-05",
    { status: "plan", city: "Prague", checkIn: "2030-09-01", checkOut: "2030-09-05" },
  ],
  ["a week in Barcelona starting June 10th", { status: "plan", city: "Barcelona", checkIn: "2030-06-10", nights: 7 }],
  ["a weekend in Amsterdam", { status: "plan", city: "Amsterdam", checkIn: (d) => weekday(d) === 5, nights: 2 }],
  ["next weekend in Dublin", { status: "plan", city: "Dublin", checkIn: "2030-03-15", nights: 2 }],
  ["tomorrow, 2 nights in Athens", { status: "plan", city: "Athens", checkIn: "2030-03-05", nights: 2 }],
  ["five days in Istanbul next month", { status: "plan", city: "Istanbul", checkIn: "2030-04-01", nights: 5 }],
  ["a fortnight in Bangkok in December", { status: "plan", city: "Bangkok", checkIn: "2030-12-01", nights: 14 }],
  ["Seoul in 3 weeks for 4 nights", { status: "plan", city: "Seoul", checkIn: "2030-03-25", nights: 4 }],
  ["a few days in Mexico City on the 15th", { status: "plan", city: "Mexico City", checkIn: "2030-03-15", nights: 3 }],
  ["5 days in Portugal", { status: "plan", country: "PT", nights: 5, assumption: /country/ }],
  // Travellers
  ["3 days in Lisbon for 2 people", { status: "plan", city: "Lisbon", guests: 2 }],
  [
    "a week in Rome for a family of four in August",
    { status: "plan", city: "Rome", guests: 4, nights: 7, checkIn: "2030-08-01" },
  ],
  ["Barcelona for 4 nights, 2 adults and 3 kids", { status: "plan", city: "Barcelona", guests: 5 }],
  ["romantic weekend in Florence with my wife", { status: "plan", city: "Florence", guests: 2, nights: 2 }],
  ["solo trip to Berlin for 3 days", { status: "plan", city: "Berlin", guests: 1, nights: 3 }],
  ["4 nights in Munich with my 3 friends", { status: "plan", city: "Munich", guests: 4 }],
  // Budgets and currencies
  ["3 days in Paris for 2 people under €900", { status: "plan", city: "Paris", guests: 2, maxUsd: 972 }],
  ["a week in Lisbon, budget $2500", { status: "plan", city: "Lisbon", nights: 7, maxUsd: 2500 }],
  ["London for 3 nights with £1,000", { status: "plan", city: "London", maxUsd: 1270 }],
  ["Tokyo 4 days 300000 yen", { status: "plan", city: "Tokyo", maxUsd: 2010 }],
  ["fifteen hundred dollars for 4 nights in Madrid", { status: "plan", city: "Madrid", maxUsd: 1500 }],
  ["Berlin for 3 days, 200 euros per day", { status: "plan", city: "Berlin", maxUsd: 648 }],
  ["Prague for 3 nights for 2, $400 per person", { status: "plan", city: "Prague", guests: 2, maxUsd: 800 }],
  ["cheap 3 days in Budapest", { status: "plan", city: "Budapest" }],
  // Interests and constraints
  [
    "4 days in Rome, I love hiking and nightlife",
    { status: "plan", city: "Rome", categories: ["outdoors", "nightlife"] },
  ],
  ["3 days in Lisbon with a day trip", { status: "plan", city: "Lisbon", categories: ["day trip"] }],
  ["vegan food weekend in Berlin", { status: "plan", city: "Berlin", dietary: ["vegan"], categories: ["food"] }],
  ["3 nights in Madrid, gluten free please", { status: "plan", city: "Madrid", dietary: ["gluten-free"] }],
  ["luxury 3 nights in Dubai with a spa", { status: "plan", city: "Dubai", minStars: 4 }],
  ["a 5-star hotel in Singapore for 2 nights", { status: "plan", city: "Singapore", minStars: 5 }],
  ["beach holiday in Barcelona for 4 days", { status: "plan", city: "Barcelona", assumption: /no beach activities/ }],
  ["fly from London to Lisbon for 3 days", { status: "plan", city: "Lisbon", flight: true }],
  // Vague
  ["plan me a trip", { status: "clarification", missing: ["destination"] }],
  ["somewhere warm in March", { status: "clarification", missing: ["destination"] }],
  ["Lisbon", { status: "clarification", missing: ["dates"] }],
  ["a trip to Wakanda for 3 days", { status: "clarification", missing: ["destination"] }],
  ["3 days in Lisbon and Porto", { status: "clarification", missing: ["destination"] }],
  // Impossible
  ["a trip to the moon next week", { status: "cannot", reason: /moon/ }],
  ["3 days in Paris last week", { status: "cannot", reason: /past/ }],
  ["Rome from 2029-05-01 to 2029-05-03", { status: "cannot", reason: /past/ }],
  ["February 30 to March 2 in Oslo", { status: "cannot", reason: /does not exist/ }],
  ["45 days in Bali", { status: "cannot", reason: /30 nights/ }],
  ["weekend in Amsterdam for 12 people", { status: "cannot", reason: /at most 9 travellers/ }],
  ["a week in Zurich for 4 people with $100", { status: "cannot", reason: /over the budget/ }],
  ["3 days in Lisbon, budget $0", { status: "cannot", reason: /more than zero/ }],
];

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
  expect(plan.days.map((d) => d.date)).toEqual(Array.from({ length: plan.nights }, (_, i) => addDays(plan.checkIn, i)));

  const items = plan.days.flatMap((day) => day.items.map((item) => ({ ...item, day: day.date })));
  expect(items.length).toBeLessThanOrEqual(20);
  expect(items.filter((i) => i.type === "hotel")).toHaveLength(1);
  for (const item of items) {
    const found = await catalog.getItem(item.itemId);
    expect(found, item.itemId).toBeDefined();
    expect(found!.destinationId).toBe(plan.destination.id);
    expect(item.day).toBe(item.date);
    expect(item.date >= plan.checkIn && item.date < plan.checkOut).toBe(true);
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
    expect(TABLE.length).toBeGreaterThanOrEqual(40);
  });

  it.each(TABLE)("%s", async (text, expected) => {
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
      nights: 3,
      guests: 2,
      categories: ["outdoors"],
      dietary: ["vegetarian"],
    });
  });
});
