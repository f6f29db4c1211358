/**
 * OpenStreetMap's Overpass API: the query for a destination's places to visit and the reading of its answer
 * (`out center tags`: nodes with lat/lon, ways and relations with their centre).
 */
import type { Destination } from "../catalog/geodata.js";
import { distanceKm } from "../catalog/geodata.js";
import type { Place, PlaceKind } from "./types.js";

/** Places are looked for this far from the destination's centre. */
export const PLACES_RADIUS_M = 5_000;
/** A destination keeps at most this many places, the best known and the most central first. */
export const MAX_PLACES = 200;

/** One Overpass QL statement per family, each with its own cap so that restaurants do not crowd out the sights. */
const FAMILIES: [filter: string, limit: number][] = [
  ['["tourism"~"^(museum|gallery|attraction|viewpoint)$"]["name"]', 120],
  ['["historic"~"^(castle|palace|fort|monument|ruins|archaeological_site)$"]["name"]', 40],
  ['["leisure"~"^(park|garden)$"]["name"]', 60],
  // Every church of a city is a place of worship: only those known beyond their street.
  ['["amenity"="place_of_worship"]["name"]["wikidata"]', 60],
  ['["amenity"="restaurant"]["name"]["opening_hours"]', 60],
];

export function overpassQuery(destination: Pick<Destination, "lat" | "lon">, timeoutSeconds: number): string {
  const around = `(around:${PLACES_RADIUS_M},${destination.lat.toFixed(5)},${destination.lon.toFixed(5)})`;
  const statements = FAMILIES.map(([filter, limit]) => `nwr${filter}${around};\nout center tags ${limit};`);
  return `[out:json][timeout:${timeoutSeconds}];\n${statements.join("\n")}`;
}

export interface OverpassElement {
  type: "node" | "way" | "relation";
  id: number;
  lat?: number;
  lon?: number;
  center?: { lat: number; lon: number };
  tags?: Record<string, string>;
}

const RELIGIONS: Record<string, string> = {
  buddhist: "temple",
  hindu: "temple",
  jain: "temple",
  sikh: "temple",
  taoist: "temple",
  shinto: "shrine",
  christian: "church",
  muslim: "mosque",
  jewish: "synagogue",
};

/** OpenStreetMap's `diet:*` keys for the diets travellers state. */
const DIETS: Record<string, string> = {
  vegetarian: "diet:vegetarian",
  vegan: "diet:vegan",
  "gluten-free": "diet:gluten_free",
  halal: "diet:halal",
  kosher: "diet:kosher",
  "dairy-free": "diet:lactose_free",
};

const values = (value: string | undefined) =>
  (value ?? "")
    .split(";")
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);

/** What an element is and the tags interests match, or undefined for one this product does not suggest. */
function classify(tags: Record<string, string>): { kind: PlaceKind; tags: string[] } | undefined {
  const tourism = tags.tourism;
  const historic = tags.historic;
  const out = new Set<string>();
  if (historic || tags.heritage) out.add("history");
  if (tags.wheelchair === "yes") out.add("step-free");
  if (tags.fee === "no") out.add("free");
  let kind: PlaceKind | undefined;
  if (tourism === "museum") {
    kind = "museum";
    out.add("museum").add("indoor");
    const subject = tags.museum;
    if (subject === "art") out.add("art");
    if (subject === "history" || subject === "archaeological" || subject === "military") out.add("history");
    if (subject === "science" || subject === "technology") out.add("science");
  } else if (tourism === "gallery") {
    kind = "gallery";
    out.add("art").add("indoor");
  } else if (historic === "castle" || historic === "palace" || historic === "fort") {
    kind = "castle";
    out.add("castle").add("architecture");
  } else if (tags.amenity === "place_of_worship") {
    kind = "place_of_worship";
    const building = RELIGIONS[values(tags.religion)[0] ?? ""];
    if (building) out.add(building);
    out.add("architecture").add("free");
  } else if (tourism === "viewpoint") {
    kind = "viewpoint";
    out.add("viewpoint").add("photography").add("free");
  } else if (tags.leisure === "garden") {
    kind = "garden";
    out.add("garden").add("park");
  } else if (tags.leisure === "park") {
    kind = "park";
    out.add("park").add("free");
  } else if (historic) {
    kind = "monument";
    if (historic === "ruins" || historic === "archaeological_site") out.add("ruins");
  } else if (tourism === "attraction") {
    kind = "attraction";
    out.add("sightseeing");
  } else if (tags.amenity === "restaurant") {
    kind = "restaurant";
    out.add("food");
    for (const cuisine of values(tags.cuisine)) out.add(cuisine);
  }
  return kind ? { kind, tags: [...out] } : undefined;
}

/** The places of an Overpass answer: known kinds with a name and a position, once each, best known and central first. */
export function readElements(elements: OverpassElement[], centre: Pick<Destination, "lat" | "lon">): Place[] {
  const seen = new Set<string>();
  const places: (Place & { km: number })[] = [];
  for (const element of elements) {
    const tags = element.tags ?? {};
    const lat = element.lat ?? element.center?.lat;
    const lon = element.lon ?? element.center?.lon;
    const local = tags.name?.trim();
    const id = `osm:${element.type}/${element.id}`;
    if (!local || lat === undefined || lon === undefined || seen.has(id)) continue;
    const found = classify(tags);
    if (!found) continue;
    seen.add(id);
    const english = (tags["name:en"] ?? tags.int_name)?.trim();
    const name = english || local;
    const cuisines = values(tags.cuisine);
    const diets = Object.entries(DIETS)
      .filter(([, key]) => tags[key] === "yes" || tags[key] === "only")
      .map(([diet]) => diet);
    places.push({
      id,
      osmType: element.type,
      osmId: element.id,
      name,
      ...(name !== local ? { localName: local } : {}),
      kind: found.kind,
      tags: found.tags,
      lat,
      lon,
      ...(tags.opening_hours ? { openingHours: tags.opening_hours } : {}),
      ...((tags.website ?? tags["contact:website"]) ? { website: tags.website ?? tags["contact:website"] } : {}),
      ...(cuisines.length > 0 ? { cuisines } : {}),
      ...(diets.length > 0 ? { diets } : {}),
      notable: Boolean(tags.wikidata || tags.wikipedia),
      km: distanceKm(centre.lat, centre.lon, lat, lon),
    });
  }
  places.sort((a, b) => Number(b.notable) - Number(a.notable) || a.km - b.km || (a.id < b.id ? -1 : 1));
  return places.slice(0, MAX_PLACES).map(({ km: _km, ...place }) => place);
}
