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
import type { Passenger } from "./passengers.js";
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
  /** `time` and `endTime` (HH:MM, local at the destination) are the plan's; an `endTime` before `time` is the next day. */
  items: { itemId: string; date?: string; time?: string; endTime?: string }[];
  checkIn: string;
  checkOut: string;
  guests: number;
  paymentToken: Address;
  /** One per guest; required when a supplier issues tickets by name (a live flight). */
  passengers?: Passenger[];
}

export type BookingRow = typeof schema.bookings.$inferSelect;
export type BookingItemRow = typeof schema.bookingItems.$inferSelect;
/** A payment the escrow recorded: where and when. */
export interface PaidEvent {
  txHash: Hex;
  blockNumber: bigint;
  paidAt: Date;
}

/** What the distributor minted the traveller for a booking, from its stored RewardDistributed event. */
export interface BookingReward {
  travellerAmount: bigint;
  boostBps: number;
}

export interface BookingRecord {
  booking: BookingRow;
  items: BookingItemRow[];
  reward: BookingReward | null;
}

export async function withItems(db: Executor, booking: BookingRow): Promise<BookingRecord> {
  const [records] = await withDetails(db, [booking]);
  return records!;
}

/** Bookings with their items and, once rewarded, their reward: three queries however many bookings. */
export async function withDetails(db: Executor, bookings: BookingRow[]): Promise<BookingRecord[]> {
  if (bookings.length === 0) return [];
  const ids = bookings.map((booking) => booking.id);
  const rewardedIds = bookings.filter((booking) => booking.rewardedTxHash !== null).map((booking) => booking.id);
  const [items, rewardEvents] = await Promise.all([
    db
      .select()
      .from(schema.bookingItems)
      .where(inArray(schema.bookingItems.bookingId, ids))
      .orderBy(asc(schema.bookingItems.position)),
    rewardedIds.length === 0
      ? []
      : db
          .select({ bookingId: schema.chainEvents.bookingId, args: schema.chainEvents.args })
          .from(schema.chainEvents)
          .where(
            and(
              inArray(schema.chainEvents.bookingId, rewardedIds),
              eq(schema.chainEvents.contract, "RewardDistributor"),
              eq(schema.chainEvents.name, "RewardDistributed"),
            ),
          ),
  ]);
  return bookings.map((booking) => {
    const event = booking.rewardedTxHash ? rewardEvents.find((e) => e.bookingId === booking.id) : undefined;
    return {
      booking,
      items: items.filter((item) => item.bookingId === booking.id),
      reward: event
        ? { travellerAmount: BigInt(String(event.args.travellerAmount)), boostBps: Number(event.args.boostBps) }
        : null,
    };
  });
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
