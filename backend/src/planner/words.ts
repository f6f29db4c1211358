/** Vocabulary of trip requests: numbers in words, months, weekdays, interests, currencies. */

export const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
] as const;
const MONTH_ALIASES: Record<string, number> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  sept: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};
export function monthIndex(word: string): number | undefined {
  const index = MONTHS.indexOf(word as (typeof MONTHS)[number]);
  return index >= 0 ? index : MONTH_ALIASES[word];
}
export const MONTH_PATTERN = `(?:${[...MONTHS, ...Object.keys(MONTH_ALIASES)].join("|")})`;

export const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"] as const;

const UNITS: Record<string, number> = {
  zero: 0,
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const ORDINALS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
  eleventh: 11,
  twelfth: 12,
  thirteenth: 13,
  fourteenth: 14,
  fifteenth: 15,
  sixteenth: 16,
  seventeenth: 17,
  eighteenth: 18,
  nineteenth: 19,
  twentieth: 20,
  thirtieth: 30,
};

/**
 * Rewrites numbers in words as digits ("fifteen hundred" → "1500", "twenty first" → "21st", "two thousand five
 * hundred" → "2500"), so the rest of the parser only deals with digits. "a"/"an" are left alone.
 */
export function wordsToDigits(text: string): string {
  const tokens = text.split(" ");
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i];
    if (!(word in UNITS) || word === "a" || word === "an") {
      if (word in ORDINALS) out.push(`${ORDINALS[word]}${ordinalSuffix(ORDINALS[word])}`);
      else out.push(word);
      continue;
    }
    let total = 0;
    let current = 0;
    let j = i;
    let ordinal = false;
    for (; j < tokens.length; j++) {
      const t = tokens[j];
      if (t in UNITS && t !== "a" && t !== "an") {
        const v = UNITS[t];
        // "twenty one", "two hundred five", "two thousand ten": each number word adds to a place still empty.
        const fits =
          j === i ||
          (current % 100 === 0 && (current > 0 || total > 0)) ||
          (current % 100 >= 20 && current % 10 === 0 && v < 10);
        if (!fits) break;
        current += v;
      } else if (t === "hundred") current = (current || 1) * 100;
      else if (t === "thousand") {
        total += (current || 1) * 1000;
        current = 0;
      } else if (t in ORDINALS && current >= 20 && current % 10 === 0) {
        current += ORDINALS[t];
        ordinal = true;
        j++;
        break;
      } else if (t === "and" && j + 1 < tokens.length && tokens[j + 1] in UNITS && current >= 100) continue;
      else break;
    }
    const value = total + current;
    out.push(ordinal ? `${value}${ordinalSuffix(value)}` : String(value));
    i = j - 1;
  }
  return out.join(" ");
}

function ordinalSuffix(n: number): string {
  if (n % 100 >= 11 && n % 100 <= 13) return "th";
  return ["th", "st", "nd", "rd"][n % 10] ?? "th";
}

/**
 * Broad interest → the words that express it, keyed by catalog activity category (the recommendations' reading of a
 * saved profile). The planner's own, finer vocabulary is planner/interests.ts.
 */
export const INTERESTS: Record<string, string[]> = {
  food: [
    "food",
    "foodie",
    "eat",
    "eating",
    "cuisine",
    "culinary",
    "cooking",
    "tasting",
    "wine",
    "gastronomy",
    "restaurants",
  ],
  culture: ["culture", "cultural", "museum", "museums", "art", "arts", "gallery", "galleries", "history", "historic"],
  outdoors: ["outdoors", "outdoor", "hiking", "hike", "hikes", "nature", "cycling", "bike", "biking", "active"],
  nightlife: ["nightlife", "party", "partying", "bars", "clubbing", "music", "nights out"],
  sightseeing: ["sightseeing", "sights", "views", "cruise", "boat", "landmarks"],
  tour: ["walking tour", "walking tours", "guided", "photography", "photo", "photos"],
  "day trip": ["day trip", "day trips", "excursion", "excursions", "countryside"],
  beach: ["beach", "beaches", "swimming", "surfing", "surf", "seaside"],
  shopping: ["shopping", "shops", "markets"],
  wellness: ["spa", "wellness", "relax", "relaxing"],
};

