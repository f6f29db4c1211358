/**
 * Free visits between the bookings: places from OpenStreetMap (a museum, a temple, a park, a viewpoint, a lunch
 * spot) set into the gaps of each day's timetable without moving what is booked. A place is visited only while it is
 * open (its `opening_hours` on that day, else the usual hours of its kind), with the way to it and on to the next
 * place; those matching a stated interest come first, then the best known.
 */
import type { Catalog } from "../catalog/service.js";
import { openIntervals, type OpenInterval } from "../places/hours.js";
import {
  OSM_ATTRIBUTION,
  OSM_LICENSE_URL,
  osmUrl,
  type Place,
  type PlaceKind,
  type PlacesSource,
} from "../places/types.js";
import { joinAnd } from "./reply.js";
import { labelOf, tagsOf } from "./interests.js";
import { CHECK_OUT, clock, minutesOf, travelMinutes, type DayLimits, type Placed } from "./schedule.js";
import type { Pace, Plan, PlanVisit } from "./types.js";

/** What a plan with visits says about where they come from. */
export const PLACES_SOURCE = {
  source: "openstreetmap" as const,
  attribution: OSM_ATTRIBUTION,
  licenseUrl: OSM_LICENSE_URL,
};

/** The plan's note when places could not be had. */
export const placesUnavailable = (problem: string) =>
  `Places to visit from OpenStreetMap are unavailable just now (${problem}); the plan has bookable items only.`;

/** Usual hours, length and best start of a visit by kind, in minutes after midnight. */
const USUAL: Record<PlaceKind, { opens: number; closes: number; minutes: number; preferred: number }> = {
  museum: { opens: 600, closes: 1020, minutes: 120, preferred: 600 },
  gallery: { opens: 600, closes: 1080, minutes: 90, preferred: 660 },
  castle: { opens: 570, closes: 1020, minutes: 120, preferred: 600 },
  attraction: { opens: 540, closes: 1080, minutes: 60, preferred: 660 },
  monument: { opens: 480, closes: 1200, minutes: 30, preferred: 660 },
  viewpoint: { opens: 480, closes: 1260, minutes: 30, preferred: 1020 },
  park: { opens: 420, closes: 1140, minutes: 60, preferred: 960 },
  garden: { opens: 540, closes: 1020, minutes: 60, preferred: 900 },
  place_of_worship: { opens: 540, closes: 1020, minutes: 45, preferred: 570 },
  restaurant: { opens: 690, closes: 900, minutes: 60, preferred: 750 },
};
/** A place open all day and night is still visited by day (lunch: at lunchtime). */
const SENSIBLE: Record<"sight" | "lunch", OpenInterval> = {
  sight: { opens: 480, closes: 1260 },
  lunch: { opens: 690, closes: 900 },
};
/** Visits a day at each pace, the departure morning one at most; lunch comes on top. */
const VISITS_A_DAY: Record<Pace, number> = { relaxed: 1, balanced: 2, packed: 3 };

export interface VisitDay {
  date: string;
  index: number;
  /** The day's bookings as timetabled; the travel of one after a visit is updated. */
  placed: Placed[];
  limits: DayLimits;
}

export interface VisitRequest {
  interests: string[];
  avoided: string[];
  dietary: string[];
  cuisines: string[];
  /** Step-free access is needed: only places tagged wheelchair=yes. */
  stepFree: boolean;
  pace: Pace;
  /** Interests the bookings already meet. */
  met: (interest: string) => boolean;
}

interface Entry {
  start: number;
  end: number;
  location?: { lat: number; lon: number };
  placed?: Placed;
  visit?: PlanVisit;
}

const roundUp = (minutes: number) => Math.ceil(minutes / 15) * 15;
const roundDown = (minutes: number) => Math.floor(minutes / 15) * 15;

function windows(place: Place, date: string, country: string, lunch: boolean): OpenInterval[] {
  const usual = USUAL[place.kind];
  const bounds = lunch ? SENSIBLE.lunch : SENSIBLE.sight;
  const open = openIntervals(place, date, country) ?? [{ opens: usual.opens, closes: usual.closes }];
  return open
    .map((interval) => ({
      opens: Math.max(interval.opens, bounds.opens),
      closes: Math.min(interval.closes, bounds.closes),
    }))
    .filter((interval) => interval.closes - interval.opens >= usual.minutes);
}

