/**
 * What the chain listener keeps: every TRVL event once, the recent block hashes it uses to notice reorgs, and where
 * it has read up to. The read models it projects (bookings, rewards, referrals, proposals, votes) are in schema.ts.
 */
import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp } from "drizzle-orm/pg-core";

import { uint256 } from "./types.js";

/** One row per log of a TRVL contract, stored once (the key is the log's place in the chain). */
export const chainEvents = pgTable(
  "chain_events",
  {
    chainId: integer("chain_id").notNull(),
    txHash: text("tx_hash").notNull(),
    logIndex: integer("log_index").notNull(),
    blockNumber: bigint("block_number", { mode: "bigint" }).notNull(),
    blockHash: text("block_hash").notNull(),
    blockTime: timestamp("block_time", { withTimezone: true, mode: "date" }).notNull(),
    address: text("address").notNull(),
    /** The contract's published name in @trvl/abi (BookingEscrow, RewardDistributor, …). */
    contract: text("contract").notNull(),
    name: text("name").notNull(),
    /** Decoded arguments; integers as decimal strings. */
    args: jsonb("args").$type<Record<string, unknown>>().notNull(),
    /** The booking the event concerns, when it concerns one (fast lookups for projections and rewinds). */
    bookingId: text("booking_id"),
  },
  (t) => [
    primaryKey({ columns: [t.chainId, t.txHash, t.logIndex] }),
    index("chain_events_block_idx").on(t.chainId, t.blockNumber),
    index("chain_events_booking_idx").on(t.bookingId),
  ],
);

/** Hashes of the blocks read within the reorg window: a stored hash the chain no longer has means a reorg. */
export const chainBlocks = pgTable(
  "chain_blocks",
  {
    chainId: integer("chain_id").notNull(),
    number: bigint("number", { mode: "bigint" }).notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [primaryKey({ columns: [t.chainId, t.number] })],
);

/** How far the listener has read each chain, and which chain it was (its genesis block). */
export const chainCursors = pgTable("chain_cursors", {
  chainId: integer("chain_id").primaryKey(),
  genesisHash: text("genesis_hash").notNull(),
  blockNumber: bigint("block_number", { mode: "bigint" }).notNull(),
  blockHash: text("block_hash"),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" })
    .notNull()
    .default(sql`now()`),
});

/** Governor `VoteCast` / `VoteCastWithParams` events. */
export const votes = pgTable(
  "votes",
  {
    chainId: integer("chain_id").notNull(),
    txHash: text("tx_hash").notNull(),
    logIndex: integer("log_index").notNull(),
    proposalId: uint256("proposal_id").notNull(),
    voter: text("voter").notNull(),
    /** 0 against, 1 for, 2 abstain. */
    support: smallint("support").notNull(),
    weight: uint256("weight").notNull(),
    reason: text("reason").notNull(),
    blockNumber: bigint("block_number", { mode: "bigint" }).notNull(),
    blockTime: timestamp("block_time", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.chainId, t.txHash, t.logIndex] }),
    index("votes_proposal_idx").on(t.chainId, t.proposalId),
    index("votes_voter_idx").on(t.chainId, t.voter),
  ],
);
