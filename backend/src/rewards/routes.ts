import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq, lt, or, sql } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";

import { SESSION_SECURITY } from "../auth/middleware.js";
import type { ChainContext } from "../chain/index.js";
import { schema, type Db } from "../db/index.js";
import { REWARD_ROLES } from "../db/schema.js";
import { errorResponses } from "../http/errors.js";
import { createRouter, type AuthedEnv } from "../http/router.js";
import { AddressOut, decodeCursor, encodeCursor, PageQuery, UintString } from "../http/schemas.js";

const RewardOut = z.object({
  bookingId: z.string(),
  role: z.enum(REWARD_ROLES),
  amount: UintString.openapi({ description: "TRVL in wei" }),
  txHash: z.string(),
  blockNumber: UintString,
  blockTime: z.string(),
});

const RewardsResponse = z
  .object({
    token: z.object({ address: AddressOut.nullable(), symbol: z.literal("TRVL"), decimals: z.literal(18) }),
    totals: z.object({
      all: UintString,
      traveller: UintString,
      referrer_l1: UintString,
      referrer_l2: UintString,
    }),
    rewards: z.array(RewardOut),
    nextCursor: z.string().nullable(),
  })
  .openapi("Rewards");

const RewardCursor = z.object({ b: z.string().regex(/^\d+$/), l: z.number().int().min(0), r: z.enum(REWARD_ROLES) });

export function rewardRoutes(deps: { db: Db; chain: ChainContext }, auth: MiddlewareHandler<AuthedEnv>) {
  const { db, chain } = deps;
  const rewards = schema.rewards;
  return createRouter().openapi(
    createRoute({
      method: "get",
      path: "/rewards",
      tags: ["rewards"],
      summary: "The signed-in account's TRVL rewards (as traveller and as referrer), newest first, with totals",
      description: "Rows come from RewardDistributed events, recorded by the chain listener.",
      security: SESSION_SECURITY,
      middleware: [auth] as const,
      request: { query: z.object(PageQuery) },
      responses: {
        200: { description: "Rewards", content: { "application/json": { schema: RewardsResponse } } },
        ...errorResponses(400, 401, 429),
      },
    }),
    async (c) => {
      const { address } = c.var.user;
      const query = c.req.valid("query");
      const cursor = decodeCursor(query.cursor, RewardCursor);
      const mine = and(eq(rewards.chainId, chain.chain.id), eq(rewards.recipient, address));
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
        .limit(query.limit + 1);
      const sums = await db
        .select({ role: rewards.role, total: sql<string>`sum(${rewards.amount})::text` })
        .from(rewards)
        .where(mine)
        .groupBy(rewards.role);
      const total = (role?: string) =>
        sums.filter((sum) => !role || sum.role === role).reduce((acc, sum) => acc + BigInt(sum.total ?? "0"), 0n);
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return c.json(
        {
          token: { address: chain.contract("TRVLToken") ?? null, symbol: "TRVL" as const, decimals: 18 as const },
          totals: {
            all: total().toString(),
            traveller: total("traveller").toString(),
            referrer_l1: total("referrer_l1").toString(),
            referrer_l2: total("referrer_l2").toString(),
          },
          rewards: page.map((row) => ({
            bookingId: row.bookingId,
            role: row.role,
            amount: row.amount.toString(),
            txHash: row.txHash,
            blockNumber: row.blockNumber.toString(),
            blockTime: row.blockTime.toISOString(),
          })),
          nextCursor:
            rows.length > query.limit && last
              ? encodeCursor({ b: last.blockNumber.toString(), l: last.logIndex, r: last.role })
              : null,
        },
        200,
      );
    },
  );
}
