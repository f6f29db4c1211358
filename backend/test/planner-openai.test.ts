/**
 * The OpenAI planner follows the offline planner's rules: its submitted plan is checked and repaired by the same
 * timetable (opening hours, no overlaps, the departure day before check-out), every day of the trip has a card,
 * interests are reflected or named as missing, and the budget is read exactly. The model is a local stub of the
 * chat completions API (the real SDK talks to it) replaying a recorded tool-call transcript.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { addDays } from "../src/catalog/dates.js";
import { Catalog } from "../src/catalog/service.js";
import type { CatalogItem } from "../src/catalog/types.js";
import type { OpenAIPlanner } from "../src/planner/openai.js";
import { EMPTY_TRAVELLER, type Answer } from "../src/planner/types.js";
import { ChatStub, streamed } from "./helpers/openai-stub.js";

type Json = Record<string, any>;

const TODAY = "2030-03-04";
const catalog = new Catalog();
const barcelona = catalog.destinations.find((d) => d.name === "Barcelona" && d.country === "ES")!;
const inventory = catalog.demo.candidates({ destinationId: barcelona.id });
const named = (name: string) => inventory.find((item) => item.name === name)!;
const flamenco = named("Tablao flamenco show");
const beach = named("Beach afternoon and swim");
const restaurants = inventory.filter((item) => item.type === "restaurant");

/** The first Friday from May on with the flamenco show and a dinner free on it, the beach the next day, a hotel. */
function pickTrip() {
  for (let day = "2030-05-03"; ; day = addDays(day, 7)) {
    const saturday = addDays(day, 1);
    const sunday = addDays(day, 2);
    const hotel = inventory.find((item) => item.type === "hotel" && catalog.isAvailable(item, day, sunday));
    const dinner = restaurants.find((item) => catalog.availableOn(item, day));
    if (hotel && dinner && catalog.availableOn(flamenco, day) && catalog.availableOn(beach, saturday))
      if (catalog.availableOn(beach, sunday)) return { friday: day, saturday, sunday, hotel, dinner };
  }
}
const trip = pickTrip();
const REQUEST = `A relaxed weekend in Barcelona from ${trip.friday} to ${trip.sunday}, flamenco and skiing, budget $10,000,000`;

const line = (item: CatalogItem, date: string | undefined, time: string, why: string) => ({
  itemId: item.id,
  ...(date ? { date } : {}),
  time,
  why,
});

/** The recorded transcript: look up, search, submit a plan with wrong times and a departure-day afternoon, fix it. */
function modelTurn(messages: Json[]): string {
  const tools = messages.filter((m) => m.role === "tool").map((m) => JSON.parse(m.content));
  const submission = (beachDay: string) => ({
    name: "submit_plan",
    args: {
      destinationId: barcelona.id,
      checkIn: trip.friday,
      checkOut: trip.sunday,
      guests: 2,
      budget: { amount: "10000000", currency: "USD" },
      interests: ["flamenco", "skiing"],
      pace: "relaxed",
      items: [
        line(trip.hotel, undefined, "15:00", "central"),
        // An evening show at ten in the morning and dinner at noon: the checker puts them at their hours.
        line(flamenco, trip.friday, "10:00", "a Barcelona classic"),
        line(trip.dinner, trip.friday, "12:00", ""),
        line(beach, beachDay, "15:00", "sea air"),
      ],
      summary: "a weekend in Barcelona with a flamenco show and a beach afternoon.",
    },
  });
  if (tools.length === 0) return streamed([{ name: "find_destination", args: { query: "Barcelona" } }]);
  if (tools.length === 1)
    return streamed([
      { name: "search_catalog", args: { destinationId: barcelona.id, type: "activity", text: "flamenco" } },
    ]);
  // First a beach afternoon on the departure day (after check-out), then, told so, on the Saturday.
  if (tools.length === 2) return streamed([submission(trip.sunday)]);
  return streamed([submission(trip.saturday)]);
}

const model = new ChatStub(modelTurn);
const chats = model.chats;
let planner: OpenAIPlanner;

beforeAll(async () => {
  planner = await model.planner(catalog);
});
afterAll(() => model.close());

const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

describe("OpenAI planner under the offline planner's rules", () => {
  let answer: Answer;
  beforeAll(async () => {
    answer = await planner.plan({ text: REQUEST, traveller: EMPTY_TRAVELLER, history: [], today: TODAY });
  });

  it("sends the rules to the model and tells it what does not fit", () => {
    expect(chats).toHaveLength(4);
    const system = chats[0].messages[0].content as string;
    expect(system).toContain("'N days' are N day cards");
    expect(system).toContain("a long weekend Friday to Monday");
    expect(system).toContain("Give the pace the traveller asks for");
    // The search results carry each item's hours, so the model can choose sensibly.
    const search = JSON.parse(chats[2].messages.at(-1).content) as Json[];
    expect(search.find((item) => item.id === flamenco.id)).toMatchObject({ timeOfDay: "evening", opens: "18:00" });
    const firstVerdict = JSON.parse(chats[3].messages.at(-1).content);
    expect(firstVerdict.ok).toBe(false);
    expect(firstVerdict.problems.join(" ")).toContain(`the items on ${trip.sunday}`);
    expect(firstVerdict.problems.join(" ")).toContain("before check-out at 12:00");
  });

  it("plans every day, at hours that fit, with the interests reflected and the budget exact", () => {
    expect(answer.status).toBe("plan");
    if (answer.status !== "plan") return;
    const { plan } = answer;
    expect(plan.days.map((day) => day.date)).toEqual([trip.friday, trip.saturday, trip.sunday]);
    expect(plan.nights).toBe(2);
    expect(plan.days.at(-1)!.notes!.map((note) => note.text)).toEqual([
      `Check out of ${trip.hotel.name}`,
      "Travel home",
    ]);
    const friday = plan.days[0].items;
    const show = friday.find((item) => item.itemId === flamenco.id)!;
    const dinner = friday.find((item) => item.itemId === trip.dinner.id)!;
    // Repaired: the evening show in the evening, dinner at Spanish dinner hours after it, with the way between.
    expect(minutes(show.time)).toBeGreaterThanOrEqual(18 * 60);
    expect(minutes(dinner.time)).toBeGreaterThanOrEqual(20 * 60 + 30);
    expect(minutes(dinner.time)).toBeGreaterThanOrEqual(minutes(show.endTime!) + dinner.travelMinutes!);
    expect(show.why).toBe("because you like flamenco; a Barcelona classic");
    const beachLine = plan.days[1].items.find((item) => item.itemId === beach.id)!;
    expect(minutes(beachLine.time)).toBeGreaterThanOrEqual(12 * 60 + 30);
    expect(plan.interests).toEqual(["flamenco", "skiing"]);
    expect(plan.pace).toBe("relaxed");
    expect(plan.summary).toMatch(/^A weekend in Barcelona/);
    expect(plan.summary).toContain("I found nothing for skiing in Barcelona");
    expect(plan.budget).toEqual({ amount: "10000000.00", currency: "USD", usd: "10000000.00" });
    expect(plan.booking.items).toContainEqual({ itemId: beach.id, date: trip.saturday });
  });
});
