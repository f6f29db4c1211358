/**
 * The day the tests run on. `TRVL_TEST_DATE` (YYYY-MM-DD) runs the whole app on that day through the services'
 * injected clock (the test script repeats the calendar-sensitive suites on fixed dates this way); unset, it is the
 * real date. Tests take every date from here, never from the system clock.
 */
import { clockStartingAt, systemClock, today, type Clock } from "../../src/clock.js";
import { addDays } from "../../src/catalog/dates.js";

const fixed = process.env.TRVL_TEST_DATE;
if (fixed !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(fixed)) {
  throw new Error(`TRVL_TEST_DATE must be a date as YYYY-MM-DD, not "${fixed}"`);
}

/** The tests' clock: 10:00 UTC on TRVL_TEST_DATE, advancing with real time; the system clock when unset. */
export const testClock: Clock = fixed ? clockStartingAt(new Date(`${fixed}T10:00:00Z`)) : systemClock;

/** "Today" for the tests. */
export const TEST_DATE = today(testClock);

/** The days the calendar-sensitive suites also run on: a mid-year weekday, a year's last day, a leap day. */
export const CALENDAR_DATES = ["2027-06-16", "2027-12-31", "2028-02-29"] as const;

/** The test day plus `days`, as YYYY-MM-DD. */
export function futureDay(days: number): string {
  return addDays(TEST_DATE, days);
}
