import { createRoute, z } from "@hono/zod-openapi";
import { LRUCache } from "lru-cache";

import { today, type Clock } from "../clock.js";
import type { Budget } from "../http/budget.js";
import { ApiError, errorResponses, notFound } from "../http/errors.js";
import { clientIp } from "../http/middleware.js";
import { createRouter } from "../http/router.js";
import { decodeCursor, encodeCursor, IsoDate, Money, PageQuery, UsdInput, usd } from "../http/schemas.js";
import { addDays, BOOKING_HORIZON_MONTHS, latestCheckIn, nightsBetween, parseDay } from "./dates.js";
import { DEMO_PROVIDER } from "./demo.js";
import type { Destination } from "./geodata.js";
import type { Catalog } from "./service.js";
import { ITEM_TYPES, SORTS, type CatalogItem } from "./types.js";

export const MAX_NIGHTS = 30;

const DestinationOut = z
  .object({
    id: z.string().openapi({ example: "lisbon-pt-2267057" }),
    name: z.string(),
    country: z.string().openapi({ description: "ISO 3166-1 alpha-2" }),
    countryName: z.string(),
    population: z.number().int(),
    size: z.enum(["town", "city", "metro", "megacity"]),
    location: z.object({ lat: z.number(), lon: z.number() }),
    timezone: z.string().nullable(),
    airports: z.array(z.object({ iata: z.string(), name: z.string(), distanceKm: z.number().int() })),
  })
  .openapi("Destination");

const Details = z
  .discriminatedUnion("kind", [
    z.object({
      kind: z.literal("hotel"),
      stars: z.number().int(),
      neighbourhood: z.string(),
      amenities: z.array(z.string()),
      address: z.string().optional(),
      photos: z.array(z.string()).optional().openapi({ description: "Photo URLs (a real supplier's hotel)" }),
      stay: z
        .object({ checkIn: z.string(), checkOut: z.string(), guests: z.number().int(), rooms: z.number().int() })
        .optional()
        .openapi({ description: "The stay and party a real supplier's rate is priced for, whole (priceUnit offer)" }),
    }),
    z.object({
      kind: z.literal("flight"),
      airline: z.string(),
      flightNumber: z.string(),
      origin: z.string(),
      destination: z.string(),
      departureTime: z.string(),
      departingAt: z.string().optional(),
      passengers: z.number().int().optional(),
      durationMinutes: z.number().int(),
      distanceKm: z.number().int(),
      cabin: z.string(),
    }),
    z.object({ kind: z.literal("activity"), category: z.string(), durationHours: z.number() }),
    z.object({
      kind: z.literal("restaurant"),
      cuisine: z.string(),
      priceLevel: z.number().int(),
      dietaryOptions: z.array(z.string()),
    }),
  ])
  .openapi("CatalogItemDetails");

export const CatalogItemOut = z
  .object({
    id: z.string().openapi({ example: "demo-hotel-2267057-3" }),
    type: z.enum(ITEM_TYPES),
    provider: z.string(),
    demo: z.boolean().openapi({ description: "Generated demo inventory: not a real offer" }),
    destination: z.object({ id: z.string(), name: z.string(), country: z.string() }),
    name: z.string(),
    description: z.string(),
    price: Money,
    priceUnit: z.enum(["night", "person", "seat", "offer"]),
    rating: z.number().nullable().openapi({ description: "0–5, one decimal; null when unrated" }),
    reviewCount: z.number().int(),
    tags: z.array(z.string()),
    details: Details,
  })
  .openapi("CatalogItem");

export function destinationOut(destination: Destination): z.infer<typeof DestinationOut> {
  return {
    id: destination.id,
    name: destination.name,
    country: destination.country,
    countryName: destination.countryName,
    population: destination.population,
    size: destination.size,
    location: { lat: destination.lat, lon: destination.lon },
    timezone: destination.timezone,
    airports: destination.airports.map(({ iata, name, distanceKm }) => ({ iata, name, distanceKm })),
  };
}

export function itemOut(catalog: Catalog, item: CatalogItem): z.infer<typeof CatalogItemOut> {
  const destination = catalog.destinationsById.get(item.destinationId);
  return {
    id: item.id,
    type: item.type,
    provider: item.provider,
    demo: item.demo,
    destination: {
      id: item.destinationId,
      name: destination?.name ?? item.destinationId,
      country: destination?.country ?? "",
    },
    name: item.name,
    description: item.description,
    price: usd(item.priceCents),
    priceUnit: item.priceUnit,
    rating: item.reviewCount > 0 ? item.ratingTenths / 10 : null,
    reviewCount: item.reviewCount,
    tags: item.tags,
    details: item.details,
  };
}

