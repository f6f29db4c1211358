/** Bookings as the traveller handles them: quote (create), read, list and cancel. */
import { createHash, randomBytes } from "node:crypto";

import { bookingEscrowAbi, quoteDomain, quoteTypes } from "@trvl/abi";
import { and, asc, desc, eq, inArray, lt, or } from "drizzle-orm";
import type { Address, Hex } from "viem";

import { formatDay } from "../catalog/dates.js";
import { chainRead, chainTime, requireContract, type ChainContext } from "../chain/index.js";
import { isUniqueViolation, schema, type Db } from "../db/index.js";
import type { BookingStatus } from "../db/schema.js";
import { ApiError } from "../http/errors.js";
import { announceChanges } from "../push/changes.js";
import { decideCancel, deriveStatus } from "./lifecycle.js";
import {
  loadOwn,
  lockBookings,
  withDetails,
  withItems,
  type BookingDeps,
  type BookingRecord,
  type BookingRequest,
  type BookingRow,
} from "./model.js";
import { refundAt, settleDueAtOf, termsOf } from "./cancellation.js";
import { passengerProblem } from "./passengers.js";
import { tokenAmountForCents } from "./payment-token.js";
import { priceLines } from "./pricing.js";
import { destinationColumns, scheduleOf } from "./records.js";

const BPS = 10_000n;
/** The escrow stores amounts as uint96. */
const MAX_AMOUNT = 2n ** 96n - 1n;
function requestHash(request: BookingRequest): string {
  const canonical = {
    // Lines without times hash as they did before times could be given, so earlier idempotency keys still match.
    items: request.items.map((line) =>
      line.time === undefined && line.endTime === undefined
        ? [line.itemId, line.date ?? null]
        : [line.itemId, line.date ?? null, line.time ?? null, line.endTime ?? null],
    ),
    checkIn: request.checkIn,
    checkOut: request.checkOut,
    guests: request.guests,
    paymentToken: request.paymentToken.toLowerCase(),
    // Hashed, never stored in the clear here: a retry with other passengers is another request.
    ...(request.passengers ? { passengers: request.passengers } : {}),
  };
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}

// ------------------------------------------------------------------------------------------------------------------
// Create, read, cancel
// ------------------------------------------------------------------------------------------------------------------

/**
 * Prices a booking, signs its EIP-712 quote with the quote-signer key and stores it. With an idempotency key, the
 * same request again returns the booking it created (`replayed: true`); the same key with another request is a 422.
 */
