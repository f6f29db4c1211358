/**
 * Fills a day-by-day plan from the catalog: a hotel for the stay, a flight when the traveller says where from, an
 * activity and a dinner each day, chosen by interests, dietary needs, travel style and personal affinity, within
 * the budget. Priced by the bookings' own pricing, so the plan is bookable exactly as shown.
 */
import { MAX_NIGHTS } from "../catalog/routes.js";
import { addDays, BOOKING_HORIZON_MONTHS, daysBetween, latestCheckIn, parseDay } from "../catalog/dates.js";
import { HUBS } from "../catalog/demo.js";
import { distanceKm } from "../catalog/geodata.js";
import type { Catalog } from "../catalog/service.js";
import type { CatalogItem } from "../catalog/types.js";
import { priceLines } from "../bookings/pricing.js";
import { usd } from "../http/schemas.js";
import { inspire, wantsIdeas } from "./inspire.js";
import { liveOffers } from "./live-supply.js";
import { correctionNote, unknownPlaceReply, whichPlace } from "./places.js";
import { describeDay, normalise, toUsdCents, type TripRequest } from "./parse.js";
import { capitalise, joinAnd, money, plural, say } from "./reply.js";
import type {
  Answer,
  Pace,
  Plan,
  PlanEvent,
  PlanItem,
  PlanNote,
  TravellerAffinity,
  TravellerContext,
} from "./types.js";
import { PLACES_SOURCE, placesUnavailable, placeVisits } from "./visits.js";
import type { PlacesSource } from "../places/types.js";
import { findInterests, labelOf, tagsOf, INTEREST_VOCABULARY } from "./interests.js";
import {
  CHECK_IN,
  CHECK_OUT,
  clock,
  minutesOf,
  scheduleDay,
  windowOf,
  type DayLimits,
  type Placed,
  type Window,
} from "./schedule.js";

/** POST /bookings takes at most this many items. */
export const MAX_PLAN_ITEMS = 20;

/** Activities on a full day (neither the arrival nor the departure day) at each pace, where they fit. */
export const ACTIVITIES_A_FULL_DAY: Record<Pace, number> = { relaxed: 1, balanced: 2, packed: 3 };

export interface BuildOptions {
  today: string;
  /** What the traveller's past choices say they like, when known. */
  affinity?: TravellerAffinity;
  emit?: (event: PlanEvent) => void;
  /** Places to visit between the bookings (OpenStreetMap), when configured. */
  places?: PlacesSource;
}

const dollars = (cents: bigint) => money(cents, "USD");

function clarify(missing: string[], reply: string): Answer {
  return { status: "clarification", missing, reply };
}
function cannot(reason: string, reply: string = reason): Answer {
  return { status: "cannot", reason, reply: reply[0].toUpperCase() + reply.slice(1) };
}

/** The profile's accessibility needs that step-free places meet. */
const MOBILITY_NEEDS = ["wheelchair", "step-free", "reduced-mobility"];

/** Merges the profile into the request: the request wins where both speak. */
export function withProfile(request: TripRequest, traveller: TravellerContext): TripRequest {
  const merged = { ...request };
  // A saved interest in the traveller's own words ("Hiking", "jazz clubs") read as the request's would be.
  const saved = traveller.interests.flatMap((word) => {
    const found = findInterests(normalise(word)).interests;
    return found.length > 0 ? found : [word.toLowerCase()];
  });
  // A saved mobility need is the step-free need: every activity chosen must be step-free.
  if (traveller.accessibility.some((need) => MOBILITY_NEEDS.includes(need))) saved.push("accessibility");
  merged.interests = [...new Set([...request.interests, ...saved])].filter((i) => !request.avoided.includes(i));
  merged.dietary = [...new Set([...request.dietary, ...traveller.dietary])];
  if (!merged.style && ["budget", "comfort", "luxury"].includes(traveller.travelStyle ?? "")) {
    merged.style = traveller.travelStyle as TripRequest["style"];
    if (merged.style === "luxury") merged.minStars ??= 4;
  }
  if (!merged.budget && merged.nights) {
    const perTrip = traveller.budgetPerTripCents;
    const perDay = traveller.budgetPerDayCents;
    const cents = perTrip ?? (perDay !== null ? perDay * BigInt(merged.nights) : null);
    if (cents !== null) merged.budget = { amountMinor: cents, currency: "USD", perPerson: false, perDay: false };
  }
  return merged;
}

