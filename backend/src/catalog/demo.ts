/**
 * Demo inventory: hotels, flights, activities and restaurants generated deterministically for each destination
 * (same destination, same items, same ids and prices, every run), priced by type, city size and the country's cost
 * level. Every item says `demo: true`: it is there to exercise the product, not to travel on.
 */
import { hash } from "node:crypto";

import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

import { distanceKm, type Destination, type SizeTier } from "./geodata.js";
import type {
  BookingToConfirm,
  CancellationPolicy,
  CatalogItem,
  CatalogProvider,
  Confirmation,
  ItemType,
  SearchQuery,
  TimeOfDay,
} from "./types.js";

export const DEMO_PROVIDER = "demo";

const COUNTS: Record<ItemType, number> = { hotel: 8, flight: 6, activity: 12, restaurant: 8 };

/** Commission the platform takes, by type (typical of online travel agencies). */
export const DEMO_COMMISSION_BPS: Record<ItemType, number> = {
  hotel: 1_500,
  flight: 500,
  activity: 2_000,
  restaurant: 1_000,
};

/** Share of days on which an item of each type can be booked. */
const AVAILABILITY_PERCENT: Record<ItemType, number> = { hotel: 88, flight: 90, activity: 80, restaurant: 92 };

const SIZE_FACTOR: Record<SizeTier, number> = { town: 0.8, city: 1, metro: 1.25, megacity: 1.45 };

// Rough price levels relative to the world median (100), for the countries where they differ most.
const COST_LEVEL: Record<string, number> = {
  CH: 175,
  NO: 160,
  IS: 160,
  DK: 150,
  LU: 145,
  SG: 145,
  US: 140,
  AU: 135,
  IE: 135,
  GB: 135,
  NL: 130,
  SE: 130,
  FI: 130,
  NZ: 130,
  CA: 125,
  AT: 125,
  BE: 125,
  DE: 120,
  FR: 125,
  JP: 120,
  AE: 120,
  IL: 130,
  HK: 130,
  QA: 120,
  KR: 110,
  IT: 110,
  ES: 105,
  PT: 95,
  GR: 95,
  CZ: 90,
  SA: 100,
  KW: 105,
  TW: 95,
  CN: 80,
  PL: 80,
  HU: 80,
  CL: 80,
  BR: 75,
  MX: 75,
  AR: 70,
  TR: 65,
  RU: 70,
  ZA: 70,
  TH: 65,
  MY: 65,
  CO: 65,
  PE: 65,
  PH: 60,
  ID: 55,
  VN: 55,
  MA: 60,
  EG: 50,
  IN: 45,
  PK: 40,
  BD: 45,
  NG: 50,
  KE: 55,
  ET: 45,
  UA: 55,
  NP: 45,
  LK: 50,
  KH: 55,
  MM: 45,
};

/** The hub airports demo flights leave from: IATA code, latitude, longitude. */
export const HUBS = [
  ["JFK", 40.6398, -73.7789],
  ["LHR", 51.4706, -0.4619],
  ["CDG", 49.0128, 2.55],
  ["DXB", 25.2528, 55.3644],
  ["SIN", 1.3502, 103.994],
  ["HND", 35.5523, 139.78],
  ["FRA", 50.0264, 8.5431],
  ["AMS", 52.3086, 4.7639],
  ["LAX", 33.9425, -118.408],
  ["ATL", 33.6367, -84.4281],
  ["IST", 41.2753, 28.7519],
  ["HKG", 22.3089, 113.915],
  ["ORD", 41.9786, -87.9048],
  ["MAD", 40.4719, -3.5626],
  ["SYD", -33.9461, 151.177],
  ["GRU", -23.4356, -46.4731],
  ["JNB", -26.1392, 28.246],
  ["DEL", 28.5665, 77.1031],
  ["BKK", 13.6811, 100.747],
  ["YYZ", 43.6772, -79.6306],
  ["MEX", 19.4363, -99.0721],
  ["DOH", 25.2731, 51.6081],
  ["ICN", 37.4691, 126.451],
  ["PEK", 40.0801, 116.585],
] as const;

const AIRLINES = [
  ["Aurora Airways", "AU"],
  ["Meridian Air", "MR"],
  ["Cobalt Airlines", "CB"],
  ["Skyward", "SK"],
  ["Atlas Connect", "AC"],
  ["Horizon Pacific", "HP"],
  ["Northwind", "NW"],
  ["Sol Aéreo", "SO"],
] as const;

