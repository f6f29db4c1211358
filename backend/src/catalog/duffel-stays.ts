/**
 * Real hotels from Duffel Stays (`duffel.stays` of `@duffel/api`), part of the Duffel provider when DUFFEL_STAYS is
 * set. A hotel search for a destination with its stay and party searches around the destination, fetches the rates of
 * its cheapest hotels and offers each hotel's cheapest bookable rate (USD, paid now from the Duffel balance) priced for
 * the whole stay. On payment the rate is quoted again (Duffel's final price and availability check) and booked for the
 * guests; cancelling cancels the Duffel booking, which gives back what the rate's cancellation timeline says then.
 */
import type { Duffel } from "@duffel/api";
import type {
  StaysAccommodation,
  StaysQuote,
  StaysRate,
  StaysRateCancellationTimeline,
  StaysRoom,
} from "@duffel/api/Stays/StaysTypes";

import type { Clock } from "../clock.js";
import { DUFFEL_COMMISSION_BPS, DUFFEL_PROVIDER, HOLD_MINUTES, cents, isRefusal, refusalOf } from "./duffel-shared.js";
import { distanceKm, type Destination, type SizeTier } from "./geodata.js";
import { nightsBetween } from "./dates.js";
import type {
  BookedLine,
  BookingToConfirm,
  CancellationPolicy,
  CancellationQuote,
  CatalogItem,
  Confirmation,
  PlacedOrder,
  SearchQuery,
} from "./types.js";

export const STAY_PREFIX = `${DUFFEL_PROVIDER}-stay-`;
/** Hotels of one search whose rates are fetched (a request each), the cheapest first. */
const HOTELS_PER_SEARCH = 10;
/** How far around the destination's centre a search looks, by its size. */
const RADIUS_KM: Record<SizeTier, number> = { town: 3, city: 5, metro: 10, megacity: 15 };
const NON_REFUNDABLE: CancellationPolicy = { kind: "window", freeMinutes: 0, feeBps: 10_000, dueMinutes: 0 };

/** What the Stays part uses of the Duffel provider it belongs to. */
export interface StaysContext {
  client(): Promise<Duffel>;
  /** Duffel's failure as the provider reports it (a 502 naming Duffel's reason). */
  failed(error: unknown): Error;
  destinations: Map<string, Destination>;
  now: Clock;
}

interface Stay {
  checkIn: string;
  checkOut: string;
  guests: number;
  rooms: number;
}

/** Rooms a party takes: two guests a room, as hotels are priced in the demo inventory. */
const roomsFor = (guests: number) => Math.ceil(guests / 2);

/**
 * A rate's cancellation timeline (refund amounts before deadlines, in ascending order) as terms booked now: free while
 * its first step gives all of it back, then the fee its next step implies (no next step: nothing comes back), the
 * supplier due when that step ends. A rate that gives nothing back is due at once. Every deadline is capped at
 * HOLD_MINUTES from now, so the money never stays in escrow past the escrow's own refund window.
 */
export function stayPolicy(
  rate: Pick<StaysRate, "total_amount" | "total_currency" | "cancellation_timeline">,
  now: Date,
): CancellationPolicy {
  const total = cents(rate.total_amount);
  const steps = rate.cancellation_timeline
    .filter((step) => step.currency === rate.total_currency && Date.parse(step.before) > now.getTime())
    .map((step) => ({
      minutes: Math.min(HOLD_MINUTES, Math.floor((Date.parse(step.before) - now.getTime()) / 60_000)),
      refund: cents(step.refund_amount) ?? 0n,
    }));
  const [first, next] = steps;
  if (!total || !first || first.refund === 0n) return NON_REFUNDABLE;
  // Rounded up: the escrow never gives back more than the hotel does.
  const feeBps = (refund: bigint) => (refund >= total ? 0 : Number(((total - refund) * 10_000n + total - 1n) / total));
  if (first.refund < total)
    return { kind: "window", freeMinutes: 0, feeBps: feeBps(first.refund), dueMinutes: first.minutes };
  return next
    ? { kind: "window", freeMinutes: first.minutes, feeBps: feeBps(next.refund), dueMinutes: next.minutes }
    : { kind: "window", freeMinutes: first.minutes, feeBps: 10_000, dueMinutes: first.minutes };
}

