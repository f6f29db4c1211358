/**
 * Governance read model. Proposals are recorded by the chain listener from the governor's and the timelock's
 * events; on a chain without a `TRVLGovernor` deployment the list is empty and the response says why.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq, lt, or } from "drizzle-orm";

import type { ChainContext } from "../chain/index.js";
import { schema, type Db } from "../db/index.js";
import { errorResponses } from "../http/errors.js";
import { createRouter } from "../http/router.js";
import { AddressOut, decodeCursor, encodeCursor, PageQuery, UintString } from "../http/schemas.js";

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

export function governanceRoutes(deps: { db: Db; chain: ChainContext }) {
  const { db, chain } = deps;
  return createRouter().openapi(
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
