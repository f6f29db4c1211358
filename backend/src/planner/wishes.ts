/**
 * What a request without a destination wishes for: the weather, a part of the world, or ideas at all ("surprise me").
 */
import type { Region } from "../catalog/climate.js";

export type ClimateWish = "warm" | "mild" | "cool" | "cold";

/** The region a request names ("in Europe", "South America"). */
export function regionOf(text: string): Region | undefined {
  if (/\beurope(?:an)?\b/.test(text)) return "Europe";
  if (/\b(?:south|latin) america\b/.test(text)) return "South America";
  if (/\b(?:north america|central america|caribbean)\b/.test(text)) return "North America";
  if (/\basia\b|\bsoutheast asia\b/.test(text)) return "Asia";
  if (/\bafrica\b/.test(text)) return "Africa";
  if (/\b(?:oceania|south pacific)\b/.test(text)) return "Oceania";
  return undefined;
}

/** The weather a request asks for ("somewhere warm", "snow"). */
export function climateWishOf(text: string): ClimateWish | undefined {
  if (/\b(?:warm|warmer|warmth|hot|sunny|sunshine|tropical|heat)\b/.test(text)) return "warm";
  if (/\bmild\b/.test(text)) return "mild";
  if (/\b(?:cold|snow|snowy|wintry|freezing)\b/.test(text)) return "cold";
  if (/\b(?:cool|cooler)\b/.test(text)) return "cool";
  return undefined;
}

/** "Surprise me", "somewhere", "any ideas?": the traveller wants suggestions. */
export const asksForIdeas = (text: string) =>
  /\b(?:somewhere|anywhere|surprise (?:me|us)|ideas?|suggest(?:ions?)?|recommend|inspire|inspiration|where (?:should|could|can) (?:i|we) go)\b/.test(
    text,
  );
