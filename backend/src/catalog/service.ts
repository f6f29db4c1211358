import type { Logger } from "pino";

import { systemClock, type Clock } from "../clock.js";
import { ApiError } from "../http/errors.js";
import { WorkLimiter } from "../http/work-limit.js";
import { addDays } from "./dates.js";
import { DemoProvider } from "./demo.js";
import { DuffelProvider } from "./duffel.js";
import { gazetteerOf } from "./gazetteer.js";
import { loadDestinations, type Destination } from "./geodata.js";
import { searchTokens, sortItems } from "./order.js";
import { SearchIndex, type ScanCursor } from "./search-index.js";
import type { BookingToConfirm, CatalogItem, CatalogProvider, Confirmation, SearchQuery } from "./types.js";

/** Whole-inventory searches that may wait for their turn (each takes a few milliseconds); beyond: 503. */
const SCANS_WAITING = 64;

export interface SourceStatus {
  provider: string;
  status: "ok" | "error";
  message?: string;
}

export interface CatalogSearchResult {
  items: CatalogItem[];
  /** Matches in all; a lower bound when `totalExact` is false (counting stopped at the work budget). */
  total: number;
  totalExact: boolean;
  /** Where the next page starts; null on the last page. */
  next: ScanCursor | null;
  sources: SourceStatus[];
  /** Work units the search spent (see SEARCH_COSTS); 0 for a destination's search, which is small by nature. */
  work: number;
}

export interface CatalogOptions {
  /** Live Duffel offers: flights, and hotels too with `stays`. */
  duffel?: { accessToken: string; apiUrl?: string; stays?: boolean };
  logger?: Logger;
  /** When a supplier's offer counts as expired. */
  now?: Clock;
  /** Work units one search over the whole inventory may spend (default SEARCH_WORK_BUDGET). */
  searchWorkBudget?: number;
  /** The demo inventory's free-cancellation windows, in minutes (0 or unset: none). */
  demoFreeCancellationMinutes?: number;
}

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
  private index?: Promise<SearchIndex>;
  /**
   * Whole-inventory scans take turns: one yields to the event loop every fraction of a millisecond, so other requests
   * wait behind at most one slice of scanning, where a dozen scans at once would each add theirs to every wait.
   */
  private readonly scans = new WorkLimiter({
    what: "searches without a destination",
    concurrency: 1,
    queue: SCANS_WAITING,
    perClient: SCANS_WAITING,
  });
  private readonly searchWorkBudget?: number;
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
    this.demo = new DemoProvider(destinations, options.demoFreeCancellationMinutes);
    this.searchWorkBudget = options.searchWorkBudget;
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

  /**
   * The index that searches the whole inventory, built on first use (a few hundred milliseconds, yielding to other
   * requests meanwhile); a server may call this at start-up so that no search waits for it.
   */
  searchIndex(): Promise<SearchIndex> {
    return (this.index ??= SearchIndex.build(this.demo.all, this.searchWorkBudget));
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

  /** The supplier that placed orders under `provider`'s name, if it cancels them. */
  canceller(
    provider: string,
  ): Required<Pick<CatalogProvider, "quoteCancellation" | "confirmCancellation">> | undefined {
    const supplier = this.external.find((candidate) => candidate.name === provider);
    if (!supplier?.quoteCancellation || !supplier.confirmCancellation) return undefined;
    return {
      quoteCancellation: (orderId) => supplier.quoteCancellation!(orderId),
      confirmCancellation: (quoteId) => supplier.confirmCancellation!(quoteId),
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
    const provider = this.providerOf(item);
    const every = item.type === "hotel";
    const end = checkOut ?? addDays(checkIn, 1);
    // Stops at the first day that decides (a full night missing, or one open day), as most items are decided early.
    for (let day = checkIn; day < end; day = addDays(day, 1)) {
      if (provider.isAvailable(item, day) !== every) return !every;
    }
    return every;
  }

  availableOn(item: CatalogItem, day: string): boolean {
    return this.providerOf(item).isAvailable(item, day);
  }

  /**
   * Items matching the query, a page of them in the requested order. With a destination, its few items (and live
   * suppliers' offers) are filtered and sorted whole; without one, the demo index answers with bounded work (see
   * search-index.ts), so `total` may be a lower bound (`totalExact: false`) and a page may come short with a cursor.
   */
  async search(query: SearchQuery): Promise<CatalogSearchResult> {
    if (query.destinationId && !this.destinationsById.has(query.destinationId)) {
      throw new ApiError(400, "validation_failed", "query.destination: unknown destination", {
        fields: [{ field: "query.destination", message: "unknown destination" }],
      });
    }
    const sources: SourceStatus[] = [{ provider: this.demo.name, status: "ok" }];
    if (!query.destinationId) {
      // Live suppliers answer only for a destination (an arrival airport).
      const index = await this.searchIndex();
      const release = await this.scans.acquire([]);
      try {
        const { items, total, totalExact, next, work } = await index.search(query, {
          offset: query.offset,
          position: query.resumeAt,
          skip: query.skip,
        });
        return { items, total, totalExact, next, sources, work };
      } finally {
        release();
      }
    }
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

    const tokens = searchTokens(query.text);
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
    const items = matches.slice(query.offset, query.offset + query.limit);
    const next = query.offset + items.length;
    return {
      items,
      total: matches.length,
      totalExact: true,
      next: next < matches.length ? { offset: next } : null,
      sources,
      work: 0,
    };
  }

  searchDestinations(query: { text?: string; country?: string; offset: number; limit: number }) {
    const text = query.text?.toLowerCase();
    // Any common name of a place finds it too ("Sevilla", "Cologne"), best known first.
    const named = text ? gazetteerOf(this).named(text) : [];
    const matches = [
      ...named,
      ...this.destinations.filter(
        (destination) =>
          !named.includes(destination) &&
          (!text ||
            destination.name.toLowerCase().includes(text) ||
            destination.airports.some((airport) => airport.iata.toLowerCase() === text)),
      ),
    ].filter((destination) => !query.country || destination.country === query.country);
    return { destinations: matches.slice(query.offset, query.offset + query.limit), total: matches.length };
  }
}