/** What is missing or impossible about a request, as the answer to give instead of a plan. */
export function checkRequest(request: TripRequest): Answer | undefined {
  if (request.impossiblePlace) {
    // Proper nouns as they are written ("the Moon", "Atlantis"); space stays space.
    const place = request.impossiblePlace.replace(/\b(?!the\b|outer\b|space\b)[a-z]/g, (c) => c.toUpperCase());
    return cannot(
      `${place} is not somewhere we can book`,
      `I can't plan a trip to ${place}: I only book real hotels, flights, activities and restaurants on Earth.`,
    );
  }
  if (request.guestProblem) return cannot(request.guestProblem, `I can't plan that: ${request.guestProblem}.`);
  if (request.dateProblem) return cannot(request.dateProblem, `I can't plan that: ${request.dateProblem}.`);
  if (request.budgetProblem) return cannot(request.budgetProblem, `I can't plan that: ${request.budgetProblem}.`);
  if (request.nights !== undefined && request.nights > MAX_NIGHTS)
    return cannot(
      `trips are limited to ${MAX_NIGHTS} nights`,
      `I can plan up to ${MAX_NIGHTS} nights at a time, and you asked for ${request.nights}.`,
    );
  if (!request.destination) {
    if (request.unknownPlace)
      return clarify(["destination"], unknownPlaceReply(request.unknownPlace, request.placeSuggestions));
    return clarify(["destination"], "Where would you like to go? Tell me a city, and for how long.");
  }
  if (request.placeChoices) return clarify(["destination"], whichPlace(request.placeChoices));
  if (request.otherDestinations.length > 0) {
    const names = [request.destination, ...request.otherDestinations].map((d) => d.name);
    return clarify(
      ["destination"],
      `I plan one city at a time. Which first: ${names.slice(0, -1).join(", ")} or ${names.at(-1)}?`,
    );
  }
  if (!request.checkIn && !request.nights)
    return clarify(
      ["dates"],
      `When would you like to go to ${request.destination.name}, and for how long? For example "3 days from June 4th".`,
    );
  return undefined;
}

interface Scored {
  item: CatalogItem;
  score: number;
  why: string;
  /** The stated interests this item satisfies. */
  interests: string[];
}

/** The stated interests an item satisfies: one of its tags (or its category or cuisine) is one of theirs. */
function interestsMet(item: CatalogItem, interests: string[]): string[] {
  const details = item.details;
  const own = new Set(item.tags);
  if (details.kind === "activity") own.add(details.category);
  if (details.kind === "restaurant") own.add(details.cuisine.toLowerCase());
  return interests.filter((interest) => tagsOf(interest).some((tag) => own.has(tag)));
}

function scoreItem(item: CatalogItem, request: TripRequest, affinity?: TravellerAffinity): Scored {
  let score = item.ratingTenths / 50;
  const reasons: string[] = [];
  const details = item.details;
  const met = item.type === "activity" || item.type === "restaurant" ? interestsMet(item, request.interests) : [];
  if (met.length > 0) {
    score += 2 + 0.5 * (met.length - 1);
    reasons.push(`because you like ${joinAnd(met.map(labelOf))}`);
  }
  if (details.kind === "activity") {
    if (met.length === 0 && affinity?.favouriteCategories.includes(details.category)) {
      // A taste shown by what they booked and liked, second only to what they ask for now.
      score += 1.5;
      reasons.push(`close to what you liked before (${details.category})`);
    }
  } else if (details.kind === "restaurant") {
    if (request.cuisines.some((c) => details.cuisine.toLowerCase() === c)) {
      score += 1.5;
      reasons.push(`${details.cuisine} cuisine, as you asked`);
    }
    const diet = request.dietary.filter((d) => details.dietaryOptions.includes(d));
    if (diet.length > 0) reasons.push(`${joinAnd(diet)} options`);
    if (request.interests.includes("food")) score += (details.priceLevel - 2) * 0.1;
  } else if (details.kind === "hotel") {
    const amenities = request.amenities.filter((a) => details.amenities.includes(a));
    score += amenities.length;
    if (amenities.length > 0) reasons.push(`has ${joinAnd(amenities)}`);
    if (request.style === "luxury") score += details.stars * 0.3;
    if (request.style === "budget") score -= details.stars * 0.3;
  }
  if (affinity) {
    const a = affinity.of(item);
    score += a;
    if (a > 0.3 && reasons.length === 0) reasons.push("close to what you liked before");
  }
  if (reasons.length === 0)
    reasons.push(`rated ${(item.ratingTenths / 10).toFixed(1)} by ${item.reviewCount.toLocaleString("en-US")} guests`);
  return { item, score, why: reasons.join("; "), interests: met };
}

