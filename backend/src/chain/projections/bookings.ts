/**
 * The API's bookings as the escrow's and the distributor's events move them: locked and loaded once per batch,
 * changed in memory as `bookings/lifecycle.ts` decides, written with one statement; and rewound, after a reorg, as
 * the lifecycle decides too.
 */
import { and, eq, sql } from "drizzle-orm";

import { CHAIN_FACT_COLUMNS, onChainFact, onRewind, type ChainFact, type OnChain } from "../../bookings/lifecycle.js";
import { lockBookings, type BookingRow } from "../../bookings/model.js";
import { schema, type Tx } from "../../db/index.js";
import { unnestUpdate } from "../../db/unnest.js";
import type { ChainEvent } from "../events.js";
import { JobSchedule, reconcileJobs } from "./keeper-jobs.js";
import type { BatchBookings, Changes, ProjectionDeps, RewindContext } from "./projection.js";

/** The booking columns projections change; everything else in a booking row belongs to the API. */
const PROJECTED_COLUMNS = [...CHAIN_FACT_COLUMNS, "updatedAt"] as const satisfies readonly (keyof BookingRow)[];

/** Where and when an event happened, as a booking's step records it. */
export const onChain = (e: ChainEvent): OnChain => ({ txHash: e.txHash, blockNumber: e.blockNumber, at: e.blockTime });

export class LockedBookings implements BatchBookings {
  private readonly changed = new Set<string>();
  private readonly jobs = new JobSchedule();

  private constructor(
    private readonly rows: Map<string, BookingRow>,
    private readonly deps: ProjectionDeps,
    private readonly changes: Changes,
  ) {}

  /** Locks the API's bookings `events` concern (others only feed the chain-wide read models). */
  static async lock(tx: Tx, deps: ProjectionDeps, changes: Changes, events: ChainEvent[]): Promise<LockedBookings> {
    const ids = events.map((e) => e.bookingId).filter((id): id is string => id !== null);
    const rows = new Map((await lockBookings(tx, ids)).map((row) => [row.id, row]));
    return new LockedBookings(rows, deps, changes);
  }

  has(e: ChainEvent): boolean {
    return e.bookingId !== null && this.rows.has(e.bookingId);
  }

  transition(e: ChainEvent, fact: ChainFact): void {
    const booking = e.bookingId === null ? undefined : this.rows.get(e.bookingId);
    if (!booking) return;
    const { patch, jobs } = onChainFact(booking, fact);
    if (Object.keys(patch).length > 0) {
      Object.assign(booking, patch, { updatedAt: this.deps.now() });
      this.changed.add(booking.id);
      this.changes.bookings.add(booking.id);
    }
    for (const [kind, op] of jobs) this.jobs.schedule(kind, booking.id, op);
  }

  /** Writes the changed bookings' projected columns (one `update … from unnest(…)`), then their jobs. */
  async flush(tx: Tx): Promise<void> {
    const rows = [...this.changed].sort().map((id) => this.rows.get(id)!);
    if (rows.length > 0) {
      const b = schema.bookings;
      await tx.execute(
        unnestUpdate(
          b,
          b.id,
          rows.map((row) =>
            Object.fromEntries(["id", ...PROJECTED_COLUMNS].map((key) => [key, row[key as keyof BookingRow]])),
          ) as BookingRow[],
        ),
      );
    }
    await this.jobs.flush(tx, this.deps.now(), this.deps.retryBackoff, this.changes.jobs);
  }
}

/**
 * Bookings lose the steps recorded after block `ancestor`, whichever contract recorded them, and get their status
 * back; keeper jobs whose effect disappeared run again (`onRewind` decides).
 */
export async function rewindBookings({ tx, deps, changes }: RewindContext, ancestor: bigint): Promise<void> {
  const b = schema.bookings;
  const affected = await tx
    .select()
    .from(b)
    .where(
      and(
        eq(b.chainId, deps.chainId),
        sql`greatest(${b.paidBlockNumber}, ${b.settledBlockNumber}, ${b.refundedBlockNumber}, ${b.rewardedBlockNumber}) > ${ancestor}`,
      ),
    )
    .for("update");
  const now = deps.now();
  for (const booking of affected) {
    const { patch, drop, rerun } = onRewind(booking, ancestor);
    await tx
      .update(b)
      .set({ ...patch, updatedAt: now })
      .where(eq(b.id, booking.id));
    await reconcileJobs(tx, booking.id, { drop, rerun }, now, changes.jobs);
    changes.bookings.add(booking.id);
  }
}
