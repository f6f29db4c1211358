/**
 * Real flight offers from Duffel (`@duffel/api`), used when DUFFEL_ACCESS_TOKEN is set. Offers are searched for the
 * traveller's origin, destination airport, date and party, and priced as Duffel prices them (USD offers only: the
 * escrow settles in USD-valued tokens). With DUFFEL_STAYS, hotels too (duffel-stays.ts): one provider, so that a
 * booking's flights and hotels are ordered, refused and cancelled together.
 */
import type { Duffel } from "@duffel/api";
import type { OrderCancellation } from "@duffel/api/booking/OrderCancellations/OrderCancellationsTypes";
import type { Offer } from "@duffel/api/booking/Offers/OfferTypes";

import type { Clock } from "../clock.js";
import { ApiError } from "../http/errors.js";
import {
  DUFFEL_COMMISSION_BPS,
  DUFFEL_PROVIDER,
  HOLD_MINUTES,
  cents,
  isRefusal,
  refusalOf,
  retryAfterMs,
  type DuffelErrorLike,
} from "./duffel-shared.js";
import { DuffelStays } from "./duffel-stays.js";
import type { Destination } from "./geodata.js";
import { localTimeToInstant } from "./local-time.js";
import type {
  BookedLine,
  BookingToConfirm,
  CancellationPolicy,
  CancellationQuote,
  CatalogItem,
  CatalogProvider,
  Confirmation,
  ItemType,
  PlacedOrder,
  SearchQuery,
} from "./types.js";

export { DUFFEL_COMMISSION_BPS, DUFFEL_PROVIDER, HOLD_MINUTES, retryAfterMs };

const PREFIX = `${DUFFEL_PROVIDER}-`;

export interface DuffelOptions {
  accessToken: string;
  /** Base URL of the API; tests point it at a local stub. */
  apiUrl?: string;
  destinations: Map<string, Destination>;
  destinationsByAirport: Map<string, Destination>;
  now: Clock;
  /** Hotels from Duffel Stays too (bookings already made with Stays are handled either way). */
  stays?: boolean;
}

function minutes(isoDuration: string | null | undefined): number {
  const match = /^P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?/.exec(isoDuration ?? "");
  if (!match) return 0;
  return Number(match[1] ?? 0) * 1440 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}

export class DuffelProvider implements CatalogProvider {
  readonly name = DUFFEL_PROVIDER;
  private client?: Promise<Duffel>;
  /** Cancellations Duffel already confirmed, found by `quoteCancellation`: confirming one again is a no-op. */
  private readonly confirmed = new Set<string>();
  private readonly stays: DuffelStays;

  constructor(private readonly options: DuffelOptions) {
    this.stays = new DuffelStays({
      client: () => this.duffel(),
      failed: (error) => this.upstream(error),
      destinations: options.destinations,
      now: options.now,
    });
  }

  // The SDK is loaded only when configured: importing it rewrites process.env.
  private duffel(): Promise<Duffel> {
    this.client ??= import("@duffel/api").then(
      ({ Duffel }) => new Duffel({ token: this.options.accessToken, basePath: this.options.apiUrl, source: "trvl" }),
    );
    return this.client;
  }

  handles(type: ItemType | undefined): boolean {
    return type === undefined || type === "flight" || (type === "hotel" && this.options.stays === true);
  }

  async search(query: SearchQuery): Promise<CatalogItem[]> {
    // A search from an origin airport is for flights: no hotel would match it.
    const hotels = this.options.stays && query.type !== "flight" && !query.origin;
    const [flights, stays] = await Promise.all([
      query.type === "hotel" ? [] : this.searchFlights(query),
      hotels ? this.stays.search(query) : [],
    ]);
    return [...flights, ...stays];
  }

  private async searchFlights(query: SearchQuery): Promise<CatalogItem[]> {
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
    if (this.stays.owns(id)) return this.stays.getItem(id);
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
    if (item.type === "hotel") return this.stays.isAvailable(item, date);
    return item.details.kind === "flight" && (item.details.departingAt ?? "").startsWith(date);
  }