const byScore = (a: Scored, b: Scored) => b.score - a.score || (a.item.id < b.item.id ? -1 : 1);

/** The day's moments of an item: its start, its end, and the way there from the previous place. */
export function timeFields(placed: Placed | undefined, item: CatalogItem) {
  if (item.details.kind === "flight") {
    const departs = minutesOf(item.details.departureTime);
    return { time: item.details.departureTime, endTime: clock(departs + item.details.durationMinutes) };
  }
  if (!placed) return { time: "15:00" };
  return { time: clock(placed.start), endTime: clock(placed.end), travelMinutes: placed.travel };
}

interface DayPlan {
  date: string;
  index: number;
  picks: Scored[];
  /** What is pinned to the day: the hotel's check-in on the arrival day. */
  fixed: { item: CatalogItem; window: Window }[];
  limits: DayLimits;
}

interface Line {
  item: CatalogItem;
  date?: string;
  why: string;
}

/** Builds the plan for a checked request (destination and dates known). */
export async function buildPlan(catalog: Catalog, input: TripRequest, options: BuildOptions): Promise<Answer> {
  const problem = checkRequest(input);
  // No destination, but a month, the weather, a region, a budget or interests: ideas to choose from.
  if (problem?.status === "clarification" && problem.missing[0] === "destination" && wantsIdeas(input))
    return inspire(catalog, input, options.today);
  if (problem) return problem;
  const request = { ...input };
  const destination = request.destination!;
  const assumptions: string[] = [];
  if (request.placeCorrection) assumptions.push(correctionNote(request.placeCorrection, destination));
  if (request.destinationFromCountry)
    assumptions.push(
      `${request.destinationFromCountry} is a country: I planned ${destination.name}, its largest city.`,
    );
  const nights = request.nights ?? 3;
  if (!request.nights)
    assumptions.push(`${plural(nights + 1, "day")} and ${plural(nights, "night")}, as you didn't say how long.`);
  if (request.lengthConflict) assumptions.push(`Dates: ${request.lengthConflict}.`);
  let checkIn = request.checkIn;
  if (!checkIn) {
    checkIn = addDays(options.today, 14);
    if (request.startsFriday) while (new Date(parseDay(checkIn)).getUTCDay() !== 5) checkIn = addDays(checkIn, 1);
    assumptions.push(
      `Starting ${describeDay(checkIn)}, ${request.startsFriday ? "the first Friday " : ""}two weeks from today; tell me your dates to change it.`,
    );
  } else if (request.dateAssumption) assumptions.push(`Dates: ${request.dateAssumption}.`);
  const latest = latestCheckIn(options.today);
  if (checkIn > latest)
    return cannot(
      `bookings open at most ${BOOKING_HORIZON_MONTHS} months ahead (until ${latest})`,
      `I can only book up to ${BOOKING_HORIZON_MONTHS} months ahead, until ${describeDay(latest)}; could you pick earlier dates?`,
    );
  const checkOut = request.checkOut ?? addDays(checkIn, nights);
  const guests = request.guests ?? 1;
  if (request.guests === undefined) assumptions.push("For one traveller; tell me if more are coming.");
  // Every day of the trip has a card, the departure day too (check-out, a morning, the way home).
  const days = daysBetween(checkIn, addDays(checkOut, 1));

  const budgetCents = request.budget
    ? toUsdCents(request.budget.amountMinor, request.budget.currency) *
      (request.budget.perPerson ? BigInt(guests) : 1n) *
      (request.budget.perDay ? BigInt(days.length) : 1n)
    : undefined;

  options.emit?.({ type: "status", message: `Looking at ${destination.name} for ${plural(nights, "night")}` });
  if (options.places) options.emit?.({ type: "status", message: `Finding places to visit in ${destination.name}` });
  // Fetched (or read from the cache) while the catalog is searched; never fails, says why when there are none.
  const placesAnswer = options.places?.placesFor(destination);
  // The origin's own airports, and any hub within 80 km of it (London's flights leave from LHR).
  const origin = request.origin;
  const airports = origin
    ? [
        ...new Set([
          ...origin.airports.map((a) => a.iata),
          ...HUBS.filter(([, lat, lon]) => distanceKm(lat, lon, origin.lat, origin.lon) <= 80).map(([iata]) => iata),
        ]),
      ]
    : [];
  const [{ items: inventory }, live] = await Promise.all([
    catalog.search({ destinationId: destination.id, sort: "relevance", offset: 0, limit: 10_000 }),
    liveOffers(catalog, { destinationId: destination.id, checkIn, checkOut, guests, airports }),
  ]);
  const scored = inventory.map((item) => scoreItem(item, request, options.affinity));
  const of = (type: CatalogItem["type"]) => scored.filter((s) => s.item.type === type).sort(byScore);
  // A live supplier's offer is priced whole, for the stay and party it was searched for.
  const quantity = (item: CatalogItem) =>
    item.priceUnit === "offer" ? 1 : item.type === "hotel" ? nights * Math.ceil(guests / 2) : guests;
  const liveScored = (items: CatalogItem[]) =>
    items.map((item) => scoreItem(item, request, options.affinity)).sort(byScore);
  const cost = (item: CatalogItem) => item.priceCents * BigInt(quantity(item));

  // Hotel: available every night, meeting the star and style wishes, the best that leaves room for the days.
  const liveHotels = liveScored(live.hotels);
  const hotels =
    liveHotels.length > 0 ? liveHotels : of("hotel").filter((s) => catalog.isAvailable(s.item, checkIn, checkOut));
  if (hotels.length === 0)
    return cannot(
      `no hotel in ${destination.name} has rooms for every night from ${checkIn} to ${checkOut}`,
      `I couldn't find a hotel in ${destination.name} free for all of those nights. Could you try other dates?`,
    );
  const starred = hotels.filter(
    (s) => s.item.details.kind === "hotel" && s.item.details.stars >= (request.minStars ?? 0),
  );
  if (request.minStars && starred.length === 0)
    assumptions.push(`No ${request.minStars}-star hotel is free on those dates; I picked the best available.`);
  const cheapestHotel = [...hotels].sort((a, b) => (cost(a.item) < cost(b.item) ? -1 : 1))[0];
  if (budgetCents !== undefined && cost(cheapestHotel.item) > budgetCents) {
    return cannot(
      `the cheapest hotel for ${plural(nights, "night")} costs ${dollars(cost(cheapestHotel.item))}, over the budget of ${dollars(budgetCents)}`,
      `That budget is too tight: the cheapest hotel in ${destination.name} for ${plural(nights, "night")} is ${dollars(cost(cheapestHotel.item))}, and your budget is about ${dollars(budgetCents)}. Could you raise it or shorten the trip?`,
    );
  }
  const hotelCap = budgetCents === undefined ? undefined : (budgetCents * 6n) / 10n;
  const hotelPool = starred.length > 0 ? starred : hotels;
  let hotel =
    request.style === "budget"
      ? cheapestHotel
      : (hotelPool.find((s) => hotelCap === undefined || cost(s.item) <= hotelCap) ?? cheapestHotel);
  if (budgetCents !== undefined && cost(hotel.item) > budgetCents) hotel = cheapestHotel;
  const lines: Line[] = [{ item: hotel.item, why: hotel.why }];
  let spent = cost(hotel.item);
  const fits = (item: CatalogItem) => budgetCents === undefined || spent + cost(item) <= budgetCents;
  options.emit?.({ type: "status", message: `Staying at ${hotel.item.name}` });

  // Flight on the first day when the traveller said where from and the catalog flies that route.
  if (request.origin) {
    const flight =
      liveScored(live.flights)[0] ??
      of("flight").find(
        (s) =>
          s.item.details.kind === "flight" &&
          airports.includes(s.item.details.origin) &&
          catalog.availableOn(s.item, checkIn),
      );
    if (flight && fits(flight.item)) {
      lines.push({ item: flight.item, date: checkIn, why: `flies from ${request.origin.name}` });
      spent += cost(flight.item);
    } else if (flight) {
      assumptions.push(`The flight from ${request.origin.name} doesn't fit the budget; it is left out.`);
    } else {
      assumptions.push(
        `No flight from ${request.origin.name} to ${destination.name} on ${describeDay(checkIn)} in the catalog.`,
      );
    }
  }

  // The days: first an item for each stated interest, then the best of the rest; each day's items fit their hours
  // without overlapping, with the way between places. Dietary needs and step-free access are musts; what the
  // traveller rules out stays out. Cheaper alternatives when the budget is short; nothing rather than going over it.
  const avoidedTags = new Set(request.avoided.flatMap(tagsOf));
  const needs = request.interests.filter((interest) => INTEREST_VOCABULARY[interest]?.need);
  const allowed = (s: Scored) =>
    !s.item.tags.some((tag) => avoidedTags.has(tag)) &&
    (s.item.type !== "activity" || needs.every((need) => tagsOf(need).some((tag) => s.item.tags.includes(tag))));
  const activities = of("activity").filter(allowed);
  const restaurants = of("restaurant").filter((s) => {
    const details = s.item.details;
    return (
      details.kind === "restaurant" && request.dietary.every((d) => details.dietaryOptions.includes(d)) && allowed(s)
    );
  });
  if (request.dietary.length > 0 && restaurants.length === 0)
    assumptions.push(
      `No restaurant in ${destination.name} lists ${joinAnd(request.dietary)} options; dinners are left out.`,
    );
  const flightLine = lines.find((line) => line.item.type === "flight");
  const arrival =
    flightLine?.item.details.kind === "flight"
      ? minutesOf(flightLine.item.details.departureTime) + flightLine.item.details.durationMinutes + 60
      : undefined;
  const hotelOpens = Math.min(23 * 60 + 45, Math.max(CHECK_IN, Math.ceil((arrival ?? 0) / 15) * 15));
  const hotelWindow: Window = { opens: hotelOpens, closes: 24 * 60, minutes: 15, preferred: hotelOpens };
  const last = days.length - 1;
  const dayPlans: DayPlan[] = days.map((date, index) => ({
    date,
    index,
    picks: [],
    fixed: index === 0 ? [{ item: hotel.item, window: hotelWindow }] : [],
    limits:
      index === last
        ? { latest: CHECK_OUT, backTo: hotel.item.location }
        : index === 0 && arrival !== undefined
          ? { earliest: arrival }
          : {},
  }));
  // A booking holds MAX_PLAN_ITEMS: one activity a day and dinner every evening first, then on the full days a
  // second activity, then a third, as the pace asks and while room is left (arrival and departure days stay light).
  const dinnersWanted = restaurants.length > 0 ? last : 0;
  let extra = MAX_PLAN_ITEMS - lines.length - dinnersWanted - days.length;
  const pace = request.pace ?? "balanced";
  const caps = days.map(() => 1);
  for (let level = 2; level <= ACTIVITIES_A_FULL_DAY[pace]; level++)
    for (let index = 1; index < last && extra > 0; index++, extra--) caps[index] = level;
  const taken = () => lines.length + dayPlans.reduce((sum, day) => sum + day.picks.length, 0);
  const used = new Set<string>();
  const timetable = (day: DayPlan, more: Scored[] = []) =>
    scheduleDay(
      [
        ...day.fixed,
        ...[...day.picks, ...more].map((s) => ({
          item: s.item,
          window: windowOf(s.item, day.date, day.index, destination.lat),
        })),
      ],
      day.limits,
    );
  const room = (day: DayPlan, s: Scored) =>
    s.item.type === "restaurant"
      ? day.index !== last && !day.picks.some((p) => p.item.type === "restaurant")
      : day.picks.filter((p) => p.item.type === "activity").length < caps[day.index];
  const take = (day: DayPlan, s: Scored) => {
    used.add(s.item.id);
    day.picks.push(s);
    spent += cost(s.item);
  };
  const met = (interest: string) => dayPlans.some((day) => day.picks.some((p) => p.interests.includes(interest)));

  for (const interest of request.interests) {
    if (INTEREST_VOCABULARY[interest]?.need || met(interest)) continue;
    const candidates = [...activities, ...restaurants]
      .filter((s) => s.interests.includes(interest) && !used.has(s.item.id))
      .sort(byScore);
    const lightestFirst = [...dayPlans].sort((a, b) => a.picks.length - b.picks.length || a.index - b.index);
    search: for (const candidate of candidates) {
      if (taken() >= MAX_PLAN_ITEMS || !fits(candidate.item)) continue;
      for (const day of lightestFirst) {
        if (!room(day, candidate) || !catalog.availableOn(candidate.item, day.date)) continue;
        if (!timetable(day, [candidate])) continue;
        take(day, candidate);
        break search;
      }
    }
  }

  let skipped = 0;
  for (const day of dayPlans) {
    for (const pool of [activities, restaurants]) {
      for (;;) {
        const probe = pool[0];
        if (!probe || !room(day, probe)) break;
        if (taken() >= MAX_PLAN_ITEMS) {
          skipped++;
          break;
        }
        // Keep enough of the budget for the days still to come: this slot's share, or any cheaper option.
        const slotsLeft = dayPlans
          .slice(day.index)
          .reduce((sum, d) => sum + caps[d.index] + (d.index === last ? 0 : 1) - d.picks.length, 0);
        const share = budgetCents === undefined ? undefined : (budgetCents - spent) / BigInt(Math.max(1, slotsLeft));
        const open = pool.filter((s) => !used.has(s.item.id) && fits(s.item) && catalog.availableOn(s.item, day.date));
        const inShare = open.filter((s) => share === undefined || cost(s.item) <= share);
        const cheapest =
          budgetCents === undefined ? [] : [...open].sort((a, b) => (cost(a.item) < cost(b.item) ? -1 : 1));
        const pick = [...inShare, ...cheapest].find((s) => timetable(day, [s]));
        if (!pick) break;
        take(day, pick);
      }
    }
    options.emit?.({ type: "status", message: `Day ${day.index + 1} of ${days.length} planned` });
  }
  if (skipped > 0)
    assumptions.push(`A booking holds ${MAX_PLAN_ITEMS} items, so the last days have fewer activities and dinners.`);

  const times = new Map<string, Placed>();
  const placedByDay = dayPlans.map((day) => timetable(day) ?? []);
  for (const day of dayPlans) {
    for (const placed of placedByDay[day.index]) times.set(`${placed.item.id}@${day.date}`, placed);
    for (const s of day.picks) lines.push({ item: s.item, date: day.date, why: s.why });
  }
  // Free visits from OpenStreetMap in the gaps between the bookings, bookings keeping their times.
  const places = await placesAnswer;
  const visited = places?.places.length
    ? placeVisits(
        places.places,
        dayPlans.map((day) => ({
          date: day.date,
          index: day.index,
          placed: placedByDay[day.index],
          limits: day.limits,
        })),
        {
          interests: request.interests,
          avoided: request.avoided,
          dietary: request.dietary,
          cuisines: request.cuisines,
          stepFree: needs.length > 0,
          pace,
          met,
        },
        { country: destination.country, home: hotel.item.location },
      )
    : undefined;
  if (places?.problem) assumptions.push(placesUnavailable(places.problem));
  const favouriteNote = whyNotFavouriteFirst(catalog, {
    favourite: options.affinity?.favouriteCategories.find((c) => !request.interests.includes(c)),
    day: days[0],
    destination: destination.name,
    activities,
    first: dayPlans[0].picks.find((s) => s.item.type === "activity")?.item,
    stated: request.interests,
    budgeted: budgetCents !== undefined,
  });
  if (favouriteNote) assumptions.push(favouriteNote);

  // Every stated interest shapes the plan or is named as missing, with why.
  const inventoryTags = new Set(
    inventory.flatMap((item) => {
      const details = item.details;
      if (details.kind === "activity") return [...item.tags, details.category];
      if (details.kind === "restaurant") return [...item.tags, details.cuisine.toLowerCase()];
      return [];
    }),
  );
  const missing: string[] = [];
  for (const interest of request.interests) {
    const label = labelOf(interest);
    if (INTEREST_VOCABULARY[interest]?.need) {
      if (activities.length === 0) {
        missing.push(label);
        assumptions.push(`No activity in ${destination.name} offers ${label}; I left activities out.`);
      } else assumptions.push(`Every activity offers ${label}, as you need.`);
      continue;
    }
    if (met(interest) || visited?.met.has(interest)) continue;
    missing.push(label);
    assumptions.push(
      tagsOf(interest).some((tag) => inventoryTags.has(tag))
        ? `No ${label} is free on your days in ${destination.name} within the plan.`
        : `${destination.name} has nothing for ${label} in the catalog.`,
    );
  }

  // Price exactly as POST /bookings will.
  const booking = {
    items: lines.map((line) => (line.date ? { itemId: line.item.id, date: line.date } : { itemId: line.item.id })),
    checkIn,
    checkOut,
    guests,
  };
  const priced = await priceLines(
    catalog,
    { ...booking, paymentToken: "0x0000000000000000000000000000000000000000" },
    options.today,
  );
  const planItems: PlanItem[] = priced.map((line, i) => ({
    itemId: line.item.id,
    type: line.item.type,
    name: line.item.name,
    date: lines[i].date ?? checkIn,
    ...timeFields(times.get(`${line.item.id}@${lines[i].date ?? checkIn}`), line.item),
    unitPrice: usd(line.item.priceCents),
    priceUnit: line.item.priceUnit,
    quantity: line.quantity,
    total: usd(line.totalCents),
    why: lines[i].why,
  }));
  const total = priced.reduce((sum, line) => sum + line.totalCents, 0n);
  const byType: Record<string, bigint> = {};
  for (const line of priced) byType[line.item.type] = (byType[line.item.type] ?? 0n) + line.totalCents;
  const planDays = days.map((date) => ({
    date,
    items: planItems.filter((item) => item.date === date).sort((a, b) => a.time.localeCompare(b.time)),
    notes:
      date === checkOut
        ? departureNotes(hotel.item, request.origin?.name, times, date, visited?.visits.get(date)?.at(-1)?.endTime)
        : [],
    ...(visited?.visits.has(date) ? { visits: visited.visits.get(date) } : {}),
  }));
  for (const day of planDays) options.emit?.({ type: "day", day });

  const budget = request.budget
    ? {
        amount: formatMinor(request.budget.amountMinor),
        currency: request.budget.currency,
        usd: usd(budgetCents!).amount,
      }
    : null;
  const inBudgetCurrency =
    request.budget && request.budget.currency !== "USD"
      ? { amount: formatMinor(fromUsdCents(total, request.budget.currency)), currency: request.budget.currency }
      : null;
  if (request.budget?.currencyAssumed)
    assumptions.push(`I read your budget of ${money(request.budget.amountMinor, "USD")} as US dollars.`);
  if (inBudgetCurrency)
    assumptions.push(`${request.budget!.currency} amounts use an approximate reference rate; you pay in USD.`);
  const plan: Plan = {
    destination: {
      id: destination.id,
      name: destination.name,
      country: destination.country,
      countryName: destination.countryName,
    },
    checkIn,
    checkOut,
    nights,
    guests,
    interests: request.interests,
    pace,
    budget,
    days: planDays,
    totals: {
      total: usd(total),
      byType: Object.fromEntries(Object.entries(byType).map(([type, cents]) => [type, usd(cents)])),
      inBudgetCurrency,
    },
    booking,
    assumptions,
    ...(visited && visited.visits.size > 0 ? { places: PLACES_SOURCE } : {}),
    summary: "",
  };
  plan.summary = summarise(plan, { hotel: hotel.item, lines, total, budgetCents, request, missing });
  const sights = planDays.flatMap((day) =>
    (day.visits ?? []).filter((v) => v.kind !== "restaurant").map((v) => v.name),
  );
  if (sights.length > 0) {
    const more = sights.length - 3;
    const named = joinAnd([...sights.slice(0, 3), ...(more > 0 ? [plural(more, "more place")] : [])]);
    plan.summary += ` Free to visit between the bookings: ${named} (from OpenStreetMap).`;
  }
  return { status: "plan", plan, reply: plan.summary };
}

