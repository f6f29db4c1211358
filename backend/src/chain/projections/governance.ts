/** TRVLGovernor: proposals, their votes and tallies, and their state as the governor's events tell it. */
import { and, desc, eq, inArray, lte, sql } from "drizzle-orm";

import { schema, type Tx } from "../../db/index.js";
import type { ChainEvent } from "../events.js";
import { big, defineProjection, deleteAfter, insertNew, str, type Handler } from "./projection.js";

interface Fold {
  proposals: (typeof schema.proposals.$inferInsert)[];
  states: { proposalId: bigint; state: string }[];
  votes: (typeof schema.votes.$inferInsert)[];
}

/** The governor's events that move a proposal's state, each named after the state it reaches. */
const STATE_EVENTS = ["ProposalQueued", "ProposalExecuted", "ProposalCanceled"] as const;
const stateAfter = (eventName: string) => eventName.replace("Proposal", "");

const vote: Handler<Fold> = (e, fold, { deps }) => {
  const a = e.args;
  fold.votes.push({
    chainId: deps.chainId,
    txHash: e.txHash,
    logIndex: e.logIndex,
    proposalId: big(a.proposalId),
    voter: str(a.voter),
    support: Number(a.support),
    weight: big(a.weight),
    reason: str(a.reason ?? ""),
    blockNumber: e.blockNumber,
    blockTime: e.blockTime,
  });
};

const stateChange: Handler<Fold> = (e: ChainEvent, fold) => {
  fold.states.push({ proposalId: big(e.args.proposalId), state: stateAfter(e.name) });
};

export const governance = defineProjection({
  contract: "TRVLGovernor",
  open: (): Fold => ({ proposals: [], states: [], votes: [] }),
  on: {
    "TRVLGovernor:ProposalCreated": (e, fold, { deps }) => {
      const a = e.args;
      fold.proposals.push({
        chainId: deps.chainId,
        proposalId: big(a.proposalId),
        proposer: str(a.proposer),
        description: str(a.description),
        state: "Pending",
        voteStart: big(a.voteStart),
        voteEnd: big(a.voteEnd),
        forVotes: 0n,
        againstVotes: 0n,
        abstainVotes: 0n,
        txHash: e.txHash,
        blockNumber: e.blockNumber,
      });
    },
    "TRVLGovernor:VoteCast": vote,
    "TRVLGovernor:VoteCastWithParams": vote,
    "TRVLGovernor:ProposalQueued": stateChange,
    "TRVLGovernor:ProposalExecuted": stateChange,
    "TRVLGovernor:ProposalCanceled": stateChange,
  },
  flush: async (fold, { tx, deps }) => {
    await insertNew(tx, schema.proposals, fold.proposals);
    for (const { proposalId, state } of fold.states) await setState(tx, deps.chainId, proposalId, state);
    await insertNew(tx, schema.votes, fold.votes);
    await recountVotes(tx, deps.chainId, [...new Set(fold.votes.map((row) => row.proposalId!))]);
  },
  /** Proposals and votes of later blocks go; the rest are recounted and take the state of their last event left. */
  rewind: async (ctx, ancestor) => {
    const { tx, deps } = ctx;
    await deleteAfter(ctx, schema.votes, ancestor);
    await deleteAfter(ctx, schema.proposals, ancestor);
    const remaining = (
      await tx
        .select({ proposalId: schema.proposals.proposalId })
        .from(schema.proposals)
        .where(eq(schema.proposals.chainId, deps.chainId))
    ).map((p) => p.proposalId);
    await recountVotes(tx, deps.chainId, remaining);
    const e = schema.chainEvents;
    for (const proposalId of remaining) {
      const [last] = await tx
        .select({ name: e.name })
        .from(e)
        .where(
          and(
            eq(e.chainId, deps.chainId),
            eq(e.contract, "TRVLGovernor"),
            inArray(e.name, [...STATE_EVENTS]),
            sql`${e.args}->>'proposalId' = ${proposalId.toString()}`,
            lte(e.blockNumber, ancestor),
          ),
        )
        .orderBy(desc(e.blockNumber), desc(e.logIndex))
        .limit(1);
      await setState(tx, deps.chainId, proposalId, last ? stateAfter(last.name) : "Pending");
    }
  },
});

export async function setState(tx: Tx, chainId: number, proposalId: bigint, state: string): Promise<void> {
  await tx
    .update(schema.proposals)
    .set({ state })
    .where(and(eq(schema.proposals.chainId, chainId), eq(schema.proposals.proposalId, proposalId)));
}

async function recountVotes(tx: Tx, chainId: number, proposalIds: bigint[]) {
  for (const proposalId of proposalIds) {
    const tallies = await tx
      .select({ support: schema.votes.support, weight: sql<string>`sum(${schema.votes.weight})::text` })
      .from(schema.votes)
      .where(and(eq(schema.votes.chainId, chainId), eq(schema.votes.proposalId, proposalId)))
      .groupBy(schema.votes.support);
    const total = (support: number) => BigInt(tallies.find((t) => t.support === support)?.weight ?? "0");
    await tx
      .update(schema.proposals)
      .set({ againstVotes: total(0), forVotes: total(1), abstainVotes: total(2) })
      .where(and(eq(schema.proposals.chainId, chainId), eq(schema.proposals.proposalId, proposalId)));
  }
}
