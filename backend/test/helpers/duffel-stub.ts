/**
 * A local stand-in for Duffel's HTTP API (the endpoints TRVL uses, with the shapes, errors and rate-limit answers of
 * Duffel's API reference), so that the real SDK makes real requests in tests: offer requests and offers, orders
 * (instant, balance payment, metadata, listing filtered by passenger name with cursor pagination) and order
 * cancellations (quote, list, get, then confirm); and Duffel Stays: search by location, fetching a result's rates, quotes,
 * bookings (create, get, list with cursor pagination, cancel).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { addDays } from "../../src/catalog/dates.js";

type Json = Record<string, any>;

export interface Seen {
  method: string;
  url: string;
  authorization?: string;
  version?: string;
  body?: Json;
}

/** A scripted answer to the next request matching `method` and `path` (a prefix of the URL's path). */
export interface Scripted {
  method: string;
  path: string;
  status: number;
  body: Json;
  headers?: Record<string, string>;
  /** Matching requests to serve as usual first. */
  after?: number;
}

export function stubOffer(id: string, date: string, passengers: number, amount = "412.37", expiresAt?: string) {
  return {
    id,
    total_amount: amount,
    total_currency: "USD",
    expires_at: expiresAt ?? `${date}T00:00:00Z`,
    owner: { name: "Stub Airways", iata_code: "ZZ" },
    passengers: Array.from({ length: passengers }, (_, i) => ({ id: `pas_${id.slice(4)}_${i}`, type: "adult" })),
    slices: [
      {
        origin: { iata_code: "JFK" },
        destination: { iata_code: "LIS" },
        duration: "PT6H55M",
        segments: [
          {
            origin: { iata_code: "JFK", time_zone: "America/New_York" },
            departing_at: `${date}T19:35:00`,
            arriving_at: `${addDays(date, 1)}T07:30:00`,
            marketing_carrier: { name: "Stub Airways", iata_code: "ZZ" },
            marketing_carrier_flight_number: "201",
            distance: "5420",
          },
        ],
      },
    ],
  };
}

/** Two travellers as a booking gives them (one with an accent and an apostrophe in her names). */
export const PASSENGERS = [
  {
    title: "ms",
    givenName: "Amélia",
    familyName: "O'Neil-Sousa",
    bornOn: "1987-07-24",
    gender: "f",
    email: "amelia@example.com",
    phoneNumber: "+351912345678",
  },
  {
    title: "mr",
    givenName: "Tony",
    familyName: "Stark",
    bornOn: "1980-07-24",
    gender: "m",
    email: "tony@example.com",
    phoneNumber: "+442080160509",
  },
];

/** One bookable rate of a stub hotel: its total and its cancellation timeline (`[before, refund amount]` steps). */
export interface StubRate {
  id: string;
  total: string;
  timeline?: [before: string, refund: string][];
  currency?: string;
  /** Paid at the hotel: not bookable from the Duffel balance. */
  payAtHotel?: boolean;
}

/** A hotel as Duffel Stays describes it, with one room whose rates are `rates`. */
export function stubHotel(id: string, name: string, at: { lat: number; lon: number }, rates: StubRate[]) {
  return {
    id,
    name,
    rating: 4,
    review_score: 8.6,
    review_count: 412,
    description: `${name}, a stub hotel`,
    email: null,
    phone_number: "+351210000000",
    chain: null,
    brand: null,
    check_in_information: { check_in_after_time: "15:00", check_out_before_time: "11:00" },
    key_collection: null,
    supported_loyalty_programme: null,
    ratings: [{ source: "priceline", value: 4 }],
    amenities: [
      { type: "wifi", description: "Free WiFi" },
      { type: "restaurant", description: "Restaurant" },
    ],
    photos: [{ url: `https://photos.example.com/${id}/1.jpg` }],
    location: {
      address: { line_one: "Rua Augusta 100", postal_code: "1100-053", city_name: "Lisbon", country_code: "PT" },
      geographic_coordinates: { latitude: at.lat, longitude: at.lon },
    },
    rooms: [
      {
        name: "Double Room",
        beds: [{ type: "double", count: 1 }],
        photos: [],
        rates: rates.map((rate) => stubRate(rate)),
      },
    ],
  };
}

