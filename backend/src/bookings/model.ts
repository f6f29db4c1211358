/**
 * A booking as stored: its rows, the services the booking code needs, and the two ways to read one (the traveller's
 * own, or several locked in the one lock order every writer follows).
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Address, Hex } from "viem";

import type { Catalog } from "../catalog/service.js";
import type { ChainContext } from "../chain/index.js";
import type { Clock } from "../clock.js";
import type { Config } from "../config/index.js";
import { schema, type Db, type Executor, type Tx } from "../db/index.js";
import { notFound } from "../http/errors.js";
import type { ContentStore } from "../ipfs/store.js";
import type { StakingReader } from "../staking/index.js";
import type { PaymentTokens } from "./payment-token.js";

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
/** A payment the escrow recorded: where and when. */
export interface PaidEvent {
  txHash: Hex;
  blockNumber: bigint;
  paidAt: Date;
}

export interface BookingRecord {
  booking: BookingRow;
  items: BookingItemRow[];
}

export async function withItems(db: Executor, booking: BookingRow): Promise<BookingRecord> {
  const items = await db
    .select()
    .from(schema.bookingItems)
    .where(eq(schema.bookingItems.bookingId, booking.id))
    .orderBy(asc(schema.bookingItems.position));
  return { booking, items };
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
