/**
 * The database schema, one definition for Postgres and PGlite. Token amounts are numeric(78,0) (any uint256) and
 * prices are integer cents, both read as bigint: no floating point anywhere on the money path.
 *
 * Tables the chain listener fills: `rewards`, `referrals`, `proposals`, `votes` and the on-chain lifecycle columns
 * of `bookings` (from the events it stores in `chain_events`); `keeper_jobs` is the keeper's queue.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

import { uint256 } from "./types.js";
import type { Passenger } from "../bookings/passengers.js";

export * from "./chain-schema.js";
export { uint256 };

const cents = (name: string) => bigint(name, { mode: "bigint" });
const createdAt = () =>
  timestamp("created_at", { withTimezone: true, mode: "date" })
    .notNull()
    .default(sql`now()`);
const updatedAt = () =>
  timestamp("updated_at", { withTimezone: true, mode: "date" })
    .notNull()
    .default(sql`now()`);
const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const users = pgTable("users", {
  address: text("address").primaryKey(),
  createdAt: createdAt(),
  lastSignInAt: at("last_sign_in_at"),
});

export const authNonces = pgTable("auth_nonces", {
  nonce: text("nonce").primaryKey(),
  createdAt: createdAt(),
  expiresAt: at("expires_at").notNull(),
  usedAt: at("used_at"),
});

export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    address: text("address")
      .notNull()
      .references(() => users.address),
    createdAt: createdAt(),
    expiresAt: at("expires_at").notNull(),
    revokedAt: at("revoked_at"),
  },
  (t) => [index("sessions_address_idx").on(t.address)],
);

export const profiles = pgTable("profiles", {
  address: text("address")
    .primaryKey()
    .references(() => users.address),
  interests: jsonb("interests").$type<string[]>().notNull().default([]),
  travelStyle: text("travel_style"),
  budgetPerDayCents: cents("budget_per_day_cents"),
  budgetPerTripCents: cents("budget_per_trip_cents"),
  dietary: jsonb("dietary").$type<string[]>().notNull().default([]),
  accessibility: jsonb("accessibility").$type<string[]>().notNull().default([]),
  pastDestinations: jsonb("past_destinations").$type<string[]>().notNull().default([]),
  updatedAt: updatedAt(),
});

export const BOOKING_STATUSES = [
  "quoted",
  "paid",
  "confirmed",
  "settled",
  "rewarded",
  "cancelled",
  "refund_requested",
  "refunded",
  "expired",
] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];
export const bookingStatus = pgEnum("booking_status", BOOKING_STATUSES);

export const bookings = pgTable(
  "bookings",
  {
    /** The bytes32 booking id the escrow knows, as 0x-prefixed hex. */
    id: text("id").primaryKey(),
    traveller: text("traveller")
      .notNull()
      .references(() => users.address),
    status: bookingStatus("status").notNull().default("quoted"),
    chainId: integer("chain_id").notNull(),
    escrow: text("escrow").notNull(),
    tokenAddress: text("token_address").notNull(),
    tokenSymbol: text("token_symbol").notNull(),
    tokenDecimals: integer("token_decimals").notNull(),
    amount: uint256("amount").notNull(),
    subtotalCents: cents("subtotal_cents").notNull(),
    discountBps: integer("discount_bps").notNull().default(0),
    discountCents: cents("discount_cents").notNull(),
    totalCents: cents("total_cents").notNull(),
    commissionBps: integer("commission_bps").notNull(),
    supplier: text("supplier").notNull(),
    checkIn: date("check_in", { mode: "string" }).notNull(),
    checkOut: date("check_out", { mode: "string" }).notNull(),
    guests: integer("guests").notNull(),
    /** The city the booking is for (its hotel's, else its first item's), as the catalog named it when booked. */
    destinationId: text("destination_id"),
    destinationName: text("destination_name"),
    destinationCountry: text("destination_country"),
    /** IANA time zone of the destination: item times are local there. */
    destinationTimezone: text("destination_timezone"),
    quoteExpiresAt: at("quote_expires_at").notNull(),
    /** The signed quote's `expiresAt` in the chain's time (unix seconds), which the escrow checks. */
    quoteDeadline: bigint("quote_deadline", { mode: "bigint" }).notNull(),
    signature: text("signature").notNull(),
    idempotencyKey: text("idempotency_key"),
    requestHash: text("request_hash").notNull(),
    paidTxHash: text("paid_tx_hash"),
    paidBlockNumber: bigint("paid_block_number", { mode: "bigint" }),
    paidAt: at("paid_at"),
    /** The provider confirmed the booking (off-chain; the keeper settles confirmed bookings). */
    confirmedAt: at("confirmed_at"),
    /** The providers' references for the booking, as they confirmed it. */
    providerReference: text("provider_reference"),
    /** When its items' cancellation windows have all closed and the supplier is due: the keeper settles then. */
    settleDueAt: at("settle_due_at"),
    /** What a cancellation after payment gives back, in token units, when the policy keeps part of it. */
    refundAmount: uint256("refund_amount"),
    /** The travellers a supplier needs by name (flights): given at booking, sent to the supplier only. */
    passengers: jsonb("passengers").$type<Passenger[]>(),
    /** Why a supplier refused the paid booking, which was therefore refunded. */
    supplierRefusal: text("supplier_refusal"),
    settledTxHash: text("settled_tx_hash"),
    settledBlockNumber: bigint("settled_block_number", { mode: "bigint" }),
    settledAt: at("settled_at"),
    refundedTxHash: text("refunded_tx_hash"),
    refundedBlockNumber: bigint("refunded_block_number", { mode: "bigint" }),
    refundedAt: at("refunded_at"),
    rewardedTxHash: text("rewarded_tx_hash"),
    rewardedBlockNumber: bigint("rewarded_block_number", { mode: "bigint" }),
    rewardedAt: at("rewarded_at"),
    /** Why the distributor last passed over this booking (`RewardSkipped`), until it is rewarded. */
    rewardSkipReason: text("reward_skip_reason"),
    receiptCid: text("receipt_cid"),
    cancelledAt: at("cancelled_at"),
    refundRequestedAt: at("refund_requested_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("bookings_traveller_idempotency_key_idx").on(t.traveller, t.idempotencyKey),
    index("bookings_traveller_created_idx").on(t.traveller, t.createdAt),
    index("bookings_status_idx").on(t.status),
    // Paid bookings whose receipt is still to be published (see publishPendingReceipts): few rows, found at once.
    index("bookings_receipt_pending_idx")
      .on(t.paidBlockNumber)
      .where(sql`${t.paidTxHash} is not null and ${t.receiptCid} is null`),
  ],
);

