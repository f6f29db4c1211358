/**
 * Turning a wall-clock time at a place (an airport's `2026-03-10T10:00:00` in `Asia/Tokyo`) into an instant, with the
 * zone rules Node's Intl carries.
 */

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?$/;
/** The widest offsets in use (UTC-12 to UTC+14): a local time is within them of the same reading as UTC. */
const EARLIEST_OFFSET_MS = 14 * 3_600_000;

const formats = new Map<string, Intl.DateTimeFormat>();

function format(timeZone: string): Intl.DateTimeFormat {
  let formatter = formats.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formats.set(timeZone, formatter);
  }
  return formatter;
}

/** How far `timeZone`'s clocks are ahead of UTC at `instant` (ms). */
export function zoneOffsetMs(timeZone: string, instant: number): number {
  const parts = Object.fromEntries(
    format(timeZone)
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  const wall = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant (ms since the epoch) of `local` (YYYY-MM-DDTHH:MM[:SS], no offset) in the IANA zone `timeZone`. A time
 * the clocks skip or pass twice (daylight saving changes) reads as its earliest possible instant. A time that carries
 * its own offset (`Z`, `+09:00`) is read as such. An unknown zone reads it at the earliest instant it could be
 * anywhere (as if UTC+14), so a deadline it caps is never late; a time that is not one is undefined.
 */
export function localTimeToInstant(local: string, timeZone: string | null | undefined): number | undefined {
  const match = LOCAL.exec(local);
  if (!match) {
    const withOffset = /(?:Z|[+-]\d{2}:\d{2})$/.test(local) ? Date.parse(local) : Number.NaN;
    return Number.isNaN(withOffset) ? undefined : withOffset;
  }
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  const wall = Date.UTC(year!, month! - 1, day!, hour!, minute!, second || 0);
  if (Number.isNaN(wall)) return undefined;
  if (!timeZone) return wall - EARLIEST_OFFSET_MS;
  let offsets: number[];
  try {
    // The offset just before and just after: one of them is the offset at that wall time.
    offsets = [zoneOffsetMs(timeZone, wall - EARLIEST_OFFSET_MS), zoneOffsetMs(timeZone, wall + EARLIEST_OFFSET_MS)];
  } catch {
    return wall - EARLIEST_OFFSET_MS;
  }
  const candidates = offsets.map((offset) => wall - offset);
  const exact = candidates.filter((instant) => instant + zoneOffsetMs(timeZone, instant) === wall);
  return Math.min(...(exact.length > 0 ? exact : candidates));
}
