/**
 * Monthly mean temperatures of the destinations that have them, from data/climate-normals.tsv (Wikipedia's "List of
 * cities by average temperature", CC BY-SA 4.0; see data/climate-normals.LICENSE.md and
 * backend/scripts/climate-normals.ts). Figures stay the decimal strings the source gives; they are only compared as
 * numbers.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const CLIMATE_NORMALS_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "data/climate-normals.tsv",
);

/** How a reply names the figures' source. */
export const CLIMATE_SOURCE = "Wikipedia's climate normals";

export const REGIONS = ["Africa", "Asia", "Europe", "North America", "Oceania", "South America"] as const;
export type Region = (typeof REGIONS)[number];

export interface ClimateNormals {
  destinationId: string;
  region: Region;
  /** The mean temperature of January … December in °C, as the source writes it ("12.7", "-2.3", "27"). */
  meanC: string[];
}

let normals: Map<string, ClimateNormals> | undefined;

/** Destination id → its climate normals (read once per process). */
export function climateNormals(): Map<string, ClimateNormals> {
  if (normals) return normals;
  normals = new Map();
  const [, ...rows] = readFileSync(CLIMATE_NORMALS_FILE, "utf8").trimEnd().split("\n");
  for (const row of rows) {
    const [destinationId, region, , , ...meanC] = row.split("\t");
    normals.set(destinationId, { destinationId, region: region as Region, meanC });
  }
  return normals;
}