const HOTEL_PATTERNS = [
  "Grand {city} Hotel",
  "{city} Harbour Inn",
  "The {adj} House",
  "Hotel {adj} {city}",
  "{city} Central Suites",
  "{adj} Gardens Residence",
  "Old Town {noun} Hotel",
  "{noun} & {noun2} Boutique Hotel",
  "{city} Skyline Tower",
  "Casa {adj}",
  "The {noun} Lodge",
  "{city} Riverside Hostel",
];
const ADJECTIVES = ["Copper", "Azure", "Golden", "Silver", "Ivory", "Emerald", "Crimson", "Amber", "Velvet", "Cedar"];
const NOUNS = ["Lantern", "Compass", "Olive", "Harbour", "Willow", "Anchor", "Saffron", "Juniper", "Falcon", "Orchid"];
const NEIGHBOURHOODS = ["Old Town", "City Centre", "Waterfront", "Arts District", "University Quarter", "Station"];
const AMENITIES = ["wifi", "breakfast", "pool", "gym", "spa", "parking", "airport shuttle", "rooftop bar"];

/** Opening hours by time of day (local): an activity starts and ends inside them. */
const HOURS: Record<TimeOfDay, [opens: string, closes: string]> = {
  morning: ["08:00", "13:00"],
  day: ["09:30", "18:00"],
  afternoon: ["12:30", "19:00"],
  sunset: ["16:30", "21:30"],
  evening: ["18:00", "23:30"],
  night: ["20:30", "02:00"],
  "full day": ["08:00", "19:30"],
};

type Where = (d: Destination) => boolean;
const inCountries =
  (...codes: string[]): Where =>
  (d) =>
    codes.includes(d.country);
const atLeast =
  (size: SizeTier, where: Where = () => true): Where =>
  (d) =>
    SIZE_ORDER.indexOf(d.size) >= SIZE_ORDER.indexOf(size) && where(d);
const SIZE_ORDER: SizeTier[] = ["town", "city", "metro", "megacity"];
const named =
  (...names: string[]): Where =>
  (d) =>
    names.includes(d.name);

const TEMPLE_COUNTRIES = [
  "JP",
  "CN",
  "KR",
  "TW",
  "HK",
  "TH",
  "VN",
  "KH",
  "MM",
  "LA",
  "LK",
  "NP",
  "IN",
  "ID",
  "MY",
  "SG",
];
const MUSLIM_COUNTRIES = [
  "TR",
  "MA",
  "EG",
  "AE",
  "SA",
  "QA",
  "JO",
  "ID",
  "MY",
  "PK",
  "BD",
  "IR",
  "UZ",
  "TN",
  "DZ",
  "OM",
];
const CHRISTIAN_COUNTRIES = [
  ...["ES", "PT", "FR", "IT", "DE", "AT", "CH", "BE", "NL", "GB", "IE", "PL", "CZ", "SK", "HU", "HR", "SI", "GR"],
  ...["RO", "BG", "RS", "UA", "RU", "SE", "NO", "DK", "FI", "LT", "LV", "EE", "MT", "US", "CA", "MX", "BR", "AR"],
  ...["CL", "PE", "CO", "EC", "BO", "UY", "VE", "CU", "PH", "ET", "GE", "AM", "AU", "NZ", "ZA"],
];
const WINE_COUNTRIES = ["FR", "IT", "ES", "PT", "DE", "AT", "GR", "HU", "GE", "AR", "CL", "ZA", "AU", "NZ", "US", "SI"];
const BEER_COUNTRIES = ["DE", "CZ", "BE", "GB", "IE", "NL", "US", "PL", "AT", "DK", "JP", "CA", "AU"];
const JAZZ_COUNTRIES = [
  ...["US", "FR", "GB", "DE", "NL", "JP", "DK", "SE", "NO", "BE", "CA", "AT", "CZ", "PL", "IT", "ES", "BR", "ZA"],
  ...["AU", "CH", "IE", "FI", "PT", "HU", "AR", "KR"],
];
const OPERA_COUNTRIES = ["AT", "IT", "DE", "FR", "CZ", "HU", "GB", "US", "RU", "AU", "ES", "PL", "BE", "NL", "SE"];
const TEA_COUNTRIES = ["JP", "CN", "TW", "IN", "LK", "GB", "TR", "MA", "HK", "KR", "VN"];
const STREET_FOOD_COUNTRIES = ["TW", "TH", "VN", "MY", "SG", "HK", "CN", "KR", "JP", "ID", "PH", "KH", "IN", "MX"];
const HOT_SPRING_COUNTRIES = ["JP", "TW", "KR", "IS", "HU", "GE", "TR", "MA", "NZ", "CZ"];
const LGBTQ_COUNTRIES = ["ES", "NL", "DE", "US", "GB", "CA", "AU", "TH", "BR", "FR", "PT", "TW", "IE", "DK", "SE"];
const COMEDY_COUNTRIES = ["GB", "US", "IE", "CA", "AU", "NZ"];
const CHOCOLATE_COUNTRIES = ["BE", "CH", "FR", "AT"];
const CASTLE_COUNTRIES = [...CHRISTIAN_COUNTRIES.slice(0, 35), "JP", "IN"];
/** Cities by the sea with beaches, and those with surf, by their catalog names. */
const BEACH_CITIES = [
  ...["Barcelona", "Lisbon", "Nice", "Marseille", "Valencia", "Málaga", "Palma", "Cádiz", "San Sebastián", "Alicante"],
  ...["Naples", "Palermo", "Bari", "Genoa", "Athens", "Thessaloniki", "Split", "Tel Aviv", "Haifa", "Dubai"],
  ...["Abu Dhabi", "Doha", "Muscat", "Mumbai", "Chennai", "Colombo", "Phuket", "Pattaya", "Denpasar", "Da Nang"],
  ...["Nha Trang", "Hong Kong", "Sydney", "Melbourne", "Brisbane", "Gold Coast", "Perth", "Adelaide", "Auckland"],
  ...["Honolulu", "Los Angeles", "San Diego", "Miami", "Rio de Janeiro", "Salvador", "Fortaleza", "Recife", "Natal"],
  ...["Florianópolis", "Montevideo", "Mar del Plata", "Valparaíso", "Viña del Mar", "Lima", "Cartagena", "Havana"],
  ...["San Juan", "Cancún", "Puerto Vallarta", "Acapulco", "Cape Town", "Durban", "Mombasa", "Dar es Salaam"],
  ...["Casablanca", "Agadir", "Tangier", "Alexandria", "Tunis", "Antalya", "Izmir", "Odesa", "Sochi", "Batumi"],
  ...["Varna", "Brighton", "Busan", "Fukuoka", "Naha", "Kaohsiung", "Qingdao", "Sanya", "Xiamen", "Vancouver"],
  ...["Porto", "Bilbao", "Santander", "Las Palmas de Gran Canaria", "Santa Cruz de Tenerife", "Catania", "Cagliari"],
];
const SURF_CITIES = [
  ...["Lisbon", "San Sebastián", "Sydney", "Gold Coast", "Honolulu", "Los Angeles", "San Diego", "Cape Town"],
  ...["Durban", "Denpasar", "Porto", "Rio de Janeiro", "Florianópolis", "Lima", "Santander", "Agadir", "Biarritz"],
];
const MOUNTAIN_CITIES = [
  ...["Innsbruck", "Grenoble", "Salzburg", "Denver", "Salt Lake City", "Vancouver", "Sapporo", "Cape Town", "Granada"],
  ...["Turin", "Bern", "Zurich", "Geneva", "Lucerne", "Kathmandu", "Cusco", "La Paz", "Quito", "Medellín", "Tbilisi"],
  ...["Kyoto", "Bergen", "Bolzano", "Chiang Mai", "Almaty", "Calgary", "Boulder", "Trento", "Sofia", "Cluj-Napoca"],
];