/** The best start of `place` in the day's timeline, and before which entry it goes, or undefined when it fits nowhere. */
function fit(
  place: Place,
  timeline: Entry[],
  open: OpenInterval[],
  limits: DayLimits,
  home: { lat: number; lon: number } | undefined,
): { start: number; at: number; travel: number } | undefined {
  const { minutes, preferred } = USUAL[place.kind];
  const here = { lat: place.lat, lon: place.lon };
  let best: { start: number; at: number; travel: number; cost: number } | undefined;
  for (let at = 0; at <= timeline.length; at++) {
    const previous = timeline[at - 1];
    const next = timeline[at];
    const from = previous ? previous.location : home;
    const travel = travelMinutes(from, here);
    const free = Math.max(previous?.end ?? 0, limits.earliest ?? 0);
    let endBy = next ? next.start - travelMinutes(here, next.location) : 24 * 60;
    if (!next && limits.latest !== undefined) endBy = limits.latest - travelMinutes(here, limits.backTo);
    for (const interval of open) {
      const earliest = roundUp(Math.max(free + travel, interval.opens));
      const latest = roundDown(Math.min(interval.closes, endBy) - minutes);
      if (earliest > latest) continue;
      const start = Math.min(latest, Math.max(earliest, roundUp(preferred)));
      const cost = Math.abs(start - preferred);
      if (!best || cost < best.cost) best = { start, at, travel, cost };
    }
  }
  return best && { start: best.start, at: best.at, travel: best.travel };
}

/**
 * Sets visits into the days. Returns each day's visits by date and the stated interests they meet. Bookings keep
 * their times; a booking right after a visit gets its way from there.
 */
export function placeVisits(
  places: Place[],
  days: VisitDay[],
  request: VisitRequest,
  where: { country: string; home?: { lat: number; lon: number } },
): { visits: Map<string, PlanVisit[]>; met: Set<string> } {
  const avoided = new Set(request.avoided.flatMap(tagsOf));
  const allowed = places.filter(
    (place) => !place.tags.some((tag) => avoided.has(tag)) && (!request.stepFree || place.tags.includes("step-free")),
  );
  const interestsOf = (place: Place) =>
    request.interests.filter((interest) => tagsOf(interest).some((tag) => place.tags.includes(tag)));
  const met = new Set<string>();
  const used = new Set<string>();
  const visits = new Map<string, PlanVisit[]>();
  const last = days.length - 1;

  const sights = allowed.filter((place) => place.kind !== "restaurant");
  const lunches = allowed.filter(
    (place) => place.kind === "restaurant" && request.dietary.every((diet) => place.diets?.includes(diet)),
  );

  for (const day of days) {
    const timeline: Entry[] = day.placed.map((placed) => ({
      start: placed.start,
      end: placed.end,
      location: placed.item.location,
      placed,
    }));
    const add = (place: Place, why: string, lunch: boolean) => {
      const where_ = fit(place, timeline, windows(place, day.date, where.country, lunch), day.limits, where.home);
      if (!where_) return false;
      const { minutes } = USUAL[place.kind];
      const visit: PlanVisit = {
        placeId: place.id,
        name: place.name,
        ...(place.localName ? { localName: place.localName } : {}),
        kind: place.kind,
        time: clock(where_.start),
        endTime: clock(where_.start + minutes),
        travelMinutes: where_.travel,
        why,
        location: { lat: place.lat, lon: place.lon },
        ...(place.openingHours ? { openingHours: place.openingHours } : {}),
        ...(place.website ? { website: place.website } : {}),
        osmUrl: osmUrl(place),
      };
      timeline.splice(where_.at, 0, {
        start: where_.start,
        end: where_.start + minutes,
        location: visit.location,
        visit,
      });
      used.add(place.id);
      return true;
    };

    // Stated interests nothing meets yet first, then any stated interest, then the best known.
    const wanted = (place: Place) => {
      const interests = interestsOf(place);
      const unmet = interests.filter((interest) => !request.met(interest) && !met.has(interest));
      return unmet.length > 0 ? 0 : interests.length > 0 ? 1 : place.notable ? 2 : 3;
    };
    const cap = day.index === last ? 1 : VISITS_A_DAY[request.pace];
    let count = 0;
    const pool = sights.filter((place) => !used.has(place.id)).map((place) => ({ place, rank: wanted(place) }));
    pool.sort((a, b) => a.rank - b.rank);
    for (const { place } of pool) {
      if (count >= cap) break;
      if (used.has(place.id)) continue;
      const interests = interestsOf(place);
      const why = interests.length
        ? `because you like ${joinAnd(interests.map(labelOf))}; no booking needed`
        : place.notable
          ? "one of the best-known places nearby; no booking needed"
          : "nearby; no booking needed";
      if (!add(place, why, false)) continue;
      count++;
      for (const interest of interests) met.add(interest);
    }

    if (day.index !== last) {
      const ranked = lunches
        .filter((place) => !used.has(place.id))
        .map((place) => ({
          place,
          cuisine: place.cuisines?.find((c) => request.cuisines.includes(c)),
        }))
        .sort((a, b) => Number(Boolean(b.cuisine)) - Number(Boolean(a.cuisine)));
      for (const { place, cuisine } of ranked) {
        const diet = request.dietary.length ? `; ${joinAnd(request.dietary)} options` : "";
        const why = `lunch${cuisine ? ` (${cuisine} cuisine, as you asked)` : ""}${diet}; pay at the restaurant`;
        if (add(place, why, true)) break;
      }
    }

    // A booking right after a visit comes from there.
    for (let i = 1; i < timeline.length; i++) {
      const entry = timeline[i];
      if (entry.placed && timeline[i - 1].visit)
        entry.placed.travel = travelMinutes(timeline[i - 1].location, entry.location);
    }
    const dayVisits = timeline.flatMap((entry) => (entry.visit ? [entry.visit] : []));
    if (dayVisits.length > 0) visits.set(day.date, dayVisits);
  }
  return { visits, met };
}