/** What cancelling gives back at `now` under a timeline: the first step not yet past, else nothing. */
function refundAt(timeline: StaysRateCancellationTimeline[], now: Date): bigint {
  const step = timeline.find((candidate) => Date.parse(candidate.before) > now.getTime());
  return step && step.currency === "USD" ? (cents(step.refund_amount) ?? 0n) : 0n;
}

/** Rates TRVL can book: priced in USD, paid in full now from the Duffel balance, no loyalty membership needed. */
function bookableRates(accommodation: StaysAccommodation): { room: StaysRoom; rate: StaysRate }[] {
  return accommodation.rooms
    .flatMap((room) => room.rates.map((rate) => ({ room, rate })))
    .filter(
      ({ rate }) =>
        rate.total_currency === "USD" &&
        cents(rate.total_amount) !== undefined &&
        rate.payment_type === "pay_now" &&
        rate.available_payment_methods.includes("balance") &&
        !rate.loyalty_programme_required,
    )
    .sort((a, b) => Number(cents(a.rate.total_amount)! - cents(b.rate.total_amount)!));
}

export class DuffelStays {
  constructor(private readonly context: StaysContext) {}

  owns(itemId: string): boolean {
    return itemId.startsWith(STAY_PREFIX);
  }

  /** Whether a Duffel id is a Stays booking's (`bok_…`; flight orders are `ord_…`). */
  ownsBooking(id: string): boolean {
    return id.startsWith("bok_");
  }

  async search(query: SearchQuery): Promise<CatalogItem[]> {
    const destination = query.destinationId ? this.context.destinations.get(query.destinationId) : undefined;
    const { checkIn, checkOut } = query;
    if (!destination || !checkIn || !checkOut || checkOut <= checkIn) return [];
    const guests = query.guests ?? 1;
    const duffel = await this.context.client();
    const found = await this.call(() =>
      duffel.stays.search({
        location: {
          radius: RADIUS_KM[destination.size],
          geographic_coordinates: { latitude: destination.lat, longitude: destination.lon },
        },
        check_in_date: checkIn,
        check_out_date: checkOut,
        rooms: roomsFor(guests),
        guests: Array.from({ length: guests }, () => ({ type: "adult" as const })),
      }),
    );
    // A hotel's cheapest rate may be in another currency than its bookable ones: those with a USD one come first.
    const usd = (result: (typeof found.data.results)[number]) =>
      result.cheapest_rate_currency === "USD" ? (cents(result.cheapest_rate_total_amount) ?? -1n) : -1n;
    const cheapest = [...found.data.results]
      .sort((a, b) => {
        const [x, y] = [usd(a), usd(b)];
        return x < 0n || y < 0n ? Number(x < 0n) - Number(y < 0n) : Number(x - y);
      })
      .slice(0, HOTELS_PER_SEARCH);
    const withRates = await Promise.all(
      cheapest.map((result) => this.call(() => duffel.stays.searchResults.fetchAllRates(result.id))),
    );
    return withRates.flatMap(({ data }) => {
      const [best] = bookableRates(data.accommodation);
      const stay = { checkIn: data.check_in_date, checkOut: data.check_out_date, guests, rooms: data.rooms };
      return best ? (this.toItem(data.accommodation, best.room, best.rate, stay, destination) ?? []) : [];
    });
  }

