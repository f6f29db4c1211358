/**
 * When each thing of a day happens: every item starts and ends inside its opening hours, nothing overlaps, and the
 * way from one place to the next takes time by distance. Times are minutes after the day's midnight; a night out
 * may end after midnight (a close of "02:00" after an opening of "20:30" is the next morning).
 */
import { distanceKm } from "../catalog/geodata.js";
import type { CatalogItem, TimeOfDay } from "../catalog/types.js";

export interface Window {
  opens: number;
  closes: number;
  minutes: number;
  /** When it is best started (the first morning slot, a late dinner in Spain, the hour before sunset). */
  preferred: number;
  /** Starts exactly at `opens` (a flight's departure, a time the traveller chose). */
  fixed?: boolean;
}

export interface Placed {
  item: CatalogItem;
  start: number;
  end: number;
  /** Minutes on the way from the previous place of the day. */
  travel: number;
}

export const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
export const clock = (minutes: number) =>
  `${String(Math.floor(minutes / 60) % 24).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/** When items of each time of day are best started; the morning drifts with the day so no two days look alike. */
const PREFERRED: Record<TimeOfDay, number> = {
  morning: 9 * 60,
  day: 10 * 60,
  afternoon: 14 * 60,
  sunset: 18 * 60,
  evening: 19 * 60,
  night: 21 * 60 + 30,
  "full day": 8 * 60 + 30,
};

export const CHECK_IN = 15 * 60;
export const CHECK_OUT = 12 * 60;
const DINNER_MINUTES = 90;

/**
 * The hour before sunset, roughly, from the latitude and the day of the year (clock time with summer time where
 * days are long): early in a northern December, late in a northern June.
 */
function sunsetStart(lat: number, date: string): number {
  const dayOfYear = (Date.parse(`${date}T00:00:00Z`) - Date.parse(`${date.slice(0, 4)}-01-01T00:00:00Z`)) / 86_400_000;
  const declination = -23.44 * Math.cos(((2 * Math.PI) / 365) * (dayOfYear + 10));
  const rad = Math.PI / 180;
  const cosHour = -Math.tan(lat * rad) * Math.tan(declination * rad);
  const hourAngle = Math.acos(Math.max(-1, Math.min(1, cosHour))) / rad / 15;
  const summerTime = Math.abs(lat) > 25 && lat > 0 === declination > 0 ? 60 : 0;
  const sunset = Math.round((12 + hourAngle) * 60) + summerTime;
  return Math.round((sunset - 90) / 15) * 15;
}

/** An item's window on a day; `dayIndex` shifts morning starts so each day has a shape of its own. */
export function windowOf(item: CatalogItem, date: string, dayIndex: number, lat: number): Window {
  const details = item.details;
  switch (details.kind) {
    case "hotel":
      // Check-in any time from 15:00 (after a day trip, say); best at 15:00.
      return { opens: CHECK_IN, closes: 24 * 60, minutes: 15, preferred: CHECK_IN };
    case "flight": {
      const departs = minutesOf(details.departureTime);
      return {
        opens: departs,
        closes: departs + details.durationMinutes,
        minutes: details.durationMinutes,
        preferred: departs,
      };
    }
    case "restaurant": {
      const opens = minutesOf(details.opens ?? "18:30");
      let closes = minutesOf(details.closes ?? "22:30");
      if (closes <= opens) closes += 24 * 60;
      // Half an hour after the kitchen opens, a little later every other day.
      return { opens, closes, minutes: DINNER_MINUTES, preferred: opens + 30 + (dayIndex % 2) * 30 };
    }
    case "activity": {
      const when: TimeOfDay = details.timeOfDay ?? (details.category === "day trip" ? "full day" : "day");
      const minutes = details.durationMinutes ?? Math.round(details.durationHours * 60);
      const opens = minutesOf(details.opens ?? "09:00");
      let closes = minutesOf(details.closes ?? "18:00");
      if (closes <= opens) closes += 24 * 60;
      let preferred = PREFERRED[when];
      if (when === "morning" || when === "day") preferred += (dayIndex % 3) * 30;
      if (when === "sunset") preferred = Math.min(closes - minutes, Math.max(opens, sunsetStart(lat, date)));
      return { opens, closes: Math.max(closes, opens + minutes), minutes, preferred };
    }
  }
}

/**
 * The window of an item the traveller wants to start at `start` (minutes after midnight): only then, or undefined
 * when it would start before the item opens or end after it closes.
 */
export function pinnedWindow(window: Window, start: number): Window | undefined {
  if (start < window.opens || start + window.minutes > window.closes) return undefined;
  return { opens: start, closes: start + window.minutes, minutes: window.minutes, preferred: start, fixed: true };
}

/** Minutes from one place to another across a city: ten to get going, then about four a kilometre. */
export function travelMinutes(from?: { lat: number; lon: number }, to?: { lat: number; lon: number }): number {
  if (!from || !to) return 15;
  const km = distanceKm(from.lat, from.lon, to.lat, to.lon);
  if (km < 0.3) return 5;
  return Math.ceil((10 + km * 4) / 5) * 5;
}

const roundUp = (minutes: number) => Math.ceil(minutes / 15) * 15;

export interface DayLimits {
  /** Nothing starts before (a flight's arrival plus the way in). */
  earliest?: number;
  /** Everything ends by, with the way back to `backTo` (check-out on the departure day). */
  latest?: number;
  backTo?: { lat: number; lon: number };
}

/**
 * The best timetable of a day's items (at most a handful: every order is tried), or undefined when they cannot all
 * fit. Best is closest to each item's preferred start; fixed items (a flight) keep their time.
 */
export function scheduleDay(
  items: { item: CatalogItem; window: Window }[],
  limits: DayLimits = {},
): Placed[] | undefined {
  let best: { placed: Placed[]; cost: number } | undefined;
  const order: number[] = [];
  const used = new Array<boolean>(items.length).fill(false);
  const visit = () => {
    if (order.length === items.length) {
      // At the preferred times where they fit, else as early as each can start (a morning before check-out).
      for (const early of [false, true]) {
        const placed = place(
          order.map((i) => items[i]),
          limits,
          early,
        );
        if (!placed) continue;
        const cost = placed.reduce((sum, p, i) => sum + Math.abs(p.start - items[order[i]].window.preferred), 0);
        if (!best || cost < best.cost) best = { placed, cost };
      }
      return;
    }
    for (let i = 0; i < items.length; i++) {
      if (used[i]) continue;
      used[i] = true;
      order.push(i);
      visit();
      order.pop();
      used[i] = false;
    }
  };
  visit();
  return best?.placed;
}

function place(
  sequence: { item: CatalogItem; window: Window }[],
  limits: DayLimits,
  early: boolean,
): Placed[] | undefined {
  const placed: Placed[] = [];
  let free = limits.earliest ?? 0;
  let at: { lat: number; lon: number } | undefined;
  for (const [i, { item, window }] of sequence.entries()) {
    const travel = i === 0 && limits.earliest === undefined ? 0 : travelMinutes(at, item.location);
    const flight = item.type === "flight";
    const start =
      flight || window.fixed
        ? window.opens
        : roundUp(Math.max(window.opens, early ? 0 : window.preferred, free + travel));
    if (start < free + (flight ? 0 : travel) || start + window.minutes > window.closes) return undefined;
    if (start >= 24 * 60) return undefined;
    placed.push({ item, start, end: start + window.minutes, travel: i === 0 ? 0 : travel });
    free = start + window.minutes;
    at = item.location ?? at;
  }
  if (limits.latest !== undefined && placed.length > 0) {
    const last = placed.at(-1)!;
    if (last.end + travelMinutes(last.item.location, limits.backTo) > limits.latest) return undefined;
  }
  return placed;
}
