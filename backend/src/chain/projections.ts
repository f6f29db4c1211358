/**
 * Turns stored chain events into the read models the API serves: bookings' on-chain lifecycle, rewards per
 * recipient, referrals, proposals and votes; and drives the keeper's jobs from what the chain shows happened. Every
 * projection can be rewound to a block (after a reorg) from what is stored, so the database always equals the chain.
 */
import { and, desc, eq, gt, inArray, lte, sql } from "drizzle-orm";
import type { Address, Hex } from "viem";

import { deriveStatus } from "../bookings/lifecycle.js";
import { markPaid, type BookingDeps } from "../bookings/service.js";
import { schema, type Tx } from "../db/index.js";
import type { KEEPER_JOB_KINDS } from "../db/schema.js";
import type { ChainEvent } from "./events.js";

type JobKind = (typeof KEEPER_JOB_KINDS)[number];

/** What a batch of events changed, for pushes to users and cache invalidation. */
export interface Changes {
  bookings: Set<string>;
  accounts: Set<Address>;
  rewards: number;
}

export interface ProjectionDeps extends Pick<BookingDeps, "ipfs" | "now"> {
  chainId: number;
  /** Backoff of a distribution the distributor passed over for a reason that may go away (price feed, limit). */
  retryDelayMs: number;
}

/** `RewardDistributor.SkipReason`, by value. */
export const SKIP_REASONS = [
  "Unknown",
  "NotSettled",
  "Refunded",
  "AlreadyRewarded",
  "NoPriceFeed",
  "MintLimitReached",
  "SupplyCapReached",
] as const;

const emptyChanges = (): Changes => ({ bookings: new Set(), accounts: new Set(), rewards: 0 });
const str = (value: unknown) => String(value);
const big = (value: unknown) => BigInt(value as string);

/** Applies newly stored events, in chain order, inside the listener's transaction. */
export async function project(tx: Tx, deps: ProjectionDeps, events: ChainEvent[]): Promise<Changes> {
  const changes = emptyChanges();
  // Bookings this API quoted, looked up once per batch: events of other bookings (another deployment's API, or a
  // backfill into a fresh database) only feed the chain-wide read models.
  const ids = [...new Set(events.map((e) => e.bookingId).filter((id): id is string => id !== null))];
  const known = new Set<string>();
  for (let i = 0; i < ids.length; i += 1_000) {
    const rows = await tx
      .select({ id: schema.bookings.id })
      .from(schema.bookings)
      .where(inArray(schema.bookings.id, ids.slice(i, i + 1_000)));
    for (const row of rows) known.add(row.id);
  }
  const batch: Batch = { known, treasury: new Map(), rewards: [] };
  for (const event of events) {
    await apply(tx, deps, event, changes, batch);
  }
  // Reward rows depend on nothing later in the batch: one insert for all of them.
  for (let i = 0; i < batch.rewards.length; i += 1_000) {
    await tx
      .insert(schema.rewards)
      .values(batch.rewards.slice(i, i + 1_000))
      .onConflictDoNothing();
  }
  changes.rewards += batch.rewards.length;
  return changes;
}

/** What a batch of events shares: the bookings the API knows, and each distributor's treasury as of the event. */
interface Batch {
  known: Set<string>;
  treasury: Map<string, string | undefined>;
  rewards: (typeof schema.rewards.$inferInsert)[];
}