export const bookingItems = pgTable(
  "booking_items",
  {
    bookingId: text("booking_id")
      .notNull()
      .references(() => bookings.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    itemId: text("item_id").notNull(),
    type: text("type").notNull(),
    name: text("name").notNull(),
    provider: text("provider").notNull(),
    destinationId: text("destination_id").notNull(),
    unitPriceCents: cents("unit_price_cents").notNull(),
    quantity: integer("quantity").notNull(),
    totalCents: cents("total_cents").notNull(),
    commissionBps: integer("commission_bps").notNull(),
    /** The item's day (a hotel's is the check-in day). */
    date: date("date", { mode: "string" }),
    /** When it starts and ends, local time at the destination (the plan's times), when the booking named them. */
    startsAt: timestamp("starts_at", { mode: "string" }),
    endsAt: timestamp("ends_at", { mode: "string" }),
    /** The offer the provider knows this item by. */
    providerOfferId: text("provider_offer_id"),
    /**
     * The item's cancellation terms as booked: all back until `freeCancelUntil` (never set: until the booking is
     * settled), then all but `cancelFeeBps` of its price, until `settleDueAt` (never set: when the supplier confirms).
     */
    freeCancelUntil: at("free_cancel_until"),
    cancelFeeBps: integer("cancel_fee_bps").notNull().default(0),
    settleDueAt: at("settle_due_at"),
    /**
     * The supplier's order for this item: when the keeper set out to place it (recorded first, so a restart looks the
     * order up instead of placing a second one), its id and the booking reference the traveller checks in with.
     */
    orderRequestedAt: at("order_requested_at"),
    providerOrderId: text("provider_order_id"),
    providerBookingReference: text("provider_booking_reference"),
    /** When the supplier confirmed the order's cancellation: its booking reference no longer holds a seat. */
    orderCancelledAt: at("order_cancelled_at"),
    /** What the supplier gave back of it when its order was cancelled. */
    orderRefundCents: cents("order_refund_cents"),
    /**
     * Why the supplier would not cancel the order when the booking was cancelled: the order stands, and its part was
     * paid to the supplier (what was cancelled was refunded).
     */
    orderCancelRefusal: text("order_cancel_refusal"),
  },
  (t) => [primaryKey({ columns: [t.bookingId, t.position] })],
);

export const REWARD_ROLES = ["traveller", "referrer_l1", "referrer_l2", "treasury"] as const;
export const rewardRole = pgEnum("reward_role", REWARD_ROLES);

/** One row per recipient of a `RewardDistributed` event (written by the listener). */
export const rewards = pgTable(
  "rewards",
  {
    chainId: integer("chain_id").notNull(),
    txHash: text("tx_hash").notNull(),
    logIndex: integer("log_index").notNull(),
    role: rewardRole("role").notNull(),
    bookingId: text("booking_id").notNull(),
    recipient: text("recipient").notNull(),
    amount: uint256("amount").notNull(),
    blockNumber: bigint("block_number", { mode: "bigint" }).notNull(),
    blockTime: at("block_time").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.chainId, t.txHash, t.logIndex, t.role] }),
    index("rewards_recipient_idx").on(t.recipient, t.blockNumber),
  ],
);