/**
 * Adds visits to a plan assembled elsewhere (the OpenAI planner's): its bookings keep their times, the day with a
 * flight starts an hour after it lands, the departure morning ends at check-out.
 */
export async function addVisits(catalog: Catalog, plan: Plan, source: PlacesSource): Promise<Plan> {
  const destination = catalog.destinationsById.get(plan.destination.id);
  if (!destination) return plan;
  const answer = await source.placesFor(destination);
  if (answer.problem) return { ...plan, assumptions: [...plan.assumptions, placesUnavailable(answer.problem)] };
  const hotelLine = plan.days.flatMap((day) => day.items).find((item) => item.type === "hotel");
  const hotel = hotelLine ? await catalog.getItem(hotelLine.itemId) : undefined;
  const last = plan.days.length - 1;
  const days: VisitDay[] = [];
  for (const [index, day] of plan.days.entries()) {
    const placed: Placed[] = [];
    let earliest: number | undefined;
    for (const line of day.items) {
      const item = await catalog.getItem(line.itemId);
      if (!item) continue;
      const start = minutesOf(line.time);
      let end = line.endTime ? minutesOf(line.endTime) : start + 15;
      if (end < start) end += 24 * 60;
      if (item.type === "flight") earliest = Math.max(earliest ?? 0, end + 60);
      placed.push({ item, start, end, travel: line.travelMinutes ?? 0 });
    }
    placed.sort((a, b) => a.start - b.start);
    const limits: DayLimits =
      index === last ? { latest: CHECK_OUT, backTo: hotel?.location } : earliest !== undefined ? { earliest } : {};
    days.push({ date: day.date, index, placed, limits });
  }
  const { visits } = placeVisits(
    answer.places,
    days,
    {
      interests: plan.interests,
      avoided: [],
      dietary: [],
      cuisines: [],
      stepFree: plan.interests.includes("accessibility"),
      pace: plan.pace ?? "balanced",
      met: () => false,
    },
    { country: destination.country, home: hotel?.location },
  );
  if (visits.size === 0) return plan;
  return {
    ...plan,
    days: plan.days.map((day, index) => ({
      ...day,
      items: day.items.map((line) => {
        const placed = days[index].placed.find((p) => p.item.id === line.itemId);
        return placed && line.travelMinutes !== undefined ? { ...line, travelMinutes: placed.travel } : line;
      }),
      ...(visits.has(day.date) ? { visits: visits.get(day.date) } : {}),
    })),
    places: PLACES_SOURCE,
  };
}