/**
 * Why the plan does not open with the category the traveller liked before, when it doesn't: none in the catalog,
 * none free on the first day, a stated interest came first (no note: the request wins), or the budget.
 */
function whyNotFavouriteFirst(
  catalog: Catalog,
  at: {
    favourite?: string;
    day: string;
    destination: string;
    activities: Scored[];
    first?: CatalogItem;
    stated: string[];
    budgeted: boolean;
  },
): string | undefined {
  const { favourite, day, destination, first } = at;
  if (!favourite) return undefined;
  const categoryOf = (item?: CatalogItem) => (item?.details.kind === "activity" ? item.details.category : undefined);
  if (categoryOf(first) === favourite) return undefined;
  const ofCategory = at.activities.filter((s) => categoryOf(s.item) === favourite);
  if (ofCategory.length === 0)
    return `${destination} has no ${favourite} activities in the catalog, which you liked before; I chose others.`;
  if (!ofCategory.some((s) => catalog.availableOn(s.item, day)))
    return `No ${favourite} activity, which you liked before, is free on ${describeDay(day)} in ${destination}.`;
  if (at.stated.includes(categoryOf(first) ?? "")) return undefined;
  if (at.budgeted)
    return `The ${favourite} activities free on ${describeDay(day)}, which you liked before, don't fit the budget.`;
  return undefined;
}

