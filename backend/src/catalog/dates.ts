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
