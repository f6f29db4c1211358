/**
 * Real suppliers' offers for the trip being planned, where a live provider is configured (Duffel flights, Duffel
 * Stays): hotels priced for the whole stay and party, and flights from the traveller's airports on the first day.
 * The planner prefers them to the demo inventory, which answers alone when no live provider is set. The catalog asks
 * a supplier only with a destination, dates and party, and a supplier's failure leaves its offers out, never the plan.
 */
import { DEMO_PROVIDER } from "../catalog/demo.js";
import type { Catalog } from "../catalog/service.js";
import type { CatalogItem, SearchQuery } from "../catalog/types.js";

export interface LiveTrip {
  destinationId: string;
  checkIn: string;
  checkOut: string;
  guests: number;
  /** IATA codes the traveller may fly from; none: no flight is looked for. */
  airports: string[];
}

export async function liveOffers(
  catalog: Pick<Catalog, "external" | "search">,
  trip: LiveTrip,
): Promise<{ hotels: CatalogItem[]; flights: CatalogItem[] }> {
  if (catalog.external.length === 0) return { hotels: [], flights: [] };
  const live = async (query: Partial<SearchQuery>) => {
    const { items } = await catalog.search({
      destinationId: trip.destinationId,
      checkIn: trip.checkIn,
      guests: trip.guests,
      sort: "price_asc",
      offset: 0,
      limit: 50,
      ...query,
    });
    return items.filter((item) => item.provider !== DEMO_PROVIDER);
  };
  const [hotels, ...flights] = await Promise.all([
    live({ type: "hotel", checkOut: trip.checkOut }),
    ...trip.airports.map((origin) => live({ type: "flight", origin })),
  ]);
  const unique = new Map(flights.flat().map((item) => [item.id, item]));
  return { hotels, flights: [...unique.values()] };
}
