/**
 * Governance routes: proposals and votes as the listener recorded them, and pinning a proposal's description
 * (`service.ts` does the work).
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";

import { SESSION_SECURITY } from "../auth/middleware.js";
import type { ChainContext } from "../chain/index.js";
import type { Db } from "../db/index.js";
import { errorResponses } from "../http/errors.js";
import { createRouter, type AuthedEnv } from "../http/router.js";
import { AddressOut, AddressSchema, HexSchema, PageQuery, UintString } from "../http/schemas.js";
import type { ContentStore } from "../ipfs/store.js";
import { listProposals, listVotes, pinProposalDescription } from "./service.js";

const ProposalOut = z.object({
  id: UintString,
  proposer: AddressOut,
  description: z.string(),
  state: z.string(),
  voteStart: UintString,
  voteEnd: UintString,
  votes: z.object({ for: UintString, against: UintString, abstain: UintString }),
  txHash: z.string(),
  blockNumber: UintString,
});

const ProposalsResponse = z
  .object({
    governance: z.object({
      deployed: z.boolean(),
      governor: AddressOut.nullable(),
      reason: z.string().nullable(),
    }),
    proposals: z.array(ProposalOut),
    nextCursor: z.string().nullable(),
  })
  .openapi("Proposals");

const DescriptionRequest = z
  .object({
    title: z.string().trim().min(3).max(120).openapi({ example: "Raise the traveller's share to 75%" }),
    summary: z.string().trim().max(10_000).default(""),
    calls: z
      .array(z.object({ target: AddressSchema, value: UintString, data: HexSchema }))
      .min(1)
      .max(10),
  })
  .openapi("ProposalDescriptionRequest");

const DescriptionResponse = z
  .object({
    cid: z.string(),
    uri: z.string().openapi({ example: "ipfs://bagaaiera…" }),
    description: z
      .string()
      .openapi({ description: "The text to propose on-chain: title, summary and a link to the pinned document" }),
  })
  .openapi("ProposalDescription");

const VotesResponse = z
  .object({
    votes: z.array(
      z.object({
        proposalId: UintString,
        support: z.number().int().openapi({ description: "0 against, 1 for, 2 abstain" }),
        weight: UintString,
        reason: z.string(),
        txHash: z.string(),
        blockTime: z.string(),
      }),
    ),
  })
  .openapi("Votes");

export function governanceRoutes(
  deps: { db: Db; chain: ChainContext; ipfs: ContentStore },
  auth: MiddlewareHandler<AuthedEnv>,
) {
  return createRouter()
    .openapi(
      createRoute({
        method: "post",
        path: "/descriptions",
        tags: ["governance"],
        summary: "Pin a proposal's description (title, summary, decoded calls) to IPFS before proposing it",
        description:
          "Returns the CID and the description text to pass to the governor's propose(), which links the pinned document. Signed-in accounts only, so the store is not an anonymous upload service.",
        security: SESSION_SECURITY,
        middleware: [auth] as const,
        request: { body: { required: true, content: { "application/json": { schema: DescriptionRequest } } } },
        responses: {
          200: { description: "Pinned", content: { "application/json": { schema: DescriptionResponse } } },
          ...errorResponses(400, 401, 429, 503),
        },
      }),
      async (c) => c.json(await pinProposalDescription(deps, c.var.user.address, c.req.valid("json")), 200),
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/votes",
        tags: ["governance"],
        summary: "How one account voted: each vote's proposal, side and weight, newest first",
        request: { query: z.object({ voter: AddressSchema }) },
        responses: {
          200: { description: "Votes", content: { "application/json": { schema: VotesResponse } } },
          ...errorResponses(400, 429),
        },
      }),
      async (c) => c.json(await listVotes(deps, c.req.valid("query").voter), 200),
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/proposals",
        tags: ["governance"],
        summary: "DAO proposals, newest first",
        request: { query: z.object(PageQuery) },
        responses: {
          200: { description: "Proposals", content: { "application/json": { schema: ProposalsResponse } } },
          ...errorResponses(400, 429),
        },
      }),
      async (c) => c.json(await listProposals(deps, c.req.valid("query")), 200),
    );
}