  /**
   * A rate as an item, from Duffel's quote for it (Duffel has no way to read a rate again; a quote is its final price
   * and availability check, and reserves nothing). Gone or no longer bookable: undefined.
   */
  async getItem(id: string): Promise<CatalogItem | undefined> {
    const rateId = id.slice(STAY_PREFIX.length);
    if (!/^rat_[A-Za-z0-9]+$/.test(rateId)) return undefined;
    const duffel = await this.context.client();
    let quote: StaysQuote;
    try {
      quote = (await duffel.stays.quotes.create(rateId)).data;
    } catch (error) {
      if ([404, 410, 422].includes((error as { status?: number }).status ?? 0)) return undefined;
      throw this.context.failed(error);
    }
    const quoted = quote.accommodation.rooms.flatMap((room) => room.rates.map((rate) => ({ room, rate })));
    const match = quoted.find(({ rate }) => rate.id === rateId) ?? quoted[0];
    const destination = this.nearestDestination(quote.accommodation);
    if (!match || !destination) return undefined;
    const stay = {
      checkIn: quote.check_in_date,
      checkOut: quote.check_out_date,
      guests: quote.guests.length,
      rooms: quote.rooms,
    };
    // The quote's total is the price now.
    const rate = { ...match.rate, id: rateId, total_amount: quote.total_amount, total_currency: quote.total_currency };
    return this.toItem(quote.accommodation, match.room, rate, stay, destination);
  }

  isAvailable(item: CatalogItem, date: string): boolean {
    const stay = item.details.kind === "hotel" ? item.details.stay : undefined;
    return stay !== undefined && date >= stay.checkIn && date < stay.checkOut;
  }

  /**
   * Books a paid stay with Duffel: the rate is quoted again (a price other than paid, or a rate gone, refuses the
   * booking), the intent recorded, then the booking created for the guests by name (the first is the lead guest, with
   * their email and phone) with metadata naming the booked item. After a crash between the two, the booking is found
   * among Duffel's Stays bookings by that metadata instead of booked twice.
   */
  async place(
    booking: BookingToConfirm,
    line: BookedLine,
  ): Promise<{ order: PlacedOrder } | Exclude<Confirmation, { status: "confirmed" }>> {
    if (line.order) return { order: line.order };
    const rateId = line.itemId.slice(STAY_PREFIX.length);
    const metadata = { trvl_booking_id: booking.id, trvl_item: String(line.position) };
    const guests = booking.passengers ?? [];
    const lead = guests[0];
    const duffel = await this.context.client();
    try {
      if (line.orderRequestedAt) {
        const found = await this.findBooking(duffel, metadata);
        if (found) {
          await booking.orders.placed(line.position, found);
          return { order: found };
        }
      }
      if (!lead) {
        return { status: "rejected", reason: "The hotel needs the lead guest's name, email and phone: none was given" };
      }
      const quote = (await duffel.stays.quotes.create(rateId)).data;
      if (cents(quote.total_amount) !== line.totalCents || quote.total_currency !== "USD") {
        return {
          status: "rejected",
          reason: `The hotel rate ${rateId}'s price changed to ${quote.total_amount} ${quote.total_currency}`,
        };
      }
      await booking.orders.requested(line.position);
      const booked = (
        await duffel.stays.bookings.create({
          quote_id: quote.id,
          guests: guests.map((guest) => ({ given_name: guest.givenName, family_name: guest.familyName })),
          email: lead.email,
          phone_number: lead.phoneNumber,
          metadata,
        })
      ).data;
      const placed = { id: booked.id, bookingReference: booked.reference ?? booked.id };
      await booking.orders.placed(line.position, placed);
      return { order: placed };
    } catch (error) {
      const refusal = refusalOf(error, `The hotel rate ${rateId}`, this.context.now());
      // A rate-limited request was not handled at all.
      if (refusal?.status === "pending") await booking.orders.notPlaced(line.position);
      if (refusal) return refusal;
      throw this.context.failed(error);
    }
  }

  /** The Stays booking made for a booked item, by its metadata (Duffel lists Stays bookings without a filter). */
  private async findBooking(duffel: Duffel, metadata: Record<string, string>): Promise<PlacedOrder | undefined> {
    for await (const page of duffel.stays.bookings.listWithGenerator()) {
      const found = page.data;
      const tags = found.metadata ?? {};
      if (Object.entries(metadata).every(([key, value]) => tags[key] === value)) {
        return { id: found.id, bookingReference: found.reference ?? found.id };
      }
    }
    return undefined;
  }