async function apply(tx: Tx, deps: ProjectionDeps, e: ChainEvent, changes: Changes, batch: Batch) {
  const a = e.args;
  const at = { txHash: e.txHash, blockNumber: e.blockNumber, time: e.blockTime };
  if (e.bookingId !== null && !batch.known.has(e.bookingId)) {
    if (e.name === "RewardDistributed") await collectRewards(tx, deps.chainId, e, batch);
    return;
  }
  switch (`${e.contract}.${e.name}`) {
    case "RewardDistributor.TreasurySet":
      batch.treasury.set(e.address.toLowerCase(), str(a.newTreasury));
      return;
    case "BookingEscrow.BookingPaid": {
      const id = str(a.bookingId);
      if (await markPaid(tx, deps, id, { txHash: e.txHash, blockNumber: e.blockNumber, paidAt: e.blockTime })) {
        changes.bookings.add(id);
      }
      return;
    }
    case "BookingEscrow.BookingSettled":
      await onChainStep(tx, deps, str(a.bookingId), "settled", at, changes);
      await finishJob(tx, "settle", str(a.bookingId));
      await enqueue(tx, "distribute", str(a.bookingId));
      return;
    case "BookingEscrow.SettlementSkipped": {
      // Settled, refunded or rewarded already: nothing left to settle. Otherwise the keeper tries again.
      const status = Number(a.status);
      if (status >= 2) await finishJob(tx, "settle", str(a.bookingId));
      return;
    }
    case "BookingEscrow.BookingRefunded":
      await onChainStep(tx, deps, str(a.bookingId), "refunded", at, changes);
      // Nothing else can happen to a refunded booking.
      for (const kind of ["refund", "confirm", "settle", "distribute"] as const) {
        await finishJob(tx, kind, str(a.bookingId));
      }
      return;
    case "RewardDistributor.RewardDistributed": {
      const id = str(a.bookingId);
      await collectRewards(tx, deps.chainId, e, batch);
      await onChainStep(tx, deps, id, "rewarded", at, changes);
      await tx.update(schema.bookings).set({ rewardSkipReason: null }).where(eq(schema.bookings.id, id));
      await finishJob(tx, "distribute", id);
      for (const role of ["traveller", "level1", "level2"]) {
        if (a[role] && a[role] !== "0x0000000000000000000000000000000000000000")
          changes.accounts.add(a[role] as Address);
      }
      return;
    }
    case "RewardDistributor.RewardSkipped": {
      const id = str(a.bookingId);
      const reason = SKIP_REASONS[Number(a.reason)] ?? "Unknown";
      await tx.update(schema.bookings).set({ rewardSkipReason: reason }).where(eq(schema.bookings.id, id));
      changes.bookings.add(id);
      // Final reasons end the job; the others (no price feed, limits, not settled yet) retry after a while.
      if (reason === "AlreadyRewarded" || reason === "Refunded" || reason === "Unknown") {
        await finishJob(tx, "distribute", id);
      } else {
        await tx
          .update(schema.keeperJobs)
          .set({
            status: "pending",
            lastError: `distributor skipped it: ${reason}`,
            runAfter: new Date(e.blockTime.getTime() + deps.retryDelayMs),
            updatedAt: deps.now(),
          })
          .where(and(eq(schema.keeperJobs.kind, "distribute"), eq(schema.keeperJobs.bookingId, id)));
      }
      return;
    }
    case "ReferralRegistry.ReferralRegistered":
      await tx
        .insert(schema.referrals)
        .values({
          chainId: deps.chainId,
          user: str(a.user),
          referrer: str(a.referrer),
          level2: a.level2 === "0x0000000000000000000000000000000000000000" ? null : str(a.level2),
          txHash: e.txHash,
          blockNumber: e.blockNumber,
          blockTime: e.blockTime,
        })
        .onConflictDoNothing();
      changes.accounts.add(a.user as Address);
      changes.accounts.add(a.referrer as Address);
      return;
    case "TRVLGovernor.ProposalCreated":
      await tx
        .insert(schema.proposals)
        .values({
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
        })
        .onConflictDoNothing();
      return;
    case "TRVLGovernor.VoteCast":
    case "TRVLGovernor.VoteCastWithParams": {
      await tx
        .insert(schema.votes)
        .values({
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
        })
        .onConflictDoNothing();
      await recountVotes(tx, deps.chainId, [big(a.proposalId)]);
      return;
    }
    case "TRVLGovernor.ProposalQueued":
    case "TRVLGovernor.ProposalExecuted":
    case "TRVLGovernor.ProposalCanceled":
      await tx
        .update(schema.proposals)
        .set({ state: e.name.replace("Proposal", "") })
        .where(and(eq(schema.proposals.chainId, deps.chainId), eq(schema.proposals.proposalId, big(a.proposalId))));
      return;
    case "Timelock.Cancelled": {
      // A canceller (the guardian Safe) vetoed a timelock operation. If the governor had queued it for a proposal,
      // that proposal is cancelled — the governor's state() says so — though the governor itself emits nothing.
      const proposalIds = await proposalsQueuedAs(tx, deps.chainId, str(a.id));
      if (proposalIds.length > 0) {
        await tx
          .update(schema.proposals)
          .set({ state: "Canceled" })
          .where(and(eq(schema.proposals.chainId, deps.chainId), inArray(schema.proposals.proposalId, proposalIds)));
      }
      return;
    }
    case "TRVLToken.Transfer":
      changes.accounts.add(a.from as Address);
      changes.accounts.add(a.to as Address);
      return;
    case "TRVLToken.DelegateChanged":
    case "TRVLToken.DelegateVotesChanged":
    case "TRVLStaking.Staked":
    case "TRVLStaking.UnstakeRequested":
    case "TRVLStaking.UnstakeCancelled":
    case "TRVLStaking.Withdrawn":
    case "TRVLStaking.InstantUnstaked":
    case "TRVLStaking.RewardClaimed":
      for (const key of ["account", "delegator", "delegate"]) if (a[key]) changes.accounts.add(a[key] as Address);
      return;
  }
}

