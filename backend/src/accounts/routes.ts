import { createRoute, z } from "@hono/zod-openapi";
import { zeroAddress } from "viem";

import { errorResponses } from "../http/errors.js";
import { createRouter } from "../http/router.js";
import { AddressOut, AddressSchema, UintString } from "../http/schemas.js";
import { TIERS, type StakingReader } from "../staking/index.js";
import type { AccountReader } from "./service.js";

const AccountResponse = z
  .object({
    address: AddressOut,
    blockNumber: UintString.openapi({ description: "Block the figures were read at" }),
    trvl: z.object({
      token: AddressOut,
      decimals: z.literal(18),
      balance: UintString.openapi({ description: "TRVL in wei (18 decimals)" }),
      votes: UintString.openapi({ description: "Current voting power (delegated to this account)" }),
      delegate: AddressOut.nullable().openapi({
        description: "Who this account delegates its votes to; null if nobody",
      }),
    }),
    staking: z.object({
      available: z.boolean(),
      reason: z.string().nullable().openapi({ description: "Why staking figures are null, when they are" }),
      staked: UintString.nullable(),
      tier: z.enum(TIERS).nullable(),
      discountBps: z.number().int().nullable(),
      boostBps: z.number().int().nullable(),
      votes: UintString.nullable().openapi({ description: "Voting power from staked TRVL delegated to this account" }),
    }),
    votingPower: UintString.openapi({ description: "Token votes plus staked votes: the weight the governor counts" }),
  })
  .openapi("Account");

export function accountRoutes(accounts: AccountReader, staking: StakingReader) {
  return createRouter().openapi(
    createRoute({
      method: "get",
      path: "/{address}",
      tags: ["accounts"],
      summary: "An account's TRVL balance, votes, delegate, and staking position (public on-chain data)",
      request: { params: z.object({ address: AddressSchema }) },
      responses: {
        200: { description: "Account figures", content: { "application/json": { schema: AccountResponse } } },
        ...errorResponses(400, 429, 503),
      },
    }),
    async (c) => {
      const { address } = c.req.valid("param");
      const snapshot = await accounts.snapshot(address);
      const position = snapshot.staking;
      return c.json(
        {
          address: snapshot.address,
          blockNumber: snapshot.blockNumber.toString(),
          trvl: {
            token: snapshot.trvl.token,
            decimals: 18 as const,
            balance: snapshot.trvl.balance.toString(),
            votes: snapshot.trvl.votes.toString(),
            delegate: snapshot.trvl.delegate === zeroAddress ? null : snapshot.trvl.delegate,
          },
          staking: {
            available: staking.available,
            reason: staking.reason,
            staked: position ? position.staked.toString() : null,
            tier: position?.tier ?? null,
            discountBps: position?.discountBps ?? null,
            boostBps: position?.boostBps ?? null,
            votes: position ? position.votes.toString() : null,
          },
          votingPower: (snapshot.trvl.votes + (position?.votes ?? 0n)).toString(),
        },
        200,
      );
    },
  );
}
