/**
 * Governance read model. Proposals are recorded by the chain listener from the governor's and the timelock's
 * events; on a chain without a `TRVLGovernor` deployment the list is empty and the response says why.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq, lt, or } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";

import { SESSION_SECURITY } from "../auth/middleware.js";
import type { ChainContext } from "../chain/index.js";
import { schema, type Db } from "../db/index.js";
import { ApiError, errorResponses } from "../http/errors.js";
import { createRouter, type AuthedEnv } from "../http/router.js";
import {
  AddressOut,
  AddressSchema,
  decodeCursor,
  encodeCursor,
  HexSchema,
  PageQuery,
  UintString,
} from "../http/schemas.js";
import { putJson, type ContentStore } from "../ipfs/store.js";
import { describeCall } from "../ops/status.js";

export const GOVERNOR_CONTRACT = "TRVLGovernor";

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

const ProposalCursor = z.object({ b: z.string().regex(/^\d{1,30}$/), p: z.string().regex(/^\d{1,80}$/) });

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

/** The on-chain description: what the proposal list shows (first line is the title) and a link to the full document. */
export function proposalDescription(title: string, summary: string, cid: string): string {
  return `# ${title}\n\n${summary ? `${summary}\n\n` : ""}Full proposal: ipfs://${cid}`;
}

export function governanceRoutes(
  deps: { db: Db; chain: ChainContext; ipfs: ContentStore },
  auth: MiddlewareHandler<AuthedEnv>,
) {
  const { db, chain } = deps;
  return createRouter()
    .openapi(
      createRoute({
        method: "post",
        path: "/governance/descriptions",
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
      async (c) => {
        const { title, summary, calls } = c.req.valid("json");
        const names = new Map(
          Object.entries(chain.deployment.contracts as Record<string, { address: string }>).map(([name, entry]) => [
            entry.address.toLowerCase(),
            name,
          ]),
        );
        const document = {
          kind: "trvl-proposal",
          version: 1,
          chainId: chain.chain.id,
          governor: chain.contract(GOVERNOR_CONTRACT) ?? null,
          proposer: c.var.user.address,
          title,
          summary,
          calls: calls.map((call) => {
            const targetName = names.get(call.target.toLowerCase()) ?? null;
            return { ...call, targetName, call: describeCall(targetName, call.data) };
          }),
        };
        let cid;
        try {
          cid = await putJson(deps.ipfs, document);
        } catch (error) {
          throw new ApiError(503, "ipfs_unavailable", "The content store did not take the document", {
            reason: String(error),
          });
        }
        return c.json(
          {
            cid: cid.toString(),
            uri: `ipfs://${cid}`,
            description: proposalDescription(title, summary, cid.toString()),
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/governance/votes",
        tags: ["governance"],
        summary: "How one account voted: each vote's proposal, side and weight, newest first",
        request: { query: z.object({ voter: AddressSchema }) },
        responses: {
          200: { description: "Votes", content: { "application/json": { schema: VotesResponse } } },
          ...errorResponses(400, 429),
        },
      }),
      async (c) => {
        const { voter } = c.req.valid("query");
        const rows = await db
          .select()
          .from(schema.votes)
          .where(and(eq(schema.votes.chainId, chain.chain.id), eq(schema.votes.voter, voter)))
          .orderBy(desc(schema.votes.blockNumber), desc(schema.votes.logIndex))
          .limit(200);
        return c.json(
          {
            votes: rows.map((row) => ({
              proposalId: row.proposalId.toString(),
              support: row.support,
              weight: row.weight.toString(),
              reason: row.reason,
              txHash: row.txHash,
              blockTime: row.blockTime.toISOString(),
            })),
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/governance/proposals",
        tags: ["governance"],
        summary: "DAO proposals, newest first",
        request: { query: z.object(PageQuery) },
        responses: {
          200: { description: "Proposals", content: { "application/json": { schema: ProposalsResponse } } },
          ...errorResponses(400, 429),
        },
      }),
      async (c) => {
        const query = c.req.valid("query");
        const cursor = decodeCursor(query.cursor, ProposalCursor);
        const governor = chain.contract(GOVERNOR_CONTRACT) ?? null;
        const rows = await db
          .select()
          .from(schema.proposals)
          .where(
            and(
              eq(schema.proposals.chainId, chain.chain.id),
              cursor
                ? or(
                    lt(schema.proposals.blockNumber, BigInt(cursor.b)),
                    and(
                      eq(schema.proposals.blockNumber, BigInt(cursor.b)),
                      lt(schema.proposals.proposalId, BigInt(cursor.p)),
                    ),
                  )
                : undefined,
            ),
          )
          .orderBy(desc(schema.proposals.blockNumber), desc(schema.proposals.proposalId))
          .limit(query.limit + 1);
        const page = rows.slice(0, query.limit);
        const last = page.at(-1);
        return c.json(
          {
            governance: {
              deployed: governor !== null,
              governor,
              reason: governor
                ? null
                : `No ${GOVERNOR_CONTRACT} contract is deployed on chain ${chain.chain.id}: governance is not live yet`,
            },
            proposals: page.map((row) => ({
              id: row.proposalId.toString(),
              proposer: row.proposer,
              description: row.description,
              state: row.state,
              voteStart: row.voteStart.toString(),
              voteEnd: row.voteEnd.toString(),
              votes: {
                for: row.forVotes.toString(),
                against: row.againstVotes.toString(),
                abstain: row.abstainVotes.toString(),
              },
              txHash: row.txHash,
              blockNumber: row.blockNumber.toString(),
            })),
            nextCursor:
              rows.length > query.limit && last
                ? encodeCursor({ b: last.blockNumber.toString(), p: last.proposalId.toString() })
                : null,
          },
          200,
        );
      },
    );
}
