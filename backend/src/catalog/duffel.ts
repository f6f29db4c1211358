/**
 * Real flight offers from Duffel (`@duffel/api`), used when DUFFEL_ACCESS_TOKEN is set. Offers are searched for the
 * traveller's origin, destination airport, date and party, and priced as Duffel prices them (USD offers only: the
 * escrow settles in USD-valued tokens).
 */
import type { Duffel } from "@duffel/api";
import type { Offer } from "@duffel/api/booking/Offers/OfferTypes";

import type { Clock } from "../clock.js";
import { ApiError } from "../http/errors.js";
import type { Destination } from "./geodata.js";
import type { BookingToConfirm, CatalogItem, CatalogProvider, Confirmation, ItemType, SearchQuery } from "./types.js";

export const DUFFEL_PROVIDER = "duffel";
const PREFIX = `${DUFFEL_PROVIDER}-`;
export const DUFFEL_COMMISSION_BPS = 300;

export interface DuffelOptions {
  accessToken: string;
  /** Base URL of the API; tests point it at a local stub. */
  apiUrl?: string;
  destinations: Map<string, Destination>;
  destinationsByAirport: Map<string, Destination>;
  now: Clock;
}

function cents(amount: string): bigint | undefined {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(amount);
  if (!match) return undefined;
  return BigInt(match[1]) * 100n + BigInt((match[2] ?? "").padEnd(2, "0"));
}

function minutes(isoDuration: string | null | undefined): number {
  const match = /^P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?/.exec(isoDuration ?? "");
  if (!match) return 0;
  return Number(match[1] ?? 0) * 1440 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}

export class DuffelProvider implements CatalogProvider {
  readonly name = DUFFEL_PROVIDER;
  private client?: Promise<Duffel>;

  constructor(private readonly options: DuffelOptions) {}

  // The SDK is loaded only when configured: importing it rewrites process.env.
  private duffel(): Promise<Duffel> {
    this.client ??= import("@duffel/api").then(
      ({ Duffel }) => new Duffel({ token: this.options.accessToken, basePath: this.options.apiUrl, source: "trvl" }),
    );
    return this.client;
  }

  handles(type: ItemType | undefined): boolean {
    return type === undefined || type === "flight";
  }

  async search(query: SearchQuery): Promise<CatalogItem[]> {
    const destination = query.destinationId ? this.options.destinations.get(query.destinationId) : undefined;
    const arrival = destination?.airports[0]?.iata;
    if (!destination || !arrival || !query.origin || !query.checkIn || query.origin === arrival) return [];
    const duffel = await this.duffel();
    const response = await this.call(() =>
      duffel.offerRequests.create({
        slices: [{ origin: query.origin!, destination: arrival, departure_date: query.checkIn! }] as never,
        passengers: Array.from({ length: query.guests ?? 1 }, () => ({ type: "adult" as const })),
        cabin_class: "economy",
        return_offers: true,
        supplier_timeout: 10_000,
      }),
    );
    const offers = (response.data as unknown as { offers?: Offer[] }).offers ?? [];
    return offers.flatMap((offer) => this.toItem(offer, destination) ?? []);
  }

  async getItem(id: string): Promise<CatalogItem | undefined> {
    if (!id.startsWith(PREFIX)) return undefined;
    const offerId = id.slice(PREFIX.length);
    if (!/^off_[A-Za-z0-9]+$/.test(offerId)) return undefined;
    const duffel = await this.duffel();
    let offer: Offer;
    try {
      offer = (await duffel.offers.get(offerId)).data;
    } catch (error) {
      if ((error as { status?: number }).status === 404) return undefined;
      throw this.upstream(error);
    }
    const arrival = offer.slices[0]?.destination.iata_code;
    const destination = arrival ? this.options.destinationsByAirport.get(arrival) : undefined;
    return destination ? this.toItem(offer, destination) : undefined;
  }

  isAvailable(item: CatalogItem, date: string): boolean {
    return item.details.kind === "flight" && (item.details.departingAt ?? "").startsWith(date);
  }

  /**
   * A Duffel order needs every passenger's name, birth date and contact, which TRVL does not collect yet: an offer
   * that is still valid waits (an operator completes the order in Duffel); an offer that expired is refused, so the
   * traveller is refunded.
   */
  async confirm(booking: BookingToConfirm): Promise<Confirmation> {
    const duffel = await this.duffel();
    for (const { itemId } of booking.items) {
      const offerId = itemId.slice(PREFIX.length);
      try {
        const offer = (await duffel.offers.get(offerId)).data as Offer & { expires_at?: string };
        if (offer.expires_at && Date.parse(offer.expires_at) < this.options.now().getTime()) {
          return { status: "rejected", reason: `The flight offer ${offerId} expired before the order was placed` };
        }
      } catch (error) {
        if ((error as { status?: number }).status === 404) {
          return { status: "rejected", reason: `The flight offer ${offerId} no longer exists` };
        }
        throw this.upstream(error);
      }
    }
    return {
      status: "pending",
      reason: "Duffel orders need each passenger's details, which TRVL does not collect yet: an operator places it",
      retryAfterMs: 3_600_000,
    };
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw this.upstream(error);
    }
  }

  private upstream(error: unknown): ApiError {
    const errors = (error as { errors?: { message?: string }[] }).errors;
    return new ApiError(502, "supplier_failed", "The flight supplier (Duffel) did not answer as expected", {
      provider: DUFFEL_PROVIDER,
      reason: errors?.[0]?.message ?? (error instanceof Error ? error.message : String(error)),
    });
  }

  private toItem(offer: Offer, destination: Destination): CatalogItem | undefined {
    const total = cents(offer.total_amount);
    const slice = offer.slices[0];
    const segment = slice?.segments[0];
    const origin = slice?.origin.iata_code;
    const arrival = slice?.destination.iata_code;
    if (offer.total_currency !== "USD" || total === undefined || !segment || !origin || !arrival) return undefined;
    const carrier = segment.marketing_carrier;
    const departingAt = segment.departing_at;
    const name = `${offer.owner.name} ${origin} → ${arrival}`;
    const item: Omit<CatalogItem, "searchText"> = {
      id: `${PREFIX}${offer.id}`,
      type: "flight",
      provider: DUFFEL_PROVIDER,
      providerOfferId: offer.id,
      // Cancelled through the escrow until the supplier is paid, which is when the order is confirmed.
      cancellation: { kind: "until_settled" },
      demo: false,
      destinationId: destination.id,
      name,
      description: `${offer.owner.name} flight ${carrier.iata_code}${segment.marketing_carrier_flight_number}, departing ${departingAt}, for ${offer.passengers.length} passenger(s); offer valid until ${offer.expires_at}.`,
      priceCents: total,
      priceUnit: "offer",
      ratingTenths: 0,
      reviewCount: 0,
      tags: ["flight", origin.toLowerCase(), arrival.toLowerCase()],
      commissionBps: DUFFEL_COMMISSION_BPS,
      details: {
        kind: "flight",
        airline: offer.owner.name,
        flightNumber: `${carrier.iata_code} ${segment.marketing_carrier_flight_number}`,
        origin,
        destination: arrival,
        departureTime: departingAt.slice(11, 16),
        departingAt,
        durationMinutes: minutes(slice!.duration),
        distanceKm: Number(segment.distance ?? 0) || 0,
        cabin: "economy",
        passengers: offer.passengers.length,
      },
    };
    return { ...item, searchText: `${name} ${destination.name} ${destination.countryName} flight`.toLowerCase() };
  }
}