/** `ReferralRegistered` events (written by the listener). */
export const referrals = pgTable(
  "referrals",
  {
    chainId: integer("chain_id").notNull(),
    user: text("user").notNull(),
    referrer: text("referrer").notNull(),
    level2: text("level2"),
    txHash: text("tx_hash").notNull(),
    blockNumber: bigint("block_number", { mode: "bigint" }).notNull(),
    blockTime: at("block_time").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.chainId, t.user] }),
    index("referrals_referrer_idx").on(t.chainId, t.referrer),
    index("referrals_level2_idx").on(t.chainId, t.level2),
  ],
);

/**
 * Registrations the API's relayer sent (or is about to send) for its users: what its daily budgets count. A row is
 * reserved before the transaction is simulated and removed when nothing was sent; `txHash` is the latest broadcast.
 */
export const referralRelays = pgTable(
  "referral_relays",
  {
    id: bigint("id", { mode: "bigint" }).primaryKey().generatedAlwaysAsIdentity(),
    chainId: integer("chain_id").notNull(),
    user: text("user").notNull(),
    referrer: text("referrer").notNull(),
    txHash: text("tx_hash"),
    /** The chain refused the relay's simulation: nothing was sent, but the attempt counts against the user's budget
     * of attempts (a simulation is work the node does for them). */
    refused: boolean("refused").notNull().default(false),
    /** The services' clock when the relay was asked for: the budgets' windows are counted from it. */
    createdAt: at("created_at").notNull(),
  },
  (t) => [
    index("referral_relays_user_idx").on(t.chainId, t.user, t.createdAt),
    index("referral_relays_created_idx").on(t.chainId, t.createdAt),
  ],
);

/** Governor proposals (written by the listener once the governor is deployed). */
export const proposals = pgTable(
  "proposals",
  {
    chainId: integer("chain_id").notNull(),
    proposalId: uint256("proposal_id").notNull(),
    proposer: text("proposer").notNull(),
    description: text("description").notNull(),
    state: text("state").notNull(),
    voteStart: bigint("vote_start", { mode: "bigint" }).notNull(),
    voteEnd: bigint("vote_end", { mode: "bigint" }).notNull(),
    forVotes: uint256("for_votes").notNull(),
    againstVotes: uint256("against_votes").notNull(),
    abstainVotes: uint256("abstain_votes").notNull(),
    txHash: text("tx_hash").notNull(),
    blockNumber: bigint("block_number", { mode: "bigint" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.chainId, t.proposalId] }), index("proposals_block_idx").on(t.blockNumber)],
);

export const KEEPER_JOB_KINDS = ["confirm", "settle", "refund", "distribute"] as const;
export const keeperJobKind = pgEnum("keeper_job_kind", KEEPER_JOB_KINDS);
export const keeperJobStatus = pgEnum("keeper_job_status", ["pending", "running", "done", "failed"]);

/**
 * Work for the keeper: confirm a paid booking with its provider, settle it, distribute its reward, or refund it.
 * Each kind runs at most once per booking; a job is done when the chain shows its effect.
 */
