/**
 * Turns stored chain events into the read models the API serves: bookings' on-chain lifecycle, rewards per
 * recipient, referrals, proposals and votes; and drives the keeper's jobs from what the chain shows happened. Every
 * projection can be rewound to a block (after a reorg) from what is stored, so the database always equals the chain.
 */
import { SKIP_REASONS } from "@trvl/abi";
import { and, desc, eq, gt, inArray, lte, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { zeroAddress, type Address, type Hex } from "viem";

import {
  CHAIN_FACT_COLUMNS,
  onChainFact,
  onRewind,
  type ChainFact,
  type JobKind,
  type JobOp,
} from "../bookings/lifecycle.js";
import { lockBookings, type BookingDeps, type BookingRow } from "../bookings/model.js";
import { schema, type Tx } from "../db/index.js";
import { unnestInsert, unnestRows } from "../db/unnest.js";
import type { ChainEvent } from "./events.js";

/** What a batch of events changed, for pushes to users and cache invalidation. */
export interface Changes {
  bookings: Set<string>;
  accounts: Set<Address>;
  rewards: number;
}

export interface ProjectionDeps extends Pick<BookingDeps, "now"> {
  chainId: number;
  /** Backoff of a distribution the distributor passed over for a reason that may go away (price feed, limit). */
  retryDelayMs: number;
}

const emptyChanges = (): Changes => ({ bookings: new Set(), accounts: new Set(), rewards: 0 });
const str = (value: unknown) => String(value);
const big = (value: unknown) => BigInt(value as string);

/**
 * Applies newly stored events, in chain order, inside the listener's transaction. The events are folded in memory
 * first (the API's bookings they concern are locked and loaded once), then written with a handful of statements per
 * batch, so the cost of a batch grows with its kinds of change, not its number of events.
 */
export async function project(tx: Tx, deps: ProjectionDeps, events: ChainEvent[]): Promise<Changes> {
  const batch = await openBatch(tx, events);
  for (const event of events) await apply(tx, deps, event, batch);
  await flush(tx, deps, batch);
  return batch.changes;
}

/** A batch of events folded in memory, written by `flush`. */
interface Batch {
  changes: Changes;
  /** The API's bookings the batch's events concern (others only feed the chain-wide read models), locked. */
  bookings: Map<string, BookingRow>;
  changedBookings: Set<string>;
  /** Keeper jobs' changes, in order, by `kind:bookingId`: changes to different jobs commute, to one job do not. */
  jobs: Map<string, { kind: JobKind; bookingId: string; ops: JobOp[] }>;
  /** Each distributor's treasury as of the event being applied. */
  treasury: Map<string, string | undefined>;
  rewards: (typeof schema.rewards.$inferInsert)[];
  referrals: (typeof schema.referrals.$inferInsert)[];
  proposals: (typeof schema.proposals.$inferInsert)[];
  proposalStates: { proposalId: bigint; state: string }[];
  votes: (typeof schema.votes.$inferInsert)[];
}

/** Rows per multi-row statement: well under Postgres's 65,535 bind parameters for the widest table (bookings). */
const CHUNK = 500;

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

async function openBatch(tx: Tx, events: ChainEvent[]): Promise<Batch> {
  const ids = events.map((e) => e.bookingId).filter((id): id is string => id !== null);
  const bookings = new Map((await lockBookings(tx, ids)).map((row) => [row.id, row]));
  return {
    changes: emptyChanges(),
    bookings,
    changedBookings: new Set(),
    jobs: new Map(),
    treasury: new Map(),
    rewards: [],
    referrals: [],
    proposals: [],
    proposalStates: [],
    votes: [],
  };
}

async function apply(tx: Tx, deps: ProjectionDeps, e: ChainEvent, batch: Batch) {
  const a = e.args;
  const { changes } = batch;
  const at = { txHash: e.txHash, blockNumber: e.blockNumber, at: e.blockTime };
  const booking = e.bookingId === null ? undefined : batch.bookings.get(e.bookingId);
  if (e.bookingId !== null && !booking) {
    if (e.name === "RewardDistributed") await collectRewards(tx, deps.chainId, e, batch);
    return;
  }
  switch (`${e.contract}.${e.name}`) {
    case "RewardDistributor.TreasurySet":
      batch.treasury.set(e.address.toLowerCase(), str(a.newTreasury));
      return;
    case "BookingEscrow.BookingPaid":
      return transition(batch, deps, booking!, { kind: "paid", ...at });
    case "BookingEscrow.BookingSettled":
      return transition(batch, deps, booking!, { kind: "settled", ...at });
    case "BookingEscrow.SettlementSkipped":
      return transition(batch, deps, booking!, { kind: "settlementSkipped", escrowStatus: Number(a.status) });
    case "BookingEscrow.BookingRefunded":
      return transition(batch, deps, booking!, { kind: "refunded", ...at });
    case "RewardDistributor.RewardDistributed": {
      await collectRewards(tx, deps.chainId, e, batch);
      transition(batch, deps, booking!, { kind: "rewarded", ...at });
      for (const role of ["traveller", "level1", "level2"]) {
        if (a[role] && a[role] !== zeroAddress) changes.accounts.add(a[role] as Address);
      }
      return;
    }
    case "RewardDistributor.RewardSkipped": {
      const reason = SKIP_REASONS[Number(a.reason)] ?? "Unknown";
      return transition(batch, deps, booking!, { kind: "rewardSkipped", reason, at: e.blockTime });
    }
    case "ReferralRegistry.ReferralRegistered":
      batch.referrals.push({
        chainId: deps.chainId,
        user: str(a.user),
        referrer: str(a.referrer),
        level2: a.level2 === zeroAddress ? null : str(a.level2),
        txHash: e.txHash,
        blockNumber: e.blockNumber,
        blockTime: e.blockTime,
      });
      changes.accounts.add(a.user as Address);
      changes.accounts.add(a.referrer as Address);
      return;
    case "TRVLGovernor.ProposalCreated":
      batch.proposals.push({
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
      return;
    case "TRVLGovernor.VoteCast":
    case "TRVLGovernor.VoteCastWithParams":
      batch.votes.push({
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
      return;
    case "TRVLGovernor.ProposalQueued":
    case "TRVLGovernor.ProposalExecuted":
    case "TRVLGovernor.ProposalCanceled":
      batch.proposalStates.push({ proposalId: big(a.proposalId), state: e.name.replace("Proposal", "") });
      return;
    case "Timelock.Cancelled": {
      // A canceller (the guardian Safe) vetoed a timelock operation. If the governor had queued it for a proposal,
      // that proposal is cancelled — the governor's state() says so — though the governor itself emits nothing.
      // (The batch's own events are stored already, so a proposal queued earlier in the batch is found too.)
      for (const proposalId of await proposalsQueuedAs(tx, deps.chainId, str(a.id))) {
        batch.proposalStates.push({ proposalId, state: "Canceled" });
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

/** Changes a locked booking in memory; `flush` writes it. */
function change(batch: Batch, deps: ProjectionDeps, booking: BookingRow, patch: Partial<BookingRow>) {
  Object.assign(booking, patch, { updatedAt: deps.now() });
  batch.changedBookings.add(booking.id);
  batch.changes.bookings.add(booking.id);
}

function schedule(batch: Batch, kind: JobKind, bookingId: string, op: JobOp) {
  const key = `${kind}:${bookingId}`;
  const entry = batch.jobs.get(key) ?? { kind, bookingId, ops: [] };
  entry.ops.push(op);
  batch.jobs.set(key, entry);
}

/** Moves a locked booking on as the lifecycle decides for `fact`: its columns in memory, its jobs in the batch. */
function transition(batch: Batch, deps: ProjectionDeps, booking: BookingRow, fact: ChainFact) {
  const { patch, jobs } = onChainFact(booking, fact, deps.retryDelayMs);
  if (Object.keys(patch).length > 0) change(batch, deps, booking, patch);
  for (const [kind, op] of jobs) schedule(batch, kind, booking.id, op);
}

/** The booking columns projections change; everything else in a booking row belongs to the API. */
const PROJECTED_COLUMNS = [...CHAIN_FACT_COLUMNS, "updatedAt"] as const satisfies readonly (keyof BookingRow)[];

/** Writes what `apply` folded: a few multi-row statements per kind of change. */
async function flush(tx: Tx, deps: ProjectionDeps, batch: Batch) {
  await updateBookings(
    tx,
    [...batch.changedBookings].sort().map((id) => batch.bookings.get(id)!),
  );
  await flushJobs(tx, batch, deps.now());

  const insertNew = async <T extends PgTable>(table: T, rows: T["$inferInsert"][]) => {
    if (rows.length > 0) await tx.execute(sql`${unnestInsert(table, rows)} on conflict do nothing`);
  };
  await insertNew(schema.rewards, batch.rewards);
  batch.changes.rewards += batch.rewards.length;
  await insertNew(schema.referrals, batch.referrals);
  await insertNew(schema.proposals, batch.proposals);
  for (const { proposalId, state } of batch.proposalStates) {
    await tx
      .update(schema.proposals)
      .set({ state })
      .where(and(eq(schema.proposals.chainId, deps.chainId), eq(schema.proposals.proposalId, proposalId)));
  }
  await insertNew(schema.votes, batch.votes);
  await recountVotes(tx, deps.chainId, [...new Set(batch.votes.map((vote) => vote.proposalId!))]);
}

/** Writes the projected columns of locked bookings: one `update … from unnest(…)`. */
async function updateBookings(tx: Tx, rows: BookingRow[]) {
  if (rows.length === 0) return;
  const b = schema.bookings;
  const { columns, from } = unnestRows(
    b,
    rows.map((row) =>
      Object.fromEntries(["id", ...PROJECTED_COLUMNS].map((key) => [key, row[key as keyof BookingRow]])),
    ) as BookingRow[],
  );
  await tx.execute(sql`
    update ${b} set ${sql.join(
      columns.filter((c) => c !== b.id).map((c) => sql`${sql.identifier(c.name)} = v.${sql.identifier(c.name)}`),
      sql`, `,
    )}
    from ${from}
    where ${b.id} = v.id`);
}

/**
 * Applies the keeper jobs' changes in rounds: the first change of every job, then the second, ...; within a round
 * the jobs are distinct, so each kind of change is one statement.
 */
async function flushJobs(tx: Tx, batch: Batch, now: Date) {
  const jobs = schema.keeperJobs;
  const entries = [...batch.jobs.values()];
  for (let round = 0; ; round++) {
    const due = entries
      .filter((entry) => entry.ops.length > round)
      .map((entry) => ({ ...entry, op: entry.ops[round] }));
    if (due.length === 0) return;
    const values = (op: JobOp["op"]) =>
      due.filter((d) => d.op.op === op).map(({ kind, bookingId }) => ({ kind, bookingId, runAfter: now }));
    for (const rows of chunks(values("create"))) await tx.insert(jobs).values(rows).onConflictDoNothing();
    for (const rows of chunks(values("enqueue"))) {
      await tx
        .insert(jobs)
        .values(rows)
        .onConflictDoUpdate({
          target: [jobs.kind, jobs.bookingId],
          set: { status: "pending", runAfter: now, updatedAt: now },
          // A running job is in the keeper's hands (it may have queued it from its own receipt): left alone.
          setWhere: sql`${jobs.status} in ('pending', 'failed')`,
        });
    }
    const finished = values("finish");
    for (const kind of new Set(finished.map((f) => f.kind))) {
      const ids = finished.filter((f) => f.kind === kind).map((f) => f.bookingId);
      for (const slice of chunks(ids)) {
        await tx
          .update(jobs)
          .set({ status: "done", updatedAt: now })
          .where(and(eq(jobs.kind, kind), inArray(jobs.bookingId, slice)));
      }
    }
    // Retries are rare (the distributor passed a booking over): one statement each.
    for (const { kind, bookingId, op } of due) {
      if (op.op !== "retry") continue;
      await tx
        .update(jobs)
        .set({ status: "pending", lastError: op.lastError, runAfter: op.runAfter, updatedAt: now })
        .where(and(eq(jobs.kind, kind), eq(jobs.bookingId, bookingId)));
    }
  }
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
  const now = deps.now();
  const jobs = schema.keeperJobs;
  for (const booking of affected) {
    const { patch, drop, rerun } = onRewind(booking, ancestor);
    await tx
      .update(b)
      .set({ ...patch, updatedAt: now })
      .where(eq(b.id, booking.id));
    if (drop.length > 0) {
      await tx.delete(jobs).where(and(eq(jobs.bookingId, booking.id), inArray(jobs.kind, drop)));
    }
    if (rerun.length > 0) {
      await tx
        .update(jobs)
        .set({ status: "pending", txHash: null, runAfter: now, updatedAt: now })
        .where(and(eq(jobs.bookingId, booking.id), inArray(jobs.kind, rerun)));
    }
    changes.bookings.add(booking.id);
  }
  return changes;
}
