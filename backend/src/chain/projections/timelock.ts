/**
 * Timelock: a canceller (the guardian Safe) vetoing an operation the governor queued for a proposal cancels that
 * proposal — the governor's state() says so — though the governor itself emits nothing.
 */
import { and, eq, inArray, lte, sql } from "drizzle-orm";

import { schema, type Tx } from "../../db/index.js";
import { setState } from "./governance.js";
import { defineProjection, str } from "./projection.js";

export const timelock = defineProjection({
  contract: "Timelock",
  open: (): bigint[] => [],
  on: {
    // The batch's own events are stored already, so a proposal queued earlier in the batch is found too.
    "Timelock:Cancelled": async (e, vetoed, { tx, deps }) => {
      vetoed.push(...(await proposalsQueuedAs(tx, deps.chainId, str(e.args.id))));
    },
  },
  // After the governor's flush, which may have queued these proposals in the same batch.
  flush: async (vetoed, { tx, deps }) => {
    for (const proposalId of vetoed) await setState(tx, deps.chainId, proposalId, "Canceled");
  },
  // After the governor's rewind: a proposal queued as an operation vetoed at or before `ancestor` stays cancelled.
  rewind: async ({ tx, deps }, ancestor) => {
    const e = schema.chainEvents;
    const cancelled = await tx
      .select({ id: sql<string>`${e.args}->>'id'` })
      .from(e)
      .where(
        and(
          eq(e.chainId, deps.chainId),
          eq(e.contract, "Timelock"),
          eq(e.name, "Cancelled"),
          lte(e.blockNumber, ancestor),
        ),
      );
    const p = schema.proposals;
    for (const { id } of cancelled) {
      const proposalIds = await proposalsQueuedAs(tx, deps.chainId, id, ancestor);
      if (proposalIds.length === 0) continue;
      await tx
        .update(p)
        .set({ state: "Canceled" })
        .where(and(eq(p.chainId, deps.chainId), inArray(p.proposalId, proposalIds), eq(p.state, "Queued")));
    }
  },
});

/**
 * The proposals the governor queued as timelock operation `operationId` (by block `upTo`): the governor schedules a
 * proposal's calls in the timelock (`CallScheduled`, carrying the operation id) in the same transaction as its
 * `ProposalQueued`.
 */
async function proposalsQueuedAs(tx: Tx, chainId: number, operationId: string, upTo?: bigint): Promise<bigint[]> {
  const e = schema.chainEvents;
  const upToBlock = upTo === undefined ? undefined : lte(e.blockNumber, upTo);
  const scheduledIn = tx
    .select({ txHash: e.txHash })
    .from(e)
    .where(
      and(
        eq(e.chainId, chainId),
        eq(e.contract, "Timelock"),
        eq(e.name, "CallScheduled"),
        sql`${e.args}->>'id' = ${operationId}`,
        upToBlock,
      ),
    );
  const queued = await tx
    .select({ args: e.args })
    .from(e)
    .where(
      and(
        eq(e.chainId, chainId),
        eq(e.contract, "TRVLGovernor"),
        eq(e.name, "ProposalQueued"),
        inArray(e.txHash, scheduledIn),
        upToBlock,
      ),
    );
  return [...new Set(queued.map((row) => str(row.args.proposalId)))].map(BigInt);
}
