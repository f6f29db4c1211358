/** What an item and a traveller are, as the features both are embedded from. */
import type { CatalogItem } from "../catalog/types.js";
import type { TravellerContext } from "../planner/types.js";
import { labelOf } from "../planner/interests.js";
import { INTERESTS } from "../planner/words.js";

/** The features of a catalog item, each a short text ("activity category: outdoors"). */
export function itemFeatures(item: CatalogItem): string[] {
  const features = [`type: ${item.type}`];
  const details = item.details;
  switch (details.kind) {
    case "activity":
      features.push(`activity category: ${details.category}`, `activity category: ${details.category}`);
      if (details.durationHours >= 6) features.push("long activity");
      break;
    case "restaurant":
      features.push(`cuisine: ${details.cuisine.toLowerCase()}`, `price level: ${details.priceLevel}`);
      for (const diet of details.dietaryOptions) features.push(`dietary: ${diet}`);
      if (details.priceLevel >= 4) features.push("travel style: luxury");
      if (details.priceLevel <= 1) features.push("travel style: budget");
      break;
    case "hotel":
      features.push(`hotel stars: ${details.stars}`, `neighbourhood: ${details.neighbourhood.toLowerCase()}`);
      for (const amenity of details.amenities) features.push(`amenity: ${amenity}`);
      if (details.stars >= 5) features.push("travel style: luxury");
      if (details.stars <= 2) features.push("travel style: budget");
      break;
    case "flight":
      features.push(`airline: ${details.airline.toLowerCase()}`);
      break;
  }
  return features;
}

/** What a saved interest means in item features ("hiking" → the outdoors category). */
export function interestFeatures(interest: string): string[] {
  const word = interest.toLowerCase().trim();
  const categories = Object.entries(INTERESTS)
    .filter(([key, words]) => key === word || words.includes(word))
    .map(([key]) => `activity category: ${key}`);
  return categories.length > 0 ? categories : [`activity category: ${word}`, `cuisine: ${word}`];
}

/** Each feature with how a reason says it: "Because {label}". */
export function travellerFeatures(traveller: TravellerContext): { feature: string; label: string }[] {
  const out: { feature: string; label: string }[] = [];
  for (const interest of traveller.interests)
    for (const feature of interestFeatures(interest))
      out.push({ feature, label: `you like ${labelOf(interest.toLowerCase().trim())}` });
  for (const diet of traveller.dietary) out.push({ feature: `dietary: ${diet}`, label: `of your ${diet} diet` });
  if (traveller.travelStyle)
    out.push({
      feature: `travel style: ${traveller.travelStyle}`,
      label: `of your ${traveller.travelStyle} travel style`,
    });
  return out;
}
