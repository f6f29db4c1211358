import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";

import { SESSION_SECURITY } from "../auth/middleware.js";
import { nightsBetween } from "../catalog/dates.js";
import { MAX_NIGHTS } from "../catalog/routes.js";
import { ITEM_TYPES } from "../catalog/types.js";
import { BOOKING_STATUSES } from "../db/schema.js";
import { errorResponses } from "../http/errors.js";
import { createRouter, type AuthedEnv } from "../http/router.js";
import {
  AddressOut,
  AddressSchema,
  Bytes32Schema,
  decodeCursor,
  encodeCursor,
  IsoDate,
  Money,
  PageQuery,
  TypedDataDomain,
  TypedFields,
  UintString,
  usd,
} from "../http/schemas.js";
import type { BookingDeps, BookingRecord } from "./model.js";
import { PassengerSchema } from "./passengers.js";
import { confirmPayment, paymentInstructions, quoteOf } from "./payments.js";
import { cancelBooking, createBooking, getBooking, listBookings } from "./service.js";
import { timelineOf } from "./lifecycle.js";
import { CANCELLATION_POLICIES, cancellationOf, localTimeOut } from "./records.js";

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM (00:00–23:59)");
const LocalTime = z.string().openapi({ description: "Local time, YYYY-MM-DDTHH:MM", example: "2027-03-10T19:30" });

const BookingIdParam = z.object({ id: Bytes32Schema.openapi({ description: "The booking's bytes32 id" }) });

const QuoteOut = z
  .object({
    bookingId: z.string(),
    traveller: AddressOut,
    token: AddressOut,
    amount: UintString,
    commissionBps: z.number().int(),
    supplier: AddressOut,
    expiresAt: UintString.openapi({ description: "Unix seconds" }),
  })
  .openapi("Quote");

const BookingOut = z
  .object({
    id: z.string(),
    status: z.enum(BOOKING_STATUSES),
    traveller: AddressOut,
    destination: z
      .object({
        id: z.string(),
        name: z.string(),
        country: z.string().nullable(),
        timezone: z.string().nullable().openapi({ description: "IANA time zone; item times are local there" }),
      })
      .nullable()
      .openapi({ description: "The city the booking is for (null for bookings made before it was recorded)" }),
    stay: z.object({ checkIn: z.string(), checkOut: z.string(), nights: z.number().int(), guests: z.number().int() }),
    items: z.array(
      z.object({
        itemId: z.string(),
        type: z.enum(ITEM_TYPES),
        name: z.string(),
        provider: z.string(),
        destinationId: z.string(),
        date: z
          .string()
          .nullable()
          .openapi({ description: "The item's day (a hotel's: check-in); null only for old bookings" }),
        startsAt: LocalTime.nullable().openapi({ description: "When it starts, local time at the destination" }),
        endsAt: LocalTime.nullable().openapi({ description: "When it ends, local time at the destination" }),
        providerOfferId: z.string().nullable().openapi({ description: "The offer the provider knows it by" }),
        freeCancelUntil: z
          .string()
          .nullable()
          .openapi({ description: "All of its price comes back if cancelled before then (null: until settled)" }),
        cancelFeeBps: z.number().int().openapi({ description: "What the supplier keeps once the free window closed" }),
        bookingReference: z.string().nullable().openapi({
          description: "The supplier's booking reference for it (a flight's PNR), once its order is placed",
        }),
        orderCancelledAt: z.string().nullable().openapi({
          description: "When the supplier confirmed its order cancelled: the booking reference no longer holds a seat",
        }),
        orderCancelRefusal: z.string().nullable().openapi({
          description:
            "Why the supplier would not cancel its order when the booking was cancelled: the order stands and its part was paid to the supplier; what was cancelled was refunded",
        }),
        unitPrice: Money,
        quantity: z.number().int(),
        total: Money,
      }),
    ),
    pricing: z.object({
      subtotal: Money,
      discount: z.object({ bps: z.number().int(), amount: Money }),
      total: Money,
      commissionBps: z.number().int(),
    }),
    payment: z.object({
      chainId: z.number().int(),
      escrow: AddressOut,
      token: z.object({ address: AddressOut, symbol: z.string(), decimals: z.number().int() }),
      amount: UintString.openapi({ description: "In the token's smallest unit" }),
      quoteExpiresAt: z.string(),
      txHash: z.string().nullable(),
      blockNumber: UintString.nullable(),
      paidAt: z.string().nullable(),
      receiptCid: z.string().nullable().openapi({ description: "CIDv1 of the receipt, served at /ipfs/{cid}" }),
    }),
    quote: QuoteOut,
    signature: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    cancelledAt: z.string().nullable(),
    refundRequestedAt: z.string().nullable(),
    providerReference: z
      .string()
      .nullable()
      .openapi({ description: "The providers' booking references, once they confirmed it" }),
    supplierRefusal: z
      .string()
      .nullable()
      .openapi({ description: "Why a supplier refused the paid booking, which is therefore refunded in full" }),
    cancellation: z
      .object({
        policy: z.enum(CANCELLATION_POLICIES),
        summary: z.string().openapi({ description: "The policy in the traveller's words" }),
        cancellable: z.boolean().openapi({ description: "Whether POST /bookings/{id}/cancel would cancel it now" }),
        refund: z.enum(["full", "part", "none"]).openapi({
          description:
            "What cancelling now returns: all of the payment, the part its terms give back (the rest is settled to the supplier), or nothing (nothing was paid, or nothing comes back)",
        }),
        refundAmount: UintString.nullable().openapi({
          description:
            "In the token's smallest unit: what cancelling now returns, or, once cancelled after payment, what is refunded",
        }),
        settleDueAt: z
          .string()
          .nullable()
          .openapi({ description: "When the supplier is due and the booking is settled (null: once confirmed)" }),
      })
      .openapi("CancellationPolicy"),
    timeline: z
      .array(
        z.object({
          status: z.enum(BOOKING_STATUSES),
          at: z.string(),
          txHash: z.string().nullable(),
          reward: z
            .object({
              amount: UintString.openapi({ description: "TRVL (18 decimals) minted to the traveller" }),
              boostBps: z.number().int().openapi({ description: "The traveller's staking-tier boost it included" }),
            })
            .nullable()
            .openapi({ description: "On the rewarded step: what the distributor minted to the traveller" }),
        }),
      )
      .openapi({ description: "The steps the booking went through, oldest first; on-chain steps carry their tx" }),
    rewardSkipReason: z
      .string()
      .nullable()
      .openapi({ description: "Why the distributor passed the booking over last time (it is retried), if it did" }),
  })
  .openapi("Booking");