interface ActivityTemplate {
  name: string;
  category: string;
  /** What it offers, in the planner's interest tags (planner/interests.ts). */
  tags: string[];
  minutes: number;
  price: number;
  when: TimeOfDay;
  /** Where it is plausible; everywhere when absent. */
  where?: Where;
}

const A = (
  name: string,
  category: string,
  tags: string[],
  minutes: number,
  price: number,
  when: TimeOfDay,
  where?: Where,
): ActivityTemplate => ({ name, category, tags, minutes, price, when, where });

/** What a city is known for, first in its list; then the activities every city has, in an order of its own. */
const SIGNATURE_ACTIVITIES: ActivityTemplate[] = [
  A(
    "{city} temples walk",
    "culture",
    ["temple", "history", "architecture", "photography"],
    180,
    25,
    "morning",
    inCountries(...TEMPLE_COUNTRIES),
  ),
  A(
    "Shrine and torii gate walk",
    "outdoors",
    ["shrine", "hiking", "history", "photography"],
    150,
    15,
    "morning",
    inCountries("JP"),
  ),
  A(
    "Zen garden and tea ceremony",
    "culture",
    ["garden", "tea", "temple", "step-free"],
    120,
    45,
    "afternoon",
    inCountries("JP"),
  ),
  A(
    "Tablao flamenco show",
    "nightlife",
    ["flamenco", "dance", "music", "live music", "traditional music"],
    90,
    45,
    "evening",
    inCountries("ES"),
  ),
  A("{city} tapas crawl", "food", ["tapas", "food", "wine", "local life"], 150, 50, "evening", inCountries("ES")),
  A(
    "Fado night in a tavern",
    "nightlife",
    ["fado", "music", "live music", "traditional music"],
    120,
    40,
    "night",
    inCountries("PT"),
  ),
  A(
    "Tango show and lesson",
    "nightlife",
    ["tango", "dance", "music", "live music"],
    150,
    55,
    "night",
    inCountries("AR", "UY"),
  ),
  A(
    "Night market street food walk",
    "food",
    ["street food", "market", "food", "local life"],
    150,
    30,
    "evening",
    inCountries(...STREET_FOOD_COUNTRIES),
  ),
  A("Beach afternoon and swim", "beach", ["beach", "swimming", "family"], 180, 25, "afternoon", named(...BEACH_CITIES)),
  A("Surf lesson", "outdoors", ["surfing", "beach", "adventure"], 150, 60, "morning", named(...SURF_CITIES)),
  A(
    "Mountain day hike from {city}",
    "day trip",
    ["hiking", "mountains", "outdoors", "viewpoint"],
    480,
    60,
    "full day",
    named(...MOUNTAIN_CITIES),
  ),
  A(
    "Mosque and old quarter visit",
    "culture",
    ["mosque", "architecture", "history", "old town"],
    120,
    15,
    "morning",
    inCountries(...MUSLIM_COUNTRIES),
  ),
  A(
    "Souk and bazaar tour",
    "shopping",
    ["market", "shopping", "local life", "history"],
    150,
    25,
    "morning",
    inCountries(...MUSLIM_COUNTRIES, "IN"),
  ),
  A(
    "Hot spring and bathhouse visit",
    "wellness",
    ["hot springs", "wellness"],
    150,
    30,
    "afternoon",
    inCountries(...HOT_SPRING_COUNTRIES),
  ),
  A(
    "Cathedral and old churches walk",
    "culture",
    ["church", "architecture", "history", "step-free"],
    120,
    15,
    "day",
    inCountries(...CHRISTIAN_COUNTRIES),
  ),
  A(
    "Wine tasting in a historic cellar",
    "food",
    ["wine", "food", "cheese", "step-free"],
    120,
    60,
    "evening",
    inCountries(...WINE_COUNTRIES),
  ),
  A(
    "Vineyard day trip from {city}",
    "day trip",
    ["wine", "countryside", "food"],
    540,
    130,
    "full day",
    inCountries(...WINE_COUNTRIES),
  ),
  A(
    "Jazz club evening",
    "nightlife",
    ["jazz", "live music", "music", "cocktails"],
    150,
    40,
    "night",
    atLeast("city", inCountries(...JAZZ_COUNTRIES)),
  ),
  A(
    "Opera night",
    "culture",
    ["opera", "classical music", "music", "romantic", "step-free"],
    180,
    95,
    "evening",
    atLeast("metro", inCountries(...OPERA_COUNTRIES)),
  ),
  A(
    "Tea house and tea tasting",
    "food",
    ["tea", "food", "step-free"],
    90,
    30,
    "afternoon",
    inCountries(...TEA_COUNTRIES),
  ),
  A("Brewery tour and tasting", "food", ["beer", "food"], 120, 40, "afternoon", inCountries(...BEER_COUNTRIES)),
  A(
    "Castle and palace visit",
    "culture",
    ["castle", "history", "architecture"],
    150,
    30,
    "day",
    inCountries(...CASTLE_COUNTRIES),
  ),
  A(
    "Chocolate workshop",
    "food",
    ["sweets", "food", "family", "step-free"],
    120,
    50,
    "afternoon",
    inCountries(...CHOCOLATE_COUNTRIES),
  ),
  A(
    "Stand-up comedy night",
    "nightlife",
    ["comedy", "step-free"],
    120,
    30,
    "night",
    atLeast("city", inCountries(...COMEDY_COUNTRIES)),
  ),
  A(
    "LGBTQ+ history walk",
    "tour",
    ["lgbtq", "history"],
    120,
    30,
    "afternoon",
    atLeast("metro", inCountries(...LGBTQ_COUNTRIES)),
  ),
];

