/** The orders search results come in: one definition for the in-memory sort and for the pre-sorted indexes. */
import type { CatalogItem, Sort } from "./types.js";

const collator = new Intl.Collator("en");

export const byId = (a: CatalogItem, b: CatalogItem) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byPrice = (a: CatalogItem, b: CatalogItem) =>
  a.priceCents < b.priceCents ? -1 : a.priceCents > b.priceCents ? 1 : 0;
export const compareNames = (a: string, b: string) => collator.compare(a, b);

/** Each sort but relevance as a total order (ties broken by id). Relevance keeps the candidates' own order. */
export const COMPARATORS: Record<Exclude<Sort, "relevance">, (a: CatalogItem, b: CatalogItem) => number> = {
  price_asc: (a, b) => byPrice(a, b) || byId(a, b),
  price_desc: (a, b) => byPrice(b, a) || byId(a, b),
  rating_desc: (a, b) => b.ratingTenths - a.ratingTenths || b.reviewCount - a.reviewCount || byId(a, b),
  name_asc: (a, b) => compareNames(a.name, b.name) || byId(a, b),
};

export function sortItems(items: CatalogItem[], sort: Sort) {
  // Relevance: candidates already come in a meaningful order (suppliers' live offers, then destinations by size).
  if (sort !== "relevance") items.sort(COMPARATORS[sort]);
}

/**
 * Free-text tokens as the search matches them (each must occur in the item's text), in the cheapest equivalent form:
 * no repeats, no token that occurs inside another (it is implied), the longest (most selective) first.
 */
export function searchTokens(text: string | undefined): string[] {
  const tokens = [...new Set((text ?? "").toLowerCase().split(/\s+/).filter(Boolean))];
  return tokens
    .filter((token) => !tokens.some((other) => other !== token && other.includes(token)))
    .sort((a, b) => b.length - a.length);
}
