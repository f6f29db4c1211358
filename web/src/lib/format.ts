/**
 * The one place the app formats what it shows: token amounts (bigints in, strings out, never through floating point),
 * money and USD values, percentages, durations and dates, through Intl in one locale so every page reads the same.
 */

/** The app's language for numbers and dates (its copy is English). */
export const LOCALE = "en-US";

/** `1234567890000000000000n, 18` → "1,234.56789" (at most `maxFractionDigits`, trailing zeros trimmed). */
export function formatUnits(value: bigint, decimals: number, maxFractionDigits = 4): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const base = 10n ** BigInt(decimals);
  let whole = abs / base;
  let fraction = abs % base;
  if (maxFractionDigits < decimals) {
    // Round half up at the last shown digit.
    const drop = 10n ** BigInt(decimals - maxFractionDigits);
    fraction = (fraction + drop / 2n) / drop;
    if (fraction >= 10n ** BigInt(maxFractionDigits)) {
      whole += 1n;
      fraction = 0n;
    }
  }
  const digits = Math.min(decimals, maxFractionDigits);
  const fractionText = digits > 0 ? fraction.toString().padStart(digits, "0").replace(/0+$/, "") : "";
  const wholeText = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${wholeText}${fractionText ? `.${fractionText}` : ""}`;
}

/** The exact amount as a plain decimal for an input field: `1500000n, 6` → "1.5". */
export function toDecimalString(value: bigint, decimals: number): string {
  return formatUnits(value, decimals, decimals).replace(/,/g, "");
}

/** Formats with a unit: "1,234.5 TRVL". */
export function formatToken(value: bigint, decimals: number, symbol: string, maxFractionDigits = 4): string {
  return `${formatUnits(value, decimals, maxFractionDigits)} ${symbol}`;
}

export type ParseResult = { ok: true; value: bigint } | { ok: false; error: string };

/**
 * Parses what a person typed ("1,000.5") into base units, or says what is wrong with it. Rejects more fraction
 * digits than the token has rather than silently rounding.
 */
export function parseUnits(input: string, decimals: number): ParseResult {
  const text = input.trim().replace(/,/g, "");
  if (text === "") return { ok: false, error: "Enter an amount" };
  const match = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (match[1] === "" && (match[2] ?? "") === "")) return { ok: false, error: "Enter a number, like 12.5" };
  const [, whole, fraction = ""] = match;
  if (fraction.length > decimals) return { ok: false, error: `At most ${decimals} digits after the point` };
  const value = BigInt(whole || "0") * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, "0") || "0");
  return { ok: true, value };
}

/** Basis points as a percentage: 250 → "2.5%". */
export function formatBps(bps: bigint | number): string {
  return `${formatUnits(BigInt(bps), 2, 2)}%`;
}

/** Seconds as "2d 3h 4m" (or "4m 5s" under an hour); "now" at zero or below. */
export function formatDuration(seconds: number): string {
  if (seconds <= 0) return "now";
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  if (d > 0) return `${d}d ${h}h ${m}m`;
  if (h > 0) return `${h}h ${m}m`;
  return `${m}m ${s}s`;
}

/** 0x1234…abcd */
export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

const money = new Map<string, Intl.NumberFormat>();

/**
 * An exact decimal money string, grouped and with its currency's sign, never through floating point (Intl formats
 * the decimal string itself): "2568.00", "USD" → "$2,568.00"; "1970" → "$1,970.00".
 */
export function formatMoney(amount: string, currency = "USD"): string {
  let format = money.get(currency);
  if (!format) {
    format = new Intl.NumberFormat(LOCALE, { style: "currency", currency, currencyDisplay: "narrowSymbol" });
    money.set(currency, format);
  }
  return format.format(amount as Intl.StringNumericLiteral);
}

/**
 * What `amount` of a token (its `decimals`) is worth at a USD price feed's `answer` (with `feedDecimals`), to the
 * cent (rounded down): 1,500 TRVL at 0.05 → "$75.00".
 */
export function formatUsdValue(amount: bigint, decimals: number, answer: bigint, feedDecimals: number): string {
  const cents = (amount * answer * 100n) / 10n ** BigInt(decimals + feedDecimals);
  return formatMoney(formatUnits(cents, 2, 2).replace(/,/g, ""));
}

const DAY = new Intl.DateTimeFormat(LOCALE, {
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});
const DATE_TIME = new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium", timeStyle: "short" });

/** A calendar day as the API sends it ("2030-04-02", no time zone): "Tue, Apr 2, 2030". */
export function formatDay(day: string): string {
  return DAY.format(new Date(`${day.slice(0, 10)}T00:00:00Z`));
}

/** A moment (ISO string, Date or Unix seconds) in the viewer's time zone: "Mar 4, 2030, 10:00 AM". */
export function formatDateTime(moment: string | Date | number): string {
  return DATE_TIME.format(typeof moment === "number" ? new Date(moment * 1000) : new Date(moment));
}

/** A day's time of an item, "HH:MM" as the plan gives it, read as is (it is the destination's local time). */
export function formatTime(hhmm: string): string {
  const [h, m] = hhmm.split(":").map(Number);
  return new Intl.DateTimeFormat(LOCALE, { hour: "numeric", minute: "2-digit", timeZone: "UTC" }).format(
    new Date(Date.UTC(2000, 0, 1, h, m)),
  );
}

/**
 * When a booked item happens, from the API's day and local start/end ("2030-04-02T22:00", the destination's wall
 * time, shown as is): "Tue, Apr 2, 2030, 10:00 PM – 1:30 AM", the end's day named when it is another day.
 */
export function formatItemWhen(item: { date: string | null; startsAt: string | null; endsAt: string | null }): string {
  const day = item.startsAt?.slice(0, 10) ?? item.date;
  if (!day) return "";
  if (!item.startsAt) return formatDay(day);
  const start = `${formatDay(day)}, ${formatTime(item.startsAt.slice(11, 16))}`;
  if (!item.endsAt) return start;
  const endDay = item.endsAt.slice(0, 10);
  const end = formatTime(item.endsAt.slice(11, 16));
  return `${start} – ${endDay === day ? end : `${formatDay(endDay)}, ${end}`}`;
}
