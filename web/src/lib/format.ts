/**
 * Exact formatting and parsing of token amounts: bigints in, strings out, never through floating point.
 */

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

const CURRENCY_SYMBOL: Record<string, string> = {
  USD: "$",
  EUR: "€",
  GBP: "£",
  JPY: "¥",
  CHF: "CHF ",
  CAD: "CA$",
  AUD: "A$",
};

/** An exact decimal money string regrouped, never through floating point: "2568.00", "USD" → "$2,568.00". */
export function formatMoney(amount: string, currency = "USD"): string {
  const negative = amount.startsWith("-");
  const [whole, fraction] = (negative ? amount.slice(1) : amount).split(".");
  const grouped = whole.replace(/^0+(?=\d)/, "").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${CURRENCY_SYMBOL[currency] ?? `${currency} `}${grouped}${fraction ? `.${fraction}` : ""}`;
}
