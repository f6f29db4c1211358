const DAY_MS = 86_400_000;

export function parseDay(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

export function formatDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** Days from `start` (included) to `end` (excluded), as YYYY-MM-DD. */
export function daysBetween(start: string, end: string): string[] {
  const days: string[] = [];
  for (let t = parseDay(start); t < parseDay(end); t += DAY_MS) days.push(formatDay(t));
  return days;
}

export function nightsBetween(start: string, end: string): number {
  return Math.round((parseDay(end) - parseDay(start)) / DAY_MS);
}

export function addDays(day: string, days: number): string {
  return formatDay(parseDay(day) + days * DAY_MS);
}

/** `day` plus whole calendar months; a day the target month lacks (31 August + 6 months) becomes its last day. */
export function addMonths(day: string, months: number): string {
  const [year, month, date] = day.split("-").map(Number);
  const lastOfTarget = new Date(Date.UTC(year, month - 1 + months + 1, 0)).getUTCDate();
  return formatDay(Date.UTC(year, month - 1 + months, Math.min(date, lastOfTarget)));
}

/** How far ahead a stay may start: search and booking refuse a later check-in (suppliers sell no further out). */
export const BOOKING_HORIZON_MONTHS = 18;

/** The latest check-in that can be searched or booked on `today`. */
export function latestCheckIn(today: string): string {
  return addMonths(today, BOOKING_HORIZON_MONTHS);
}