  /**
   * Places a Duffel order (instant, paid from the Duffel balance) for each flight of a paid booking, with its
   * passengers, and a Stays booking for each hotel (duffel-stays.ts), and confirms with their booking references. Each
   * order is recorded as requested before it is placed and carries the booking in its metadata: after a crash in
   * between, the order is looked up, never placed twice. An offer that vanished, expired, changed price or was refused is a refusal (the traveller is refunded, and
   * orders already placed for the booking are cancelled); a rate limit waits for its reset.
   */
  async confirm(booking: BookingToConfirm): Promise<Confirmation> {
    const duffel = await this.duffel();
    const references: string[] = [];
    const placed: { position: number; order: PlacedOrder }[] = [];
    for (const line of booking.items) {
      const answer = this.stays.owns(line.itemId)
        ? await this.stays.place(booking, line)
        : await this.order(duffel, booking, line);
      if ("order" in answer) {
        placed.push({ position: line.position, order: answer.order });
        references.push(answer.order.bookingReference);
        continue;
      }
      if (answer.status === "rejected") {
        for (const { position, order } of placed) {
          await this.cancelOrder(order.id)
            .then(() => booking.orders.cancelled(position))
            .catch(() => undefined);
        }
      }
      return answer;
    }
    return { status: "confirmed", reference: references.join(" ") };
  }

  private async order(
    duffel: Duffel,
    booking: BookingToConfirm,
    line: BookedLine,
  ): Promise<{ order: PlacedOrder } | Exclude<Confirmation, { status: "confirmed" }>> {
    if (line.order) return { order: line.order };
    const offerId = line.itemId.slice(PREFIX.length);
    const metadata = { trvl_booking_id: booking.id, trvl_item: String(line.position) };
    const passengers = booking.passengers ?? [];
    try {
      if (line.orderRequestedAt) {
        const found = await this.findOrder(duffel, metadata, passengers[0]?.familyName);
        if (found) {
          await booking.orders.placed(line.position, found);
          return { order: found };
        }
      }
      const offer = (await duffel.offers.get(offerId)).data;
      if (Date.parse(offer.expires_at) <= this.options.now().getTime()) {
        return { status: "rejected", reason: `The flight offer ${offerId} expired before the order was placed` };
      }
      if (cents(offer.total_amount) !== line.totalCents || offer.total_currency !== "USD") {
        return {
          status: "rejected",
          reason: `The flight offer ${offerId}'s price changed to ${offer.total_amount} ${offer.total_currency}`,
        };
      }
      if (passengers.length !== offer.passengers.length) {
        return {
          status: "rejected",
          reason: `The flight needs ${offer.passengers.length} passenger(s)' details; the booking has ${passengers.length}`,
        };
      }
      await booking.orders.requested(line.position);
      const order = (
        await duffel.orders.create({
          type: "instant",
          selected_offers: [offerId],
          payments: [{ type: "balance", amount: offer.total_amount, currency: offer.total_currency }],
          passengers: offer.passengers.map((seat, index) => {
            const passenger = passengers[index]!;
            return {
              id: seat.id,
              title: passenger.title,
              given_name: passenger.givenName,
              family_name: passenger.familyName,
              born_on: passenger.bornOn,
              gender: passenger.gender,
              email: passenger.email,
              phone_number: passenger.phoneNumber,
            };
          }),
          metadata,
        })
      ).data;
      const placed = { id: order.id, bookingReference: order.booking_reference };
      await booking.orders.placed(line.position, placed);
      return { order: placed };
    } catch (error) {
      const refusal = refusalOf(error, `The flight offer ${offerId}`, this.options.now());
      // A rate-limited request was not handled at all.
      if (refusal?.status === "pending") await booking.orders.notPlaced(line.position);
      if (refusal) return refusal;
      throw this.upstream(error);
    }
  }

  /** The order placed for a booked item, by its metadata (Duffel filters orders by passenger name, not metadata). */
  private async findOrder(
    duffel: Duffel,
    metadata: Record<string, string>,
    familyName: string | undefined,
  ): Promise<PlacedOrder | undefined> {
    const filter = familyName ? { "passenger_name[]": [familyName] } : {};
    for await (const page of duffel.orders.listWithGenerator(filter)) {
      const order = page.data;
      const tags = (order.metadata ?? {}) as Record<string, string>;
      if (Object.entries(metadata).every(([key, value]) => tags[key] === value)) {
        return { id: order.id, bookingReference: order.booking_reference };
      }
    }
    return undefined;
  }

