/** How the planner says things: sentences that start with a capital, numbers and money formatted for the reader. */
import type { Currency } from "./types.js";

const NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

/** Small counts in words, larger ones in digits with separators ("twelve" reads worse than "12"). */
export const say = (n: number) => NUMBER_WORDS[n] ?? n.toLocaleString("en-US");

/** The count `say` wrote ("four" → 4, "1,250" → 1250). */
export const unsay = (text: string) =>
  NUMBER_WORDS.includes(text) ? NUMBER_WORDS.indexOf(text) : Number(text.replace(/,/g, ""));

export const plural = (n: number, word: string, many = `${word}s`) => `${say(n)} ${n === 1 ? word : many}`;

export const capitalise = (text: string) => (text ? text[0].toUpperCase() + text.slice(1) : text);

export const joinAnd = (words: string[]) =>
  words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;

const formats = new Map<Currency, Intl.NumberFormat>();

/** An amount in hundredths of a currency, whole units, as the reader writes it: "$10,000,000", "€2,500", "¥300,000". */
export function money(minor: bigint, currency: Currency): string {
  let format = formats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat("en-US", { style: "currency", currency, maximumFractionDigits: 0 });
    formats.set(currency, format);
  }
  // Whole units by integer division (exact at any size), rounded to the nearest.
  return format.format((minor + 50n) / 100n);
}