type Step = "settled" | "refunded" | "rewarded";
const STEP_COLUMNS = {
  settled: ["settledTxHash", "settledBlockNumber", "settledAt"],
  refunded: ["refundedTxHash", "refundedBlockNumber", "refundedAt"],
  rewarded: ["rewardedTxHash", "rewardedBlockNumber", "rewardedAt"],
} as const;

/** Records an on-chain step of a booking the API knows, and its resulting status. */
async function onChainStep(
  tx: Tx,
  deps: ProjectionDeps,
  id: string,
  step: Step,
  at: { txHash: Hex; blockNumber: bigint; time: Date },
  changes: Changes,
) {
  const [booking] = await tx.select().from(schema.bookings).where(eq(schema.bookings.id, id)).for("update");
  if (!booking) return;
  const [hashColumn, blockColumn, timeColumn] = STEP_COLUMNS[step];
  if (booking[hashColumn]) return;
  const next = { ...booking, [hashColumn]: at.txHash };
  await tx
    .update(schema.bookings)
    .set({
      [hashColumn]: at.txHash,
      [blockColumn]: at.blockNumber,
      [timeColumn]: at.time,
      status: deriveStatus(next),
      updatedAt: deps.now(),
    })
    .where(eq(schema.bookings.id, id));
  changes.bookings.add(id);
}

/** One row per recipient of a RewardDistributed event; the treasury is whoever the distributor named last. */
async function collectRewards(tx: Tx, chainId: number, e: ChainEvent, batch: Batch): Promise<void> {
  const a = e.args;
  const distributor = e.address.toLowerCase();
  if (!batch.treasury.has(distributor)) batch.treasury.set(distributor, await treasuryAt(tx, chainId, e));
  const shares = [
    { role: "traveller" as const, recipient: a.traveller, amount: a.travellerAmount },
    { role: "referrer_l1" as const, recipient: a.level1, amount: a.level1Amount },
    { role: "referrer_l2" as const, recipient: a.level2, amount: a.level2Amount },
    { role: "treasury" as const, recipient: batch.treasury.get(distributor), amount: a.treasuryAmount },
  ];
  for (const share of shares) {
    if (!share.recipient || big(share.amount) === 0n) continue;
    batch.rewards.push({
      chainId,
      txHash: e.txHash,
      logIndex: e.logIndex,
      role: share.role,
      bookingId: str(a.bookingId),
      recipient: str(share.recipient),
      amount: big(share.amount),
      blockNumber: e.blockNumber,
      blockTime: e.blockTime,
    });
  }
}

/** The distributor's treasury when `e` was emitted: the last TreasurySet stored at or before its block. */
async function treasuryAt(tx: Tx, chainId: number, e: ChainEvent): Promise<string | undefined> {
  const [treasurySet] = await tx
    .select({ args: schema.chainEvents.args })
    .from(schema.chainEvents)
    .where(
      and(
        eq(schema.chainEvents.chainId, chainId),
        eq(schema.chainEvents.address, e.address),
        eq(schema.chainEvents.name, "TreasurySet"),
        lte(schema.chainEvents.blockNumber, e.blockNumber),
      ),
    )
    .orderBy(desc(schema.chainEvents.blockNumber), desc(schema.chainEvents.logIndex))
    .limit(1);
  return treasurySet ? str(treasurySet.args.newTreasury) : undefined;
}