/** The departure day's moments that are no booking of their own: leaving the hotel and the way home. */
export function departureNotes(
  hotel: CatalogItem,
  origin: string | undefined,
  times: Map<string, Placed>,
  date: string,
  /** When the morning's last visit ends (HH:MM), if later than its bookings. */
  visitsEnd?: string,
) {
  const morning = [...times.entries()].filter(([key]) => key.endsWith(`@${date}`)).map(([, placed]) => placed.end);
  if (visitsEnd) morning.push(minutesOf(visitsEnd));
  const back = morning.length > 0 ? Math.max(...morning) : 0;
  const checkOut = Math.max(10 * 60 + 30, Math.min(CHECK_OUT, Math.ceil((back + 15) / 15) * 15));
  return [
    { time: clock(checkOut), text: `Check out of ${hotel.name}` },
    { time: clock(checkOut + 30), text: origin ? `Travel home to ${origin}` : "Travel home" },
  ] satisfies PlanNote[];
}

function formatMinor(minor: bigint): string {
  return `${minor / 100n}.${(minor % 100n).toString().padStart(2, "0")}`;
}

function fromUsdCents(cents: bigint, currency: Plan["totals"]["total"]["currency"] | string): bigint {
  const micros = { EUR: 1_080_000n, GBP: 1_270_000n, JPY: 6_700n, CHF: 1_120_000n, CAD: 730_000n, AUD: 650_000n }[
    currency as "EUR"
  ];
  return micros ? (cents * 1_000_000n) / micros : cents;
}

