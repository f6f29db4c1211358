/**
 * Demo inventory: hotels, flights, activities and restaurants generated deterministically for each destination
 * (same destination, same items, same ids and prices, every run), priced by type, city size and the country's cost
 * level. Every item says `demo: true`: it is there to exercise the product, not to travel on.
 */
import { hash } from "node:crypto";

import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

import { distanceKm, type Destination, type SizeTier } from "./geodata.js";
import type { BookingToConfirm, CatalogItem, CatalogProvider, Confirmation, ItemType, SearchQuery } from "./types.js";

export const DEMO_PROVIDER = "demo";

const COUNTS: Record<ItemType, number> = { hotel: 8, flight: 6, activity: 8, restaurant: 8 };

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

const ACTIVITIES = [
  ["Walking tour of {city}", "tour", 3, 35],
  ["{city} street food tour", "food", 3, 65],
  ["Museum & gallery pass", "culture", 8, 45],
  ["Sunset viewpoint hike", "outdoors", 4, 40],
  ["Cooking class with a local chef", "food", 4, 85],
  ["Day trip from {city}", "day trip", 9, 110],
  ["{city} by bike", "outdoors", 3, 40],
  ["Street art & history tour", "culture", 2, 30],
  ["Evening river or harbour cruise", "sightseeing", 2, 55],
  ["Wine & local produce tasting", "food", 2, 60],
  ["Photography walk", "tour", 3, 50],
  ["Traditional music night", "nightlife", 3, 45],
] as const;

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

function base(destination: Destination, type: ItemType, index: number) {
  return {
    id: `${DEMO_PROVIDER}-${type}-${destination.geonameId}-${index}`,
    type,
    provider: DEMO_PROVIDER,
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

function activity(destination: Destination, index: number, rng: Rng): CatalogItem {
  // Each destination starts at its own place in the list, so neighbouring cities offer different activities.
  const offset = (seedOf(destination.id) >>> 0) % ACTIVITIES.length;
  const [pattern, category, durationHours, basePrice] = ACTIVITIES[(offset + index) % ACTIVITIES.length];
  const name = pattern.replace("{city}", destination.name);
  return finish(
    {
      ...base(destination, "activity", index),
      name,
      description: `${name}: about ${durationHours} hours, small group. Demo inventory.`,
      priceCents: dollars(basePrice * costLevel(destination) * (percent(rng, 85, 120) / 100)),
      priceUnit: "person",
      ratingTenths: uniformInt(rng, 38, 50),
      reviewCount: uniformInt(rng, 10, 2_500),
      tags: [category, "activity"],
      details: { kind: "activity", category, durationHours },
    },
    destination,
  );
}

function restaurant(destination: Destination, index: number, rng: Rng): CatalogItem {
  const cuisine = index === 0 ? "local" : pick(rng, CUISINES);
  const priceLevel = [1, 2, 2, 3, 2, 3, 4, 1][index % 8];
  const dietaryOptions = DIETARY.filter(() => uniformInt(rng, 0, 2) === 0);
  if (cuisine === "vegan" && !dietaryOptions.includes("vegan")) dietaryOptions.unshift("vegan", "vegetarian");
  const name = fill(RESTAURANT_PATTERNS[uniformInt(rng, 0, RESTAURANT_PATTERNS.length - 1)], rng, destination.name);
  return finish(
    {
      ...base(destination, "restaurant", index),
      name,
      description: `${cuisine[0].toUpperCase()}${cuisine.slice(1)} restaurant in ${destination.name}; the price is the set menu per person. Demo inventory.`,
      priceCents: dollars(PER_PERSON_BY_LEVEL[priceLevel] * costLevel(destination) * (percent(rng, 85, 120) / 100)),
      priceUnit: "person",
      ratingTenths: uniformInt(rng, 34, 49),
      reviewCount: uniformInt(rng, 20, 3_000),
      tags: [cuisine.toLowerCase(), "restaurant", "$".repeat(priceLevel), ...dietaryOptions],
      details: { kind: "restaurant", cuisine, priceLevel, dietaryOptions },
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

  constructor(destinations: Destination[]) {
    for (const destination of destinations) {
      const items = generateInventory(destination);
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
