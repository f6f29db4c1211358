/**
 * The offline planner's reader: destination, dates or length, budget and currency, travellers, interests and
 * constraints out of a request in plain English. Deterministic: the same text and "today" give the same request.
 */
import { addDays, addMonths, formatDay, nightsBetween, parseDay } from "../catalog/dates.js";
import { foldName, gazetteerOf } from "../catalog/gazetteer.js";
import type { Region } from "../catalog/climate.js";
import type { Destination } from "../catalog/geodata.js";
import type { Catalog } from "../catalog/service.js";
import { asksForIdeas, climateWishOf, regionOf, type ClimateWish } from "./wishes.js";
import { capitalWords, placeAt } from "./places.js";
import { findInterests, INTEREST_WORDS } from "./interests.js";
import type { Currency, Pace } from "./types.js";
import {
  AMENITY_WORDS,
  COMMON_WORDS,
  CUISINE_WORDS,
  CURRENCY_WORDS,
  DIETARY_WORDS,
  IMPOSSIBLE_PLACES,
  MONTH_PATTERN,
  MONTHS,
  monthIndex,
  USD_MICROS,
  WEEKDAYS,
  wordsToDigits,
} from "./words.js";

export interface Budget {
  /** In hundredths of the currency's unit. */
  amountMinor: bigint;
  currency: Currency;
  perPerson: boolean;
  perDay: boolean;
  /** No currency was said: US dollars were assumed (and the plan says so). */
  currencyAssumed?: boolean;
}

export interface TripRequest {
  destination?: Destination;
  /** The destination was a country: its largest city was taken. */
  destinationFromCountry?: string;
  /** A place named that the catalog does not have. */
  unknownPlace?: string;
  /** Destinations whose names are close to the unknown place's (the gazetteer's near misses). */
  placeSuggestions?: Destination[];
  /** A misspelt name read as `destination` ("Barcelonna"). */
  placeCorrection?: string;
  /** The destination's name is shared by places of similar size: the traveller must choose one of these. */
  placeChoices?: Destination[];
  /** More than one destination named (the planner plans one city at a time). */
  otherDestinations: Destination[];
  impossiblePlace?: string;
  origin?: Destination;
  checkIn?: string;
  checkOut?: string;
  nights?: number;
  /** Dates were given but cannot be used (in the past, not a date, end before start…). */
  dateProblem?: string;
  /** Where the dates came from, said back to the traveller when they were assumed. */
  dateAssumption?: string;
  /** A weekend: the stay starts on a Friday. */
  startsFriday?: boolean;
  /** A length said alongside explicit dates that disagrees with them (the dates win). */
  lengthConflict?: string;
  guests?: number;
  guestProblem?: string;
  budget?: Budget;
  budgetProblem?: string;
  style?: "budget" | "comfort" | "luxury";
  pace?: Pace;
  /** For a request without a destination: the weather, the part of the world, or simply "surprise me". */
  climate?: ClimateWish;
  region?: Region;
  surprise?: boolean;
  /** Interests in the order said (keys of planner/interests.ts), and those ruled out ("no museums"). */
  interests: string[];
  avoided: string[];
  dietary: string[];
  cuisines: string[];
  amenities: string[];
  minStars?: number;
}

const DAY_MS = 86_400_000;

interface DestinationIndex {
  byName: Map<string, Destination>;
  byCountry: Map<string, Destination>;
  longest: number;
}

const indexes = new WeakMap<Catalog, DestinationIndex>();

export function fold(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
}

/** Name → largest destination of that name; country name → its largest destination. Built once per catalog. */
export function destinationIndex(catalog: Catalog): DestinationIndex {
  let index = indexes.get(catalog);
  if (index) return index;
  const byName = new Map<string, Destination>();
  const byCountry = new Map<string, Destination>();
  let longest = 1;
  for (const destination of catalog.destinations) {
    const name = fold(destination.name)
      .replace(/[^a-z0-9]+/g, " ")
      .trim();
    if (name && !byName.has(name)) byName.set(name, destination);
    longest = Math.max(longest, name.split(" ").length);
    const country = fold(destination.countryName)
      .replace(/[^a-z0-9]+/g, " ")
      .trim();
    if (country && !byCountry.has(country)) byCountry.set(country, destination);
  }
  index = { byName, byCountry, longest: Math.min(longest, 4) };
  indexes.set(catalog, index);
  return index;
}

