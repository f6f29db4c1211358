/**
 * Places by any common name: each destination under its GeoNames name and every Latin-script alternate name GeoNames
 * lists (English exonyms such as Seville or Cologne, local names such as München or Lisboa, other languages'
 * spellings), its airports' IATA codes, and near misses for typos. Accents, case and punctuation are ignored.
 * The alternate names are derived from GeoNames by backend/scripts/alternate-names.ts (see docs/planner-places.md).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import type { Destination } from "./geodata.js";

const ALTERNATE_NAMES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "data/alternate-names.tsv");

/** A name as it is looked up: no accents, lower case, apostrophes dropped, other punctuation as single spaces. */
export function foldName(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[’']/g, "")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

export interface KnownAs {
  /** How many names GeoNames lists for the place in all languages: how widely known it is. */
  prominence: number;
  /** Its Latin-script names. */
  names: string[];
}

let alternates: Map<number, KnownAs> | undefined;

/** GeoNames id → the names it is also known by (read once per process). */
export function alternateNames(): Map<number, KnownAs> {
  if (alternates) return alternates;
  alternates = new Map();
  for (const line of readFileSync(ALTERNATE_NAMES, "utf8").split("\n")) {
    const [id, prominence, names] = line.split("\t");
    if (names !== undefined) alternates.set(Number(id), { prominence: Number(prominence), names: names.split("|") });
  }
  return alternates;
}

/**
 * A second place of a name known more than this share as widely as the first makes the name ambiguous: Córdoba in
 * Spain and in Argentina are asked about; Athens is Greece's unless Georgia's is asked for.
 */
const AMBIGUOUS_SHARE = 0.5;

export interface NearMiss {
  destination: Destination;
  /** Edits (insertions, deletions, substitutions, swaps of neighbours) between the word and the name. */
  distance: number;
}

/** Other names of countries than their English short names ("UK", "USA"), to qualify a place: "Birmingham, UK". */
const COUNTRY_ALIASES: Record<string, string> = {
  uk: "GB",
  britain: "GB",
  "great britain": "GB",
  england: "GB",
  scotland: "GB",
  wales: "GB",
  usa: "US",
  us: "US",
  america: "US",
  "united states of america": "US",
  holland: "NL",
};

const byPopulation = (a: Destination, b: Destination) => b.population - a.population || a.geonameId - b.geonameId;

export class Gazetteer {
  /** Folded name → the destinations called so (officially or also), largest first. */
  private readonly names = new Map<string, Destination[]>();
  /** Every folded name by its length, for near misses. */
  private readonly byLength: string[][] = [];
  private readonly airports = new Map<string, Destination>();
  private readonly countries = new Map<string, string>();
  private readonly prominence = new Map<Destination, number>();
  /** Words in the longest name, so a reader knows how far ahead to look. */
  readonly longest: number;

  constructor(destinations: readonly Destination[], alternates: Map<number, KnownAs> = alternateNames()) {
    let longest = 1;
    const add = (key: string, destination: Destination) => {
      if (!key) return;
      const list = this.names.get(key);
      if (!list) {
        this.names.set(key, [destination]);
        (this.byLength[key.length] ??= []).push(key);
        longest = Math.max(longest, key.split(" ").length);
      } else if (!list.includes(destination)) list.push(destination);
    };
    for (const destination of destinations) {
      add(foldName(destination.name), destination);
      const known = alternates.get(destination.geonameId);
      this.prominence.set(destination, known?.prominence ?? 0);
      for (const name of known?.names ?? []) add(foldName(name), destination);
      for (const airport of destination.airports) {
        // Largest city first: an airport belongs to the biggest destination it serves.
        if (!this.airports.has(airport.iata)) this.airports.set(airport.iata, destination);
      }
      this.countries.set(foldName(destination.countryName), destination.country);
      this.countries.set(destination.country.toLowerCase(), destination.country);
    }
    for (const [alias, code] of Object.entries(COUNTRY_ALIASES)) this.countries.set(alias, code);
    const byProminence = (a: Destination, b: Destination) =>
      this.prominence.get(b)! - this.prominence.get(a)! || byPopulation(a, b);
    for (const list of this.names.values()) list.sort(byProminence);
    // Those officially called so come before those also called so ("Victoria" is Victoria, Canada before Hong Kong).
    for (const [key, list] of this.names) {
      const official = list.filter((destination) => foldName(destination.name) === key);
      if (official.length > 0 && official.length < list.length)
        this.names.set(key, [...official, ...list.filter((destination) => !official.includes(destination))]);
    }
    this.longest = Math.min(longest, 5);
  }

  /**
   * The destinations a name means: those officially called so, then those also called so, each best known first.
   * "Seville", "Sevilla" and "sevilla" give the same answer.
   */
  named(name: string): Destination[] {
    return this.names.get(foldName(name)) ?? [];
  }

  /** Whether a traveller naming these places must say which: another one nearly as large as the first. */
  isAmbiguous(choices: readonly Destination[]): boolean {
    return choices.length > 1 && this.prominence.get(choices[1])! > this.prominence.get(choices[0])! * AMBIGUOUS_SHARE;
  }

  /** The destination an airport's IATA code serves ("LIS" → Lisbon). */
  airport(code: string): Destination | undefined {
    return this.airports.get(code.toUpperCase());
  }

  /** The ISO country code a country's name, code or common alias means ("spain", "uk"). */
  country(name: string): string | undefined {
    return this.countries.get(foldName(name));
  }

  /**
   * Places whose names are close to a misspelt one, fewest edits first and then largest: at most 1 edit for words
   * under 8 letters and 2 for longer ones (so that short words do not match everything).
   */
  similar(word: string, limit = 3): NearMiss[] {
    const key = foldName(word);
    if (key.length < 3) return [];
    const allowed = key.length < 8 ? 1 : 2;
    const best = new Map<Destination, number>();
    for (let length = key.length - allowed; length <= key.length + allowed; length++) {
      for (const name of this.byLength[length] ?? []) {
        const distance = editDistance(key, name, allowed);
        if (distance > allowed) continue;
        for (const destination of this.names.get(name)!) {
          if ((best.get(destination) ?? Infinity) > distance) best.set(destination, distance);
        }
      }
    }
    return [...best]
      .map(([destination, distance]) => ({ destination, distance }))
      .sort((a, b) => a.distance - b.distance || byPopulation(a.destination, b.destination))
      .slice(0, limit);
  }

  /**
   * The place a misspelt name surely means, or undefined when it is not sure: one edit away in a name of 5 letters
   * or more, and any other place as close less than half its size ("Barcelonna" is Barcelona, Spain, not Venezuela's).
   */
  correction(word: string): Destination | undefined {
    if (foldName(word).length < 5) return undefined;
    const [first, second] = this.similar(word, 2);
    if (!first || first.distance !== 1) return undefined;
    if (second?.distance === 1 && second.destination.population * 2 > first.destination.population) return undefined;
    return first.destination;
  }
}

/**
 * Optimal string alignment distance (Levenshtein plus swapping neighbours), giving up past `max` and answering
 * `max + 1` then.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const width = b.length + 1;
  let before = new Int32Array(width);
  let previous = new Int32Array(width);
  let current = new Int32Array(width);
  for (let j = 0; j < width; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j < width; j++) {
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2] + 1);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    [before, previous, current] = [previous, current, before];
  }
  return Math.min(previous[b.length], max + 1);
}

const gazetteers = new WeakMap<object, Gazetteer>();

/** The gazetteer over a catalog's destinations, built once per catalog. */
export function gazetteerOf(catalog: { readonly destinations: readonly Destination[] }): Gazetteer {
  let gazetteer = gazetteers.get(catalog);
  if (!gazetteer) {
    gazetteer = new Gazetteer(catalog.destinations);
    gazetteers.set(catalog, gazetteer);
  }
  return gazetteer;
}