const COMMON_ACTIVITIES: ActivityTemplate[] = [
  A(
    "Walking tour of {city}'s old town",
    "tour",
    ["old town", "history", "architecture", "sightseeing"],
    150,
    35,
    "morning",
  ),
  A("{city} museum of history", "culture", ["museum", "history", "indoor", "step-free", "family"], 150, 20, "day"),
  A("Modern art gallery visit", "culture", ["art", "museum", "indoor", "step-free"], 120, 25, "day"),
  A("Sunset viewpoint hike", "outdoors", ["hiking", "viewpoint", "sunset", "photography"], 150, 40, "sunset"),
  A("{city} street food tour", "food", ["street food", "market", "local life"], 180, 65, "day"),
  A(
    "Evening harbour or river cruise",
    "sightseeing",
    ["boat", "river", "viewpoint", "romantic", "step-free", "family"],
    120,
    55,
    "evening",
  ),
  A("Cooking class with a local chef", "food", ["cooking", "market", "family", "step-free"], 240, 85, "morning"),
  A("Day trip from {city}", "day trip", ["countryside", "history", "sightseeing"], 540, 110, "full day"),
  A("{city} by bike", "outdoors", ["cycling", "sightseeing", "local life"], 180, 40, "morning"),
  A("Street art and history walk", "culture", ["street art", "art", "history", "photography"], 120, 30, "afternoon"),
  A("Golden-hour photography walk", "tour", ["photography", "sunset", "viewpoint"], 150, 50, "sunset"),
  A("Traditional music night", "nightlife", ["traditional music", "live music", "music"], 150, 45, "night"),
  A("Morning market tour and tasting", "food", ["market", "local life", "coffee", "step-free"], 150, 45, "morning"),
  A("Botanical garden visit", "outdoors", ["garden", "park", "family", "step-free", "photography"], 120, 15, "day"),
  A("Specialty coffee crawl", "food", ["coffee", "local life", "step-free"], 120, 35, "morning"),
  A("Design shops and boutiques walk", "shopping", ["shopping", "local life", "architecture"], 180, 25, "afternoon"),
  A("Spa afternoon", "wellness", ["wellness", "indoor", "step-free"], 180, 70, "afternoon"),
  A(
    "Live music bar crawl",
    "nightlife",
    ["live music", "music", "beer", "cocktails"],
    180,
    45,
    "night",
    atLeast("city"),
  ),
  A(
    "Architecture highlights tour",
    "tour",
    ["architecture", "history", "sightseeing", "photography", "step-free"],
    150,
    35,
    "day",
  ),
  A("Zoo and aquarium visit", "outdoors", ["wildlife", "family", "step-free"], 240, 35, "day", atLeast("metro")),
  A(
    "Science museum and planetarium",
    "culture",
    ["science", "museum", "family", "indoor", "step-free"],
    180,
    25,
    "day",
    atLeast("metro"),
  ),
  A("Cocktail bars and speakeasies", "nightlife", ["cocktails", "romantic"], 150, 55, "night", atLeast("city")),
  A(
    "Classical concert",
    "culture",
    ["classical music", "music", "indoor", "step-free"],
    120,
    60,
    "evening",
    atLeast("metro"),
  ),
  A("Theatre evening", "culture", ["theatre", "indoor", "step-free"], 150, 70, "evening", atLeast("metro")),
  A("Football stadium tour", "sightseeing", ["sports", "family", "step-free"], 90, 30, "day", atLeast("metro")),
  A("Morning yoga in the park", "wellness", ["yoga", "park", "wellness"], 75, 20, "morning"),
  A("Morning run past the sights", "outdoors", ["running", "sightseeing"], 60, 25, "morning"),
  A("Kayaking on the water", "outdoors", ["adventure", "boat", "swimming"], 180, 60, "morning"),
  A("Bookshops and literary cafés", "culture", ["literature", "coffee", "step-free"], 120, 25, "afternoon"),
  A("Flea market and vintage finds", "shopping", ["shopping", "market", "local life"], 150, 10, "morning"),
  A(
    "Panoramic rooftop at sunset",
    "sightseeing",
    ["viewpoint", "sightseeing", "photography", "romantic", "step-free"],
    60,
    25,
    "sunset",
    atLeast("metro"),
  ),
  A("Film locations walk", "tour", ["film", "photography"], 150, 35, "afternoon", atLeast("metro")),
];

