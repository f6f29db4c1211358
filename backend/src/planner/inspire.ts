/**
 * Ideas for a request without a destination ("somewhere warm in February", "a beach in Europe in June under $1,500",
 * "surprise me for a long weekend from Berlin"): 3 to 5 catalog cities ranked by the month's mean temperature from
 * climate normals (catalog/climate.ts), the region asked for, what the catalog has there for the interests said (a
 * beach, say), a hotel free for the whole stay within the budget, and the distance from where the traveller leaves.
 * Each comes with a one-line reason made of those figures; naming one plans it.
 */
import { CLIMATE_SOURCE, climateNormals, type ClimateNormals } from "../catalog/climate.js";
import { addDays, parseDay } from "../catalog/dates.js";
import { alternateNames } from "../catalog/gazetteer.js";
import { distanceKm, type Destination } from "../catalog/geodata.js";
import type { Catalog } from "../catalog/service.js";
import { MONTHS } from "./words.js";
import { INTEREST_VOCABULARY, labelOf, tagsOf } from "./interests.js";
import { toUsdCents, type TripRequest } from "./parse.js";
import { capitalise, joinAnd, money, plural } from "./reply.js";
import type { Answer, Suggestion } from "./types.js";
import type { ClimateWish } from "./wishes.js";

/** At most this many ideas; fewer than 3 only when no more fit what was asked. */
const MOST = 5;
/** Cities looked at in the catalog (availability, interests, prices) after ranking by climate and distance. */
const LOOKED_AT = 40;
/** A short stay goes somewhere near: at most this far for 4 nights or fewer. */
const SHORT_STAY_KM = 2_500;
const SHORT_STAY_NIGHTS = 4;

/** What a traveller means by the weather they ask for, as a month's mean temperature in °C. */
const CLIMATES: Record<ClimateWish | "pleasant", { min?: number; max?: number; best: number }> = {
  warm: { min: 18, best: 28 },
  mild: { min: 12, max: 22, best: 18 },
  cool: { max: 15, best: 10 },
  cold: { max: 3, best: -5 },
  pleasant: { min: 14, max: 28, best: 22 },
};

/** Whether a request without a destination asks for ideas (rather than being too vague to answer at all). */
export function wantsIdeas(request: TripRequest): boolean {
  return (
    !request.destination &&
    !request.unknownPlace &&
    !request.impossiblePlace &&
    !request.placeChoices &&
    Boolean(
      request.climate ||
      request.region ||
      request.surprise ||
      request.checkIn ||
      request.origin ||
      request.budget ||
      request.interests.length > 0,
    )
  );
}