export async function createBooking(
  deps: BookingDeps,
  traveller: Address,
  request: BookingRequest,
  idempotencyKey?: string,
): Promise<BookingRecord & { replayed: boolean }> {
  const { db, config, chain, catalog, staking, tokens, now } = deps;
  const hash = requestHash(request);
  if (idempotencyKey) {
    const existing = await findByIdempotencyKey(db, traveller, idempotencyKey, hash);
    if (existing) return { ...existing, replayed: true };
  }

  const time = now();
  const lines = await priceLines(catalog, request, formatDay(time.getTime()));
  checkPassengers(request, lines);
  const escrow = requireContract(chain, "BookingEscrow");
  const token = await tokens.token(request.paymentToken);
  const [price, position, chainNow] = await Promise.all([
    tokens.usdPrice(request.paymentToken),
    staking.positionOf(traveller),
    chainTime(chain),
  ]);

  const subtotalCents = lines.reduce((sum, line) => sum + line.totalCents, 0n);
  const commissionCents = lines.reduce(
    (sum, line) => sum + (line.totalCents * BigInt(line.item.commissionBps)) / BPS,
    0n,
  );
  const commissionBps = Number((commissionCents * BPS) / subtotalCents);
  const discountBps = position?.discountBps ?? 0;
  const discountCents = (subtotalCents * BigInt(discountBps)) / BPS;
  const totalCents = subtotalCents - discountCents;
  const amount = tokenAmountForCents(totalCents, token.decimals, price);
  if (amount === 0n || amount > MAX_AMOUNT) {
    throw new ApiError(422, "amount_out_of_range", "The booking's total cannot be paid in one escrow payment");
  }

  const id = `0x${randomBytes(32).toString("hex")}` as Hex;
  const quoteExpiresAt = new Date(time.getTime() + config.QUOTE_TTL_SECONDS * 1000);
  const quote = {
    bookingId: id,
    traveller,
    token: token.address,
    amount,
    commissionBps,
    supplier: config.SUPPLIER_ADDRESS,
    expiresAt: chainNow + BigInt(config.QUOTE_TTL_SECONDS),
  };
  const signature = await chain.quoteSigner.signTypedData({
    domain: quoteDomain(chain.chain.id, escrow),
    types: quoteTypes,
    primaryType: "Quote",
    message: quote,
  });

  const booking: typeof schema.bookings.$inferInsert = {
    id,
    traveller,
    status: "quoted",
    chainId: chain.chain.id,
    escrow,
    tokenAddress: token.address,
    tokenSymbol: token.symbol,
    tokenDecimals: token.decimals,
    amount,
    subtotalCents,
    discountBps,
    discountCents,
    totalCents,
    commissionBps,
    supplier: config.SUPPLIER_ADDRESS,
    checkIn: request.checkIn,
    checkOut: request.checkOut,
    guests: request.guests,
    ...destinationColumns(catalog, lines),
    quoteExpiresAt,
    quoteDeadline: quote.expiresAt,
    signature,
    passengers: request.passengers ?? null,
    idempotencyKey: idempotencyKey ?? null,
    requestHash: hash,
    createdAt: time,
    updatedAt: time,
  };
  const items = lines.map((line, position) => ({
    ...scheduleOf(line.item, request.items[position]!, request.checkIn),
    ...termsOf(line.item.cancellation, time),
    bookingId: id,
    position,
    itemId: line.item.id,
    type: line.item.type,
    name: line.item.name,
    provider: line.item.provider,
    providerOfferId: line.item.providerOfferId,
    destinationId: line.item.destinationId,
    unitPriceCents: line.item.priceCents,
    quantity: line.quantity,
    totalCents: line.totalCents,
    commissionBps: line.item.commissionBps,
  }));
  try {
    // One statement, so one round trip and all or nothing: the traveller's row, the booking, its items.
    const user = db
      .$with("traveller")
      .as(db.insert(schema.users).values({ address: traveller }).onConflictDoNothing({ target: schema.users.address }));
    const created = db
      .$with("created")
      .as(db.insert(schema.bookings).values({ ...booking, settleDueAt: settleDueAtOf(items) }));
    await db.with(user, created).insert(schema.bookingItems).values(items);
  } catch (error) {
    // A concurrent request with the same idempotency key won the race: answer with its booking.
    if (idempotencyKey && isUniqueViolation(error)) {
      const existing = await findByIdempotencyKey(db, traveller, idempotencyKey, hash);
      if (existing) return { ...existing, replayed: true };
    }
    throw error;
  }
  return { ...(await loadOwn(db, traveller, id)), replayed: false };
}

/**
 * A live flight is ticketed by name, a live hotel booked in the guests' names (the first is the lead guest): the
 * booking needs every passenger's details, valid for the trip.
 */
function checkPassengers(request: BookingRequest, lines: { item: { type: string; demo: boolean } }[]) {
  const needed = lines.some(({ item }) => (item.type === "flight" || item.type === "hotel") && !item.demo);
  if (needed && !request.passengers) {
    const message =
      "a flight or hotel booked with its supplier needs each passenger's title, names, birth date, gender, email and phone";
    throw new ApiError(422, "passengers_required", `body.passengers: ${message}`, {
      fields: [{ field: "body.passengers", message }],
    });
  }
  const problem = request.passengers ? passengerProblem(request.passengers, request.checkIn) : undefined;
  if (problem) {
    const [path, ...words] = problem.split(" ");
    throw new ApiError(400, "validation_failed", `body.${problem}`, {
      fields: [{ field: `body.${path}`, message: words.join(" ") }],
    });
  }
}

async function findByIdempotencyKey(db: Db, traveller: Address, key: string, hash: string) {
  const [existing] = await db
    .select()
    .from(schema.bookings)
    .where(and(eq(schema.bookings.traveller, traveller), eq(schema.bookings.idempotencyKey, key)));
  if (!existing) return undefined;
  if (existing.requestHash !== hash) {
    throw new ApiError(
      422,
      "idempotency_key_reused",
      "This Idempotency-Key was already used for a different booking request",
    );
  }
  return withItems(db, existing);
}

/** Quotes past their expiry can no longer be paid: say so. */
async function expireQuotes(db: Db, traveller: Address, time: Date) {
  await db
    .update(schema.bookings)
    .set({ status: "expired", updatedAt: time })
    .where(
      and(
        eq(schema.bookings.traveller, traveller),
        eq(schema.bookings.status, "quoted"),
        lt(schema.bookings.quoteExpiresAt, time),
      ),
    );
}

