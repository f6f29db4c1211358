/**
 * Places to visit that are no booking (a museum, a park, a temple, a viewpoint, a lunch spot), from OpenStreetMap.
 * The planner places them between the bookable items of a day; they cost nothing to plan and are paid at the door.
 */
import type { Destination } from "../catalog/geodata.js";

export const PLACE_KINDS = [
  "museum",
  "gallery",
  "attraction",
  "castle",
  "monument",
  "viewpoint",
  "park",
  "garden",
  "place_of_worship",
  "restaurant",
] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];

export interface Place {
  /** `osm:<type>/<id>`, e.g. `osm:way/123`. */
  id: string;
  osmType: "node" | "way" | "relation";
  osmId: number;
  /** The English name where OpenStreetMap has one, else the local name. */
  name: string;
  /** The local name, when it differs from `name`. */
  localName?: string;
  kind: PlaceKind;
  /** Catalog-style tags the traveller's interests match (`temple`, `museum`, `garden`, `viewpoint`, `free`, …). */
  tags: string[];
  lat: number;
  lon: number;
  /** OpenStreetMap's `opening_hours` as tagged. */
  openingHours?: string;
  website?: string;
  /** Restaurants: OpenStreetMap's cuisines (`japanese`, `sushi`). */
  cuisines?: string[];
  /** Diets a restaurant caters for (`vegetarian`, `vegan`, `halal`, …). */
  diets?: string[];
  /** Has a Wikidata or Wikipedia entry: known beyond its street. */
  notable: boolean;
}

/** What a destination's places are, or why there are none this time (the planner says so and plans without). */
export interface PlacesAnswer {
  places: Place[];
  problem?: string;
}

export interface PlacesSource {
  placesFor(destination: Destination): Promise<PlacesAnswer>;
}

export const OSM_ATTRIBUTION = "© OpenStreetMap contributors";
export const OSM_LICENSE_URL = "https://www.openstreetmap.org/copyright";

export const osmUrl = (place: Pick<Place, "osmType" | "osmId">) =>
  `https://www.openstreetmap.org/${place.osmType}/${place.osmId}`;