export const DIETARY_WORDS: Record<string, string[]> = {
  vegetarian: ["vegetarian", "veggie"],
  vegan: ["vegan", "plant based"],
  "gluten-free": ["gluten free", "gluten-free", "celiac", "coeliac"],
  halal: ["halal"],
  kosher: ["kosher"],
  "dairy-free": ["dairy free", "dairy-free", "lactose"],
};

export const CUISINE_WORDS: Record<string, string[]> = {
  italian: ["italian", "pizza", "pasta"],
  japanese: ["japanese", "sushi", "ramen"],
  indian: ["indian", "curry"],
  mexican: ["mexican", "tacos"],
  thai: ["thai"],
  french: ["french"],
  korean: ["korean"],
  seafood: ["seafood", "fish"],
  "spanish tapas": ["tapas", "spanish"],
  vietnamese: ["vietnamese", "pho"],
  lebanese: ["lebanese"],
  peruvian: ["peruvian", "ceviche"],
};

export const AMENITY_WORDS: Record<string, string[]> = {
  pool: ["pool", "swimming pool"],
  spa: ["spa"],
  gym: ["gym", "fitness"],
  breakfast: ["breakfast"],
  parking: ["parking", "car park"],
  "airport shuttle": ["airport shuttle", "shuttle"],
  "rooftop bar": ["rooftop"],
};

/** Currency words and symbols; US dollars per unit are indicative reference rates (bookings are priced in USD). */
export const CURRENCY_WORDS: Record<string, string[]> = {
  USD: ["$", "us$", "usd", "dollar", "dollars", "bucks"],
  EUR: ["€", "eur", "euro", "euros"],
  GBP: ["£", "gbp", "pound", "pounds", "quid"],
  JPY: ["¥", "jpy", "yen"],
  CHF: ["chf", "swiss franc", "swiss francs", "francs"],
  CAD: ["c$", "cad", "canadian dollars"],
  AUD: ["a$", "aud", "australian dollars"],
};
/** Micro-dollars per unit of each currency (reference rates, stated as approximate to the traveller). */
export const USD_MICROS: Record<string, bigint> = {
  USD: 1_000_000n,
  EUR: 1_080_000n,
  GBP: 1_270_000n,
  JPY: 6_700n,
  CHF: 1_120_000n,
  CAD: 730_000n,
  AUD: 650_000n,
};

/** Words that happen to be city names but nearly always mean something else in a trip request. */
export const COMMON_WORDS = new Set([
  "a",
  "about",
  "and",
  "april",
  "august",
  "bath",
  "beach",
  "best",
  "buffalo",
  "city",
  "day",
  "days",
  "december",
  "february",
  "food",
  "for",
  "friday",
  "independence",
  "january",
  "july",
  "june",
  "male",
  "man",
  "march",
  "may",
  "mobile",
  "monday",
  "most",
  "nice",
  "night",
  "norman",
  "november",
  "october",
  "of",
  "orange",
  "reading",
  "sale",
  "saturday",
  "september",
  "split",
  "sunday",
  "surprise",
  "the",
  "thursday",
  "tours",
  "trip",
  "tuesday",
  "union",
  "wednesday",
  "weekend",
  "week",
]);

/** Places nobody can book a trip to. */
export const IMPOSSIBLE_PLACES = [
  "the moon",
  "moon",
  "mars",
  "jupiter",
  "venus",
  "outer space",
  "space",
  "atlantis",
  "narnia",
  "mordor",
  "hogwarts",
  "middle earth",
  "the sun",
];
