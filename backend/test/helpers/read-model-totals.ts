/**
 * The backend's read models in the shape of the subgraph's totals (subgraph/test/harness/totals.ts), so that one
 * deep equality compares what the listener projected with what the subgraph's mappings computed from the same
 * chain. Amounts are decimal strings of raw units; addresses and booking ids lowercase 0x-hex.
 */
import { TIER_NAMES } from "@trvl/abi";
import { and, count, eq, sql } from "drizzle-orm";
import type { Address } from "viem";

import type { OnChainBookingStatus, SubgraphTotals } from "../../../subgraph/test/harness/totals.js";
import { schema, type Db } from "../../src/db/index.js";
import type { BookingStatus } from "../../src/db/schema.js";
import { call, type TestApp } from "./app.js";

/**
 * The subgraph's totals without what the backend has no read model of: stakes carry no pending unstake (the
 * backend reads stakes from the staking contract, and its reader does not ask for cooldowns).
 */
export type ComparableTotals = Omit<SubgraphTotals, "stakes"> & {
  stakes: Record<string, { staked: string; tier: number }>;
};

/**
 * A booking's status as the chain knows it, from the backend's status. Quotes never paid exist only in the backend
 * (null). Paid bookings the supplier confirmed, or whose traveller asked for a refund, are still just paid on chain.
 */
const ON_CHAIN: Record<BookingStatus, OnChainBookingStatus | null> = {
  quoted: null,
  cancelled: null,
  expired: null,
  paid: "PAID",
  confirmed: "PAID",
  refund_requested: "PAID",
  settled: "SETTLED",
  rewarded: "REWARDED",
  refunded: "REFUNDED",
};

const ROLE = { traveller: "traveller", referrer_l1: "level1", referrer_l2: "level2", treasury: "treasury" } as const;

const key = (address: string) => address.toLowerCase();

/**
 * Reads the read models of `t` for chain `chainId`: bookings, rewards and referrals (listener projections),
 * proposals and their votes (listener projections), and the stakes of `accounts` as `GET /accounts/{address}`
 * serves them (the backend keeps no list of stakers, so the caller names the accounts to ask about).
 */
export async function backendTotals(t: TestApp, chainId: number, accounts: Address[]): Promise<ComparableTotals> {
  const db: Db = t.services.db;

  const byStatus = { PAID: 0, SETTLED: 0, REFUNDED: 0, REWARDED: 0 };
  const statusOf: ComparableTotals["bookings"]["statusOf"] = {};
  const bookings = await db
    .select({ id: schema.bookings.id, status: schema.bookings.status })
    .from(schema.bookings)
    .where(eq(schema.bookings.chainId, chainId));
  for (const booking of bookings) {
    const status = ON_CHAIN[booking.status];
    if (status === null) continue;
    byStatus[status] += 1;
    statusOf[key(booking.id)] = status;
  }

  const rewards: ComparableTotals["rewards"] = {};
  const earned = await db
    .select({
      recipient: schema.rewards.recipient,
      role: schema.rewards.role,
      amount: sql<string>`sum(${schema.rewards.amount})::text`,
    })
    .from(schema.rewards)
    .where(eq(schema.rewards.chainId, chainId))
    .groupBy(schema.rewards.recipient, schema.rewards.role);
  let rewardsMinted = 0n;
  for (const row of earned) {
    const entry = (rewards[key(row.recipient)] ??= {
      total: "0",
      traveller: "0",
      level1: "0",
      level2: "0",
      treasury: "0",
    });
    const amount = BigInt(row.amount);
    entry[ROLE[row.role]] = String(BigInt(entry[ROLE[row.role]]) + amount);
    entry.total = String(BigInt(entry.total) + amount);
    rewardsMinted += amount;
  }

  const referrals: ComparableTotals["referrals"] = {};
  const registered = await db.select().from(schema.referrals).where(eq(schema.referrals.chainId, chainId));
  const counts = (address: string) => (referrals[key(address)] ??= { direct: 0, indirect: 0 });
  for (const row of registered) {
    counts(row.referrer).direct += 1;
    if (row.level2 !== null) counts(row.level2).indirect += 1;
  }

  const stakes: ComparableTotals["stakes"] = {};
  let totalStaked = 0n;
  for (const address of accounts) {
    const { status, body } = await call(t.app, "GET", `/accounts/${address}`);
    if (status !== 200) throw new Error(`GET /accounts/${address}: ${status} ${JSON.stringify(body)}`);
    if (body.staking.staked === "0") continue;
    stakes[key(address)] = { staked: body.staking.staked, tier: TIER_NAMES.indexOf(body.staking.tier) };
    totalStaked += BigInt(body.staking.staked);
  }

  const proposals: ComparableTotals["proposals"] = {};
  const rows = await db.select().from(schema.proposals).where(eq(schema.proposals.chainId, chainId));
  for (const row of rows) {
    const [{ votes }] = await db
      .select({ votes: count() })
      .from(schema.votes)
      .where(and(eq(schema.votes.chainId, chainId), eq(schema.votes.proposalId, row.proposalId)));
    proposals[row.proposalId.toString()] = {
      // "Pending", "Queued", "Executed", "Canceled": the subgraph's enum spells them in capitals.
      state: row.state.toUpperCase(),
      forVotes: row.forVotes.toString(),
      againstVotes: row.againstVotes.toString(),
      abstainVotes: row.abstainVotes.toString(),
      voteCount: votes,
    };
  }

  return {
    bookings: { total: Object.keys(statusOf).length, byStatus, statusOf },
    rewards,
    referrals,
    stakes,
    proposals,
    protocol: {
      rewardsMinted: String(rewardsMinted),
      totalStaked: String(totalStaked),
      referralCount: registered.length,
      proposalCount: rows.length,
    },
  };
}

/**
 * The subgraph's totals with only what `backendTotals` can tell: no pending unstakes, and no positions with nothing
 * staked (the backend cannot tell an account that unstaked everything from one that never staked).
 */
export function comparable(totals: SubgraphTotals): ComparableTotals {
  const stakes: ComparableTotals["stakes"] = {};
  for (const [address, { staked, tier }] of Object.entries(totals.stakes)) {
    if (staked !== "0") stakes[address] = { staked, tier };
  }
  return { ...totals, stakes };
}
