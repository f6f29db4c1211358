/**
 * Governance: proposals and votes as the chain listener recorded them from the governor's and the timelock's events,
 * and proposal descriptions pinned to IPFS before they are proposed.
 */
import { and, desc, eq, lt, or } from "drizzle-orm";
import type { Address, Hex } from "viem";
import { z } from "zod";

import type { ChainContext } from "../chain/index.js";
import { schema, type Db } from "../db/index.js";
import { ApiError } from "../http/errors.js";
import { decodeCursor, encodeCursor } from "../http/schemas.js";
import { putJson, type ContentStore } from "../ipfs/store.js";
import { describeCall } from "../ops/status.js";

export const GOVERNOR_CONTRACT = "TRVLGovernor";

const ProposalCursor = z.object({ b: z.string().regex(/^\d{1,30}$/), p: z.string().regex(/^\d{1,80}$/) });

/** The on-chain description: what the proposal list shows (first line is the title) and a link to the full document. */
export function proposalDescription(title: string, summary: string, cid: string): string {
  return `# ${title}\n\n${summary ? `${summary}\n\n` : ""}Full proposal: ipfs://${cid}`;
}

/** Pins a proposal's document (title, summary, each call decoded where its target is a TRVL contract). */
export async function pinProposalDescription(
  deps: { chain: ChainContext; ipfs: ContentStore },
  proposer: Address,
  proposal: { title: string; summary: string; calls: { target: Address; value: string; data: Hex }[] },
) {
  const { chain } = deps;
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
    proposer,
    title: proposal.title,
    summary: proposal.summary,
    calls: proposal.calls.map((call) => {
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
  return {
    cid: cid.toString(),
    uri: `ipfs://${cid}`,
    description: proposalDescription(proposal.title, proposal.summary, cid.toString()),
  };
}

/** How `voter` voted, newest first (the latest 200 votes). */
export async function listVotes(deps: { db: Db; chain: ChainContext }, voter: Address) {
  const rows = await deps.db
    .select()
    .from(schema.votes)
    .where(and(eq(schema.votes.chainId, deps.chain.chain.id), eq(schema.votes.voter, voter)))
    .orderBy(desc(schema.votes.blockNumber), desc(schema.votes.logIndex))
    .limit(200);
  return {
    votes: rows.map((row) => ({
      proposalId: row.proposalId.toString(),
      support: row.support,
      weight: row.weight.toString(),
      reason: row.reason,
      txHash: row.txHash,
      blockTime: row.blockTime.toISOString(),
    })),
  };
}

/** One page of proposals, newest first, and whether the chain has a governor at all. */
export async function listProposals(deps: { db: Db; chain: ChainContext }, page: { limit: number; cursor?: string }) {
  const { db, chain } = deps;
  const cursor = decodeCursor(page.cursor, ProposalCursor);
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
    .limit(page.limit + 1);
  const shown = rows.slice(0, page.limit);
  const last = shown.at(-1);
  return {
    governance: {
      deployed: governor !== null,
      governor,
      reason: governor ? null : `No ${GOVERNOR_CONTRACT} contract is deployed on chain ${chain.chain.id}`,
    },
    proposals: shown.map((row) => ({
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
      rows.length > page.limit && last
        ? encodeCursor({ b: last.blockNumber.toString(), p: last.proposalId.toString() })
        : null,
  };
}