const PaymentInstructions = z
  .object({
    chainId: z.number().int(),
    escrow: AddressOut,
    method: z.enum(["pay", "payWithPermit"]).openapi({ description: "The recommended BookingEscrow function" }),
    value: UintString.openapi({ description: "ETH (wei) to send with `pay`; 0 for ERC-20 payments" }),
    quote: QuoteOut,
    signature: z.string().openapi({ description: "The quote signer's EIP-712 signature over `quote`" }),
    typedData: z.object({
      domain: TypedDataDomain,
      types: z.object({ Quote: TypedFields }),
      primaryType: z.literal("Quote"),
    }),
    approve: z.object({ token: AddressOut, spender: AddressOut, amount: UintString }).nullable(),
    permit: z
      .object({
        domain: TypedDataDomain,
        types: z.object({ Permit: TypedFields }),
        primaryType: z.literal("Permit"),
        message: z.object({
          owner: AddressOut,
          spender: AddressOut,
          value: UintString,
          nonce: UintString,
          deadline: UintString,
        }),
      })
      .nullable()
      .openapi({ description: "ERC-2612 permit to sign for `payWithPermit` (ERC-20 only)" }),
  })
  .openapi("PaymentInstructions");

const BookingWithPayment = z
  .object({ booking: BookingOut, pay: PaymentInstructions.nullable() })
  .openapi("BookingWithPayment");

const CreateBody = z
  .object({
    items: z
      .array(
        z
          .object({
            itemId: z.string().min(1).max(200),
            date: IsoDate.optional().openapi({
              description: "Day of a flight, activity or restaurant (default checkIn)",
            }),
            time: ClockTime.optional().openapi({
              description: "When it starts, local time at the destination (the plan's `time`; a hotel's check-in)",
            }),
            endTime: ClockTime.optional().openapi({
              description: "When it ends, local time; at or before `time` means the next day",
            }),
          })
          .refine((line) => line.endTime === undefined || line.time !== undefined, {
            path: ["endTime"],
            message: "needs time",
          }),
      )
      .min(1)
      .max(20),
    checkIn: IsoDate,
    checkOut: IsoDate,
    guests: z.number().int().min(1).max(9),
    paymentToken: AddressSchema.openapi({ description: "An escrow payment token; 0x000…000 for ETH" }),
    passengers: z.array(PassengerSchema).min(1).max(9).optional().openapi({
      description:
        "One per guest, as on their passports: required when the booking has a live (non-demo) flight, sent only to its airline",
    }),
  })
  .superRefine((body, ctx) => {
    if (body.passengers && body.passengers.length !== body.guests)
      ctx.addIssue({
        code: "custom",
        path: ["passengers"],
        message: `must list ${body.guests} passenger(s), one per guest`,
      });
    const nights = nightsBetween(body.checkIn, body.checkOut);
    if (nights < 1) ctx.addIssue({ code: "custom", path: ["checkOut"], message: "must be after checkIn" });
    if (nights > MAX_NIGHTS)
      ctx.addIssue({ code: "custom", path: ["checkOut"], message: `at most ${MAX_NIGHTS} nights` });
  })
  .openapi("CreateBooking");

