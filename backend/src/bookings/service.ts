import { createHash, randomBytes } from "node:crypto";

import { bookingEscrowAbi, mockStablecoinAbi, permitDomain, permitTypes, quoteDomain, quoteTypes } from "@trvl/abi";
import { and, asc, desc, eq, inArray, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import { isAddressEqual, parseEventLogs, zeroAddress, type Address, type Hex } from "viem";

import type { Catalog } from "../catalog/service.js";
import { BOOKING_HORIZON_MONTHS, formatDay, latestCheckIn, nightsBetween } from "../catalog/dates.js";
import type { CatalogItem } from "../catalog/types.js";
import { chainRead, chainTime, requireContract, type ChainContext } from "../chain/index.js";
import type { Clock } from "../clock.js";
import type { Config } from "../config/index.js";
import { isUniqueViolation, schema, type Db, type Executor, type Tx } from "../db/index.js";
import type { BookingStatus } from "../db/schema.js";
import { ApiError, notFound } from "../http/errors.js";
import { usd } from "../http/schemas.js";
import { putJson, type ContentStore } from "../ipfs/store.js";
import { announceChanges } from "../push/changes.js";
import { decideCancel, deriveStatus } from "./lifecycle.js";
import type { StakingReader } from "../staking/index.js";
import { tokenAmountForCents, type PaymentTokens } from "./payment-token.js";

export interface BookingDeps {
  db: Db;
  config: Config;
  chain: ChainContext;
  catalog: Catalog;
  staking: StakingReader;
  tokens: PaymentTokens;
  ipfs: ContentStore;
  now: Clock;
}

export interface BookingRequest {
  items: { itemId: string; date?: string }[];
  checkIn: string;
  checkOut: string;
  guests: number;
  paymentToken: Address;
}

export type BookingRow = typeof schema.bookings.$inferSelect;
export type BookingItemRow = typeof schema.bookingItems.$inferSelect;
export interface BookingRecord {
  booking: BookingRow;
  items: BookingItemRow[];
}

const BPS = 10_000n;
/** The escrow stores amounts as uint96. */
const MAX_AMOUNT = 2n ** 96n - 1n;
const field = (name: string, message: string) => ({ fields: [{ field: name, message }] });

// ------------------------------------------------------------------------------------------------------------------
// Pricing
// ------------------------------------------------------------------------------------------------------------------

interface PricedLine {
  item: CatalogItem;
  quantity: number;
  totalCents: bigint;
}

/** Prices each line from the catalog for the stay and party, checking that it can be booked on its dates. */
export async function priceLines(catalog: Catalog, request: BookingRequest, today: string): Promise<PricedLine[]> {
  const { checkIn, checkOut, guests } = request;
  if (checkIn < today) {
    throw new ApiError(
      400,
      "validation_failed",
      "body.checkIn: must not be in the past",
      field("body.checkIn", "must not be in the past"),
    );
  }
  const latest = latestCheckIn(today);
  if (checkIn > latest) {
    const message = `must be at most ${BOOKING_HORIZON_MONTHS} months ahead (on or before ${latest})`;
    throw new ApiError(400, "validation_failed", `body.checkIn: ${message}`, field("body.checkIn", message));
  }
  const nights = nightsBetween(checkIn, checkOut);
  const seen = new Set<string>();
  const lines: PricedLine[] = [];
  for (const [index, line] of request.items.entries()) {
    const at = `body.items.${index}`;
    const item = await catalog.getItem(line.itemId);
    if (!item)
      throw new ApiError(
        422,
        "item_not_found",
        `${at}.itemId: no such catalog item`,
        field(`${at}.itemId`, "no such catalog item"),
      );
    const key = `${item.id}@${item.type === "hotel" ? "stay" : (line.date ?? checkIn)}`;
    if (seen.has(key))
      throw new ApiError(
        400,
        "validation_failed",
        `${at}: the same item twice on the same day`,
        field(at, "duplicate item"),
      );
    seen.add(key);

    let quantity: number;
    let available: boolean;
    if (item.type === "hotel") {
      if (line.date)
        throw new ApiError(
          400,
          "validation_failed",
          `${at}.date: hotels are booked for the whole stay`,
          field(`${at}.date`, "hotels are booked for the whole stay"),
        );
      quantity = nights * Math.ceil(guests / 2);
      available = catalog.isAvailable(item, checkIn, checkOut);
    } else {
      const date = line.date ?? checkIn;
      // The departure day is part of the trip: a morning activity before check-out can be booked on it.
      if (date < checkIn || date > checkOut) {
        throw new ApiError(
          400,
          "validation_failed",
          `${at}.date: must be within the trip`,
          field(`${at}.date`, "must be from checkIn to checkOut (the departure day)"),
        );
      }
      if (item.priceUnit === "offer") {
        const passengers = item.details.kind === "flight" ? (item.details.passengers ?? 1) : 1;
        if (passengers !== guests) {
          throw new ApiError(
            422,
            "party_mismatch",
            `${at}: the offer is for ${passengers} passenger(s), not ${guests}`,
            field(`${at}.itemId`, "offer priced for another party size"),
          );
        }
        quantity = 1;
      } else {
        quantity = guests;
      }
      available = catalog.availableOn(item, date);
    }
    if (!available)
      throw new ApiError(
        409,
        "item_unavailable",
        `${item.name} cannot be booked on those dates`,
        field(`${at}.itemId`, "not available on those dates"),
      );
    lines.push({ item, quantity, totalCents: item.priceCents * BigInt(quantity) });
  }
  return lines;
}

function requestHash(request: BookingRequest): string {
  const canonical = {
    items: request.items.map((line) => [line.itemId, line.date ?? null]),
    checkIn: request.checkIn,
    checkOut: request.checkOut,
    guests: request.guests,
    paymentToken: request.paymentToken.toLowerCase(),
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
    quoteExpiresAt,
    quoteDeadline: quote.expiresAt,
    signature,
    idempotencyKey: idempotencyKey ?? null,
    requestHash: hash,
    createdAt: time,
    updatedAt: time,
  };
  const items = lines.map((line, position) => ({
    bookingId: id,
    position,
    itemId: line.item.id,
    type: line.item.type,
    name: line.item.name,
    provider: line.item.provider,
    destinationId: line.item.destinationId,
    unitPriceCents: line.item.priceCents,
    quantity: line.quantity,
    totalCents: line.totalCents,
    commissionBps: line.item.commissionBps,
  }));
  try {
    await db.transaction(async (tx) => {
      await tx
        .insert(schema.users)
        .values({ address: traveller })
        .onConflictDoNothing({ target: schema.users.address });
      await tx.insert(schema.bookings).values(booking);
      await tx.insert(schema.bookingItems).values(items);
    });
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

async function withItems(db: Executor, booking: BookingRow): Promise<BookingRecord> {
  const items = await db
    .select()
    .from(schema.bookingItems)
    .where(eq(schema.bookingItems.bookingId, booking.id))
    .orderBy(asc(schema.bookingItems.position));
  return { booking, items };
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

/** The traveller's own booking; anyone else's is indistinguishable from a missing one (404). */
export async function loadOwn(db: Db, traveller: Address, id: string): Promise<BookingRecord> {
  const [booking] = await db
    .select()
    .from(schema.bookings)
    .where(and(eq(schema.bookings.id, id), eq(schema.bookings.traveller, traveller)));
  if (!booking) throw notFound("Booking");
  return withItems(db, booking);
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
  const pageRows = rows.slice(0, page.limit);
  const items = pageRows.length
    ? await db
        .select()
        .from(schema.bookingItems)
        .where(
          inArray(
            schema.bookingItems.bookingId,
            pageRows.map((row) => row.id),
          ),
        )
        .orderBy(asc(schema.bookingItems.position))
    : [];
  return {
    records: pageRows.map((booking) => ({ booking, items: items.filter((item) => item.bookingId === booking.id) })),
    hasMore: rows.length > page.limit,
  };
}

/**
 * Cancels a booking as `decideCancel` rules, on its locked row and settle job: either the cancellation wins (the
 * booking is cancelled, or marked for a refund that the keeper sends and its settle job ended, so it is never
 * settled) or it loses with a 409 naming the booking's real status; the keeper's settle claim skips a locked job.
 */
export async function cancelBooking(deps: BookingDeps, traveller: Address, id: string): Promise<BookingRecord> {
  const { db, chain, now } = deps;
  const time = now();
  await expireQuotes(db, traveller, time);
  const { booking } = await loadOwn(db, traveller, id);
  // A quote paid on the chain but not recorded yet is refunded, never cancelled as if unpaid.
  const paidUnrecorded = booking.status === "quoted" && (await paidInEscrow(chain, booking));
  await db.transaction(async (tx) => {
    const [locked] = await lockBookings(tx, [id]);
    const jobs = await tx
      .select()
      .from(schema.keeperJobs)
      .where(and(eq(schema.keeperJobs.bookingId, id), inArray(schema.keeperJobs.kind, ["confirm", "settle"])))
      .orderBy(asc(schema.keeperJobs.id))
      .for("update");
    const settling = jobs.some((job) => job.kind === "settle" && job.status === "running");
    const decision = decideCancel(locked, { paidUnrecorded, settling });
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
      case "refund": {
        await tx
          .update(schema.bookings)
          .set({ status: "refund_requested", refundRequestedAt: time, updatedAt: time })
          .where(eq(schema.bookings.id, id));
        // Neither confirmed with the supplier nor settled any more: refunded instead.
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

// ------------------------------------------------------------------------------------------------------------------
// Payment
// ------------------------------------------------------------------------------------------------------------------

export interface PaidEvent {
  txHash: Hex;
  blockNumber: bigint;
  paidAt: Date;
}

/**
 * The traveller reports the transaction that paid a booking. The API trusts only the chain: the transaction must
 * have succeeded, have CHAIN_CONFIRMATIONS blocks, and carry the escrow's BookingPaid event for exactly this quote.
 */
export async function confirmPayment(deps: BookingDeps, traveller: Address, id: string, txHash: Hex) {
  const { chain, config } = deps;
  const { booking } = await loadOwn(deps.db, traveller, id);
  if (booking.paidTxHash) {
    if (booking.paidTxHash === txHash) return loadOwn(deps.db, traveller, id);
    throw new ApiError(409, "already_paid", "The booking was paid by another transaction", {
      txHash: booking.paidTxHash,
    });
  }
  const receipt = await chainRead(async () => {
    try {
      return await chain.client.getTransactionReceipt({ hash: txHash });
    } catch (error) {
      if ((error as { name?: string }).name === "TransactionReceiptNotFoundError") return undefined;
      throw error;
    }
  });
  if (!receipt)
    throw new ApiError(409, "payment_not_found", "The transaction is not in a block yet; try again shortly");
  if (receipt.status !== "success") throw new ApiError(422, "payment_reverted", "The transaction reverted");
  const head = await chainRead(() => chain.client.getBlockNumber({ cacheTime: 0 }));
  const confirmations = head - receipt.blockNumber + 1n;
  if (confirmations < BigInt(config.CHAIN_CONFIRMATIONS)) {
    throw new ApiError(409, "payment_unconfirmed", "The payment needs more confirmations; try again shortly", {
      confirmations: Number(confirmations),
      required: config.CHAIN_CONFIRMATIONS,
    });
  }
  const paid = parseEventLogs({ abi: bookingEscrowAbi, eventName: "BookingPaid", logs: receipt.logs }).find(
    (log) => isAddressEqual(log.address, booking.escrow as Address) && log.args.bookingId === booking.id,
  );
  if (
    !paid ||
    !isAddressEqual(paid.args.traveller, booking.traveller as Address) ||
    !isAddressEqual(paid.args.token, booking.tokenAddress as Address) ||
    paid.args.amount !== booking.amount
  ) {
    throw new ApiError(422, "payment_mismatch", "The transaction did not pay this booking's quote");
  }
  const block = await chainRead(() => chain.client.getBlock({ blockNumber: receipt.blockNumber }));
  await recordPayment(deps, id, {
    txHash,
    blockNumber: receipt.blockNumber,
    paidAt: new Date(Number(block.timestamp) * 1000),
  });
  return loadOwn(deps.db, traveller, id);
}

/**
 * Marks a booking paid and publishes its receipt (a JSON document with a CIDv1) to the content store. Idempotent:
 * the API calls it when a traveller reports a payment, the chain listener for every BookingPaid event. A booking
 * cancelled before its payment was seen goes to refund_requested with a keeper job.
 */
export async function recordPayment(deps: BookingDeps, id: string, paid: PaidEvent): Promise<void> {
  await deps.db.transaction((tx) => markPaid(tx, deps, id, paid));
}

/** `recordPayment` within the caller's transaction. Returns whether the booking was newly marked paid. */
export async function markPaid(
  tx: Tx,
  deps: Pick<BookingDeps, "ipfs" | "now">,
  id: string,
  paid: PaidEvent,
): Promise<boolean> {
  const [booking] = await tx.select().from(schema.bookings).where(eq(schema.bookings.id, id)).for("update");
  if (!booking || booking.paidTxHash) return false;
  const { items } = await withItems(tx, booking);
  const cid = await putJson(deps.ipfs, receiptDocument(booking, items, paid));
  const { job, ...facts } = paidFacts(booking, paid);
  const now = deps.now();
  await tx
    .update(schema.bookings)
    .set({ ...facts, receiptCid: cid.toString(), updatedAt: now })
    .where(eq(schema.bookings.id, id));
  await tx.insert(schema.keeperJobs).values({ kind: job, bookingId: id, runAfter: now }).onConflictDoNothing();
  return true;
}

/**
 * What a seen payment changes on a booking: the payment's facts, the status they lead to, and the keeper job that
 * follows (confirm with the supplier, or refund when the traveller cancelled before the payment was seen).
 */
export function paidFacts(booking: BookingRow, paid: PaidEvent) {
  const facts = { paidTxHash: paid.txHash, paidBlockNumber: paid.blockNumber, paidAt: paid.paidAt };
  const status = deriveStatus({ ...booking, ...facts });
  return { ...facts, status, job: status === "refund_requested" ? ("refund" as const) : ("confirm" as const) };
}

/**
 * Locks bookings until the transaction ends, in id order, and returns them. Every writer that locks several
 * bookings at once (the listener's batches, the keeper's confirmations, the receipts) goes through here, so no two
 * of them can deadlock on each other.
 */
export async function lockBookings(tx: Tx, ids: Iterable<string>): Promise<BookingRow[]> {
  const sorted = [...new Set(ids)].sort();
  const rows: BookingRow[] = [];
  for (let i = 0; i < sorted.length; i += 500) {
    rows.push(
      ...(await tx
        .select()
        .from(schema.bookings)
        .where(inArray(schema.bookings.id, sorted.slice(i, i + 500)))
        .orderBy(asc(schema.bookings.id))
        .for("update")),
    );
  }
  return rows;
}

/**
 * Publishes the receipts of paid bookings that have none yet, oldest payment first, and returns how many. The chain
 * listener marks payments without waiting on the content store (a slow or absent IPFS node must not hold up the
 * money path); this catches up behind it, and after a crash resumes from what the table shows.
 */
export async function publishPendingReceipts(deps: Pick<BookingDeps, "db" | "ipfs">, limit: number): Promise<number> {
  const b = schema.bookings;
  const pending = await deps.db
    .select()
    .from(b)
    .where(and(isNotNull(b.paidTxHash), isNull(b.receiptCid)))
    .orderBy(asc(b.paidBlockNumber))
    .limit(limit);
  if (pending.length === 0) return 0;
  const items = await deps.db
    .select()
    .from(schema.bookingItems)
    .where(
      inArray(
        schema.bookingItems.bookingId,
        pending.map((booking) => booking.id),
      ),
    )
    .orderBy(asc(schema.bookingItems.position));
  const published = await Promise.all(
    pending.map(async (booking) => {
      const paid = {
        txHash: booking.paidTxHash as Hex,
        blockNumber: booking.paidBlockNumber!,
        paidAt: booking.paidAt!,
      };
      const document = receiptDocument(
        booking,
        items.filter((item) => item.bookingId === booking.id),
        paid,
      );
      return sql`(${booking.id}, ${booking.paidTxHash}, ${(await putJson(deps.ipfs, document)).toString()})`;
    }),
  );
  // Only where the payment is still the one the receipt names: a reorg may have undone it meanwhile.
  await deps.db.transaction(async (tx) => {
    await lockBookings(
      tx,
      pending.map((booking) => booking.id),
    );
    await tx.execute(sql`
      update ${b} set receipt_cid = v.cid
      from (values ${sql.join(published, sql`, `)}) as v(id, paid_tx_hash, cid)
      where ${b.id} = v.id and ${b.paidTxHash} = v.paid_tx_hash and ${b.receiptCid} is null`);
  });
  return pending.length;
}

export function receiptDocument(booking: BookingRow, items: BookingItemRow[], paid: PaidEvent) {
  return {
    type: "trvl.booking-receipt",
    version: 1,
    bookingId: booking.id,
    chainId: booking.chainId,
    escrow: booking.escrow,
    traveller: booking.traveller,
    supplier: booking.supplier,
    stay: { checkIn: booking.checkIn, checkOut: booking.checkOut, guests: booking.guests },
    items: items.map((item) => ({
      itemId: item.itemId,
      type: item.type,
      name: item.name,
      provider: item.provider,
      unitPrice: usd(item.unitPriceCents).amount,
      quantity: item.quantity,
      total: usd(item.totalCents).amount,
    })),
    pricing: {
      currency: "USD",
      subtotal: usd(booking.subtotalCents).amount,
      discountBps: booking.discountBps,
      discount: usd(booking.discountCents).amount,
      total: usd(booking.totalCents).amount,
      commissionBps: booking.commissionBps,
    },
    payment: {
      token: booking.tokenAddress,
      symbol: booking.tokenSymbol,
      decimals: booking.tokenDecimals,
      amount: booking.amount.toString(),
      txHash: paid.txHash,
      blockNumber: paid.blockNumber.toString(),
      paidAt: paid.paidAt.toISOString(),
    },
  };
}

// ------------------------------------------------------------------------------------------------------------------
// What the web needs to pay
// ------------------------------------------------------------------------------------------------------------------

export function quoteOf(booking: BookingRow) {
  return {
    bookingId: booking.id as Hex,
    traveller: booking.traveller as Address,
    token: booking.tokenAddress as Address,
    amount: booking.amount,
    commissionBps: booking.commissionBps,
    supplier: booking.supplier as Address,
    expiresAt: booking.quoteDeadline,
  };
}

/**
 * How to pay a quoted booking: `BookingEscrow.pay(quote, signature)` with `value` for ETH; for an ERC-20 either
 * `approve` then `pay`, or one `payWithPermit` with the ERC-2612 permit typed data given here (nonce as of now).
 */
export async function paymentInstructions(deps: BookingDeps, booking: BookingRow) {
  const quote = quoteOf(booking);
  const native = quote.token === zeroAddress;
  let permit = null;
  if (!native) {
    const token = await deps.tokens.token(quote.token);
    const nonce = await chainRead(() =>
      deps.chain.client.readContract({
        address: quote.token,
        abi: mockStablecoinAbi,
        functionName: "nonces",
        args: [quote.traveller],
      }),
    );
    const domain = permitDomain(token.permitName ?? token.symbol, booking.chainId, quote.token);
    permit = {
      domain: { ...domain, chainId: booking.chainId },
      types: permitTypes,
      primaryType: "Permit" as const,
      message: {
        owner: quote.traveller,
        spender: booking.escrow,
        value: quote.amount.toString(),
        nonce: nonce.toString(),
        deadline: quote.expiresAt.toString(),
      },
    };
  }
  return {
    chainId: booking.chainId,
    escrow: booking.escrow,
    method: native ? ("pay" as const) : ("payWithPermit" as const),
    value: native ? quote.amount.toString() : "0",
    quote: {
      ...quote,
      amount: quote.amount.toString(),
      expiresAt: quote.expiresAt.toString(),
    },
    signature: booking.signature,
    typedData: {
      domain: { ...quoteDomain(booking.chainId, booking.escrow as Address), chainId: booking.chainId },
      types: quoteTypes,
      primaryType: "Quote" as const,
    },
    approve: native ? null : { token: quote.token, spender: booking.escrow, amount: quote.amount.toString() },
    permit,
  };
}