/** Activities per destination by size: a bigger city offers more. */
const ACTIVITY_COUNT: Record<SizeTier, number> = { town: 8, city: 10, metro: 12, megacity: 12 };
/** Room kept for the core and a city's own mix beside its signature activities, so the basics stay on offer. */
const NOT_SIGNATURES = 5;
/** What every city offers: its old town on foot, a history museum and an art gallery. */
const CORE_ACTIVITIES = 3;

/** The activity templates of one destination, in a stable order: its signatures, the core, then its own mix. */
function activityTemplates(destination: Destination): ActivityTemplate[] {
  const count = ACTIVITY_COUNT[destination.size];
  const signatures = SIGNATURE_ACTIVITIES.filter((t) => t.where!(destination)).slice(0, count - NOT_SIGNATURES);
  const core = COMMON_ACTIVITIES.slice(0, CORE_ACTIVITIES);
  // Each destination starts at its own place in the rest, so neighbouring cities offer different things.
  const rest = COMMON_ACTIVITIES.slice(CORE_ACTIVITIES).filter((t) => !t.where || t.where(destination));
  const offset = (seedOf(destination.id) >>> 0) % rest.length;
  const rotated = [...rest.slice(offset), ...rest.slice(0, offset)];
  return [...signatures, ...core, ...rotated].slice(0, count);
}

const CUISINES = [
  "local",
  "Italian",
  "Japanese",
  "Indian",
  "Mexican",
  "Lebanese",
  "Thai",
  "French",
  "Korean",
  "seafood",
  "vegan",
  "Ethiopian",
  "Peruvian",
  "Spanish tapas",
  "Vietnamese",
  "Georgian",
];
const RESTAURANT_PATTERNS = ["The {adj} {noun}", "{noun} & {noun2}", "Casa {noun}", "{adj} Kitchen", "Bistro {noun}"];
const PER_PERSON_BY_LEVEL = [0, 16, 32, 58, 105];
const DIETARY = ["vegetarian", "vegan", "gluten-free", "halal", "kosher", "dairy-free"];

type Rng = ReturnType<typeof xoroshiro128plus>;

/** The first 32 bits of the text's SHA-256, as a signed integer (hex, not a Buffer: a third of the cost). */
function seedOf(text: string): number {
  return parseInt(hash("sha256", text, "hex").slice(0, 8), 16) | 0;
}

function rngFor(text: string): Rng {
  return xoroshiro128plus(seedOf(text));
}