  /**
   * Duffel's cancellation of the order: one already confirmed (by an attempt whose answer was lost before it was
   * recorded) stands as the result, with its refund; else the latest unconfirmed quote still valid, else a new one.
   */
  async quoteCancellation(orderId: string): Promise<CancellationQuote> {
    if (this.stays.ownsBooking(orderId)) return this.stays.quoteCancellation(orderId);
    const duffel = await this.duffel();
    const earlier = await this.earlierCancellation(duffel, orderId);
    if (earlier) return earlier;
    try {
      return this.asQuote((await duffel.orderCancellations.create({ order_id: orderId })).data);
    } catch (error) {
      // Cancelled meanwhile (Duffel refuses a cancellation of a cancelled order): the confirmed one is the answer.
      const confirmed = isRefusal(error) ? await this.earlierCancellation(duffel, orderId) : undefined;
      if (confirmed && this.confirmed.has(confirmed.id)) return confirmed;
      throw this.upstream(error);
    }
  }

  async confirmCancellation(quoteId: string): Promise<void> {
    if (this.stays.ownsBooking(quoteId)) return this.stays.confirmCancellation(quoteId);
    if (this.confirmed.has(quoteId)) return;
    const duffel = await this.duffel();
    try {
      await duffel.orderCancellations.confirm(quoteId);
    } catch (error) {
      // Confirmed already: its answer was lost, the order is cancelled as quoted.
      const confirmed = isRefusal(error)
        ? await duffel.orderCancellations.get(quoteId).then(
            ({ data }) => Boolean(data.confirmed_at),
            () => false,
          )
        : false;
      if (!confirmed) throw this.upstream(error);
    }
  }

  /** The order's confirmed cancellation, or its latest one if still valid; undefined if neither. */
  private async earlierCancellation(duffel: Duffel, orderId: string): Promise<CancellationQuote | undefined> {
    const cancellations = (await this.call(() => duffel.orderCancellations.list({ order_id: orderId }))).data;
    const confirmed = cancellations.find((cancellation) => cancellation.confirmed_at);
    if (confirmed) {
      this.confirmed.add(confirmed.id);
      return this.asQuote(confirmed);
    }
    // Duffel confirms only an order's latest cancellation.
    const latest = cancellations.sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))[0];
    const valid = latest && Date.parse(latest.expires_at) > this.options.now().getTime();
    return valid ? this.asQuote(latest) : undefined;
  }

  private asQuote(cancellation: OrderCancellation): CancellationQuote {
    const { id, refund_amount: amount, refund_currency: currency } = cancellation;
    return { id, refundCents: (currency === "USD" && amount ? cents(amount) : undefined) ?? 0n };
  }

  private async cancelOrder(orderId: string) {
    await this.confirmCancellation((await this.quoteCancellation(orderId)).id);
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw this.upstream(error);
    }
  }

  /**
   * Duffel's failure as a 502, with what Duffel answered (`status`, its error `code`, and after a 429 when to ask
   * again, `retryAfterMs`), so that a caller can tell a refusal from an outage.
   */
  private upstream(error: unknown): ApiError {
    const { status, headers, errors } = error as DuffelErrorLike;
    return new ApiError(502, "supplier_failed", "The flight supplier (Duffel) did not answer as expected", {
      provider: DUFFEL_PROVIDER,
      reason: errors?.[0]?.message ?? (error instanceof Error ? error.message : String(error)),
      ...(typeof status === "number" ? { status } : {}),
      ...(errors?.[0]?.code ? { code: errors[0].code } : {}),
      ...(status === 429
        ? { retryAfterMs: retryAfterMs(headers?.get?.("ratelimit-reset") ?? null, this.options.now()) }
        : {}),
    });
  }

  /**
   * Cancellable for `HOLD_MINUTES` after booking (never past departure): the order is cancelled with Duffel, which
   * decides what comes back of the flight, and the escrow refunds it. Then the supplier is due. Departure is the
   * airport's local time, in the zone Duffel names for the segment's origin.
   */
  private policy(departingAt: string, timeZone: string | undefined): CancellationPolicy {
    const departure = localTimeToInstant(departingAt, timeZone) ?? this.options.now().getTime();
    const untilDeparture = Math.floor((departure - this.options.now().getTime()) / 60_000);
    const minutes = Math.max(0, Math.min(HOLD_MINUTES, untilDeparture));
    return { kind: "window", freeMinutes: minutes, feeBps: 0, dueMinutes: minutes };
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
      cancellation: this.policy(departingAt, segment.origin?.time_zone),
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