/**
 * The proposals the governor queued as timelock operation `operationId`: the governor schedules a proposal's calls
 * in the timelock (`CallScheduled`, carrying the operation id) in the same transaction as its `ProposalQueued`.
 */
async function proposalsQueuedAs(tx: Tx, chainId: number, operationId: string): Promise<bigint[]> {
  const e = schema.chainEvents;
  const scheduledIn = tx
    .select({ txHash: e.txHash })
    .from(e)
    .where(
      and(
        eq(e.chainId, chainId),
        eq(e.contract, "Timelock"),
        eq(e.name, "CallScheduled"),
        sql`${e.args}->>'id' = ${operationId}`,
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
      ),
    );
  return [...new Set(queued.map((row) => str(row.args.proposalId)))].map(BigInt);
}

/** Whether the timelock operation the governor scheduled in transaction `queuedTxHash` was cancelled by block `upTo`. */
async function cancelledInTimelock(tx: Tx, chainId: number, queuedTxHash: string, upTo: bigint): Promise<boolean> {
  const e = schema.chainEvents;
  const operations = tx
    .select({ id: sql`${e.args}->>'id'` })
    .from(e)
    .where(
      and(eq(e.chainId, chainId), eq(e.txHash, queuedTxHash), eq(e.contract, "Timelock"), eq(e.name, "CallScheduled")),
    );
  const [cancelled] = await tx
    .select({ txHash: e.txHash })
    .from(e)
    .where(
      and(
        eq(e.chainId, chainId),
        eq(e.contract, "Timelock"),
        eq(e.name, "Cancelled"),
        inArray(sql`${e.args}->>'id'`, operations),
        lte(e.blockNumber, upTo),
      ),
    )
    .limit(1);
  return cancelled !== undefined;
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

/** Queues (or re-arms) the keeper's `kind` job of a booking the API knows (`project` checked that it does). */
async function enqueue(tx: Tx, kind: JobKind, bookingId: string) {
  await tx
    .insert(schema.keeperJobs)
    .values({ kind, bookingId })
    .onConflictDoUpdate({
      target: [schema.keeperJobs.kind, schema.keeperJobs.bookingId],
      set: { status: "pending", runAfter: sql`now()`, updatedAt: sql`now()` },
      setWhere: sql`${schema.keeperJobs.status} <> 'done'`,
    });
}

async function finishJob(tx: Tx, kind: JobKind, bookingId: string) {
  await tx
    .update(schema.keeperJobs)
    .set({ status: "done", updatedAt: sql`now()` })
    .where(and(eq(schema.keeperJobs.kind, kind), eq(schema.keeperJobs.bookingId, bookingId)));
}

/**
 * Forgets everything after block `ancestor` (a reorg replaced those blocks): event-keyed rows go, bookings lose the
 * steps recorded in later blocks and get their status back, keeper jobs whose effect disappeared run again, and
 * proposals are recounted. The listener then reads the new blocks as if for the first time.
 */
export async function rewind(tx: Tx, deps: ProjectionDeps, ancestor: bigint): Promise<Changes> {
  const changes = emptyChanges();
  const { chainId } = deps;
  await tx
    .delete(schema.rewards)
    .where(and(eq(schema.rewards.chainId, chainId), gt(schema.rewards.blockNumber, ancestor)));
  await tx
    .delete(schema.referrals)
    .where(and(eq(schema.referrals.chainId, chainId), gt(schema.referrals.blockNumber, ancestor)));
  await tx.delete(schema.votes).where(and(eq(schema.votes.chainId, chainId), gt(schema.votes.blockNumber, ancestor)));
  await tx
    .delete(schema.proposals)
    .where(and(eq(schema.proposals.chainId, chainId), gt(schema.proposals.blockNumber, ancestor)));
  const remaining = await tx
    .select({ proposalId: schema.proposals.proposalId })
    .from(schema.proposals)
    .where(eq(schema.proposals.chainId, chainId));
  await recountVotes(
    tx,
    chainId,
    remaining.map((p) => p.proposalId),
  );
  for (const p of remaining) {
    const [last] = await tx
      .select({ name: schema.chainEvents.name, txHash: schema.chainEvents.txHash })
      .from(schema.chainEvents)
      .where(
        and(
          eq(schema.chainEvents.chainId, chainId),
          inArray(schema.chainEvents.name, ["ProposalQueued", "ProposalExecuted", "ProposalCanceled"]),
          sql`${schema.chainEvents.args}->>'proposalId' = ${p.proposalId.toString()}`,
          lte(schema.chainEvents.blockNumber, ancestor),
        ),
      )
      .orderBy(desc(schema.chainEvents.blockNumber), desc(schema.chainEvents.logIndex))
      .limit(1);
    // Queued, then vetoed in the timelock: cancelled, as `Timelock.Cancelled` projects it.
    const vetoed = last?.name === "ProposalQueued" && (await cancelledInTimelock(tx, chainId, last.txHash, ancestor));
    await tx
      .update(schema.proposals)
      .set({ state: vetoed ? "Canceled" : last ? last.name.replace("Proposal", "") : "Pending" })
      .where(and(eq(schema.proposals.chainId, chainId), eq(schema.proposals.proposalId, p.proposalId)));
  }

  const b = schema.bookings;
  const affected = await tx
    .select()
    .from(b)
    .where(
      and(
        eq(b.chainId, chainId),
        sql`greatest(${b.paidBlockNumber}, ${b.settledBlockNumber}, ${b.refundedBlockNumber}, ${b.rewardedBlockNumber}) > ${ancestor}`,
      ),
    )
    .for("update");
  for (const booking of affected) {
    const after = (block: bigint | null) => block !== null && block > ancestor;
    const next = { ...booking };
    if (after(booking.paidBlockNumber)) Object.assign(next, { paidTxHash: null, paidBlockNumber: null, paidAt: null });
    for (const [hashColumn, blockColumn, timeColumn] of Object.values(STEP_COLUMNS)) {
      if (after(next[blockColumn]))
        Object.assign(next, { [hashColumn]: null, [blockColumn]: null, [timeColumn]: null });
    }
    const { id } = booking;
    await tx
      .update(b)
      .set({
        paidTxHash: next.paidTxHash,
        paidBlockNumber: next.paidBlockNumber,
        paidAt: next.paidAt,
        confirmedAt: next.paidTxHash ? next.confirmedAt : null,
        settledTxHash: next.settledTxHash,
        settledBlockNumber: next.settledBlockNumber,
        settledAt: next.settledAt,
        refundedTxHash: next.refundedTxHash,
        refundedBlockNumber: next.refundedBlockNumber,
        refundedAt: next.refundedAt,
        rewardedTxHash: next.rewardedTxHash,
        rewardedBlockNumber: next.rewardedBlockNumber,
        rewardedAt: next.rewardedAt,
        status: deriveStatus({ ...next, confirmedAt: next.paidTxHash ? next.confirmedAt : null }),
        updatedAt: deps.now(),
      })
      .where(eq(b.id, id));
    await reconcileJobs(tx, next);
    changes.bookings.add(id);
  }
  return changes;
}

/**
 * After a rewind, the keeper's jobs of a booking follow its remaining facts: jobs whose effect is gone run again,
 * and jobs of a step that is gone are dropped until the step comes back (its event re-creates them).
 */
async function reconcileJobs(tx: Tx, booking: typeof schema.bookings.$inferSelect) {
  const jobs = schema.keeperJobs;
  const drop = (kinds: JobKind[]) =>
    tx.delete(jobs).where(and(eq(jobs.bookingId, booking.id), inArray(jobs.kind, kinds)));
  const rerun = (kind: JobKind) =>
    tx
      .update(jobs)
      .set({ status: "pending", txHash: null, runAfter: sql`now()`, updatedAt: sql`now()` })
      .where(and(eq(jobs.bookingId, booking.id), eq(jobs.kind, kind)));
  if (!booking.paidTxHash) return drop(["confirm", "settle", "distribute", "refund"]);
  if (booking.refundedTxHash) return;
  if (!booking.settledTxHash) {
    await drop(["distribute"]);
    await rerun("settle");
  } else if (!booking.rewardedTxHash) {
    await rerun("distribute");
  }
  if (booking.refundRequestedAt) await rerun("refund");
}