function summarise(
  plan: Plan,
  at: {
    hotel: CatalogItem;
    lines: Line[];
    total: bigint;
    budgetCents?: bigint;
    request: TripRequest;
    missing: string[];
  },
): string {
  const { lines, total, budgetCents, request } = at;
  const activities = lines.filter((l) => l.item.type === "activity").map((l) => l.item.name);
  const dinners = lines.filter((l) => l.item.type === "restaurant").length;
  const who = plan.guests === 1 ? "" : ` for ${say(plan.guests)}`;
  const parts = [
    `${capitalise(plural(plan.nights + 1, "day"))} and ${plural(plan.nights, "night")} in ${plan.destination.name}${who}, ${describeDay(plan.checkIn)} to ${describeDay(plan.checkOut)}, at ${at.hotel.name}.`,
  ];
  if (lines.some((l) => l.item.type === "flight")) parts.push("Your flight is on the first day.");
  if (activities.length > 0) {
    const more = activities.length - 3;
    parts.push(
      `Highlights: ${joinAnd([...activities.slice(0, 3), ...(more > 0 ? [plural(more, "more activity", "more activities")] : [])])}.`,
    );
  }
  if (dinners > 0) parts.push(`${capitalise(plural(dinners, "dinner"))} booked.`);
  if (plan.pace === "relaxed") parts.push("A relaxed pace: one activity a day.");
  if (plan.pace === "packed") parts.push("A packed pace: up to three activities on full days.");
  if (budgetCents === undefined) parts.push(`About ${dollars(total)} in total.`);
  else {
    const budget = request.budget!;
    const said = `${money(budget.amountMinor, budget.currency)}${budget.perPerson ? " a person" : ""}${budget.perDay ? " a day" : ""}`;
    const usdBudget =
      budget.currency === "USD" && !budget.perPerson && !budget.perDay ? "" : ` (${dollars(budgetCents)} in all)`;
    parts.push(`About ${dollars(total)} in total, within your budget of ${said}${usdBudget}.`);
  }
  if (at.missing.length > 0)
    parts.push(`I found nothing for ${joinAnd(at.missing)} in ${plan.destination.name} on your days; see the notes.`);
  return parts.join(" ");
}