const IdempotencyHeader = z.object({
  "idempotency-key": z
    .string()
    .regex(/^[\x21-\x7e]{1,200}$/, "must be 1–200 visible ASCII characters")
    .optional()
    .openapi({ description: "Retrying with the same key returns the booking the first request created" }),
});

const ListQuery = z.object({ status: z.enum(BOOKING_STATUSES).optional(), ...PageQuery });
const ListCursor = z.object({ c: z.iso.datetime(), i: z.string().max(80) });
const ListResponse = z.object({ bookings: z.array(BookingOut), nextCursor: z.string().nullable() }).openapi("Bookings");

const PaymentBody = z
  .object({ txHash: Bytes32Schema.openapi({ description: "Hash of the transaction that paid the booking" }) })
  .openapi("ReportPayment");

/** A booking as the API shows it; `now` decides what cancelling would give back. */
export function bookingOut({ booking, items, reward }: BookingRecord, now: Date): z.infer<typeof BookingOut> {
  const quote = quoteOf(booking);
  const iso = (date: Date | null) => (date ? date.toISOString() : null);
  return {
    id: booking.id,
    status: booking.status,
    traveller: booking.traveller,
    destination:
      booking.destinationId && booking.destinationName
        ? {
            id: booking.destinationId,
            name: booking.destinationName,
            country: booking.destinationCountry,
            timezone: booking.destinationTimezone,
          }
        : null,
    stay: {
      checkIn: booking.checkIn,
      checkOut: booking.checkOut,
      nights: nightsBetween(booking.checkIn, booking.checkOut),
      guests: booking.guests,
    },
    items: items.map((item) => ({
      itemId: item.itemId,
      type: item.type as (typeof ITEM_TYPES)[number],
      name: item.name,
      provider: item.provider,
      destinationId: item.destinationId,
      date: item.date,
      startsAt: localTimeOut(item.startsAt),
      endsAt: localTimeOut(item.endsAt),
      providerOfferId: item.providerOfferId,
      freeCancelUntil: iso(item.freeCancelUntil),
      cancelFeeBps: item.cancelFeeBps,
      bookingReference: item.providerBookingReference,
      orderCancelledAt: iso(item.orderCancelledAt),
      orderCancelRefusal: item.orderCancelRefusal,
      unitPrice: usd(item.unitPriceCents),
      quantity: item.quantity,
      total: usd(item.totalCents),
    })),
    pricing: {
      subtotal: usd(booking.subtotalCents),
      discount: { bps: booking.discountBps, amount: usd(booking.discountCents) },
      total: usd(booking.totalCents),
      commissionBps: booking.commissionBps,
    },
    payment: {
      chainId: booking.chainId,
      escrow: booking.escrow,
      token: { address: booking.tokenAddress, symbol: booking.tokenSymbol, decimals: booking.tokenDecimals },
      amount: booking.amount.toString(),
      quoteExpiresAt: booking.quoteExpiresAt.toISOString(),
      txHash: booking.paidTxHash,
      blockNumber: booking.paidBlockNumber?.toString() ?? null,
      paidAt: iso(booking.paidAt),
      receiptCid: booking.receiptCid,
    },
    quote: { ...quote, amount: quote.amount.toString(), expiresAt: quote.expiresAt.toString() },
    signature: booking.signature,
    createdAt: booking.createdAt.toISOString(),
    updatedAt: booking.updatedAt.toISOString(),
    cancelledAt: iso(booking.cancelledAt),
    refundRequestedAt: iso(booking.refundRequestedAt),
    providerReference: booking.providerReference,
    supplierRefusal: booking.supplierRefusal,
    cancellation: cancellationOf(booking, items, now),
    timeline: timelineOf(booking).map((step) => ({
      ...step,
      at: step.at.toISOString(),
      reward:
        step.status === "rewarded" && reward
          ? { amount: reward.travellerAmount.toString(), boostBps: reward.boostBps }
          : null,
    })),
    rewardSkipReason: booking.rewardSkipReason,
  };
}

const bookingErrors =
  "Errors: 422 item_not_found / party_mismatch / token_not_accepted / idempotency_key_reused / amount_out_of_range, 409 item_unavailable, 503 price_unavailable / sequencer_down / chain_unavailable.";