/** `o`: results before the page; for a search over the whole inventory, `s`: where its scan resumes, `r`: matches still to pass over there. */
const OffsetCursor = z.object({
  o: z.number().int().min(0).max(1_000_000),
  s: z.number().int().min(0).max(10_000_000).optional(),
  r: z.number().int().min(0).max(1_000_000).optional(),
});

/** A check-in past the booking horizon is refused: nothing is sold that far out, and the window must stay bounded. */
function checkHorizon(checkIn: string | undefined, now: Clock, field: string) {
  if (checkIn === undefined) return;
  const latest = latestCheckIn(today(now));
  if (checkIn > latest) {
    const message = `must be at most ${BOOKING_HORIZON_MONTHS} months ahead (on or before ${latest})`;
    throw new ApiError(400, "validation_failed", `${field}: ${message}`, { fields: [{ field, message }] });
  }
}

const dateWindow = {
  checkIn: IsoDate.optional().openapi({ description: "First day (hotels: first night)" }),
  checkOut: IsoDate.optional().openapi({ description: "Day after the last night / end of the window" }),
};

function checkWindow(checkIn: string | undefined, checkOut: string | undefined) {
  const fields: { field: string; message: string }[] = [];
  if (checkOut && !checkIn) fields.push({ field: "query.checkIn", message: "is required with checkOut" });
  if (checkIn && checkOut) {
    const nights = nightsBetween(checkIn, checkOut);
    if (nights < 1) fields.push({ field: "query.checkOut", message: "must be after checkIn" });
    if (nights > MAX_NIGHTS) fields.push({ field: "query.checkOut", message: `at most ${MAX_NIGHTS} nights` });
  }
  return fields;
}

const SearchQuerySchema = z
  .object({
    q: z.string().max(100).optional().openapi({ description: "Free text: name, description, city, country, tags" }),
    destination: z.string().max(120).optional().openapi({ description: "Destination id from /catalog/destinations" }),
    type: z.enum(ITEM_TYPES).optional(),
    ...dateWindow,
    origin: z
      .string()
      .regex(/^[A-Za-z]{3}$/, "must be an IATA airport code")
      .transform((value) => value.toUpperCase())
      .optional()
      .openapi({ description: "Departure airport (flights)" }),
    guests: z.coerce.number().int().min(1).max(9).optional(),
    minPrice: UsdInput.optional(),
    maxPrice: UsdInput.optional(),
    sort: z.enum(SORTS).default("relevance"),
    ...PageQuery,
  })
  .superRefine((query, ctx) => {
    for (const { field, message } of checkWindow(query.checkIn, query.checkOut)) {
      ctx.addIssue({ code: "custom", path: [field.split(".")[1]], message });
    }
    if (query.minPrice !== undefined && query.maxPrice !== undefined && query.minPrice > query.maxPrice) {
      ctx.addIssue({ code: "custom", path: ["maxPrice"], message: "must not be below minPrice" });
    }
  });

const SearchResponse = z
  .object({
    items: z.array(CatalogItemOut),
    total: z.number().int(),
    totalExact: z.boolean().openapi({
      description:
        "False when `total` is a lower bound: a search over the whole inventory counts matches only up to its work budget",
    }),
    nextCursor: z.string().nullable().openapi({
      description: "The next page; a page may hold fewer than `limit` items and still have a next one",
    }),
    sources: z.array(
      z.object({ provider: z.string(), status: z.enum(["ok", "error"]), message: z.string().optional() }),
    ),
  })
  .openapi("CatalogSearch");

const ItemQuery = z.object(dateWindow).superRefine((query, ctx) => {
  for (const { field, message } of checkWindow(query.checkIn, query.checkOut)) {
    ctx.addIssue({ code: "custom", path: [field.split(".")[1]], message });
  }
});

const ItemResponse = CatalogItemOut.extend({
  availability: z
    .array(z.object({ date: z.string(), available: z.boolean() }))
    .openapi({ description: "Per day of the requested window (default: the next 14 days)" }),
}).openapi("CatalogItemWithAvailability");

const DestinationsQuery = z.object({
  q: z.string().max(100).optional().openapi({ description: "Part of the city name, or an IATA code" }),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, "must be an ISO 3166-1 alpha-2 code")
    .transform((value) => value.toUpperCase())
    .optional(),
  ...PageQuery,
});

const DestinationsResponse = z
  .object({ destinations: z.array(DestinationOut), total: z.number().int(), nextCursor: z.string().nullable() })
  .openapi("Destinations");

/**
 * `broadSearch`: spent by each search without a destination that no cached answer serves (the costliest kind: it
 * scans the whole catalog within its work bound), per client IP.
 */