function stubRate({ id, total, timeline = [], currency = "USD", payAtHotel = false }: StubRate) {
  return {
    id,
    total_amount: total,
    total_currency: currency,
    base_amount: null,
    base_currency: currency,
    tax_amount: null,
    tax_currency: currency,
    fee_amount: null,
    fee_currency: currency,
    due_at_accommodation_amount: null,
    due_at_accommodation_currency: currency,
    board_type: "breakfast",
    payment_type: payAtHotel ? "guarantee" : "pay_now",
    available_payment_methods: payAtHotel ? ["card"] : ["balance", "card"],
    cancellation_timeline: timeline.map(([before, refund]) => ({ before, refund_amount: refund, currency })),
    conditions: [],
    quantity_available: 3,
    supported_loyalty_programme: null,
    loyalty_programme_required: false,
    estimated_commission_amount: null,
    estimated_commission_currency: null,
    source: "duffel_hotel_group",
    expires_at: "2099-01-01T00:00:00Z",
    code: null,
    description: null,
    name: "Best Available Rate",
  };
}

const REQUIRED_PASSENGER_FIELDS = [
  "id",
  "title",
  "given_name",
  "family_name",
  "born_on",
  "gender",
  "email",
  "phone_number",
];

export class DuffelStub {
  readonly seen: Seen[] = [];
  readonly offers = new Map<string, Json>();
  readonly orders: Json[] = [];
  readonly cancellations = new Map<string, Json>();
  /** The offer each order was placed for. */
  private readonly offerOf = new Map<string, string>();
  /** Answer every request with a 500. */
  failing = false;
  /** The offers an offer request returns: by default two for the date and party. */
  offersFor: (date: string, passengers: number) => Json[] = (date, passengers) => [
    stubOffer("off_0001stub", date, passengers),
    stubOffer("off_0002stub", date, passengers, "530.00"),
  ];
  /** What cancelling an order gives back (default: all of it). */
  refundFor: (order: Json) => string = (order) => order.total_amount;
  /** Called once an order is stored, before it is answered (a test may stop the client there). */
  onOrderCreated?: (order: Json) => void;
  /** Called once a cancellation is confirmed; returning true drops the connection instead of answering. */
  onCancellationConfirmed?: (cancellation: Json) => boolean | void;
  /** The hotels a Stays search finds around the searched point (default: none). */
  hotelsNear: (latitude: number, longitude: number) => Json[] = () => [];
  /** Every rate a search result's rates were fetched for, by id, with its hotel and stay (a test may edit a rate). */
  readonly rates = new Map<string, { rate: Json; room: Json; hotel: Json; stay: Json }>();
  readonly stayBookings: Json[] = [];
  /** Called once a Stays booking is stored; returning true drops the connection instead of answering. */
  onStayBooked?: (booking: Json) => boolean | void;
  /** Called once a Stays booking is cancelled; returning true drops the connection instead of answering. */
  onStayCancelled?: (booking: Json) => boolean | void;
  /** Duffel's clock for when a Stays booking is cancelled (a test gives it the services' clock). */
  now: () => Date = () => new Date();
  private readonly searchResults = new Map<string, Json>();
  private readonly quotes = new Map<string, Json>();
  private readonly scripted: Scripted[] = [];
  private server?: Server;
  private sequence = 0;

  /** Answers the next matching request with `answer` instead of serving it. */
  script(answer: Scripted) {
    this.scripted.push(answer);
  }

  /** Adds an offer as an offer request would have returned it. */
  addOffer(offer: Json) {
    this.offers.set(offer.id, offer);
    return offer;
  }

  ordersOf(offerId: string) {
    return this.orders.filter((order) => this.offerOf.get(order.id) === offerId);
  }