export function bookingRoutes(deps: BookingDeps, auth: MiddlewareHandler<AuthedEnv>) {
  const withPayment = async (record: BookingRecord) => ({
    booking: bookingOut(record, deps.now()),
    pay: record.booking.status === "quoted" ? await paymentInstructions(deps, record.booking) : null,
  });
  return createRouter()
    .openapi(
      createRoute({
        method: "post",
        path: "/",
        tags: ["bookings"],
        summary: "Price items from the catalog, create a booking and get its signed quote",
        description: `Prices every item for the stay and party (hotels per night and room of two; flights, activities and restaurants per person), applies the traveller's staking-tier discount, converts the total to the payment token at the protocol's Chainlink price, and signs the EIP-712 Quote. ${bookingErrors}`,
        security: SESSION_SECURITY,
        middleware: [auth] as const,
        request: {
          headers: IdempotencyHeader,
          body: { required: true, content: { "application/json": { schema: CreateBody } } },
        },
        responses: {
          201: { description: "Created", content: { "application/json": { schema: BookingWithPayment } } },
          200: {
            description: "Replay of an earlier request with the same Idempotency-Key",
            content: { "application/json": { schema: BookingWithPayment } },
          },
          ...errorResponses(400, 401, 409, 413, 422, 429, 502, 503),
        },
      }),
      async (c) => {
        const key = c.req.valid("header")["idempotency-key"];
        const result = await createBooking(deps, c.var.user.address, c.req.valid("json"), key);
        if (result.replayed) c.header("Idempotent-Replayed", "true");
        return c.json(await withPayment(result), result.replayed ? 200 : 201);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/",
        tags: ["bookings"],
        summary: "The signed-in traveller's bookings, newest first",
        security: SESSION_SECURITY,
        middleware: [auth] as const,
        request: { query: ListQuery },
        responses: {
          200: { description: "Bookings", content: { "application/json": { schema: ListResponse } } },
          ...errorResponses(400, 401, 429),
        },
      }),
      async (c) => {
        const query = c.req.valid("query");
        const cursor = decodeCursor(query.cursor, ListCursor);
        const page = await listBookings(deps, c.var.user.address, {
          limit: query.limit,
          status: query.status,
          before: cursor ? { createdAt: cursor.c, id: cursor.i } : undefined,
        });
        const last = page.records.at(-1)?.booking;
        return c.json(
          {
            bookings: page.records.map((record) => bookingOut(record, deps.now())),
            nextCursor: page.hasMore && last ? encodeCursor({ c: last.createdAt.toISOString(), i: last.id }) : null,
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/{id}",
        tags: ["bookings"],
        summary:
          "One of the signed-in traveller's bookings (anyone else's is a 404), with payment instructions while quoted",
        security: SESSION_SECURITY,
        middleware: [auth] as const,
        request: { params: BookingIdParam },
        responses: {
          200: { description: "The booking", content: { "application/json": { schema: BookingWithPayment } } },
          ...errorResponses(400, 401, 404, 429, 503),
        },
      }),
      async (c) => c.json(await withPayment(await getBooking(deps, c.var.user.address, c.req.valid("param").id)), 200),
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/{id}/cancel",
        tags: ["bookings"],
        summary: "Cancel: before payment the booking is cancelled; after payment a refund is requested from the keeper",
        description:
          "Decided atomically against the keeper: a paid booking whose settlement has started (the supplier is being paid) answers 409 `settlement_in_progress`, and a settled or refunded one 409 `not_cancellable`, each with the booking's status in `details.status`; a 200 means the booking will be refunded and never settled.",
        security: SESSION_SECURITY,
        middleware: [auth] as const,
        request: { params: BookingIdParam },
        responses: {
          200: { description: "The booking after cancelling", content: { "application/json": { schema: BookingOut } } },
          ...errorResponses(400, 401, 404, 409, 429, 503),
        },
      }),
      async (c) =>
        c.json(bookingOut(await cancelBooking(deps, c.var.user.address, c.req.valid("param").id), deps.now()), 200),
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/{id}/payment",
        tags: ["bookings"],
        summary: "Report the transaction that paid the booking; it is checked on-chain and the receipt goes to IPFS",
        description:
          "Errors: 409 payment_not_found (not mined yet) / payment_unconfirmed / already_paid, 422 payment_reverted / payment_mismatch.",
        security: SESSION_SECURITY,
        middleware: [auth] as const,
        request: {
          params: BookingIdParam,
          body: { required: true, content: { "application/json": { schema: PaymentBody } } },
        },
        responses: {
          200: { description: "The booking, paid", content: { "application/json": { schema: BookingOut } } },
          ...errorResponses(400, 401, 404, 409, 413, 422, 429, 503),
        },
      }),
      async (c) =>
        c.json(
          bookingOut(
            await confirmPayment(deps, c.var.user.address, c.req.valid("param").id, c.req.valid("json").txHash),
            deps.now(),
          ),
          200,
        ),
    );
}
