/**
 * When a place is open on a day, from its OpenStreetMap `opening_hours` (read by the `opening_hours` library), in
 * minutes after the place's local midnight. The library reads dates in the process's time zone; the day is built
 * and read in that same zone, so its clock times are the place's local ones whatever the zone.
 */
import OpeningHours from "opening_hours";

import type { Place } from "./types.js";

export interface OpenInterval {
  opens: number;
  closes: number;
}

/**
 * The intervals `place` is open on `date` (YYYY-MM-DD); [] when closed all day; undefined when its hours are not
 * tagged or cannot be read (the caller assumes usual hours for its kind).
 */
export function openIntervals(
  place: Pick<Place, "openingHours" | "lat" | "lon">,
  date: string,
  country?: string,
): OpenInterval[] | undefined {
  if (!place.openingHours) return undefined;
  let hours: OpeningHours;
  try {
    hours = new OpeningHours(
      place.openingHours,
      { lat: place.lat, lon: place.lon, address: { country_code: (country ?? "").toLowerCase(), state: "" } },
      { mode: 0, tag_key: "opening_hours", map_value: true, warnings_severity: 4, locale: "en" },
    );
  } catch {
    return undefined;
  }
  const [year, month, day] = date.split("-").map(Number);
  const midnight = new Date(year, month - 1, day);
  const next = new Date(year, month - 1, day + 1);
  try {
    return hours
      .getOpenIntervals(midnight, next)
      .map(([from, to]) => ({
        opens: Math.round((from.getTime() - midnight.getTime()) / 60_000),
        closes: Math.round((to.getTime() - midnight.getTime()) / 60_000),
      }))
      .filter((interval) => interval.closes > interval.opens);
  } catch {
    return undefined;
  }
}
