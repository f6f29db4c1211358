/** An account's TRVL rewards, read from the rows the chain listener records from RewardDistributed events. */
import { and, desc, eq, lt, or, sql } from "drizzle-orm";
import type { Address } from "viem";
import { z } from "zod";

import type { ChainContext } from "../chain/index.js";
import { schema, type Db } from "../db/index.js";
import { REWARD_ROLES } from "../db/schema.js";
import { decodeCursor, encodeCursor } from "../http/schemas.js";

const RewardCursor = z.object({ b: z.string().regex(/^\d+$/), l: z.number().int().min(0), r: z.enum(REWARD_ROLES) });

/** One page of `account`'s rewards, newest first, with its totals per role over all its rewards. */
export async function listRewards(
  deps: { db: Db; chain: ChainContext },
  account: Address,
  page: { limit: number; cursor?: string },
) {
  const { db, chain } = deps;
  const rewards = schema.rewards;
  const cursor = decodeCursor(page.cursor, RewardCursor);
  const mine = and(eq(rewards.chainId, chain.chain.id), eq(rewards.recipient, account));
  const after = cursor
    ? or(
        lt(rewards.blockNumber, BigInt(cursor.b)),
        and(eq(rewards.blockNumber, BigInt(cursor.b)), lt(rewards.logIndex, cursor.l)),
        and(eq(rewards.blockNumber, BigInt(cursor.b)), eq(rewards.logIndex, cursor.l), lt(rewards.role, cursor.r)),
      )
    : undefined;
  const rows = await db
    .select()
    .from(rewards)
    .where(and(mine, after))
    .orderBy(desc(rewards.blockNumber), desc(rewards.logIndex), desc(rewards.role))
    .limit(page.limit + 1);
  const sums = await db
    .select({ role: rewards.role, total: sql<string>`sum(${rewards.amount})::text` })
    .from(rewards)
    .where(mine)
    .groupBy(rewards.role);
  const total = (role?: string) =>
    sums.filter((sum) => !role || sum.role === role).reduce((acc, sum) => acc + BigInt(sum.total ?? "0"), 0n);
  const shown = rows.slice(0, page.limit);
  const last = shown.at(-1);
  return {
    token: { address: chain.contract("TRVLToken") ?? null, symbol: "TRVL" as const, decimals: 18 as const },
    totals: {
      all: total().toString(),
      traveller: total("traveller").toString(),
      referrer_l1: total("referrer_l1").toString(),
      referrer_l2: total("referrer_l2").toString(),
    },
    rewards: shown.map((row) => ({
      bookingId: row.bookingId,
      role: row.role,
      amount: row.amount.toString(),
      txHash: row.txHash,
      blockNumber: row.blockNumber.toString(),
      blockTime: row.blockTime.toISOString(),
    })),
    nextCursor:
      rows.length > page.limit && last
        ? encodeCursor({ b: last.blockNumber.toString(), l: last.logIndex, r: last.role })
        : null,
  };
}