  async listen(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error) => {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ errors: [{ message: String(error), code: "internal_server_error" }] }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close() {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private id(prefix: string) {
    return `${prefix}_${String(++this.sequence).padStart(4, "0")}stub`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const record: Seen = {
      method: req.method ?? "",
      url: req.url ?? "",
      authorization: req.headers.authorization,
      version: req.headers["duffel-version"] as string | undefined,
      body: raw ? JSON.parse(raw) : undefined,
    };
    this.seen.push(record);
    const reply = (status: number, body: Json, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, code: string, message: string, type = "invalid_request_error") =>
      reply(status, { errors: [{ type, code, title: message, message }], meta: { status, request_id: "req_stub" } });
    const url = new URL(req.url ?? "/", "http://stub");
    // The SDK asks for collections with a trailing slash (`/air/orders/`).
    const path = url.pathname.replace(/(.)\/$/, "$1");
    const method = req.method ?? "";
    if (this.failing) return error(500, "internal_server_error", "stub outage", "api_error");
    const scripted = this.scripted.findIndex((s) => s.method === method && path.startsWith(s.path));
    if (scripted >= 0 && (this.scripted[scripted]!.after ?? 0) > 0) {
      this.scripted[scripted]!.after! -= 1;
    } else if (scripted >= 0) {
      const [answer] = this.scripted.splice(scripted, 1);
      return reply(answer!.status, answer!.body, answer!.headers);
    }
    const data = record.body?.data ?? {};

    if (method === "POST" && path === "/air/offer_requests") {
      const made = this.offersFor(data.slices?.[0]?.departure_date, (data.passengers ?? []).length);
      made.forEach((offer) => this.offers.set(offer.id, offer));
      return reply(201, { data: { id: "orq_stub", offers: made } });
    }
    let match = /^\/air\/offers\/(off_\w+)$/.exec(path);
    if (method === "GET" && match) {
      const found = this.offers.get(match[1]!);
      return found
        ? reply(200, { data: found })
        : error(404, "not_found", "The resource you are trying to access does not exist");
    }

    if (method === "POST" && path === "/air/orders") {
      const offer = this.offers.get(data.selected_offers?.[0]);
      if (!offer || data.selected_offers.length !== 1)
        return error(422, "offer_no_longer_available", "The selected offer is no longer available", "airline_error");
      if (this.ordersOf(offer.id).some((order) => !order.cancelled_at))
        return error(422, "offer_no_longer_available", "The selected offer has already been booked", "airline_error");
      if (data.type !== "instant") return error(422, "validation_error", "type must be instant", "validation_error");
      const payment = data.payments?.[0];
      if (payment?.type !== "balance" || payment.currency !== offer.total_currency)
        return error(
          422,
          "validation_error",
          "payments must be one balance payment in the offer's currency",
          "validation_error",
        );
      if (payment.amount !== offer.total_amount)
        return error(422, "price_changed", "The price of the selected offer has changed", "airline_error");
      const passengers: Json[] = data.passengers ?? [];
      const expected = offer.passengers.map((p: Json) => p.id).sort();
      if (JSON.stringify(passengers.map((p) => p.id).sort()) !== JSON.stringify(expected))
        return error(422, "validation_error", "passengers must match the offer's passengers", "validation_error");
      for (const passenger of passengers) {
        const missing = REQUIRED_PASSENGER_FIELDS.find((field) => !passenger[field]);
        if (missing) return error(422, "validation_required", `Field '${missing}' is required`, "validation_error");
      }
      const order = {
        id: this.id("ord"),
        type: "instant",
        booking_reference: `ZZ${String(this.sequence).padStart(4, "0")}`,
        total_amount: offer.total_amount,
        total_currency: offer.total_currency,
        owner: offer.owner,
        slices: offer.slices,
        passengers: passengers.map((p) => ({ ...p, type: "adult" })),
        metadata: data.metadata ?? {},
        cancelled_at: null,
        created_at: new Date().toISOString(),
      };
      this.orders.push(order);
      this.offerOf.set(order.id, offer.id);
      this.onOrderCreated?.(order);
      return reply(201, { data: order });
    }
    if (method === "GET" && path === "/air/orders") {
      const names = url.searchParams.getAll("passenger_name[]").map((name) => name.toLowerCase());
      const matching = this.orders.filter(
        (order) =>
          names.length === 0 ||
          order.passengers.some((p: Json) =>
            names.some((name) => `${p.given_name} ${p.family_name}`.toLowerCase().includes(name)),
          ),
      );
      const limit = Math.min(200, Number(url.searchParams.get("limit") ?? 50));
      const after = url.searchParams.get("after");
      const start = after ? matching.findIndex((order) => order.id === after) + 1 : 0;
      const page = matching.slice(start, start + limit);
      const more = start + limit < matching.length;
      return reply(200, { data: page, meta: { limit, before: null, after: more ? page.at(-1)!.id : null } });
    }
    match = /^\/air\/orders\/(ord_\w+)$/.exec(path);
    if (method === "GET" && match) {
      const order = this.orders.find((o) => o.id === match![1]);
      return order
        ? reply(200, { data: order })
        : error(404, "not_found", "The resource you are trying to access does not exist");
    }

    if (method === "POST" && path === "/air/order_cancellations") {
      const order = this.orders.find((o) => o.id === data.order_id);
      if (!order) return error(404, "not_found", "The resource you are trying to access does not exist");
      if (order.cancelled_at) return error(422, "already_cancelled", "The order has already been cancelled");
      const cancellation = {
        id: this.id("ore"),
        order_id: order.id,
        refund_amount: this.refundFor(order),
        refund_currency: order.total_currency,
        refund_to: "balance",
        expires_at: new Date(Date.now() + 3_600_000).toISOString(),
        confirmed_at: null as string | null,
        created_at: new Date().toISOString(),
        live_mode: false,
        airline_credits: [],
      };
      this.cancellations.set(cancellation.id, cancellation);
      return reply(201, { data: cancellation });
    }
    match = /^\/air\/order_cancellations\/(ore_\w+)\/actions\/confirm$/.exec(path);
    if (method === "POST" && match) {
      const cancellation = this.cancellations.get(match[1]!);
      if (!cancellation) return error(404, "not_found", "The resource you are trying to access does not exist");
      if (cancellation.confirmed_at) return error(422, "already_cancelled", "The order has already been cancelled");
      cancellation.confirmed_at = new Date().toISOString();
      this.orders.find((o) => o.id === cancellation.order_id)!.cancelled_at = cancellation.confirmed_at;
      if (this.onCancellationConfirmed?.(cancellation)) return res.destroy();
      return reply(200, { data: cancellation });
    }
    if (method === "GET" && path === "/air/order_cancellations") {
      const orderId = url.searchParams.get("order_id");
      const listed = [...this.cancellations.values()].filter((c) => !orderId || c.order_id === orderId);
      return reply(200, { data: listed, meta: { limit: 50, after: null, before: null } });
    }
    match = /^\/air\/order_cancellations\/(ore_\w+)$/.exec(path);
    if (method === "GET" && match) {
      const cancellation = this.cancellations.get(match[1]!);
      return cancellation
        ? reply(200, { data: cancellation })
        : error(404, "not_found", "The resource you are trying to access does not exist");
    }
    if (path.startsWith("/stays/")) return this.stays(method, path, url, data, reply, error, res);
    error(404, "not_found", "no such stub route");
  }

  private stays(
    method: string,
    path: string,
    url: URL,
    data: Json,
    reply: (status: number, body: Json) => void,
    error: (status: number, code: string, message: string, type?: string) => void,
    res: ServerResponse,
  ) {
    const notFound = () => error(404, "not_found", "The resource you are trying to access does not exist");
    if (method === "POST" && path === "/stays/search") {
      const at = data.location?.geographic_coordinates;
      const guests: Json[] = data.guests ?? [];
      if (!at || !data.check_in_date || !data.check_out_date || !data.rooms || guests.length === 0)
        return error(422, "validation_required", "location, dates, rooms and guests are required", "validation_error");
      const results = this.hotelsNear(at.latitude, at.longitude).map((hotel) => {
        const stay = {
          check_in_date: data.check_in_date,
          check_out_date: data.check_out_date,
          rooms: data.rooms,
          guests,
        };
        const rates: Json[] = hotel.rooms.flatMap((room: Json) => room.rates);
        const cheapest = rates.reduce((a, b) => (Number(a.total_amount) <= Number(b.total_amount) ? a : b));
        const result = {
          id: this.id("srr"),
          ...stay,
          accommodation: hotel,
          cheapest_rate_total_amount: cheapest.total_amount,
          cheapest_rate_currency: cheapest.total_currency,
          cheapest_rate_base_amount: null,
          cheapest_rate_base_currency: null,
          cheapest_rate_public_amount: null,
          cheapest_rate_public_currency: cheapest.total_currency,
          cheapest_rate_due_at_accommodation_amount: null,
          cheapest_rate_due_at_accommodation_currency: null,
          expires_at: "2099-01-01T00:00:00Z",
        };
        this.searchResults.set(result.id, result);
        // Search results carry the hotel without its rooms; fetching all rates gives them.
        return { ...result, accommodation: { ...hotel, rooms: [] } };
      });
      return reply(201, { data: { results, created_at: new Date().toISOString() } });
    }
    let match = /^\/stays\/search_results\/(srr_\w+)\/actions\/fetch_all_rates$/.exec(path);
    if (method === "POST" && match) {
      const result = this.searchResults.get(match[1]!);
      if (!result) return notFound();
      for (const room of result.accommodation.rooms)
        for (const rate of room.rates)
          this.rates.set(rate.id, { rate, room, hotel: result.accommodation, stay: result });
      return reply(200, { data: result });
    }
    if (method === "POST" && path === "/stays/quotes") {
      const found = this.rates.get(data.rate_id);
      if (!found) return notFound();
      const { rate, room, hotel, stay } = found;
      const quote = {
        id: this.id("quo"),
        check_in_date: stay.check_in_date,
        check_out_date: stay.check_out_date,
        rooms: stay.rooms,
        guests: stay.guests,
        accommodation: { ...hotel, rooms: [{ ...room, rates: [rate] }] },
        total_amount: rate.total_amount,
        total_currency: rate.total_currency,
        base_amount: null,
        base_currency: rate.total_currency,
        tax_amount: null,
        tax_currency: rate.total_currency,
        fee_amount: null,
        fee_currency: rate.total_currency,
        due_at_accommodation_amount: null,
        due_at_accommodation_currency: rate.total_currency,
        deposit_amount: null,
        deposit_currency: rate.total_currency,
        supported_loyalty_programme: null,
      };
      // A snapshot: a later change of the rate does not change a quote already given.
      this.quotes.set(quote.id, JSON.parse(JSON.stringify(quote)));
      return reply(201, { data: quote });
    }
    if (method === "POST" && path === "/stays/bookings") {
      const quote = this.quotes.get(data.quote_id);
      if (!quote) return notFound();
      if (quote.booked)
        return error(422, "quote_already_booked", "A booking has already been made for this quote", "validation_error");
      const guests: Json[] = data.guests ?? [];
      if (guests.length === 0 || guests.some((guest) => !guest.given_name || !guest.family_name))
        return error(422, "validation_required", "guests need a given and a family name", "validation_error");
      if (!data.email || !data.phone_number)
        return error(422, "validation_required", "email and phone_number are required", "validation_error");
      quote.booked = true;
      const booking = {
        id: this.id("bok"),
        reference: `DHG${String(this.sequence).padStart(5, "0")}`,
        status: "confirmed",
        confirmed_at: new Date().toISOString(),
        cancelled_at: null as string | null,
        check_in_date: quote.check_in_date,
        check_out_date: quote.check_out_date,
        rooms: quote.rooms,
        accommodation: quote.accommodation,
        guests: guests.map(({ given_name, family_name }) => ({ given_name, family_name })),
        email: data.email,
        phone_number: data.phone_number,
        metadata: data.metadata ?? null,
        supported_loyalty_programme: null,
        loyalty_programme_account_number: null,
        key_collection: null,
        estimated_commission_amount: null,
        estimated_commission_currency: null,
      };
      this.stayBookings.push(booking);
      if (this.onStayBooked?.(booking)) return res.destroy();
      return reply(201, { data: booking });
    }
    if (method === "GET" && path === "/stays/bookings") {
      const limit = Math.min(200, Number(url.searchParams.get("limit") ?? 50));
      const after = url.searchParams.get("after");
      const start = after ? this.stayBookings.findIndex((booking) => booking.id === after) + 1 : 0;
      const page = this.stayBookings.slice(start, start + limit);
      const more = start + limit < this.stayBookings.length;
      return reply(200, { data: page, meta: { limit, before: null, after: more ? page.at(-1)!.id : null } });
    }
    match = /^\/stays\/bookings\/(bok_\w+)(\/actions\/cancel)?$/.exec(path);
    const booking = match ? this.stayBookings.find((b) => b.id === match![1]) : undefined;
    if (match && !booking) return notFound();
    if (method === "GET" && match && !match[2]) return reply(200, { data: booking! });
    if (method === "POST" && match?.[2]) {
      if (booking!.status === "cancelled")
        return error(422, "booking_already_cancelled", "The booking has already been cancelled");
      booking!.status = "cancelled";
      booking!.cancelled_at = this.now().toISOString();
      if (this.onStayCancelled?.(booking!)) return res.destroy();
      return reply(200, { data: booking! });
    }
    error(404, "not_found", "no such stub route");
  }
}