  /**
   * What cancelling a Stays booking gives back now, from its rate's cancellation timeline (Duffel cancels a booking in
   * one step: the quote's id is the booking's). A booking Duffel already cancelled (an attempt whose answer was lost
   * before it was recorded) gives back what the timeline gave when it was cancelled.
   */
  async quoteCancellation(bookingId: string): Promise<CancellationQuote> {
    const duffel = await this.context.client();
    const booked = (await this.call(() => duffel.stays.bookings.get(bookingId))).data;
    const rate = booked.accommodation.rooms.flatMap((room) => room.rates)[0];
    if (!rate) {
      throw this.context.failed(new Error(`Duffel's booking ${bookingId} names no rate: what it refunds is unknown`));
    }
    const at =
      booked.status === "cancelled" && booked.cancelled_at ? new Date(booked.cancelled_at) : this.context.now();
    return { id: booked.id, refundCents: refundAt(rate.cancellation_timeline, at) };
  }

  async confirmCancellation(bookingId: string): Promise<void> {
    const duffel = await this.context.client();
    try {
      await duffel.stays.bookings.cancel(bookingId);
    } catch (error) {
      // Cancelled already (Duffel refuses to cancel it again): the booking is cancelled as quoted.
      const cancelled = isRefusal(error)
        ? await duffel.stays.bookings.get(bookingId).then(
            ({ data }) => data.status === "cancelled",
            () => false,
          )
        : false;
      if (!cancelled) throw this.context.failed(error);
    }
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw this.context.failed(error);
    }
  }

  /** The destination a hotel belongs to: the nearest to it (a quote does not say which search found it). */
  private nearestDestination(accommodation: StaysAccommodation): Destination | undefined {
    const at = accommodation.location.geographic_coordinates;
    if (!at) return undefined;
    let nearest: Destination | undefined;
    let best = Infinity;
    for (const destination of this.context.destinations.values()) {
      const km = distanceKm(at.latitude, at.longitude, destination.lat, destination.lon);
      if (km < best) [nearest, best] = [destination, km];
    }
    return nearest;
  }

  private toItem(
    accommodation: StaysAccommodation,
    room: StaysRoom,
    rate: StaysRate,
    stay: Stay,
    destination: Destination,
  ): CatalogItem | undefined {
    const total = cents(rate.total_amount);
    if (rate.total_currency !== "USD" || total === undefined) return undefined;
    const { address: place, geographic_coordinates: at } = accommodation.location;
    const address = [place.line_one, place.postal_code, place.city_name].filter(Boolean).join(", ");
    const stars = accommodation.rating ?? 0;
    const amenities = (accommodation.amenities ?? []).map((amenity) => amenity.type.replaceAll("_", " "));
    const board = rate.board_type.replaceAll("_", " ");
    const nights = nightsBetween(stay.checkIn, stay.checkOut);
    const item: Omit<CatalogItem, "searchText"> = {
      id: `${STAY_PREFIX}${rate.id}`,
      type: "hotel",
      provider: DUFFEL_PROVIDER,
      providerOfferId: rate.id,
      cancellation: stayPolicy(rate, this.context.now()),
      demo: false,
      destinationId: destination.id,
      name: accommodation.name,
      description:
        `${stars > 0 ? `${stars}-star hotel` : "Hotel"} at ${address}: ${room.name}, ${board}, ` +
        `${nights} night(s) from ${stay.checkIn} for ${stay.guests} guest(s) in ${stay.rooms} room(s); ` +
        `rate valid until ${rate.expires_at}.`,
      priceCents: total,
      priceUnit: "offer",
      ratingTenths: accommodation.review_score ? Math.round(accommodation.review_score * 5) : 0,
      reviewCount: accommodation.review_count ?? 0,
      tags: ["hotel", rate.board_type, ...(accommodation.amenities ?? []).map((amenity) => amenity.type)],
      commissionBps: DUFFEL_COMMISSION_BPS,
      details: {
        kind: "hotel",
        stars,
        neighbourhood: place.city_name,
        amenities,
        address,
        photos: (accommodation.photos ?? []).slice(0, 5).map((photo) => photo.url),
        stay,
      },
      ...(at ? { location: { lat: at.latitude, lon: at.longitude } } : {}),
    };
    return {
      ...item,
      searchText:
        `${accommodation.name} ${address} ${destination.name} ${destination.countryName} hotel ${board} ${amenities.join(" ")}`.toLowerCase(),
    };
  }
}
