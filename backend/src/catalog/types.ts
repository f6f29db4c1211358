import type { Passenger } from "../bookings/passengers.js";

export const ITEM_TYPES = ["hotel", "flight", "activity", "restaurant"] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

/** What one unit of the price buys; an `offer` is priced whole, for the party it was searched for. */
export type PriceUnit = "night" | "person" | "seat" | "offer";

export interface HotelDetails {
  kind: "hotel";
  stars: number;
  neighbourhood: string;
  amenities: string[];
  /** Set for a real supplier's rate: the hotel's address, its photos, and the stay and party the rate is priced for. */
  address?: string;
  photos?: string[];
  stay?: { checkIn: string; checkOut: string; guests: number; rooms: number };
}

export interface FlightDetails {
  kind: "flight";
  airline: string;
  flightNumber: string;
  origin: string;
  destination: string;
  /** Local departure time, HH:MM. */
  departureTime: string;
  durationMinutes: number;
  distanceKm: number;
  cabin: "economy" | "premium_economy" | "business" | "first";
  /** Set for offers of a real supplier: the exact departure and the party the offer is priced for. */
  departingAt?: string;
  passengers?: number;
}

/** When an activity happens: its nature decides its hours (a sunset walk is in the evening, a museum by day). */
export type TimeOfDay = "morning" | "day" | "afternoon" | "sunset" | "evening" | "night" | "full day";

export interface ActivityDetails {
  kind: "activity";
  category: string;
  durationHours: number;
  /** Demo inventory: when it runs, its opening hours (HH:MM, local) and its length in minutes. */
  timeOfDay?: TimeOfDay;
  opens?: string;
  closes?: string;
  durationMinutes?: number;
}

export interface RestaurantDetails {
  kind: "restaurant";
  cuisine: string;
  priceLevel: number;
  dietaryOptions: string[];
  /** Demo inventory: dinner service (HH:MM, local), at the destination's customary hours. */
  opens?: string;
  closes?: string;
}

export type ItemDetails = HotelDetails | FlightDetails | ActivityDetails | RestaurantDetails;

/**
 * How an item may be cancelled once paid, and when its supplier is due (the booking is settled once every item's is).
 * `until_settled`: all back until the supplier is paid, which is as soon as it confirms. `window`: all back for
 * `freeMinutes` after booking, then all but `feeBps` of the price until `dueMinutes` after booking, when the supplier
 * is due (`feeBps` 10 000: nothing comes back once the free window has closed).
 */
export type CancellationPolicy =
  { kind: "until_settled" } | { kind: "window"; freeMinutes: number; feeBps: number; dueMinutes: number };

export interface CatalogItem {
  id: string;
  type: ItemType;
  /** Who supplies it: `demo` inventory is generated and cannot be travelled on. */
  provider: string;
  /** The id the provider knows the offer by. */
  providerOfferId: string;
  cancellation: CancellationPolicy;
  demo: boolean;
  destinationId: string;
  name: string;
  description: string;
  /** Price of one unit in US cents. */
  priceCents: bigint;
  priceUnit: PriceUnit;
  /** Average rating in tenths of a star (0–50). */
  ratingTenths: number;
  reviewCount: number;
  tags: string[];
  /** The platform's commission on this item, in basis points. */
  commissionBps: number;
  details: ItemDetails;
  /** Where it is (demo inventory), for travel times between the places of a day. */
  location?: { lat: number; lon: number };
  /** Lowercased text the search matches against. */
  searchText: string;
}

export const SORTS = ["relevance", "price_asc", "price_desc", "rating_desc", "name_asc"] as const;
export type Sort = (typeof SORTS)[number];

export interface SearchQuery {
  text?: string;
  destinationId?: string;
  type?: ItemType;
  /** First day (hotels: first night). */
  checkIn?: string;
  /** Day after the last night; for other types the last day of the window. */
  checkOut?: string;
  minPriceCents?: bigint;
  maxPriceCents?: bigint;
  /** IATA code of the departure airport (flights). */
  origin?: string;
  guests?: number;
  sort: Sort;
  /** Matches before the page. */
  offset: number;
  limit: number;
  /**
   * Where the previous page's scan of the whole inventory stopped (from its cursor); without it the first `offset`
   * matches are passed over.
   */
  resumeAt?: number;
  /** Matches still to pass over from `resumeAt`. */
  skip?: number;
}

/**
 * A source of bookable inventory. The demo provider covers every destination offline; a real supplier (Duffel for
 * flights, and hotels with Duffel Stays) adds its offers when configured. Ids are globally unique and carry the
 * provider as their prefix.
 */
export interface CatalogProvider {
  readonly name: string;
  /** Whether this provider answers queries of this type. Only searches for a destination ask a live supplier. */
  handles(type: ItemType | undefined): boolean;
  search(query: SearchQuery): Promise<CatalogItem[]>;
  getItem(id: string): Promise<CatalogItem | undefined>;
  /** Whether the item can be booked on each of `dates`. */
  isAvailable(item: CatalogItem, date: string): boolean;
  /**
   * Asks the supplier to confirm a paid booking of its items (placing its orders, recorded through `orders`); the
   * keeper settles once every supplier confirmed.
   */
  confirm(booking: BookingToConfirm): Promise<Confirmation>;
  /** Quotes the cancellation of an order it placed: what it gives back. Absent: its orders are not cancelled. */
  quoteCancellation?(orderId: string): Promise<CancellationQuote>;
  /** Confirms a cancellation it quoted: the order is cancelled and the quoted refund is on its way. */
  confirmCancellation?(quoteId: string): Promise<void>;
}

/** A supplier's order for one booked item. */
export interface PlacedOrder {
  id: string;
  /** What the traveller checks in with (an airline's PNR). */
  bookingReference: string;
}

/** A booked item as the supplier is asked to confirm it. */
export interface BookedLine {
  itemId: string;
  quantity: number;
  /** Its place in the booking. */
  position: number;
  /** What the traveller paid for it, in US cents. */
  totalCents: bigint;
  /** Its order, when an earlier attempt placed and recorded it. */
  order: PlacedOrder | null;
  /** When an earlier attempt set out to place its order: it may have been placed without being recorded. */
  orderRequestedAt: Date | null;
}

/**
 * Where a supplier's orders are recorded as they are placed, durably: the intent before the order is placed, the
 * order once placed.
 */
export interface OrderJournal {
  requested(position: number): Promise<void>;
  placed(position: number, order: PlacedOrder): Promise<void>;
  /** The supplier certainly placed no order (it refused the request before handling it): nothing to look up. */
  notPlaced(position: number): Promise<void>;
  /** The supplier confirmed the order's cancellation. */
  cancelled(position: number): Promise<void>;
}

export interface BookingToConfirm {
  id: string;
  checkIn: string;
  checkOut: string;
  guests: number;
  items: BookedLine[];
  /** The travellers by name, for suppliers that issue tickets to people. */
  passengers: Passenger[] | null;
  orders: OrderJournal;
}

/** A supplier's answer: confirmed (with its reference), not yet (ask again later), or refused (refund). */
export type Confirmation =
  | { status: "confirmed"; reference: string }
  | { status: "pending"; reason: string; retryAfterMs: number }
  | { status: "rejected"; reason: string };

/** What cancelling an order gives back, as its supplier quoted it (valid for a short while). */
export interface CancellationQuote {
  id: string;
  /** In US cents. */
  refundCents: bigint;
}
