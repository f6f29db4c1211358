/**
 * The planner's port: a request in words (plus the traveller's profile and earlier turns) in, a plan or an honest
 * "I need more" / "I cannot" out. Every adapter returns the same zod-validated shape.
 */
import { z } from "@hono/zod-openapi";

import { ITEM_TYPES, type CatalogItem } from "../catalog/types.js";
import { IsoDate, Money, UsdString } from "../http/schemas.js";
import type { VoiceLanguage } from "../voice/languages.js";
import { PLACE_KINDS } from "../places/types.js";

export const CURRENCIES = ["USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD"] as const;
export type Currency = (typeof CURRENCIES)[number];

/** How full the days are: one activity a full day, two, or three where they fit. */
export const PACES = ["relaxed", "balanced", "packed"] as const;
export type Pace = (typeof PACES)[number];

export const PlanItem = z
  .object({
    itemId: z.string().openapi({ description: "A catalog item id, bookable as is" }),
    type: z.enum(ITEM_TYPES),
    name: z.string(),
    date: IsoDate,
    time: z
      .string()
      .regex(/^\d{2}:\d{2}$/)
      .openapi({ description: "When it starts, local time" }),
    endTime: z
      .string()
      .regex(/^\d{2}:\d{2}$/)
      .optional()
      .openapi({ description: "When it ends, local time (after midnight for a night out)" }),
    travelMinutes: z
      .number()
      .int()
      .optional()
      .openapi({ description: "Minutes on the way from the day's previous place" }),
    unitPrice: Money,
    priceUnit: z.string(),
    quantity: z.number().int(),
    total: Money,
    why: z.string().openapi({ description: "Why the planner chose it" }),
    fixedTime: z
      .boolean()
      .optional()
      .openapi({ description: "The traveller chose this start time; the day's timetable keeps it" }),
  })
  .openapi("PlanItem");

export const PlanVisit = z
  .object({
    placeId: z.string().openapi({ description: "`osm:<type>/<id>`: an OpenStreetMap object" }),
    name: z.string().openapi({ description: "The English name where OpenStreetMap has one" }),
    localName: z.string().optional().openapi({ description: "The local name, when it differs" }),
    kind: z.enum(PLACE_KINDS),
    time: z.string().regex(/^\d{2}:\d{2}$/),
    endTime: z.string().regex(/^\d{2}:\d{2}$/),
    travelMinutes: z.number().int().optional(),
    why: z.string(),
    location: z.object({ lat: z.number(), lon: z.number() }),
    openingHours: z.string().optional().openapi({ description: "OpenStreetMap's opening_hours, as tagged" }),
    website: z.string().optional(),
    osmUrl: z.string().openapi({ description: "The object on openstreetmap.org" }),
  })
  .openapi("PlanVisit", {
    description: "A place to visit between the bookings (no booking needed), from OpenStreetMap",
  });
export type PlanVisit = z.infer<typeof PlanVisit>;

export const PlanNote = z
  .object({ time: z.string().regex(/^\d{2}:\d{2}$/), text: z.string() })
  .openapi("PlanNote", { description: "A moment of the day that is not a booking: check-out, the way home" });
export type PlanNote = z.infer<typeof PlanNote>;

export const PlanDay = z
  .object({
    date: IsoDate,
    items: z.array(PlanItem),
    notes: z.array(PlanNote).optional(),
    visits: z.array(PlanVisit).optional(),
  })
  .openapi("PlanDay", { description: "One day of the trip, arrival and departure days included" });

export const Plan = z
  .object({
    destination: z.object({ id: z.string(), name: z.string(), country: z.string(), countryName: z.string() }),
    checkIn: IsoDate,
    checkOut: IsoDate,
    nights: z.number().int().openapi({ description: "Nights at the hotel; the plan has nights + 1 days" }),
    guests: z.number().int(),
    interests: z.array(z.string()),
    pace: z
      .enum(PACES)
      .optional()
      .openapi({ description: "How full the days are (balanced when not said): relaxed, balanced or packed" }),
    budget: z
      .object({
        amount: z.string(),
        currency: z.enum(CURRENCIES),
        usd: UsdString.openapi({ description: "The budget in US dollars (bookings are priced in USD)" }),
      })
      .nullable(),
    days: z.array(PlanDay),
    totals: z.object({
      total: Money,
      byType: z.record(z.string(), Money),
      inBudgetCurrency: z.object({ amount: z.string(), currency: z.enum(CURRENCIES) }).nullable(),
    }),
    booking: z
      .object({
        items: z.array(z.object({ itemId: z.string(), date: IsoDate.optional() })),
        checkIn: IsoDate,
        checkOut: IsoDate,
        guests: z.number().int(),
      })
      .openapi({ description: "The body of POST /bookings, less `paymentToken`" }),
    assumptions: z.array(z.string()).openapi({ description: "What the planner assumed or could not honour" }),
    places: z
      .object({ source: z.literal("openstreetmap"), attribution: z.string(), licenseUrl: z.string() })
      .optional()
      .openapi({ description: "Where the days' visits come from, to be shown with them (ODbL)" }),
    summary: z.string().openapi({ description: "A short spoken-style summary" }),
  })
  .openapi("Plan");