const PLACE_PREPOSITIONS = new Set(["to", "in", "visit", "visiting", "around", "explore", "exploring", "see", "at"]);

interface PlaceMatch {
  destination: Destination;
  start: number;
  end: number;
  score: number;
  country?: string;
  choices?: Destination[];
}

function findPlaces(
  catalog: Catalog,
  original: string,
  words: string[],
): { places: PlaceMatch[]; origin?: Destination; unknown?: string } {
  const index = destinationIndex(catalog);
  const places = gazetteerOf(catalog);
  const capitals = capitalWords(original);
  const capitalised = new Set(
    (original.match(/[A-Za-zÀ-ÿ][\wÀ-ÿ'-]*/g) ?? []).filter((w) => /^[A-ZÀ-Þ]/.test(w)).map((w) => fold(w)),
  );
  const matches: PlaceMatch[] = [];
  let origin: Destination | undefined;
  for (let i = 0; i < words.length; i++) {
    for (let n = Math.min(places.longest, words.length - i); n >= 1; n--) {
      const phrase = words.slice(i, i + n).join(" ");
      const country = index.byCountry.get(phrase);
      const named = placeAt(places, phrase, words.slice(i + n), capitals);
      // A country's name wins over a city's other names ("Mexico"), not over its own ("Singapore").
      const city =
        country && !named.destinations.some((d) => foldName(d.name) === foldName(phrase))
          ? undefined
          : named.destinations[0];
      const destination = city ?? country;
      if (!destination) continue;
      const before = words[i - 1];
      const preposition = PLACE_PREPOSITIONS.has(before ?? "");
      const common = n === 1 && (COMMON_WORDS.has(phrase) || monthIndex(phrase) !== undefined || /^\d/.test(phrase));
      const shown = capitalised.has(words[i]);
      if (common && !preposition) continue;
      if (!preposition && !shown && n === 1 && phrase.length < 4) continue;
      if (before === "from") {
        origin ??= destination;
        i += n - 1;
        break;
      }
      matches.push({
        destination,
        start: i,
        end: i + n,
        score: (preposition ? 2 : 0) + (shown ? 1 : 0) + n,
        country: city ? undefined : destination.countryName,
        choices: city && named.ambiguous ? named.destinations : undefined,
      });
      i += n - 1 + (city ? named.qualifierWords : 0);
      break;
    }
  }
  let unknown: string | undefined;
  if (matches.length === 0) {
    // "a trip to Wakanda", "five days in Sevlle": a word after a place preposition ("in" only before a capital)
    // that is none of the words the parser knows, with the capitalised words after it ("San Fransisco").
    for (let i = 0; i < words.length - 1; i++) {
      if (!["to", "visit", "visiting", "in"].includes(words[i])) continue;
      const next = words[i + 1];
      if (words[i] === "in" && !capitalised.has(next)) continue;
      if (KNOWN_WORDS.has(next) || /^\d/.test(next) || monthIndex(next) !== undefined) continue;
      const run = [next];
      for (let k = i + 2; k < words.length && run.length < 3 && capitalised.has(words[k]); k++) {
        if (KNOWN_WORDS.has(words[k])) break;
        run.push(words[k]);
      }
      unknown = run.join(" ");
      break;
    }
  }
  return { places: matches, origin, unknown };
}

const KNOWN_WORDS = new Set([
  ...COMMON_WORDS,
  "somewhere",
  "anywhere",
  "go",
  "get",
  "europe",
  "asia",
  "africa",
  "america",
  "travel",
  "book",
  "plan",
  "me",
  "my",
  "us",
  "our",
  "see",
  "visit",
  "warm",
  "sunny",
  "relax",
  "stay",
  "eat",
  "explore",
  "spend",
  "be",
  "have",
  "do",
  "take",
  "fly",
  "from",
  "with",
  "on",
  "at",
  "this",
  "next",
  "tomorrow",
  "today",
  "mountains",
  "sea",
  "countryside",
  ...INTEREST_WORDS,
]);

function has(text: string, phrase: string): boolean {
  if (/^[^a-z0-9]/.test(phrase)) return text.includes(phrase);
  return new RegExp(`(?:^|[^a-z0-9])${phrase.replace(/[$.*+?()[\]{}|\\^]/g, "\\$&")}(?:$|[^a-z0-9])`).test(text);
}

function pickAll(text: string, table: Record<string, string[]>): string[] {
  return Object.entries(table)
    .filter(([, phrases]) => phrases.some((phrase) => has(text, phrase)))
    .map(([key]) => key);
}

// ---------------------------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------------------------

function ymd(year: number, month: number, day: number): string | undefined {
  const time = Date.UTC(year, month, day);
  const date = new Date(time);
  if (date.getUTCMonth() !== month || date.getUTCDate() !== day) return undefined;
  return formatDay(time);
}

/** The last day of a month (month 0-11; December + 1 is next January). */
function monthEnd(year: number, month: number): string {
  return formatDay(Date.UTC(year, month + 1, 0));
}

/** The next date (today or later) with this month and day (29 February: the next leap year's); the year when given. */
function resolveDay(today: string, month: number, day: number, year?: number): string | undefined {
  if (year !== undefined) return ymd(year, month, day);
  const thisYear = Number(today.slice(0, 4));
  let first: string | undefined;
  for (let y = thisYear; y <= thisYear + 8; y++) {
    const candidate = ymd(y, month, day);
    first ??= candidate;
    if (candidate && candidate >= today) return candidate;
  }
  return first;
}

/** The next occurrence (today or later) of day-of-month `day`, in this month or the next. */
function resolveDayOfMonth(today: string, day: number): string | undefined {
  const [y, m] = [Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 1];
  for (let k = 0; k < 3; k++) {
    const month = (m + k) % 12;
    const year = y + Math.floor((m + k) / 12);
    const candidate = ymd(year, month, day);
    if (candidate && candidate >= today) return candidate;
  }
  return undefined;
}

function nextWeekday(from: string, weekday: number, strictlyAfter = false): string {
  let day = strictlyAfter ? addDays(from, 1) : from;
  while (new Date(parseDay(day)).getUTCDay() !== weekday) day = addDays(day, 1);
  return day;
}

interface DateFacts {
  checkIn?: string;
  checkOut?: string;
  nights?: number;
  /** The length was said in days ("5 days") or nights: said back when the dates disagree. */
  days?: number;
  saidNights?: number;
  month?: number;
  monthYear?: number;
  startsFriday?: boolean;
  problem?: string;
  assumption?: string;
}

const ORD = "(?:st|nd|rd|th)?";

/**
 * The trip's length, one rule everywhere (docs/planner.md): "N days" are N day cards from arrival to departure
 * (N − 1 nights); "N nights" are N nights (N + 1 days); a week is 7 nights; a weekend is Friday to Sunday (2 nights),
 * a long weekend Friday to Monday (3 nights). A one-day trip still needs a bed: one night, the morning after.
 */
function parseLength(text: string, facts: DateFacts) {
  const length = text.match(
    /(?<!\bin )(?<!\bwithin )\b(\d+)\s*(?:-|\s)?(days?|nights?|weeks?)\b(?!\s+(?:from now|later|away|ago))/,
  );
  if (length) {
    const n = Number(length[1]);
    if (length[2].startsWith("week")) facts.nights = n * 7;
    else if (length[2].startsWith("night")) facts.nights = facts.saidNights = n;
    else {
      facts.days = n;
      facts.nights = n === 0 ? 0 : Math.max(1, n - 1);
    }
  } else if (/\b(?:a|one) fortnight\b|\bfortnight\b/.test(text)) facts.nights = 14;
  else if (/\ba week\b|\bweek long\b|\bweeklong\b/.test(text)) facts.nights = 7;
  else if (/\blong weekend\b/.test(text)) {
    facts.nights = 3;
    facts.startsFriday = true;
  } else if (/\bweekend\b/.test(text)) {
    facts.nights = 2;
    facts.startsFriday = true;
  } else if (/\ba couple (?:of )?days\b/.test(text)) facts.nights = 1;
  else if (/\ba few days\b/.test(text)) facts.nights = 2;
  else if (/\bday trip\b(?! from)|\bovernight\b/.test(text) && !/\bday trips\b/.test(text)) facts.nights = 1;
}

function parseDates(text: string, today: string): DateFacts {
  const facts: DateFacts = {};
  parseLength(text, facts);

  if (/\b(?:yesterday|last (?:week|weekend|month|year|summer|winter|spring|autumn|fall)|ago)\b/.test(text)) {
    facts.problem = "those dates are in the past";
    return facts;
  }

  const years = [...text.matchAll(/\b(?:in|of) (\d{4})\b/g)].map((m) => Number(m[1]));
  if (years.some((y) => y < Number(today.slice(0, 4)))) {
    facts.problem = "those dates are in the past";
    return facts;
  }

  const iso = [...text.matchAll(/\b(\d{4}) ?- ?(\d{2}) ?- ?(\d{2})\b/g)].map((m) =>
    ymd(Number(m[1]), Number(m[2]) - 1, Number(m[3])),
  );
  if (iso.length > 0) {
    if (iso.some((d) => d === undefined)) {
      facts.problem = "one of those dates does not exist";
      return facts;
    }
    facts.checkIn = iso[0];
    if (iso[1]) facts.checkOut = iso[1];
    return facts;
  }

  const M = MONTH_PATTERN;
  const year = "(?:\\s*,?\\s*(\\d{4}))?";
  // Ranges: "from the 4th to the 9th", "june 4 to 9", "4-9 june", "between 10 and 14 july", "june 4 to july 2".
  const range = new RegExp(
    `(?:(from|between)\\s+)?(?:the\\s+)?(?:(${M})\\s+)?(\\d{1,2})(${ORD})(?:\\s+(?:of\\s+)?(${M}))?\\s*(?:to|until|till|through|-|–|and)\\s*(?:the\\s+)?(?:(${M})\\s+)?(\\d{1,2})(${ORD})(?:\\s+(?:of\\s+)?(${M}))?${year}(?!\\s*(?:days?|nights?|weeks?|people|persons|adults|guests|travell?ers|friends|kids|children|\\d))`,
  );
  const r = text.match(range);
  if (r) {
    const [, lead, m1a, d1, o1, m1b, m2a, d2, o2, m2b, y] = r;
    const month1 = m1a ?? m1b;
    const month2 = m2a ?? m2b;
    if (lead || month1 || month2 || o1 || o2) {
      const startMonth = monthIndex(month1 ?? month2 ?? "");
      const endMonth = monthIndex(month2 ?? month1 ?? "");
      const yearNumber = y ? Number(y) : undefined;
      const start =
        startMonth !== undefined
          ? resolveDay(today, startMonth, Number(d1), yearNumber)
          : resolveDayOfMonth(today, Number(d1));
      if (!start) {
        facts.problem = "that start date does not exist";
        return facts;
      }
      let end: string | undefined;
      if (endMonth !== undefined) {
        const startYear = Number(start.slice(0, 4));
        end = ymd(startYear, endMonth, Number(d2));
        if (end && end < start) end = ymd(startYear + 1, endMonth, Number(d2));
      } else {
        const startDate = new Date(parseDay(start));
        end = ymd(startDate.getUTCFullYear(), startDate.getUTCMonth(), Number(d2));
        if (end && end <= start) end = ymd(startDate.getUTCFullYear(), startDate.getUTCMonth() + 1, Number(d2));
      }
      if (!end) {
        facts.problem = "that end date does not exist";
        return facts;
      }
      facts.checkIn = start;
      facts.checkOut = end;
      if (yearNumber !== undefined && start < today) facts.problem = "those dates are in the past";
      return facts;
    }
  }

  // A single day: "on june 4", "june 4th 2031", "the 4th of june", "starting the 12th", "4 june".
  const single =
    text.match(new RegExp(`\\b(${M})\\s+(\\d{1,2})${ORD}\\b${year}`)) ??
    text.match(new RegExp(`\\b(?:the\\s+)?(\\d{1,2})${ORD}\\s+(?:of\\s+)?(${M})\\b${year}`));
  if (single) {
    const monthFirst = monthIndex(single[1]) !== undefined;
    const month = monthIndex(monthFirst ? single[1] : single[2])!;
    const day = Number(monthFirst ? single[2] : single[1]);
    const y = single[3] ? Number(single[3]) : undefined;
    const start = resolveDay(today, month, day, y);
    if (!start) facts.problem = `${MONTHS[month]} ${day} is not a date`;
    else if (start < today) facts.problem = "those dates are in the past";
    else facts.checkIn = start;
    return facts;
  }
  const dayOfMonth = text.match(
    new RegExp(`\\b(?:on|from|starting|start|arriving)\\s+(?:on\\s+)?the\\s+(\\d{1,2})(?:st|nd|rd|th)\\b`),
  );
  if (dayOfMonth) {
    const start = resolveDayOfMonth(today, Number(dayOfMonth[1]));
    if (!start) facts.problem = "that day does not exist in the coming months";
    else facts.checkIn = start;
    return facts;
  }

  // Relative days.
  if (/\btomorrow\b/.test(text)) facts.checkIn = addDays(today, 1);
  else if (/\btoday\b|\btonight\b/.test(text)) facts.checkIn = today;
  else if (/\b(?:this|next) (?:long )?weekend\b/.test(text)) {
    const friday = nextWeekday(today, 5);
    facts.checkIn = /\bnext (?:long )?weekend\b/.test(text) ? addDays(friday, 7) : friday;
    facts.startsFriday = true;
    facts.nights ??= 2;
  } else if (/\bnext week\b/.test(text)) facts.checkIn = nextWeekday(today, 1, true);
  else if (/\bnext month\b/.test(text)) {
    const d = new Date(parseDay(today));
    facts.checkIn = formatDay(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
  } else {
    const inN = text.match(/\bin (\d+) (days?|weeks?|months?)\b/);
    const weekday = text.match(/\b(?:on |next |this )?(sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b/);
    if (inN) {
      const n = Number(inN[1]);
      if (inN[2].startsWith("day")) facts.checkIn = addDays(today, n);
      else if (inN[2].startsWith("week")) facts.checkIn = addDays(today, 7 * n);
      else facts.checkIn = addMonths(today, n);
    } else if (weekday) {
      facts.checkIn = nextWeekday(today, WEEKDAYS.indexOf(weekday[1] as (typeof WEEKDAYS)[number]), true);
    }
  }
  if (facts.checkIn) return facts;

  // A month: "in may", "in june 2031", "this summer".
  const month = text.match(
    new RegExp(`\\b(?:in|during|for|this|next|early|mid|late)\\s+(?:early\\s+|mid\\s+|late\\s+)?(${M})\\b${year}`),
  );
  const seasons: Record<string, number> = { spring: 3, summer: 6, autumn: 9, fall: 9, winter: 11 };
  const season = text.match(/\b(?:this|next|in (?:the )?)\s*(spring|summer|autumn|fall|winter)\b/);
  const monthNumber = month ? monthIndex(month[1]) : season ? seasons[season[1]] : undefined;
  if (monthNumber !== undefined) {
    const y = month?.[2] ? Number(month[2]) : undefined;
    const thisYear = Number(today.slice(0, 4));
    let first = ymd(y ?? thisYear, monthNumber, 1)!;
    const last = monthEnd(y ?? thisYear, monthNumber);
    if (y === undefined && last < addDays(today, 1)) first = ymd(thisYear + 1, monthNumber, 1)!;
    if (y !== undefined && last < today) {
      facts.problem = "those dates are in the past";
      return facts;
    }
    let start = first < addDays(today, 1) ? addDays(today, 1) : first;
    if (/\bmid\b/.test(text)) start = addDays(first, 14);
    if (/\blate\b/.test(text)) start = addDays(first, 21);
    if (facts.startsFriday) start = nextWeekday(start, 5);
    facts.checkIn = start;
    facts.assumption = `starting ${describeDay(start)}, the first ${facts.startsFriday ? "Friday" : "day"} I could take in ${MONTHS[monthNumber][0].toUpperCase()}${MONTHS[monthNumber].slice(1)}`;
  }
  return facts;
}

export function describeDay(day: string): string {
  return new Date(parseDay(day)).toLocaleDateString("en-GB", {
    weekday: "long",
    day: "numeric",
    month: "long",
    timeZone: "UTC",
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Travellers and budget
// ---------------------------------------------------------------------------------------------------------------

function parseGuests(text: string): { guests?: number; problem?: string } {
  const adultsKids = text.match(
    /\b(\d+) adults? and (\d+) (?:kids?|children|child|teens?|teenagers?|babies|infants?)\b/,
  );
  if (adultsKids) return { guests: Number(adultsKids[1]) + Number(adultsKids[2]) };
  const explicit =
    text.match(/\b(\d+)\s+(?:people|persons|person|travell?ers|adults|guests|friends|of us|pax)\b/) ??
    text.match(/\b(?:family|group|party) of (\d+)\b/) ??
    text.match(
      /\bfor (\d+)(?!\s*(?:days?|nights?|weeks?|months?|\d|[.,]\d|k\b|%|usd|eur|gbp|dollars|euros|pounds|yen|st|nd|rd|th))\b/,
    );
  let guests = explicit ? Number(explicit[1]) : undefined;
  const withFriends = text.match(/\bwith (?:my )?(\d+) (?:friends|colleagues|kids|children|mates)\b/);
  if (withFriends) guests = Number(withFriends[1]) + 1;
  if (guests === undefined) {
    if (/\b(?:solo|alone|by myself|just me|on my own)\b/.test(text)) guests = 1;
    else if (
      /\b(?:couple|honeymoon|romantic|anniversary|my (?:wife|husband|partner|girlfriend|boyfriend|fiancee?)|the two of us|both of us)\b/.test(
        text,
      )
    )
      guests = 2;
  }
  if (guests === undefined) return {};
  if (guests < 1) return { problem: "a trip needs at least one traveller" };
  if (guests > 9) return { guests, problem: `bookings take at most 9 travellers, and you asked for ${guests}` };
  return { guests };
}

const CURRENCY_ORDER: Currency[] = ["CAD", "AUD", "CHF", "USD", "EUR", "GBP", "JPY"];

function currencyOf(fragment: string): Currency | undefined {
  for (const currency of CURRENCY_ORDER) {
    if (CURRENCY_WORDS[currency].some((word) => has(fragment, word))) return currency;
  }
  return undefined;
}

/** Words after a number that multiply it: "2.5k", "10 million", "1bn". */
const MULTIPLIERS: Record<string, bigint> = {
  k: 1_000n,
  thousand: 1_000n,
  grand: 1_000n,
  m: 1_000_000n,
  mn: 1_000_000n,
  million: 1_000_000n,
  millions: 1_000_000n,
  bn: 1_000_000_000n,
  billion: 1_000_000_000n,
};
const AMOUNT = `(\\d+(?:\\.\\d+)?)\\s*(${Object.keys(MULTIPLIERS).join("|")})?\\b`;
const SYMBOLS = "(us\\$|c\\$|a\\$|\\$|€|£|¥)";
const CODES = "(usd|eur|gbp|jpy|chf|cad|aud)";
const CURRENCY_AFTER =
  "(usd|eur|gbp|jpy|chf|cad|aud|dollars?|bucks|euros?|pounds?|quid|yen|swiss francs?|francs|canadian dollars|australian dollars)";

/** "2.5" × 1,000 in hundredths, exactly (integer arithmetic at any size; beyond a hundredth is dropped). */
export function toMinor(digits: string, multiplier = 1n): bigint {
  const [whole, fraction = ""] = digits.split(".");
  return (BigInt(whole + fraction) * multiplier * 100n) / 10n ** BigInt(fraction.length);
}

/**
 * The budget: an amount of any size ("$10,000,000", "10 million dollars", "€2.5k", "under 900"), its currency
 * (US dollars when none is said, and the plan says so), and whether it is per person or per day (else the total).
 */
function parseBudget(text: string): { budget?: Budget; problem?: string } {
  const before =
    text.match(new RegExp(`${SYMBOLS}\\s*${AMOUNT}`)) ?? text.match(new RegExp(`\\b${CODES}\\s*${AMOUNT}`));
  const after = text.match(new RegExp(`\\b${AMOUNT}\\s*${CURRENCY_AFTER}\\b`));
  const keyword = text.match(
    new RegExp(
      `\\b(?:budget(?: of| is)?|under|below|less than|max(?:imum)?|at most|up to|no more than|spend(?:ing)?)\\s*:?\\s*${AMOUNT}(?!\\s*(?:days?|nights?|weeks?|people|persons|adults|guests|travell?ers|friends|kids|children|star))`,
    ),
  );
  let found: { digits: string; multiplier?: string; currency?: Currency; at: number } | undefined;
  if (before) {
    found = {
      digits: before[2],
      multiplier: before[3],
      currency: currencyOf(before[1]),
      at: before.index! + before[0].length,
    };
  } else if (after) {
    found = {
      digits: after[1],
      multiplier: after[2],
      currency: currencyOf(after[3]),
      at: after.index! + after[0].length,
    };
  } else if (keyword) {
    found = { digits: keyword[1], multiplier: keyword[2], at: keyword.index! + keyword[0].length };
  }
  if (!found) return {};
  const amountMinor = toMinor(found.digits, MULTIPLIERS[found.multiplier ?? ""] ?? 1n);
  if (amountMinor <= 0n) return { problem: "the budget must be more than zero" };
  const tail = text.slice(found.at, found.at + 32);
  const currencyAfter = found.currency ? undefined : tail.match(new RegExp(`^\\s*${CURRENCY_AFTER}\\b`));
  const currency = found.currency ?? (currencyAfter ? currencyOf(currencyAfter[1]) : undefined);
  const rest = currencyAfter ? tail.slice(currencyAfter[0].length) : tail;
  return {
    budget: {
      amountMinor,
      currency: currency ?? "USD",
      currencyAssumed: currency === undefined,
      perPerson: /^\s*(?:budget\s+)?(?:per person|a person|each|pp|per head|a head|per traveller|per traveler)\b/.test(
        rest,
      ),
      perDay: /^\s*(?:budget\s+)?(?:per day|a day|per night|a night|daily|each day)\b/.test(rest),
    },
  };
}

/** A budget amount in US cents (reference rate). */
export function toUsdCents(amountMinor: bigint, currency: Currency): bigint {
  return (amountMinor * USD_MICROS[currency]) / 1_000_000n;
}

// ---------------------------------------------------------------------------------------------------------------
// The request
// ---------------------------------------------------------------------------------------------------------------

/** Lowercase, digits for number words, punctuation as spaces (keeping currency symbols, dashes and dots in numbers). */
export function normalise(text: string): string {
  const folded = fold(text)
    .replace(/[’']/g, "")
    .replace(/(\d),(?=\d{3}(?!\d))/g, "$1")
    .replace(/[^a-z0-9$€£¥.\- ]+/g, " ")
    .replace(/(?<!\d)\.|\.(?!\d)/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return wordsToDigits(folded)
    .replace(/(\d)\s*-\s*(\d)/g, "$1 - $2")
    .replace(/\b(\d+)(st|nd|rd|th)\b/g, "$1$2");
}

export function parseRequest(catalog: Catalog, original: string, today: string): TripRequest {
  const text = normalise(original);
  const words = text.split(" ").filter((w) => w && !/^[$€£¥.-]+$/.test(w));
  const request: TripRequest = {
    otherDestinations: [],
    ...findInterests(text),
    dietary: pickAll(text, DIETARY_WORDS),
    cuisines: pickAll(text, CUISINE_WORDS),
    amenities: pickAll(text, AMENITY_WORDS),
  };

  const impossible = IMPOSSIBLE_PLACES.find((place) => new RegExp(`\\b(?:to|on|in|visit) ${place}\\b`).test(text));
  if (impossible) request.impossiblePlace = impossible;

  const { places, origin, unknown } = findPlaces(catalog, original, words);
  request.origin = origin;
  const ranked = [...places].sort((a, b) => b.score - a.score || b.destination.population - a.destination.population);
  const distinct = ranked.filter(
    (match, i) => ranked.findIndex((other) => other.destination.id === match.destination.id) === i,
  );
  if (distinct[0]) {
    request.destination = distinct[0].destination;
    request.destinationFromCountry = distinct[0].country;
    // Two strong mentions ("Lisbon and Porto"): the planner plans one city at a time.
    request.otherDestinations = distinct.slice(1).map((m) => m.destination);
    request.placeChoices = distinct[0].choices;
  } else if (unknown && !impossible && !regionOf(text)?.toLowerCase().includes(fold(unknown))) {
    const gazetteer = gazetteerOf(catalog);
    const corrected = gazetteer.correction(unknown);
    if (corrected) {
      request.destination = corrected;
      request.placeCorrection = unknown;
    } else {
      request.unknownPlace = unknown;
      request.placeSuggestions = gazetteer.similar(unknown).map((miss) => miss.destination);
    }
  }

  const dates = parseDates(text, today);
  request.dateProblem = dates.problem;
  request.dateAssumption = dates.assumption;
  request.startsFriday = dates.startsFriday;
  if (!dates.problem) {
    if (dates.checkIn && dates.checkOut) {
      request.checkIn = dates.checkIn;
      request.checkOut = dates.checkOut;
      request.nights = nightsBetween(dates.checkIn, dates.checkOut);
      if (request.nights < 1) request.dateProblem = "the trip must end after it starts";
      else if (dates.days !== undefined && dates.days !== request.nights + 1)
        request.lengthConflict = `you said ${dates.days} days, and ${describeDay(dates.checkIn)} to ${describeDay(dates.checkOut)} is ${request.nights + 1}; I planned the dates`;
      else if (dates.saidNights !== undefined && dates.saidNights !== request.nights)
        request.lengthConflict = `you said ${dates.saidNights} nights, and ${describeDay(dates.checkIn)} to ${describeDay(dates.checkOut)} is ${request.nights}; I planned the dates`;
    } else {
      request.checkIn = dates.checkIn;
      request.nights = dates.nights;
      if (dates.nights !== undefined && dates.nights < 1) request.dateProblem = "a trip needs at least one night";
      if (request.checkIn && request.nights) request.checkOut = addDays(request.checkIn, request.nights);
    }
    if (request.checkIn && request.checkIn < today) request.dateProblem = "those dates are in the past";
  }

  const { guests, problem } = parseGuests(text);
  request.guests = guests;
  request.guestProblem = problem;

  const budget = parseBudget(text);
  request.budget = budget.budget;
  request.budgetProblem = budget.problem;

  if (/\b(?:luxury|luxurious|splurge|five star|5 star|5-star|high end|upscale|fancy)\b/.test(text))
    request.style = "luxury";
  else if (
    /\b(?:cheap|cheapest|budget trip|on a budget|shoestring|backpack(?:ing|er)?|affordable|inexpensive)\b/.test(text)
  )
    request.style = "budget";
  else if (/\b(?:comfortable|mid range|midrange|comfort)\b/.test(text)) request.style = "comfort";
  const stars = text.match(/\b([2-5])\s*-?\s*star\b/);
  if (stars) request.minStars = Number(stars[1]);
  else if (request.style === "luxury") request.minStars = 4;
  request.pace = parsePace(text);
  request.climate = climateWishOf(text);
  request.region = regionOf(text);
  if (asksForIdeas(text)) request.surprise = true;
  return request;
}

// "Less packed" and "not too busy" are relaxed: the relaxed words are tried first.
const RELAXED =
  /\b(?:relaxed|relaxing pace|slow(?:er)?(?: pace)?|slow (?:it )?down|take it easy|taking it easy|laid[ -]?back|leisurely|easy ?going|unhurried|less (?:packed|busy|rushed|hectic)|not (?:so |too )?(?:packed|busy|rushed|hectic)|fewer (?:activities|things)|lighter|chill(?:ed)?)\b/;
const PACKED =
  /\b(?:packed|action packed|busy|busier|full(?:er)? days|more (?:activities|things to do)|pack (?:it|more) in|as much as (?:possible|we can)|intense|fast(?:er)?(?: paced| pace)?)\b/;
const BALANCED = /\b(?:balanced|moderate|normal|medium|regular|steady) pace\b|\bbalanced\b/;

/** How full the days should be, when the request says: "a relaxed trip", "make it more packed". */
export function parsePace(text: string): Pace | undefined {
  if (RELAXED.test(text)) return "relaxed";
  if (BALANCED.test(text)) return "balanced";
  if (PACKED.test(text)) return "packed";
  return undefined;
}

export { DAY_MS };
