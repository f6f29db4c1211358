import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";

import { SESSION_SECURITY } from "../auth/middleware.js";
import type { ChainContext } from "../chain/index.js";
import type { Db } from "../db/index.js";
import { REWARD_ROLES } from "../db/schema.js";
import { errorResponses } from "../http/errors.js";
import { createRouter, type AuthedEnv } from "../http/router.js";
import { AddressOut, PageQuery, UintString } from "../http/schemas.js";
import { listRewards } from "./service.js";

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

export function rewardRoutes(deps: { db: Db; chain: ChainContext }, auth: MiddlewareHandler<AuthedEnv>) {
  return createRouter().openapi(
    createRoute({
      method: "get",
      path: "/",
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
      const query = c.req.valid("query");
      return c.json(await listRewards(deps, c.var.user.address, query), 200);
    },
  );
}
