/**
 * The keeper's jobs as the chain's facts change them (`bookings/lifecycle.ts` says how): collected per batch in
 * order, written in rounds of a few multi-row statements; and put back in line with a booking's remaining steps
 * after a reorg.
 */
import { and, eq, inArray, sql } from "drizzle-orm";

import type { JobKind, JobOp } from "../../bookings/lifecycle.js";
import { schema, type Tx } from "../../db/index.js";

/** Rows per multi-row statement: well under Postgres's 65,535 bind parameters. */
const CHUNK = 500;

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export class JobSchedule {
  /** Changes by `kind:bookingId`, in order: changes to different jobs commute, to one job do not. */
  private readonly jobs = new Map<string, { kind: JobKind; bookingId: string; ops: JobOp[] }>();

  schedule(kind: JobKind, bookingId: string, op: JobOp): void {
    const key = `${kind}:${bookingId}`;
    const entry = this.jobs.get(key) ?? { kind, bookingId, ops: [] };
    entry.ops.push(op);
    this.jobs.set(key, entry);
  }

  /**
   * Applies the changes in rounds: the first change of every job, then the second, ...; within a round the jobs are
   * distinct, so each kind of change is one statement. The kinds of the jobs made ready to run now go to `ready`.
   */
  async flush(tx: Tx, now: Date, backoff: { baseMs: number; maxMs: number }, ready: Set<JobKind>): Promise<void> {
    const jobs = schema.keeperJobs;
    const entries = [...this.jobs.values()];
    for (let round = 0; ; round++) {
      // In one order (kind, then booking) in every statement, as the keeper's own inserts are: rows are locked in it.
      const due = entries
        .filter((entry) => entry.ops.length > round)
        .map((entry) => ({ ...entry, op: entry.ops[round] }))
        .sort((a, b) => compare(a.kind, b.kind) || compare(a.bookingId, b.bookingId));
      if (due.length === 0) return;
      const values = (op: JobOp["op"]) =>
        due.filter((d) => d.op.op === op).map(({ kind, bookingId }) => ({ kind, bookingId, runAfter: now }));
      const created = async (rows: (typeof jobs.$inferInsert)[]) => {
        const inserted = await tx.insert(jobs).values(rows).onConflictDoNothing().returning({ kind: jobs.kind });
        for (const { kind } of inserted) ready.add(kind);
      };
      for (const rows of chunks(values("create"))) await created(rows);
      // Not an upsert: `on conflict do update` locks every conflicting row, running ones too, and the keeper updates
      // its running jobs (their transaction hash) meanwhile: the two would lock the same rows in different orders
      // and deadlock. Inserting the missing jobs and updating only those that wait locks no running job.
      for (const rows of chunks(values("enqueue"))) {
        await created(rows);
        for (const kind of new Set(rows.map((row) => row.kind))) {
          const waiting = await tx
            .update(jobs)
            .set({ status: "pending", runAfter: now, updatedAt: now })
            .where(
              and(
                eq(jobs.kind, kind),
                inArray(
                  jobs.bookingId,
                  rows.filter((row) => row.kind === kind).map((row) => row.bookingId),
                ),
                // A running job is in the keeper's hands (it may have queued it from its own receipt): left alone.
                inArray(jobs.status, ["pending", "failed"]),
              ),
            )
            .returning({ id: jobs.id });
          if (waiting.length > 0) ready.add(kind);
        }
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
      // Retries are rare (the distributor passed a booking over): one statement each. The wait doubles with each
      // skip, up to the cap: a reason that lasts costs a few transactions an hour, not one every few seconds. A skip
      // is no failure: the attempt the keeper counted when it claimed the job is given back (only while the job is
      // still its claim: a skip reported twice, or from someone else's call, gives back nothing), so a reason that
      // lasts never makes the job fail.
      for (const { kind, bookingId, op } of due) {
        if (op.op !== "retry") continue;
        const wait = sql`least(${backoff.maxMs}::float8, ${backoff.baseMs}::float8 * power(2, ${jobs.skips}))`;
        await tx
          .update(jobs)
          .set({
            status: "pending",
            attempts: sql`case when ${jobs.status} = 'running' then greatest(${jobs.attempts} - 1, 0) else ${jobs.attempts} end`,
            skips: sql`${jobs.skips} + 1`,
            lastError: op.lastError,
            runAfter: sql`${op.from.toISOString()}::timestamptz + ${wait} * interval '1 millisecond'`,
            updatedAt: now,
          })
          .where(and(eq(jobs.kind, kind), eq(jobs.bookingId, bookingId)));
      }
    }
  }
}

/** After a reorg: a booking's jobs of steps that are gone are dropped, those whose effect is gone run again. */
export async function reconcileJobs(
  tx: Tx,
  bookingId: string,
  { drop, rerun }: { drop: JobKind[]; rerun: JobKind[] },
  now: Date,
  ready: Set<JobKind>,
): Promise<void> {
  const jobs = schema.keeperJobs;
  if (drop.length > 0) {
    await tx.delete(jobs).where(and(eq(jobs.bookingId, bookingId), inArray(jobs.kind, drop)));
  }
  if (rerun.length > 0) {
    await tx
      .update(jobs)
      .set({ status: "pending", txHash: null, runAfter: now, updatedAt: now })
      .where(and(eq(jobs.bookingId, bookingId), inArray(jobs.kind, rerun)));
    for (const kind of rerun) ready.add(kind);
  }
}
