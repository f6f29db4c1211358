/**
 * RewardDistributor: reward rows per recipient (for any booking, the API's or not), and a booking's reward or the
 * reason the distributor passed it over.
 */
import { SKIP_REASONS } from "@trvl/abi";
import { and, desc, eq, lte } from "drizzle-orm";
import { zeroAddress, type Address } from "viem";

import { schema, type Tx } from "../../db/index.js";
import type { ChainEvent } from "../events.js";
import { onChain } from "./bookings.js";
import { big, defineProjection, deleteAfter, insertNew, str } from "./projection.js";

interface Fold {
  /** Each distributor's treasury as of the event being applied. */
  treasury: Map<string, string | undefined>;
  rewards: (typeof schema.rewards.$inferInsert)[];
}

export const distributor = defineProjection({
  contract: "RewardDistributor",
  open: (): Fold => ({ treasury: new Map(), rewards: [] }),
  on: {
    "RewardDistributor:TreasurySet": (e, fold) => {
      fold.treasury.set(e.address.toLowerCase(), str(e.args.newTreasury));
    },
    "RewardDistributor:RewardDistributed": async (e, fold, { tx, deps, bookings, changes }) => {
      await collectRewards(tx, deps.chainId, e, fold);
      if (!bookings.has(e)) return;
      bookings.transition(e, { kind: "rewarded", ...onChain(e) });
      for (const role of ["traveller", "level1", "level2"]) {
        const account = e.args[role];
        if (account && account !== zeroAddress) changes.accounts.add(account as Address);
      }
    },
    "RewardDistributor:RewardSkipped": (e, _, { bookings }) => {
      const reason = SKIP_REASONS[Number(e.args.reason)] ?? "Unknown";
      bookings.transition(e, { kind: "rewardSkipped", reason, at: e.blockTime });
    },
  },
  flush: async (fold, { tx, changes }) => {
    await insertNew(tx, schema.rewards, fold.rewards);
    changes.rewards += fold.rewards.length;
  },
  rewind: (ctx, ancestor) => deleteAfter(ctx, schema.rewards, ancestor),
});

/** One row per recipient of a RewardDistributed event; the treasury is whoever the distributor named last. */
async function collectRewards(tx: Tx, chainId: number, e: ChainEvent, fold: Fold): Promise<void> {
  const a = e.args;
  const address = e.address.toLowerCase();
  if (!fold.treasury.has(address)) fold.treasury.set(address, await treasuryAt(tx, chainId, e));
  const shares = [
    { role: "traveller" as const, recipient: a.traveller, amount: a.travellerAmount },
    { role: "referrer_l1" as const, recipient: a.level1, amount: a.level1Amount },
    { role: "referrer_l2" as const, recipient: a.level2, amount: a.level2Amount },
    { role: "treasury" as const, recipient: fold.treasury.get(address), amount: a.treasuryAmount },
  ];
  for (const share of shares) {
    if (!share.recipient || big(share.amount) === 0n) continue;
    fold.rewards.push({
      chainId,
      txHash: e.txHash,
      logIndex: e.logIndex,
      role: share.role,
      bookingId: str(a.bookingId),
      recipient: str(share.recipient),
      amount: big(share.amount),
      blockNumber: e.blockNumber,
      blockTime: e.blockTime,
    });
  }
}

/** The distributor's treasury when `e` was emitted: the last TreasurySet stored at or before its block. */
async function treasuryAt(tx: Tx, chainId: number, e: ChainEvent): Promise<string | undefined> {
  const events = schema.chainEvents;
  const [treasurySet] = await tx
    .select({ args: events.args })
    .from(events)
    .where(
      and(
        eq(events.chainId, chainId),
        eq(events.address, e.address),
        eq(events.name, "TreasurySet"),
        lte(events.blockNumber, e.blockNumber),
      ),
    )
    .orderBy(desc(events.blockNumber), desc(events.logIndex))
    .limit(1);
  return treasurySet ? str(treasurySet.args.newTreasury) : undefined;
}