export type Plan = z.infer<typeof Plan>;
export type PlanItem = z.infer<typeof PlanItem>;

export const Suggestion = z
  .object({
    destination: z.object({ id: z.string(), name: z.string(), country: z.string(), countryName: z.string() }),
    reason: z.string().openapi({ description: "One line of real figures: climate, what the catalog has, prices" }),
    climate: z.object({
      month: z.number().int().min(1).max(12),
      meanC: z.string().openapi({ description: "The month's mean temperature in °C, as the source gives it" }),
      source: z.string(),
    }),
  })
  .openapi("Suggestion", { description: "A destination suggested for a request without one; naming it plans it" });
export type Suggestion = z.infer<typeof Suggestion>;

export const PLAN_SOURCES = ["offline", "openai"] as const;

const Common = {
  reply: z.string().openapi({ description: "What to say to the traveller" }),
  source: z.enum(PLAN_SOURCES),
  fallback: z
    .object({ provider: z.string(), reason: z.string() })
    .nullable()
    .openapi({ description: "Set when the configured provider failed and the offline planner answered instead" }),
  conversationId: z
    .string()
    .nullable()
    .default(null)
    .openapi({ description: "The conversation this turn was recorded in (a visitor's too: send it back to continue)" }),
};

export const PlanResult = z
  .discriminatedUnion("status", [
    z.object({ status: z.literal("plan"), plan: Plan, ...Common }),
    z.object({
      status: z.literal("clarification"),
      missing: z.array(z.string()).openapi({ description: "What the planner needs: destination, dates, …" }),
      suggestions: z
        .array(Suggestion)
        .optional()
        .openapi({ description: "For a request without a destination: 3–5 ranked ideas, best first" }),
      ...Common,
    }),
    z.object({ status: z.literal("cannot"), reason: z.string(), ...Common }),
  ])
  .openapi("PlanResult");
export type PlanResult = z.infer<typeof PlanResult>;
/** What an adapter produces; the service adds `source` and `fallback`. */
export type Answer =
  | { status: "plan"; plan: Plan; reply: string }
  | { status: "clarification"; missing: string[]; reply: string; suggestions?: Suggestion[] }
  | { status: "cannot"; reason: string; reply: string };

/** The traveller as the planner sees them: the saved profile, overridden per request. */
export interface TravellerContext {
  interests: string[];
  travelStyle: string | null;
  budgetPerDayCents: bigint | null;
  budgetPerTripCents: bigint | null;
  dietary: string[];
  accessibility: string[];
  pastDestinations: string[];
}

export const EMPTY_TRAVELLER: TravellerContext = {
  interests: [],
  travelStyle: null,
  budgetPerDayCents: null,
  budgetPerTripCents: null,
  dietary: [],
  accessibility: [],
  pastDestinations: [],
};

/** One earlier exchange of the conversation. */
export interface Turn {
  request: string;
  result: PlanResult;
}

export interface PlanInput {
  text: string;
  traveller: TravellerContext;
  /** Earlier turns, oldest first. */
  history: Turn[];
  /** "Today" for relative dates. */
  today: string;
  /** The language chosen for a voice turn: the answer is in it unless the words are clearly in another. */
  language?: VoiceLanguage;
  /** What the traveller has shown they like, from the recommendations, when signed in. */
  affinity?: TravellerAffinity;
}

/** What a traveller's past choices say about them. */
export interface TravellerAffinity {
  /** Similarity of an item to what they viewed, liked and booked, in [-1, 1]. */
  of(item: CatalogItem): number;
  /** Activity categories they chose most, most chosen first (e.g. "outdoors" after booking hikes). */
  favouriteCategories: string[];
}

/** Progress while planning, for the SSE stream. */
export type PlanEvent =
  { type: "status"; message: string } | { type: "delta"; text: string } | { type: "day"; day: z.infer<typeof PlanDay> };

export interface Planner {
  readonly name: (typeof PLAN_SOURCES)[number];
  plan(input: PlanInput, emit?: (event: PlanEvent) => void, signal?: AbortSignal): Promise<Answer>;
}
