import type { Logger } from "pino";

import { systemClock, type Clock } from "../clock.js";
import { ApiError } from "../http/errors.js";
import { addDays, daysBetween } from "./dates.js";
import { DemoProvider } from "./demo.js";
import { DuffelProvider } from "./duffel.js";
import { loadDestinations, type Destination } from "./geodata.js";
import type { BookingToConfirm, CatalogItem, CatalogProvider, Confirmation, SearchQuery } from "./types.js";

export interface SourceStatus {
  provider: string;
  status: "ok" | "error";
  message?: string;
}

export interface CatalogOptions {
  duffel?: { accessToken: string; apiUrl?: string };
  logger?: Logger;
  /** When a supplier's offer counts as expired. */
  now?: Clock;
}

const collator = new Intl.Collator("en");

/**
 * The catalog: real destinations, the demo provider's inventory in memory, and real suppliers when configured.
 * Search, item lookup and availability all go through here, so bookings are priced exactly as search shows them.
 */
export class Catalog {
  readonly destinations: Destination[];
  readonly destinationsById = new Map<string, Destination>();
  private readonly destinationsByAirport = new Map<string, Destination>();
  readonly demo: DemoProvider;
  readonly external: CatalogProvider[] = [];
  private readonly logger?: Logger;

  constructor(options: CatalogOptions = {}, destinations: Destination[] = loadDestinations()) {
    this.destinations = destinations;
    for (const destination of destinations) {
      this.destinationsById.set(destination.id, destination);
      for (const airport of destination.airports) {
        // Largest city first: an airport belongs to the biggest destination it serves.
        if (!this.destinationsByAirport.has(airport.iata)) this.destinationsByAirport.set(airport.iata, destination);
      }
    }
    this.demo = new DemoProvider(destinations);
    if (options.duffel) {
      this.external.push(
        new DuffelProvider({
          ...options.duffel,
          destinations: this.destinationsById,
          destinationsByAirport: this.destinationsByAirport,
          now: options.now ?? systemClock,
        }),
      );
    }
    this.logger = options.logger;
  }

  private providerOf(item: CatalogItem): CatalogProvider {
    return this.external.find((provider) => provider.name === item.provider) ?? this.demo;
  }

  /**
   * Asks each supplier of a paid booking to confirm its items. Confirmed only if every supplier confirmed; a refusal
   * anywhere refuses the booking; otherwise it waits for the slowest supplier.
   */
  async confirm(booking: BookingToConfirm): Promise<Confirmation> {
    const byProvider = new Map<CatalogProvider, BookingToConfirm["items"]>();
    for (const line of booking.items) {
      const provider = this.external.find((candidate) => line.itemId.startsWith(`${candidate.name}-`)) ?? this.demo;
      byProvider.set(provider, [...(byProvider.get(provider) ?? []), line]);
    }
    const answers = await Promise.all(
      [...byProvider].map(([provider, items]) => provider.confirm({ ...booking, items })),
    );
    const rejected = answers.find((a) => a.status === "rejected");
    if (rejected) return rejected;
    const pending = answers.filter((a) => a.status === "pending");
    if (pending.length > 0) {
      return {
        status: "pending",
        reason: pending.map((p) => p.reason).join("; "),
        retryAfterMs: Math.min(...pending.map((p) => p.retryAfterMs)),
      };
    }
    return {
      status: "confirmed",
      reference: answers.map((a) => (a.status === "confirmed" ? a.reference : "")).join(" "),
    };
  }

  async getItem(id: string): Promise<CatalogItem | undefined> {
    const provider = this.external.find((candidate) => id.startsWith(`${candidate.name}-`)) ?? this.demo;
    return provider.getItem(id);
  }

  /**
   * Days in [checkIn, checkOut) the item can be booked; a hotel needs every night, anything else one day of the
   * window. Without checkOut the window is the single day checkIn.
   */
  isAvailable(item: CatalogItem, checkIn: string, checkOut?: string): boolean {
    const days = daysBetween(checkIn, checkOut ?? addDays(checkIn, 1));
    const provider = this.providerOf(item);
    return item.type === "hotel"
      ? days.every((day) => provider.isAvailable(item, day))
      : days.some((day) => provider.isAvailable(item, day));
  }

  availableOn(item: CatalogItem, day: string): boolean {
    return this.providerOf(item).isAvailable(item, day);
  }

  async search(query: SearchQuery): Promise<{ items: CatalogItem[]; total: number; sources: SourceStatus[] }> {
    if (query.destinationId && !this.destinationsById.has(query.destinationId)) {
      throw new ApiError(400, "validation_failed", "query.destination: unknown destination", {
        fields: [{ field: "query.destination", message: "unknown destination" }],
      });
    }
    const sources: SourceStatus[] = [{ provider: this.demo.name, status: "ok" }];
    let candidates = this.demo.candidates(query);
    for (const provider of this.external) {
      if (!provider.handles(query.type)) continue;
      try {
        const found = await provider.search(query);
        if (found.length > 0) candidates = [...found, ...candidates];
        sources.push({ provider: provider.name, status: "ok" });
      } catch (error) {
        // One supplier failing must not take search down: its results are missing and the response says why.
        const message =
          error instanceof ApiError ? String((error.details as { reason?: string })?.reason) : String(error);
        this.logger?.warn({ provider: provider.name, err: message }, "catalog provider failed");
        sources.push({ provider: provider.name, status: "error", message });
      }
    }

    const tokens = (query.text ?? "").toLowerCase().split(/\s+/).filter(Boolean);
    const matches = candidates.filter(
      (item) =>
        (!query.type || item.type === query.type) &&
        (query.minPriceCents === undefined || item.priceCents >= query.minPriceCents) &&
        (query.maxPriceCents === undefined || item.priceCents <= query.maxPriceCents) &&
        (!query.origin || (item.details.kind === "flight" && item.details.origin === query.origin)) &&
        tokens.every((token) => item.searchText.includes(token)) &&
        (!query.checkIn || this.isAvailable(item, query.checkIn, query.checkOut)),
    );
    sortItems(matches, query.sort);
    return { items: matches.slice(query.offset, query.offset + query.limit), total: matches.length, sources };
  }

  searchDestinations(query: { text?: string; country?: string; offset: number; limit: number }) {
    const text = query.text?.toLowerCase();
    const matches = this.destinations.filter(
      (destination) =>
        (!query.country || destination.country === query.country) &&
        (!text ||
          destination.name.toLowerCase().includes(text) ||
          destination.airports.some((airport) => airport.iata.toLowerCase() === text)),
    );
    return { destinations: matches.slice(query.offset, query.offset + query.limit), total: matches.length };
  }
}

function sortItems(items: CatalogItem[], sort: SearchQuery["sort"]) {
  const byId = (a: CatalogItem, b: CatalogItem) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const byPrice = (a: CatalogItem, b: CatalogItem) =>
    a.priceCents < b.priceCents ? -1 : a.priceCents > b.priceCents ? 1 : 0;
  switch (sort) {
    case "price_asc":
      items.sort((a, b) => byPrice(a, b) || byId(a, b));
      break;
    case "price_desc":
      items.sort((a, b) => byPrice(b, a) || byId(a, b));
      break;
    case "rating_desc":
      items.sort((a, b) => b.ratingTenths - a.ratingTenths || b.reviewCount - a.reviewCount || byId(a, b));
      break;
    case "name_asc":
      items.sort((a, b) => collator.compare(a.name, b.name) || byId(a, b));
      break;
    case "relevance":
      // Candidates already come in a meaningful order: suppliers' live offers, then destinations by size.
      break;
  }
}