export const keeperJobs = pgTable(
  "keeper_jobs",
  {
    id: bigint("id", { mode: "bigint" }).primaryKey().generatedAlwaysAsIdentity(),
    kind: keeperJobKind("kind").notNull(),
    bookingId: text("booking_id")
      .notNull()
      .references(() => bookings.id),
    status: keeperJobStatus("status").notNull().default("pending"),
    /** Failed attempts (a transaction that failed or reverted): after `KEEPER_MAX_ATTEMPTS` the job is given up. */
    attempts: integer("attempts").notNull().default(0),
    /**
     * Times the chain passed the job over for a reason that may go away (the distributor's mint limit, a stale feed,
     * the sequencer): they set its growing backoff, and never use up its attempts.
     */
    skips: integer("skips").notNull().default(0),
    lastError: text("last_error"),
    /** The transaction last sent for this job, and when: a restart checks it before sending again. */
    txHash: text("tx_hash"),
    sentAt: at("sent_at"),
    runAfter: at("run_after")
      .notNull()
      .default(sql`now()`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("keeper_jobs_kind_booking_idx").on(t.kind, t.bookingId),
    index("keeper_jobs_pending_idx").on(t.status, t.runAfter),
    // Stale running jobs are found, and finished ones pruned, by how long ago they last changed.
    index("keeper_jobs_status_updated_idx").on(t.status, t.updatedAt),
  ],
);

/**
 * Conversations with the trip planner; each turn is kept so later requests have their context. A signed-in
 * traveller's are theirs (`address`) until they forget them; a visitor's have no address, are reached only by their
 * id (held by the visitor's browser) and expire (`expiresAt`).
 */
export const plannerConversations = pgTable(
  "planner_conversations",
  {
    id: text("id").primaryKey(),
    address: text("address").references(() => users.address),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    expiresAt: at("expires_at"),
  },
  (t) => [
    index("planner_conversations_address_idx").on(t.address, t.updatedAt),
    index("planner_conversations_expires_idx").on(t.expiresAt),
  ],
);

export const plannerTurns = pgTable(
  "planner_turns",
  {
    id: bigint("id", { mode: "bigint" }).primaryKey().generatedAlwaysAsIdentity(),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => plannerConversations.id, { onDelete: "cascade" }),
    /** What the traveller asked. */
    request: text("request").notNull(),
    /** The planner's answer (plan, clarification or refusal) as the API returned it. */
    result: jsonb("result").$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("planner_turns_conversation_idx").on(t.conversationId, t.id)],
);

export const INTERACTION_KINDS = ["view", "like", "book"] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];

/** What a traveller did with catalog items: the recommendations learn from it. */
export const interactions = pgTable(
  "interactions",
  {
    id: bigint("id", { mode: "bigint" }).primaryKey().generatedAlwaysAsIdentity(),
    address: text("address")
      .notNull()
      .references(() => users.address),
    itemId: text("item_id").notNull(),
    destinationId: text("destination_id").notNull(),
    kind: text("kind").$type<InteractionKind>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("interactions_address_idx").on(t.address, t.id)],
);

/**
 * A signed-in traveller's saved trips: the plan as last edited (a planner Plan, priced as bookings price it), and the
 * booking made of it once booked. Draft, booked or travelled is read from these (see trips/service.ts).
 */
export const trips = pgTable(
  "trips",
  {
    id: text("id").primaryKey(),
    address: text("address")
      .notNull()
      .references(() => users.address),
    plan: jsonb("plan").$type<Record<string, unknown>>().notNull(),
    bookingId: text("booking_id").references(() => bookings.id),
    conversationId: text("conversation_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("trips_address_idx").on(t.address, t.updatedAt)],
);

/**
 * Places of a destination from OpenStreetMap (places/osm.ts), kept `expires_at` after `fetched_at`. An instance about
 * to fetch claims the row until `claimed_until`, so one destination is fetched once however many ask at the same time.
 */
export const placesCache = pgTable("places_cache", {
  destinationId: text("destination_id").primaryKey(),
  places: jsonb("places").$type<unknown[]>(),
  fetchedAt: at("fetched_at"),
  expiresAt: at("expires_at"),
  claimedUntil: at("claimed_until"),
});