export function catalogRoutes(catalog: Catalog, now: Clock, broadSearch: Budget) {
  const searchCache = new LRUCache<string, string>({
    max: 5_000,
    maxSize: 64 * 1024 * 1024,
    sizeCalculation: (json) => json.length,
  });
  return createRouter()
    .openapi(
      createRoute({
        method: "get",
        path: "/search",
        tags: ["catalog"],
        summary: "Search hotels, flights, activities and restaurants",
        description: `With dates, only items available in the window are returned (hotels: every night); check-in at most ${BOOKING_HORIZON_MONTHS} months ahead. Without a destination the search does bounded work, and each IP may make CATALOG_BROAD_SEARCHES_PER_IP_PER_WINDOW of them per rate-limit window that no cached answer serves (beyond: 429 \`broad_searches_exhausted\` with Retry-After); such searches take turns, and beyond the ones waiting: 503 \`server_busy\` with Retry-After. \`total\` may be a lower bound (\`totalExact: false\`) and a page may hold fewer items than \`limit\` yet have a \`nextCursor\`. Demo inventory is labelled \`demo: true\`; with a Duffel key, live flight offers for \`origin\` → destination on \`checkIn\` come first, and with Duffel Stays on, live hotels for the stay (\`checkIn\`–\`checkOut\`) and \`guests\`.`,
        request: { query: SearchQuerySchema },
        responses: {
          200: { description: "Matching items", content: { "application/json": { schema: SearchResponse } } },
          ...errorResponses(400, 429, 503),
        },
      }),
      async (c) => {
        const query = c.req.valid("query");
        checkHorizon(query.checkIn, now, "query.checkIn");
        // Demo inventory never changes while the process runs: the same query always has the same answer, so its
        // JSON is kept. Answers that include a live supplier's offers are never cached.
        const key = JSON.stringify(query, (_, value) => (typeof value === "bigint" ? value.toString() : value));
        const cached = searchCache.get(key);
        if (cached) return c.body(cached, 200, { "Content-Type": "application/json" }) as never;
        if (!query.destination) await broadSearch(clientIp(c));
        const cursor = decodeCursor(query.cursor, OffsetCursor);
        const result = await catalog.search({
          text: query.q,
          destinationId: query.destination,
          type: query.type,
          checkIn: query.checkIn,
          checkOut: query.checkOut,
          origin: query.origin,
          guests: query.guests,
          minPriceCents: query.minPrice,
          maxPriceCents: query.maxPrice,
          sort: query.sort,
          offset: cursor?.o ?? 0,
          limit: query.limit,
          resumeAt: cursor?.s,
          skip: cursor?.r,
        });
        const { next } = result;
        const body = {
          items: result.items.map((item) => itemOut(catalog, item)),
          total: result.total,
          totalExact: result.totalExact,
          nextCursor: next ? encodeCursor({ o: next.offset, s: next.position, r: next.skip }) : null,
          sources: result.sources,
        };
        if (result.sources.every((source) => source.provider === DEMO_PROVIDER))
          searchCache.set(key, JSON.stringify(body));
        return c.json(body, 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/items/{id}",
        tags: ["catalog"],
        summary: "One catalog item, with its availability by day",
        request: { params: z.object({ id: z.string().min(1).max(200) }), query: ItemQuery },
        responses: {
          200: { description: "The item", content: { "application/json": { schema: ItemResponse } } },
          ...errorResponses(400, 404, 429, 502),
        },
      }),
      async (c) => {
        const { id } = c.req.valid("param");
        const { checkIn, checkOut } = c.req.valid("query");
        const item = await catalog.getItem(id);
        if (!item) throw notFound("Catalog item");
        const start = checkIn ?? today(now);
        const end = checkOut ?? addDays(start, checkIn ? 1 : 14);
        const availability: { date: string; available: boolean }[] = [];
        for (let day = start; parseDay(day) < parseDay(end); day = addDays(day, 1)) {
          availability.push({ date: day, available: catalog.availableOn(item, day) });
        }
        return c.json({ ...itemOut(catalog, item), availability }, 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/destinations",
        tags: ["catalog"],
        summary: "Destinations (GeoNames cities of 100,000+ people, with nearby airports), largest first",
        request: { query: DestinationsQuery },
        responses: {
          200: { description: "Destinations", content: { "application/json": { schema: DestinationsResponse } } },
          ...errorResponses(400, 429),
        },
      }),
      (c) => {
        const query = c.req.valid("query");
        const offset = decodeCursor(query.cursor, OffsetCursor)?.o ?? 0;
        const result = catalog.searchDestinations({
          text: query.q,
          country: query.country,
          offset,
          limit: query.limit,
        });
        const next = offset + result.destinations.length;
        return c.json(
          {
            destinations: result.destinations.map(destinationOut),
            total: result.total,
            nextCursor: next < result.total ? encodeCursor({ o: next }) : null,
          },
          200,
        );
      },
    );
}