const pick = <T>(rng: Rng, list: readonly T[]): T => list[uniformInt(rng, 0, list.length - 1)];
/** A factor in [min, max] with 1% steps, as an integer percentage (exact arithmetic on prices). */
const percent = (rng: Rng, min: number, max: number) => uniformInt(rng, min, max);

function fill(pattern: string, rng: Rng, city: string): string {
  const noun = pick(rng, NOUNS);
  let noun2 = pick(rng, NOUNS);
  if (noun2 === noun) noun2 = NOUNS[(NOUNS.indexOf(noun) + 1) % NOUNS.length];
  return pattern
    .replace("{city}", city)
    .replace("{adj}", pick(rng, ADJECTIVES))
    .replace("{noun2}", noun2)
    .replace("{noun}", noun);
}

/** Whole dollars, nudged to the `…9` endings real price lists use. */
function dollars(value: number): bigint {
  const whole = Math.max(5, Math.round(value));
  return BigInt(whole >= 20 ? whole - (whole % 10) + 9 : whole) * 100n;
}

function costLevel(destination: Destination): number {
  return ((COST_LEVEL[destination.country] ?? 85) / 100) * SIZE_FACTOR[destination.size];
}

function searchText(item: Omit<CatalogItem, "searchText">, destination: Destination): string {
  return [item.name, item.description, destination.name, destination.countryName, item.type, ...item.tags]
    .join(" ")
    .toLowerCase();
}

function finish(item: Omit<CatalogItem, "searchText">, destination: Destination): CatalogItem {
  return { ...item, searchText: searchText(item, destination) };
}

const UNTIL_SETTLED: CancellationPolicy = { kind: "until_settled" };

/**
 * Demo terms with a cancellation window, so the whole lifecycle can be seen locally: every fourth hotel and activity
 * is free to cancel for `freeMinutes` after booking; then a hotel keeps half its price until it is due, `freeMinutes`
 * later, and an activity keeps all of it and is due at once. Everything else is free to cancel until settled.
 */
export function demoCancellation(item: CatalogItem, freeMinutes: number): CancellationPolicy {
  const index = Number(item.id.slice(item.id.lastIndexOf("-") + 1));
  if (freeMinutes <= 0 || index % 4 !== 1) return UNTIL_SETTLED;
  if (item.type === "hotel") return { kind: "window", freeMinutes, feeBps: 5_000, dueMinutes: 2 * freeMinutes };
  if (item.type === "activity") return { kind: "window", freeMinutes, feeBps: 10_000, dueMinutes: freeMinutes };
  return UNTIL_SETTLED;
}

function base(destination: Destination, type: ItemType, index: number) {
  return {
    id: `${DEMO_PROVIDER}-${type}-${destination.geonameId}-${index}`,
    type,
    provider: DEMO_PROVIDER,
    providerOfferId: `${type}-${destination.geonameId}-${index}`,
    cancellation: UNTIL_SETTLED,
    demo: true,
    destinationId: destination.id,
    commissionBps: DEMO_COMMISSION_BPS[type],
  } as const;
}

function hotel(destination: Destination, index: number, rng: Rng): CatalogItem {
  const stars = [2, 3, 3, 4, 4, 4, 5, 5][index % 8];
  const starFactor = [0, 0, 0.55, 1, 1.6, 2.7][stars];
  const nightly = 95 * costLevel(destination) * starFactor * (percent(rng, 85, 125) / 100);
  const amenities = AMENITIES.filter((_, i) => uniformInt(rng, 0, 9) < 3 + stars || i === 0);
  const neighbourhood = pick(rng, NEIGHBOURHOODS);
  const name = fill(HOTEL_PATTERNS[uniformInt(rng, 0, HOTEL_PATTERNS.length - 1)], rng, destination.name);
  return finish(
    {
      ...base(destination, "hotel", index),
      name,
      description: `${stars}-star hotel in ${neighbourhood}, ${destination.name}. Demo inventory.`,
      priceCents: dollars(nightly),
      priceUnit: "night",
      ratingTenths: Math.min(50, 28 + stars * 3 + uniformInt(rng, 0, 6)),
      reviewCount: uniformInt(rng, 40, 4_000),
      tags: [`${stars}-star`, neighbourhood.toLowerCase(), ...amenities],
      details: { kind: "hotel", stars, neighbourhood, amenities },
      location: placeNear(destination, rng, 3),
    },
    destination,
  );
}