export async function getBooking(deps: BookingDeps, traveller: Address, id: string): Promise<BookingRecord> {
  await expireQuotes(deps.db, traveller, deps.now());
  return loadOwn(deps.db, traveller, id);
}

export async function listBookings(
  deps: BookingDeps,
  traveller: Address,
  page: { before?: { createdAt: string; id: string }; limit: number; status?: BookingStatus },
) {
  const { db, now } = deps;
  await expireQuotes(db, traveller, now());
  const before = page.before;
  const rows = await db
    .select()
    .from(schema.bookings)
    .where(
      and(
        eq(schema.bookings.traveller, traveller),
        page.status ? eq(schema.bookings.status, page.status) : undefined,
        before
          ? or(
              lt(schema.bookings.createdAt, new Date(before.createdAt)),
              and(eq(schema.bookings.createdAt, new Date(before.createdAt)), lt(schema.bookings.id, before.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(schema.bookings.createdAt), desc(schema.bookings.id))
    .limit(page.limit + 1);
  return {
    records: await withDetails(db, rows.slice(0, page.limit)),
    hasMore: rows.length > page.limit,
  };
}

/**
 * Cancels a booking as `decideCancel` rules, on its locked row and settle job, with the refund its items' terms give
 * now: either the cancellation wins (the booking is cancelled, or marked for a refund that the keeper sends and its
 * settle job ended, so it is never settled but for the part its terms keep) or it loses with a 409 naming the
 * booking's real status; the keeper's settle claim skips a locked job.
 */
export async function cancelBooking(deps: BookingDeps, traveller: Address, id: string): Promise<BookingRecord> {
  const { db, chain, catalog, now } = deps;
  const time = now();
  await expireQuotes(db, traveller, time);
  const { booking } = await loadOwn(db, traveller, id);
  // A quote paid on the chain but not recorded yet is refunded, never cancelled as if unpaid.
  const paidUnrecorded = booking.status === "quoted" && (await paidInEscrow(chain, booking));
  const terms = await db
    .select({
      position: schema.bookingItems.position,
      name: schema.bookingItems.name,
      totalCents: schema.bookingItems.totalCents,
      freeCancelUntil: schema.bookingItems.freeCancelUntil,
      cancelFeeBps: schema.bookingItems.cancelFeeBps,
      provider: schema.bookingItems.provider,
      orderId: schema.bookingItems.providerOrderId,
      orderRequestedAt: schema.bookingItems.orderRequestedAt,
      orderCancelledAt: schema.bookingItems.orderCancelledAt,
      orderRefundCents: schema.bookingItems.orderRefundCents,
    })
    .from(schema.bookingItems)
    .where(eq(schema.bookingItems.bookingId, id))
    .orderBy(asc(schema.bookingItems.position));
  // Set when a supplier cancelled some of the booking's orders and then failed on another: told after the commit.
  let stoppedHalfway: ApiError | undefined;
  await db.transaction(async (tx) => {
    const [locked] = await lockBookings(tx, [id]);
    const jobs = await tx
      .select()
      .from(schema.keeperJobs)
      .where(and(eq(schema.keeperJobs.bookingId, id), inArray(schema.keeperJobs.kind, ["confirm", "settle"])))
      .orderBy(asc(schema.keeperJobs.id))
      .for("update");
    const settling = jobs.some((job) => job.kind === "settle" && job.status === "running");
    // An order being placed, or placed by a worker that stopped before recording it (the keeper looks it up next),
    // could not be cancelled with the booking. Only suppliers that place orders (not the demo) make it wait.
    const ordered = terms.filter((item) => catalog.canceller(item.provider));
    const ordering =
      ordered.length > 0 &&
      (jobs.some((job) => job.kind === "confirm" && job.status === "running") ||
        ordered.some((item) => item.orderRequestedAt !== null && item.orderId === null));
    const halfCancelled = terms.some((item) => item.orderCancelledAt !== null);
    let decision = decideCancel(
      locked,
      { paidUnrecorded, settling, ordering, halfCancelled },
      refundAt(terms, locked!.amount, time),
    );
    // Orders a supplier placed are cancelled with it, and it decides what comes back of them: asked while the booking
    // is locked (the keeper cannot settle it meanwhile), confirmed only if the escrow then refunds something.
    // An order already cancelled by an earlier attempt that stopped halfway is not asked for again.
    const orders = terms.flatMap((item) => {
      const canceller = item.orderId && !item.orderCancelledAt ? catalog.canceller(item.provider) : undefined;
      return canceller ? [{ item, canceller, orderId: item.orderId! }] : [];
    });
    const alreadyCancelled = terms.filter((item) => item.orderCancelledAt !== null);
    const quotes = new Map<(typeof terms)[number], string>();
    const refunds = new Map<(typeof terms)[number], bigint>();
    if (
      (decision.kind === "refund" || decision.kind === "partialRefund") &&
      orders.length + alreadyCancelled.length > 0
    ) {
      const withSupplierRefunds = await Promise.all(
        terms.map(async (item) => {
          if (item.orderCancelledAt) return { ...item, supplierRefundCents: item.orderRefundCents ?? 0n };
          const order = orders.find((o) => o.item === item);
          if (!order) return item;
          const quote = await order.canceller.quoteCancellation(order.orderId);
          quotes.set(item, quote.id);
          refunds.set(item, quote.refundCents);
          return { ...item, supplierRefundCents: quote.refundCents };
        }),
      );
      decision = decideCancel(
        locked,
        { paidUnrecorded, settling },
        refundAt(withSupplierRefunds, locked!.amount, time),
      );
      if (decision.kind === "refund" || decision.kind === "partialRefund") {
        const cancelled = [...alreadyCancelled];
        for (const order of orders) {
          try {
            await order.canceller.confirmCancellation(quotes.get(order.item)!);
          } catch (error) {
            if (cancelled.length === 0) throw error;
            // The orders cancelled so far stay recorded; the booking keeps its money until all of them are.
            stoppedHalfway = new ApiError(
              502,
              "supplier_cancellation_incomplete",
              `The supplier cancelled ${cancelled.map((item) => `"${item.name}"`).join(", ")} but could not cancel "${order.item.name}": the booking is not refunded yet; cancel again to retry`,
              {
                cancelled: cancelled.map((item) => item.name),
                notCancelled: order.item.name,
                reason:
                  (error instanceof ApiError ? (error.details as { reason?: string } | null)?.reason : undefined) ??
                  (error instanceof Error ? error.message : String(error)),
              },
            );
            break;
          }
          cancelled.push(order.item);
          await tx
            .update(schema.bookingItems)
            .set({ orderCancelledAt: time, orderRefundCents: refunds.get(order.item)! })
            .where(and(eq(schema.bookingItems.bookingId, id), eq(schema.bookingItems.position, order.item.position)));
        }
        if (stoppedHalfway) {
          await announceChanges(tx, { bookings: [id] });
          return;
        }
      }
    }
    switch (decision.kind) {
      case "unchanged":
        return;
      case "refuse":
        throw new ApiError(409, decision.code, decision.message, { status: deriveStatus(locked) });
      case "cancel":
        await tx
          .update(schema.bookings)
          .set({ status: "cancelled", cancelledAt: time, updatedAt: time })
          .where(eq(schema.bookings.id, id));
        break;
      case "refund":
      case "partialRefund": {
        const refundAmount = decision.kind === "partialRefund" ? decision.amount : null;
        await tx
          .update(schema.bookings)
          .set({ status: "refund_requested", refundRequestedAt: time, refundAmount, updatedAt: time })
          .where(eq(schema.bookings.id, id));
        // Neither confirmed with the supplier nor settled any more: refunded instead (what the terms keep is
        // settled with the refund, in one escrow call).
        const open = jobs.filter((job) => job.status === "pending").map((job) => job.id);
        if (open.length > 0)
          await tx
            .update(schema.keeperJobs)
            .set({ status: "done", lastError: "cancelled by the traveller", updatedAt: time })
            .where(inArray(schema.keeperJobs.id, open));
        await tx
          .insert(schema.keeperJobs)
          .values({ kind: "refund", bookingId: id, runAfter: time })
          .onConflictDoNothing();
        break;
      }
    }
    await announceChanges(tx, { bookings: [id] });
  });
  if (stoppedHalfway) throw stoppedHalfway;
  return loadOwn(db, traveller, id);
}

async function paidInEscrow(chain: ChainContext, booking: BookingRow): Promise<boolean> {
  const onChain = await chainRead(() =>
    chain.client.readContract({
      address: booking.escrow as Address,
      abi: bookingEscrowAbi,
      functionName: "bookingOf",
      args: [booking.id as Hex],
    }),
  );
  return onChain.status !== 0;
}