/** 3 to 5 ranked destinations for a request without one, or an honest answer when none fits. */
export async function inspire(catalog: Catalog, request: TripRequest, today: string): Promise<Answer> {
  const nights = request.nights ?? 3;
  let checkIn = request.checkIn ?? addDays(today, 14);
  if (!request.checkIn && request.startsFriday)
    while (new Date(parseDay(checkIn)).getUTCDay() !== 5) checkIn = addDays(checkIn, 1);
  const checkOut = request.checkOut ?? addDays(checkIn, nights);
  const month = Number(checkIn.slice(5, 7)) - 1;
  const wish = CLIMATES[request.climate ?? "pleasant"];
  const guests = request.guests ?? 1;
  const budgetCents = request.budget
    ? toUsdCents(request.budget.amountMinor, request.budget.currency) *
      (request.budget.perPerson ? BigInt(guests) : 1n) *
      (request.budget.perDay ? BigInt(nights + 1) : 1n)
    : undefined;
  const origin = request.origin;
  const near = origin && nights <= SHORT_STAY_NIGHTS;

  const mean = (normals: ClimateNormals) => Number(normals.meanC[month]);
  const warmth = (normals: ClimateNormals) => Math.round(Math.abs(mean(normals) - wish.best) / 3);
  const names = alternateNames();
  const known = (destination: Destination) => names.get(destination.geonameId)?.prominence ?? 0;
  const candidates = [...climateNormals().values()]
    .map((normals) => ({ normals, destination: catalog.destinationsById.get(normals.destinationId) }))
    .filter((c): c is { normals: ClimateNormals; destination: Destination } => c.destination !== undefined)
    .filter(({ normals, destination }) => {
      const t = mean(normals);
      if (request.region && normals.region !== request.region) return false;
      if (origin && destination.id === origin.id) return false;
      if (wish.min !== undefined && t < wish.min) return false;
      if (wish.max !== undefined && t > wish.max) return false;
      return !near || distanceKm(origin.lat, origin.lon, destination.lat, destination.lon) <= SHORT_STAY_KM;
    })
    .map((c) => ({
      ...c,
      km: origin ? distanceKm(origin.lat, origin.lon, c.destination.lat, c.destination.lon) : undefined,
    }))
    // Closest to the weather asked for (within 3 °C counts the same), then nearest, then best known (the names the
    // world has for it); one city a country, so the ideas differ.
    .sort(
      (a, b) =>
        warmth(a.normals) - warmth(b.normals) ||
        Math.round((a.km ?? 0) / 500) - Math.round((b.km ?? 0) / 500) ||
        known(b.destination) - known(a.destination),
    );

  // Tastes the catalog must offer there; needs (step-free access) are for the plan to meet.
  const wanted = request.interests.filter((interest) => !INTEREST_VOCABULARY[interest]?.need);
  const ideas: Suggestion[] = [];
  const countries = new Set<string>();
  for (const { normals, destination, km } of candidates.slice(0, LOOKED_AT * 4)) {
    if (ideas.length >= MOST) break;
    if (countries.has(destination.country)) continue;
    const { items: hotels } = await catalog.search({
      destinationId: destination.id,
      type: "hotel",
      checkIn,
      checkOut,
      sort: "price_asc",
      offset: 0,
      limit: 1,
    });
    const hotel = hotels[0];
    if (!hotel) continue;
    const hotelCents = hotel.priceCents * BigInt(nights * Math.ceil(guests / 2));
    if (budgetCents !== undefined && hotelCents > budgetCents) continue;
    const { items: activities } = await catalog.search({
      destinationId: destination.id,
      type: "activity",
      checkIn,
      checkOut: addDays(checkIn, nights),
      sort: "rating_desc",
      offset: 0,
      limit: 100,
    });
    const offered = wanted.filter((interest) =>
      activities.some((item) => tagsOf(interest).some((tag) => item.tags.includes(tag))),
    );
    if (offered.length < wanted.length) continue;
    countries.add(destination.country);
    const figure = normals.meanC[month];
    const parts = [
      `${figure} °C on average in ${capitalise(MONTHS[month])}`,
      ...(offered.length > 0 ? [`${joinAnd(offered.map(labelOf))} in the catalog`] : []),
      `hotels from ${money(hotelCents, "USD")} for ${plural(nights, "night")}`,
      ...(km !== undefined ? [`${Math.round(km).toLocaleString("en-US")} km from ${origin!.name}`] : []),
      `${plural(activities.length, "activity", "activities")} free on your dates`,
    ];
    ideas.push({
      destination: {
        id: destination.id,
        name: destination.name,
        country: destination.country,
        countryName: destination.countryName,
      },
      reason: `${destination.name}, ${destination.countryName}: ${parts.join("; ")}.`,
      climate: { month: month + 1, meanC: figure, source: CLIMATE_SOURCE },
    });
  }

  const when = `in ${capitalise(MONTHS[month])}`;
  if (ideas.length === 0)
    return {
      status: "clarification",
      missing: ["destination"],
      reply: `I found no city ${request.climate ? `${request.climate} ` : ""}${when}${request.region ? ` in ${request.region}` : ""} with a hotel free for your dates${budgetCents !== undefined ? " within your budget" : ""}. Tell me a city, or ask with fewer conditions.`,
      suggestions: [],
    };
  const ask = `${request.climate ? ` for somewhere ${request.climate}` : ""} ${when}${request.region ? ` in ${request.region}` : ""}`;
  return {
    status: "clarification",
    missing: ["destination"],
    reply: `Ideas${ask}, best first (mean temperatures from ${CLIMATE_SOURCE}): ${ideas.map((idea, i) => `${i + 1}. ${idea.reason}`).join(" ")} Say one and I will plan it.`,
    suggestions: ideas,
  };
}
