/**
 * The one source of "now" for the whole backend. Services take a `Clock` from the services container; nothing else
 * reads the system time, so a test (or a replay) can run the whole product on any day.
 */
import { formatDay } from "./catalog/dates.js";

export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/**
 * A clock that reads `start` at the moment it is made and then advances with `base`: the product runs as if it were
 * another day, with timers, backoffs and expiries behaving as they would on that day.
 */
export function clockStartingAt(start: Date, base: Clock = systemClock): Clock {
  const offset = start.getTime() - base().getTime();
  return () => new Date(base().getTime() + offset);
}

/** The clock's calendar day, YYYY-MM-DD in UTC (the catalog's and the planner's "today"). */
export function today(clock: Clock): string {
  return formatDay(clock().getTime());
}