function flight(destination: Destination, index: number, rng: Rng): CatalogItem | undefined {
  const arrival = destination.airports[0];
  if (!arrival) return undefined;
  const hubs = HUBS.map(([iata, lat, lon]) => ({ iata, km: distanceKm(lat, lon, arrival.lat, arrival.lon) }))
    .filter((hub) => hub.km > 150)
    .sort((a, b) => a.km - b.km);
  const hub = hubs[index % hubs.length];
  const [airline, code] = pick(rng, AIRLINES);
  const km = Math.round(hub.km);
  const fare = (45 + 0.085 * km) * (percent(rng, 80, 135) / 100);
  const hour = uniformInt(rng, 5, 22);
  const minute = pick(rng, [0, 10, 15, 25, 30, 40, 45, 55]);
  const durationMinutes = Math.round((km / 780) * 60 + 35);
  return finish(
    {
      ...base(destination, "flight", index),
      name: `${airline} ${hub.iata} → ${arrival.iata}`,
      description: `Economy seat from ${hub.iata} to ${destination.name} (${arrival.iata}), ${km.toLocaleString("en-US")} km. Demo inventory.`,
      priceCents: dollars(fare),
      priceUnit: "seat",
      ratingTenths: uniformInt(rng, 32, 46),
      reviewCount: uniformInt(rng, 100, 9_000),
      tags: ["flight", hub.iata.toLowerCase(), arrival.iata.toLowerCase(), airline.toLowerCase()],
      details: {
        kind: "flight",
        airline,
        flightNumber: `${code} ${uniformInt(rng, 100, 9_899)}`,
        origin: hub.iata,
        destination: arrival.iata,
        departureTime: `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`,
        durationMinutes,
        distanceKm: km,
        cabin: "economy",
      },
    },
    destination,
  );
}

/** A place `maxKm` or less from the city centre, drawn last so the item's other draws stay as they were. */
function placeNear(destination: Destination, rng: Rng, maxKm: number, minKm = 0): { lat: number; lon: number } {
  const km = minKm + (uniformInt(rng, 0, 1_000) / 1_000) * (maxKm - minKm);
  const angle = (uniformInt(rng, 0, 359) * Math.PI) / 180;
  const lat = destination.lat + (km / 111) * Math.cos(angle);
  const lon =
    destination.lon + (km / (111 * Math.max(0.2, Math.cos((destination.lat * Math.PI) / 180)))) * Math.sin(angle);
  return { lat: Math.round(lat * 1e5) / 1e5, lon: Math.round(lon * 1e5) / 1e5 };
}

function activity(destination: Destination, index: number, rng: Rng): CatalogItem | undefined {
  const template = activityTemplates(destination)[index];
  if (!template) return undefined;
  const { category, tags, minutes, price, when } = template;
  const name = template.name.replace("{city}", destination.name);
  const [opens, closes] = HOURS[when];
  const hours = minutes % 60 === 0 ? `${minutes / 60} hours` : `${Math.floor(minutes / 60)}½ hours`;
  return finish(
    {
      ...base(destination, "activity", index),
      name,
      description: `${name}: about ${minutes < 60 ? `${minutes} minutes` : hours}, ${WHEN_WORDS[when]}, small group. Demo inventory.`,
      priceCents: dollars(price * costLevel(destination) * (percent(rng, 85, 120) / 100)),
      priceUnit: "person",
      ratingTenths: uniformInt(rng, 38, 50),
      reviewCount: uniformInt(rng, 10, 2_500),
      tags: [...new Set([category, ...tags, "activity"])],
      details: {
        kind: "activity",
        category,
        durationHours: Math.round((minutes / 60) * 10) / 10,
        timeOfDay: when,
        opens,
        closes,
        durationMinutes: minutes,
      },
      location: placeNear(destination, rng, 6),
    },
    destination,
  );
}

const WHEN_WORDS: Record<TimeOfDay, string> = {
  morning: "in the morning",
  day: "open by day",
  afternoon: "in the afternoon",
  sunset: "at sunset",
  evening: "in the evening",
  night: "at night",
  "full day": "all day",
};

/** Dinner service by the destination's customs (HH:MM local): late in Spain and Argentina, early in the north. */
const DINNER_HOURS: [countries: string[], opens: string, closes: string][] = [
  [["ES", "AR", "UY"], "20:30", "23:45"],
  [["GR", "PT", "IT", "MX", "CL", "CO", "PE", "BR", "TR", "LB", "IL", "EG", "MA"], "19:30", "23:30"],
  [["FR", "BE", "CH"], "19:00", "22:30"],
  [["GB", "IE", "US", "CA", "AU", "NZ", "DE", "NL", "AT", "DK", "SE", "NO", "FI", "IS", "PL", "CZ"], "17:30", "22:00"],
  [["JP", "KR", "CN", "TW", "HK", "SG"], "17:30", "22:00"],
];

function dinnerHours(country: string): [string, string] {
  const found = DINNER_HOURS.find(([countries]) => countries.includes(country));
  return found ? [found[1], found[2]] : ["18:30", "22:30"];
}

/** The cuisine a country's own restaurants serve, when the catalog has a word for it. */
const LOCAL_CUISINE: Record<string, string> = {
  ES: "Spanish tapas",
  JP: "Japanese",
  IT: "Italian",
  FR: "French",
  MX: "Mexican",
  TH: "Thai",
  IN: "Indian",
  KR: "Korean",
  VN: "Vietnamese",
  LB: "Lebanese",
  PE: "Peruvian",
  GE: "Georgian",
  ET: "Ethiopian",
};

