/**
 * Writes src/catalog/data/climate-normals.tsv: for each catalog destination the English Wikipedia article "List of
 * cities by average temperature" lists, its continent (the article's table) and its mean temperature in °C for each
 * month, exactly as the article gives them. Wikipedia text and data are CC BY-SA 4.0 (see
 * src/catalog/data/climate-normals.LICENSE.md). The input is the article's six tables (Africa, Asia, Europe, North
 * America, Oceania, South America) as CSV, one file each, cells as the article shows them ("11.2\n(52.2)": °C, then °F):
 *   npx tsx backend/scripts/climate-normals.ts <folder with List_of_cities_by_average_temperature_1.csv … _6.csv>
 * A city matches a destination by any name the gazetteer knows it by, in the country the article names; cities that
 * are not destinations (under 100,000 people) are left out and counted.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { gazetteerOf } from "../src/catalog/gazetteer.js";
import { Catalog } from "../src/catalog/service.js";

const REGIONS = ["Africa", "Asia", "Europe", "North America", "Oceania", "South America"] as const;
/** The article's country names the gazetteer does not know as such. */
const COUNTRY_ALIASES: Record<string, string> = {
  "Ivory Coast": "CI",
  "The Gambia": "GM",
  "Republic of the Congo": "CG",
  "Democratic Republic of the Congo": "CD",
  "East Timor": "TL",
  "Federated States of Micronesia": "FM",
  Palestine: "PS",
  "Northern Cyprus": "CY",
};

/** RFC 4180 CSV: quoted cells may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += c;
  }
  if (cell !== "" || row.length > 0) rows.push([...row, cell]);
  return rows.filter((r) => r.some((c) => c !== ""));
}

/** "−2.3\n(27.9)" → "-2.3": the °C figure as written (the article's minus sign as ASCII). */
function celsius(cell: string): string | undefined {
  const value = cell
    .split("\n")[0]
    .trim()
    .replace(/\u2212/g, "-");
  return /^-?\d+(\.\d+)?$/.test(value) ? value : undefined;
}

const folder = process.argv[2];
if (!folder)
  throw new Error("usage: npx tsx backend/scripts/climate-normals.ts <folder of the article's six CSV tables>");
const gazetteer = gazetteerOf(new Catalog());
const lines: string[] = [];
const seen = new Set<string>();
let unmatched = 0;
let incomplete = 0;
for (const [index, region] of REGIONS.entries()) {
  const [header, ...rows] = parseCsv(
    readFileSync(path.join(folder, `List_of_cities_by_average_temperature_${index + 1}.csv`), "utf8"),
  );
  const at = (name: string) => header.indexOf(name);
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].map(at);
  if (at("Country") < 0 || at("City") < 0 || months.some((m) => m < 0)) throw new Error(`table ${index + 1}: columns`);
  for (const row of rows) {
    // Names wrapped across lines in the article's cells ("Salt Lake\nCity", "Petropavlovsk-\nKamchatsky") read as one.
    const name = (cell: string) => cell.replace(/-\s+/g, "-").replace(/\s+/g, " ").trim();
    const country = name(row[at("Country")]);
    const city = name(row[at("City")]);
    const code = COUNTRY_ALIASES[country] ?? gazetteer.country(country);
    const destination = gazetteer.named(city).find((d) => d.country === code);
    if (!destination || seen.has(destination.id)) {
      unmatched++;
      continue;
    }
    const means = months.map((m) => celsius(row[m] ?? ""));
    if (means.some((m) => m === undefined)) {
      incomplete++;
      continue;
    }
    seen.add(destination.id);
    lines.push([destination.id, region, city, country, ...means].join("\t"));
  }
}
lines.sort();
const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../src/catalog/data/climate-normals.tsv");
const head = [
  "destinationId",
  "region",
  "city",
  "country",
  "jan",
  "feb",
  "mar",
  "apr",
  "may",
  "jun",
  "jul",
  "aug",
  "sep",
  "oct",
  "nov",
  "dec",
];
writeFileSync(out, `${[head.join("\t"), ...lines].join("\n")}\n`);
console.log(
  `${lines.length} destinations; ${unmatched} cities not destinations, ${incomplete} without all twelve months; ${out}`,
);