/** The interest tags a restaurant satisfies, beyond its cuisine's name. */
function restaurantTags(cuisine: string, priceLevel: number): string[] {
  const tags = ["food"];
  if (cuisine === "Spanish tapas") tags.push("tapas");
  if (cuisine === "seafood") tags.push("seafood");
  if (priceLevel >= 4) tags.push("fine dining", "romantic");
  if (priceLevel <= 1) tags.push("local life");
  return tags;
}

function restaurant(destination: Destination, index: number, rng: Rng): CatalogItem {
  const cuisine = index === 0 ? (LOCAL_CUISINE[destination.country] ?? "local") : pick(rng, CUISINES);
  const priceLevel = [1, 2, 2, 3, 2, 3, 4, 1][index % 8];
  const dietaryOptions = DIETARY.filter(() => uniformInt(rng, 0, 2) === 0);
  if (cuisine === "vegan" && !dietaryOptions.includes("vegan")) dietaryOptions.unshift("vegan", "vegetarian");
  const name = fill(RESTAURANT_PATTERNS[uniformInt(rng, 0, RESTAURANT_PATTERNS.length - 1)], rng, destination.name);
  const [opens, closes] = dinnerHours(destination.country);
  return finish(
    {
      ...base(destination, "restaurant", index),
      name,
      description: `${cuisine[0].toUpperCase()}${cuisine.slice(1)} restaurant in ${destination.name}; the price is the set menu per person. Demo inventory.`,
      priceCents: dollars(PER_PERSON_BY_LEVEL[priceLevel] * costLevel(destination) * (percent(rng, 85, 120) / 100)),
      priceUnit: "person",
      ratingTenths: uniformInt(rng, 34, 49),
      reviewCount: uniformInt(rng, 20, 3_000),
      tags: [
        cuisine.toLowerCase(),
        "restaurant",
        "$".repeat(priceLevel),
        ...dietaryOptions,
        ...restaurantTags(cuisine, priceLevel),
      ],
      details: { kind: "restaurant", cuisine, priceLevel, dietaryOptions, opens, closes },
      location: placeNear(destination, rng, 5),
    },
    destination,
  );
}

const GENERATORS: Record<ItemType, (d: Destination, i: number, rng: Rng) => CatalogItem | undefined> = {
  hotel,
  flight,
  activity,
  restaurant,
};

/** The demo items of one destination, in a stable order. */
export function generateInventory(destination: Destination): CatalogItem[] {
  const items: CatalogItem[] = [];
  for (const type of Object.keys(COUNTS) as ItemType[]) {
    for (let index = 0; index < COUNTS[type]; index++) {
      const item = GENERATORS[type](destination, index, rngFor(`${destination.id}/${type}/${index}`));
      if (item) items.push(item);
    }
  }
  return items;
}

/** Whether a demo item can be booked on `date` (YYYY-MM-DD): a fixed pseudo-random pattern per item. */
export function demoAvailable(item: CatalogItem, date: string): boolean {
  const roll = (seedOf(`${item.id}@${date}`) >>> 0) % 100;
  return roll < AVAILABILITY_PERCENT[item.type];
}

/** The offline provider: every destination's demo inventory, indexed in memory. */
export class DemoProvider implements CatalogProvider {
  readonly name = DEMO_PROVIDER;
  private readonly byId = new Map<string, CatalogItem>();
  private readonly byDestination = new Map<string, CatalogItem[]>();
  readonly all: CatalogItem[] = [];

  /** `freeCancellationMinutes`: the demo's cancellation windows (see `demoCancellation`); 0: none. */
  constructor(destinations: Destination[], freeCancellationMinutes = 0) {
    for (const destination of destinations) {
      const items = generateInventory(destination);
      if (freeCancellationMinutes > 0) {
        for (const item of items) item.cancellation = demoCancellation(item, freeCancellationMinutes);
      }
      this.byDestination.set(destination.id, items);
      for (const item of items) {
        this.byId.set(item.id, item);
        this.all.push(item);
      }
    }
  }

  handles(): boolean {
    return true;
  }

  /** Demo inventory is nobody's to refuse: confirmed at once, with a reference derived from the booking. */
  async confirm(booking: BookingToConfirm): Promise<Confirmation> {
    return { status: "confirmed", reference: `DEMO-${booking.id.slice(2, 10).toUpperCase()}` };
  }

  candidates(query: Pick<SearchQuery, "destinationId">): CatalogItem[] {
    if (query.destinationId) return this.byDestination.get(query.destinationId) ?? [];
    return this.all;
  }

  async search(query: SearchQuery): Promise<CatalogItem[]> {
    return this.candidates(query);
  }

  async getItem(id: string): Promise<CatalogItem | undefined> {
    return this.byId.get(id);
  }

  isAvailable(item: CatalogItem, date: string): boolean {
    return demoAvailable(item, date);
  }
}
