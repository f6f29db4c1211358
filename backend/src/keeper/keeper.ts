/**
 * The commission pipeline: confirms paid bookings with their suppliers, settles confirmed ones, distributes the
 * rewards of settled ones, and refunds what was cancelled, in batches. Jobs live in the database (`keeper_jobs`):
 * a crash at any point loses nothing, and a job counts as done only when the chain shows its effect (the listener's
 * projections mark it), so sending twice is harmless: the contracts skip what is already done.
 */
import { bookingEscrowAbi, rewardDistributorAbi } from "@trvl/abi";
import { and, asc, eq, inArray, isNotNull, isNull, lte, sql } from "drizzle-orm";
import type { Logger } from "pino";
import { BaseError, encodeFunctionData, parseEventLogs, type Address, type Hex, type TransactionReceipt } from "viem";

import { refundAt } from "../bookings/cancellation.js";
import {
  onCancellationFinished,
  onSettleDue,
  onSupplierAnswer,
  onSupplierCancelFailure,
} from "../bookings/lifecycle.js";
import { supplierCancelFailure } from "../bookings/supplier-cancel.js";
import { lockBookings, type BookingRow } from "../bookings/model.js";
import type { Catalog } from "../catalog/service.js";
import type { OrderJournal } from "../catalog/types.js";
import type { ChainContext } from "../chain/index.js";
import { schema, type Db, type Executor } from "../db/index.js";
import { unnestUpdate } from "../db/unnest.js";
import type { KEEPER_JOB_KINDS } from "../db/schema.js";
import { announceChanges } from "../push/changes.js";
import type { TxSender } from "./sender.js";
import type { Clock } from "../clock.js";

type JobKind = (typeof KEEPER_JOB_KINDS)[number];
type Job = typeof schema.keeperJobs.$inferSelect;
type BookingUpdate = Pick<BookingRow, "id" | "status" | "providerReference" | "confirmedAt" | "updatedAt">;

export interface KeeperOptions {
  /** Most bookings per settle or distribute transaction. */
  batchSize: number;
  /**
   * How long a ready job may wait for others to fill its batch. 0 sends at once: the jobs that become ready while a
   * batch is being mined make the next one, so batches are small when idle and big under load by themselves.
   */
  maxWaitMs: number;
  /** Attempts before a job is given up (status failed, with its last error). */
  maxAttempts: number;
  /** First retry delay; doubles with each attempt, up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** A job sent this long ago whose effect the chain still does not show is looked at again. */
  staleAfterMs: number;
  /** Done jobs of bookings at their end are deleted this long after they finished: the table stays bounded. */
  retentionMs: number;
}

/** What the keeper tells the worker's other loops, so that none waits out its poll for work it could do now. */
export interface KeeperSignals {
  /** Jobs of `kind` became ready. */
  queued(kind: JobKind): void;
  /** A keeper transaction was mined: there are events to index. */
  mined(): void;
}

export interface KeeperMetrics {
  onJobs(counts: { kind: JobKind; status: string; count: number }[]): void;
  /** Settled bookings whose reward the distributor passed over, by the reason it gave last. */
  onRewardsWaiting(counts: { reason: string; count: number }[]): void;
}

/**
 * How often upkeep recovers stale jobs, prunes finished ones and reports the job counts, at most (the counts read the
 * whole job table). Upkeep is woken after every listener pass, many times a second under load, busy or not.
 */
const CHORES_EVERY_MS = 1_000;
/** Finished jobs deleted per upkeep round at most. */
const PRUNE_BATCH = 1_000;

export class Keeper {
  /** When the chores last ran (performance.now(): a rate limit on work, not a time of the business clock). */
  private lastChores = -Infinity;

  constructor(
    private readonly deps: {
      db: Db;
      chain: ChainContext;
      catalog: Catalog;
      sender: TxSender;
      logger: Logger;
      now: Clock;
      metrics?: KeeperMetrics;
      signals?: KeeperSignals;
    },
    private readonly options: KeeperOptions,
  ) {}

  /**
   * The keeper's rounds, each run by its own loop: a settlement being mined never holds up a distribution, and
   * neither waits on the suppliers. Each returns how much it did (0: nothing was ready).
   */
  readonly rounds = {
    /** Asks suppliers to confirm paid bookings, sends refunds; recovers stale jobs and reports the job counts. */
    upkeep: async (): Promise<number> => {
      const chores = performance.now() - this.lastChores >= CHORES_EVERY_MS;
      if (chores) {
        this.lastChores = performance.now();
        await this.recoverStale();
        await this.pruneFinished();
      }
      const work = (await this.confirmPaid()) + (await this.runRefunds());
      if (chores) await this.reportCounts();
      return work;
    },
    settle: () => this.runBatch("settle"),
    distribute: () => this.runBatch("distribute"),
  };

  // ----------------------------------------------------------------------------------------------------------------
  // Confirmation with the suppliers (off the chain)
  // ----------------------------------------------------------------------------------------------------------------

  private async confirmPaid(): Promise<number> {
    const jobs = await this.claim("confirm", this.options.batchSize);
    if (jobs.length === 0) return 0;
    try {
      await this.confirm(jobs);
    } catch (error) {
      // Not left running until they go stale: back in the queue, after the usual backoff.
      await this.retry(jobs, describe(error));
      throw error;
    }
    return jobs.length;
  }

  private async confirm(jobs: Job[]) {
    const { db, catalog, now } = this.deps;
    const ids = jobs.map((job) => job.bookingId);
    const [bookingRows, items] = await Promise.all([
      db.select().from(schema.bookings).where(inArray(schema.bookings.id, ids)),
      db
        .select({
          bookingId: schema.bookingItems.bookingId,
          itemId: schema.bookingItems.itemId,
          quantity: schema.bookingItems.quantity,
          position: schema.bookingItems.position,
          totalCents: schema.bookingItems.totalCents,
          orderRequestedAt: schema.bookingItems.orderRequestedAt,
          orderId: schema.bookingItems.providerOrderId,
          bookingReference: schema.bookingItems.providerBookingReference,
        })
        .from(schema.bookingItems)
        .where(inArray(schema.bookingItems.bookingId, ids)),
    ]);
    const bookings = new Map(bookingRows.map((b) => [b.id, b]));

    // The suppliers are asked all at once; most answer at once (the demo provider always does).
    const answers = await Promise.all(
      jobs.map(async (job) => {
        const booking = bookings.get(job.bookingId);
        if (!booking?.paidTxHash || booking.refundRequestedAt || booking.refundedTxHash) {
          return { job, booking, outcome: "moot" as const };
        }
        try {
          const answer = await catalog.confirm({
            ...booking,
            items: items
              .filter((item) => item.bookingId === booking.id)
              .map(({ orderId, bookingReference, ...item }) => ({
                ...item,
                order: orderId ? { id: orderId, bookingReference: bookingReference ?? "" } : null,
              })),
            orders: this.orderJournal(booking.id),
          });
          return { job, booking, outcome: answer };
        } catch (error) {
          return { job, booking, outcome: { status: "error" as const, reason: describe(error) } };
        }
      }),
    );

    const time = now();
    const confirmed = answers.filter((a) => a.outcome !== "moot" && a.outcome.status === "confirmed");
    const finished = answers.filter((a) => a.outcome === "moot").map((a) => a.job.id);
    await db.transaction(async (tx) => {
      if (confirmed.length > 0) {
        // Decided on the locked rows: a booking cancelled (or refunded) while its supplier was asked stays as it is.
        const locked = await lockBookings(
          tx,
          confirmed.map((a) => a.booking!.id),
        );
        const references = new Map(
          confirmed.map((a) => [
            a.booking!.id,
            a.outcome !== "moot" && "reference" in a.outcome ? a.outcome.reference : null,
          ]),
        );
        const accepted: BookingRow[] = [];
        const updates: BookingUpdate[] = [];
        for (const booking of locked) {
          const { patch } = onSupplierAnswer(booking, { kind: "confirmed", at: time });
          if (!patch.status) continue;
          accepted.push(booking);
          updates.push({
            id: booking.id,
            status: patch.status,
            providerReference: references.get(booking.id) ?? null,
            confirmedAt: time,
            updatedAt: time,
          });
        }
        // One statement for the whole batch: each booking has its own supplier reference.
        if (updates.length > 0) await tx.execute(unnestUpdate(schema.bookings, schema.bookings.id, updates));
        const confirmedIds = accepted.map((booking) => booking.id).sort();
        if (confirmedIds.length > 0) {
          // Settled when the supplier is due: at once, or when the items' cancellation windows have closed.
          await tx
            .insert(schema.keeperJobs)
            .values(
              accepted.map((booking) => ({
                kind: "settle" as const,
                bookingId: booking.id,
                runAfter: booking.settleDueAt && booking.settleDueAt > time ? booking.settleDueAt : time,
              })),
            )
            .onConflictDoNothing();
          await announceChanges(tx, { bookings: confirmedIds });
        }
      }
      const done = [...finished, ...confirmed.map((a) => a.job.id)];
      if (done.length > 0) {
        await tx
          .update(schema.keeperJobs)
          .set({ status: "done", updatedAt: time })
          .where(inArray(schema.keeperJobs.id, done));
      }
    });
    if (confirmed.length > 0) {
      this.deps.signals?.queued("settle");
      this.deps.logger.info({ bookings: confirmed.length }, "suppliers confirmed");
    }

    for (const { job, booking, outcome } of answers) {
      if (outcome === "moot" || outcome.status === "confirmed") continue;
      if (outcome.status === "error") {
        await this.retry([job], outcome.reason);
      } else if (outcome.status === "pending") {
        await this.later(job, outcome.reason, outcome.retryAfterMs);
      } else {
        // Refused by the supplier: the traveller gets their money back.
        await db.transaction(async (tx) => {
          const [locked] = await lockBookings(tx, [booking!.id]);
          const { patch, jobs } = onSupplierAnswer(locked!, { kind: "refused", at: time, reason: outcome.reason });
          if (patch.status) {
            await tx
              .update(schema.bookings)
              .set({ ...patch, updatedAt: time })
              .where(eq(schema.bookings.id, booking!.id));
          }
          await tx
            .update(schema.keeperJobs)
            .set({ status: "done", lastError: outcome.reason, updatedAt: time })
            .where(eq(schema.keeperJobs.id, job.id));
          if (jobs.some(([kind]) => kind === "refund")) {
            await tx
              .insert(schema.keeperJobs)
              .values({ kind: "refund", bookingId: booking!.id, lastError: outcome.reason, runAfter: time })
              .onConflictDoNothing();
          }
          await announceChanges(tx, { bookings: [booking!.id] });
        });
        this.deps.logger.warn({ bookingId: booking!.id, reason: outcome.reason }, "supplier refused: refunding");
      }
    }
  }

  /** Records a booking's supplier orders on its items as they are placed: the intent first, then the order. */
  private orderJournal(bookingId: string): OrderJournal {
    const { db, now } = this.deps;
    const item = (position: number) =>
      and(eq(schema.bookingItems.bookingId, bookingId), eq(schema.bookingItems.position, position));
    return {
      requested: async (position) => {
        await db
          .update(schema.bookingItems)
          .set({ orderRequestedAt: now() })
          .where(and(item(position), isNull(schema.bookingItems.orderRequestedAt)));
      },
      notPlaced: async (position) => {
        await db
          .update(schema.bookingItems)
          .set({ orderRequestedAt: null })
          .where(and(item(position), isNull(schema.bookingItems.providerOrderId)));
      },
      placed: async (position, order) => {
        await db
          .update(schema.bookingItems)
          .set({ providerOrderId: order.id, providerBookingReference: order.bookingReference })
          .where(item(position));
      },
      cancelled: async (position) => {
        await db.update(schema.bookingItems).set({ orderCancelledAt: now() }).where(item(position));
      },
    };
  }

  /** Puts a job back for when its supplier asked to be asked again (a rate limit): waiting is no failed attempt. */
  private async later(job: Job, reason: string, delayMs: number) {
    const { db, now } = this.deps;
    await db
      .update(schema.keeperJobs)
      .set({
        status: "pending",
        attempts: sql`greatest(${schema.keeperJobs.attempts} - 1, 0)`,
        lastError: reason.slice(0, 1_000),
        runAfter: new Date(now().getTime() + delayMs),
        updatedAt: now(),
      })
      .where(and(eq(schema.keeperJobs.id, job.id), eq(schema.keeperJobs.status, "running")));
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Settlement and distribution (batched transactions)
  // ----------------------------------------------------------------------------------------------------------------

  private async runBatch(kind: "settle" | "distribute"): Promise<number> {
    const { batchSize, maxWaitMs } = this.options;
    if (maxWaitMs > 0) {
      // Wait for a fuller batch unless the oldest job has waited long enough.
      const ready = await this.readyCount(kind);
      if (ready.count === 0) return 0;
      if (ready.count < batchSize && ready.oldest.getTime() > this.deps.now().getTime() - maxWaitMs) return 0;
    }
    const claimed = await this.claim(kind, batchSize);
    if (claimed.length === 0) return 0;
    const jobs = kind === "settle" ? await this.settleable(claimed) : claimed;
    if (jobs.length === 0) return 1;
    const ok = await this.sendFor(kind, jobs);
    if (ok || jobs.length === 1) return 1;
    // One bad booking must not block the others: try them one by one, each claimed again (a traveller may have
    // cancelled one meanwhile, which ended its settle job).
    let sent = 1;
    for (const job of jobs) {
      const [again] = await this.claim(kind, 1, job.id);
      if (!again) continue;
      await this.sendFor(kind, [again]);
      sent++;
    }
    return sent;
  }

  /**
   * The claimed settle jobs to settle as due. A booking whose traveller's cancellation stopped halfway is finished
   * instead (`onSettleDue`): it is settled here only when finishing it gives nothing back.
   */
  private async settleable(jobs: Job[]): Promise<Job[]> {
    const { db } = this.deps;
    const halfway = await db
      .select({ bookingId: schema.bookingItems.bookingId, orderCancelledAt: schema.bookingItems.orderCancelledAt })
      .from(schema.bookingItems)
      .where(
        and(
          inArray(
            schema.bookingItems.bookingId,
            jobs.map((job) => job.bookingId),
          ),
          isNotNull(schema.bookingItems.orderCancelledAt),
        ),
      );
    if (halfway.length === 0) return jobs;
    const candidates = new Set(halfway.map((row) => row.bookingId));
    const bookings = await db
      .select()
      .from(schema.bookings)
      .where(inArray(schema.bookings.id, [...candidates]));
    const settle: Job[] = [];
    for (const job of jobs) {
      const booking = bookings.find((b) => b.id === job.bookingId);
      const step =
        booking &&
        onSettleDue(
          booking,
          halfway.filter((row) => row.bookingId === job.bookingId),
        );
      if (step?.kind !== "finishCancellation") {
        settle.push(job);
        continue;
      }
      try {
        if (await this.finishCancellation(job)) settle.push(job);
      } catch (error) {
        await this.retry([job], describe(error));
      }
    }
    return settle;
  }

  /**
   * Finishes a cancellation that stopped halfway, its settle job claimed (the API refuses to cancel meanwhile): the
   * orders still standing are cancelled with their supplier, each recorded as soon as it is, then the booking is
   * refunded as `onCancellationFinished` decides. A rate limit waits for its reset and an outage retries with the
   * backoff; a refusal, or an outage on the last attempt, stops it: the order stands, with the reason on its item, and
   * what was cancelled is refunded, the rest settled. True: nothing comes back, settle the booking as due.
   */
  private async finishCancellation(job: Job): Promise<boolean> {
    const { db, catalog, now, logger } = this.deps;
    const item = (position: number) =>
      and(eq(schema.bookingItems.bookingId, job.bookingId), eq(schema.bookingItems.position, position));
    const items = await db
      .select()
      .from(schema.bookingItems)
      .where(eq(schema.bookingItems.bookingId, job.bookingId))
      .orderBy(asc(schema.bookingItems.position));
    const standing = (row: (typeof items)[number]) =>
      row.providerOrderId !== null && row.orderCancelledAt === null && row.orderCancelRefusal === null;
    let stopped: { position: number; reason: string } | undefined;
    for (const row of items.filter(standing)) {
      const canceller = catalog.canceller(row.provider);
      if (!canceller) continue;
      try {
        const quote = await canceller.quoteCancellation(row.providerOrderId!);
        await canceller.confirmCancellation(quote.id);
        await db
          .update(schema.bookingItems)
          .set({ orderCancelledAt: now(), orderRefundCents: quote.refundCents })
          .where(item(row.position));
      } catch (error) {
        const failure = supplierCancelFailure(error);
        const step = onSupplierCancelFailure(failure, {
          attempts: job.attempts,
          maxAttempts: this.options.maxAttempts,
        });
        const reason = `cancelling "${row.name}": ${failure.reason}`;
        if (step === "wait" && failure.kind === "later") {
          await this.later(job, reason, failure.retryAfterMs);
          return false;
        }
        if (step === "retry") {
          await this.retry([job], reason);
          return false;
        }
        stopped = {
          position: row.position,
          reason:
            failure.kind === "refused"
              ? failure.reason
              : `The supplier still could not cancel it after ${job.attempts} attempts: ${failure.reason}`,
        };
        break;
      }
    }

    const time = now();
    let settle = false;
    await db.transaction(async (tx) => {
      const [locked] = await lockBookings(tx, [job.bookingId]);
      if (stopped) {
        await tx
          .update(schema.bookingItems)
          .set({ orderCancelRefusal: stopped.reason.slice(0, 1_000) })
          .where(item(stopped.position));
      }
      const rows = await tx.select().from(schema.bookingItems).where(eq(schema.bookingItems.bookingId, job.bookingId));
      // What the supplier gave back of each cancelled order; an order that still stands gives nothing back.
      const terms = rows.map((row) =>
        row.orderCancelledAt !== null
          ? { ...row, supplierRefundCents: row.orderRefundCents ?? 0n }
          : row.providerOrderId !== null && catalog.canceller(row.provider)
            ? { ...row, supplierRefundCents: 0n }
            : row,
      );
      const { patch, jobs } = onCancellationFinished(locked!, refundAt(terms, locked!.amount, time), time);
      if (Object.keys(patch).length > 0) {
        await tx
          .update(schema.bookings)
          .set({ ...patch, updatedAt: time })
          .where(eq(schema.bookings.id, job.bookingId));
      }
      if (jobs.some(([kind]) => kind === "settle")) {
        await tx
          .update(schema.keeperJobs)
          .set({ status: "done", lastError: stopped?.reason ?? "cancelled by the traveller", updatedAt: time })
          .where(eq(schema.keeperJobs.id, job.id));
      } else {
        settle = true;
      }
      if (jobs.some(([kind]) => kind === "refund")) {
        await tx
          .insert(schema.keeperJobs)
          .values({ kind: "refund", bookingId: job.bookingId, runAfter: time })
          .onConflictDoNothing();
      }
      await announceChanges(tx, { bookings: [job.bookingId] });
    });
    logger.info({ bookingId: job.bookingId, stopped: stopped?.reason, settle }, "cancellation finished by the keeper");
    if (!settle) this.deps.signals?.queued("refund");
    return settle;
  }

  private async sendFor(kind: "settle" | "distribute" | "refund", jobs: Job[]): Promise<boolean> {
    const { chain, sender, db } = this.deps;
    const ids = jobs.map((job) => job.bookingId as Hex);
    // A refund gives back what the cancellation terms allowed: all of it, or part with the rest settled.
    const partial = kind === "refund" ? await partialRefundOf(db, ids[0]!) : null;
    const [to, data] =
      kind === "distribute"
        ? [
            chain.contract("RewardDistributor")!,
            encodeFunctionData({ abi: rewardDistributorAbi, functionName: "distribute", args: [ids] }),
          ]
        : kind === "settle"
          ? [
              chain.contract("BookingEscrow")!,
              encodeFunctionData({ abi: bookingEscrowAbi, functionName: "settle", args: [ids] }),
            ]
          : [
              chain.contract("BookingEscrow")!,
              partial === null
                ? encodeFunctionData({ abi: bookingEscrowAbi, functionName: "refund", args: [ids[0]!] })
                : encodeFunctionData({
                    abi: bookingEscrowAbi,
                    functionName: "refundPartially",
                    args: [ids[0]!, partial],
                  }),
            ];
    let receipt: TransactionReceipt;
    try {
      receipt = await sender.send(
        to as Address,
        data,
        (hash) =>
          recordSent(
            db,
            jobs.map((job) => job.id),
            hash,
            this.deps.now(),
          ),
        // Settlements and distributions skip a booking they cannot handle; a refund reverts.
        { kind, items: ids.length, skipsBadItems: kind !== "refund" },
      );
      this.deps.signals?.mined();
      if (receipt.status !== "success") throw new Error(`transaction ${receipt.transactionHash} reverted`);
      this.deps.logger.info({ kind, bookings: ids.length, tx: receipt.transactionHash }, "keeper transaction mined");
    } catch (error) {
      const reason = describe(error);
      this.deps.logger.warn({ kind, bookings: ids.length, reason }, "keeper transaction failed");
      await this.retry(jobs, reason);
      return false;
    }
    // Mined: whatever happens next, the settlement stands. Its distribution goes out next, from here: no other loop
    // need pick it up. Should that fail, the listener queues the distributions from the BookingSettled events.
    if (kind === "settle" || partial !== null) {
      const distributions = await this.claimDistributions(receipt).catch((error) => {
        this.deps.logger.warn({ reason: describe(error) }, "distributions left to the listener");
        return [];
      });
      if (distributions.length > 0) await this.sendFor("distribute", distributions);
    }
    return true;
  }

  /**
   * Creates the distribution jobs of what a settlement just settled, from its receipt, already claimed by the caller:
   * a pass of the listener earlier than its `BookingSettled` events would (the listener still records the settlement
   * and ends the settle jobs). Jobs the listener created first are left to the distribution loops. Should the
   * settlement be reorged away, the distributor skips those bookings as not settled and the job waits for it again.
   */
  private async claimDistributions(receipt: TransactionReceipt): Promise<Job[]> {
    const escrow = this.deps.chain.contract("BookingEscrow")!.toLowerCase();
    const settled = parseEventLogs({
      abi: bookingEscrowAbi,
      eventName: "BookingSettled",
      logs: receipt.logs.filter((log) => log.address.toLowerCase() === escrow),
    });
    if (settled.length === 0) return [];
    const now = this.deps.now();
    const ids = [...new Set(settled.map((log) => log.args.bookingId as string))].sort();
    // The listener's lock order (bookings by id, then their jobs), so that the two never deadlock.
    const claimed = await this.deps.db.transaction(async (tx) => {
      await lockBookings(tx, ids);
      return tx
        .insert(schema.keeperJobs)
        .values(
          ids.map((bookingId) => ({
            kind: "distribute" as const,
            bookingId,
            status: "running" as const,
            attempts: 1,
            runAfter: now,
            updatedAt: now,
          })),
        )
        .onConflictDoNothing()
        .returning();
    });
    if (claimed.length < ids.length) this.deps.signals?.queued("distribute");
    return claimed;
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Refunds (one transaction each: the escrow refunds one booking at a time)
  // ----------------------------------------------------------------------------------------------------------------

  private async runRefunds(): Promise<number> {
    const jobs = await this.claim("refund", this.options.batchSize);
    await Promise.all(jobs.map((job) => this.sendFor("refund", [job])));
    return jobs.length;
  }

  // ----------------------------------------------------------------------------------------------------------------
  // The job table
  // ----------------------------------------------------------------------------------------------------------------

  private async readyCount(kind: JobKind): Promise<{ count: number; oldest: Date }> {
    const [row] = await this.deps.db
      .select({ count: sql<number>`count(*)::int`, oldest: sql<Date | null>`min(${schema.keeperJobs.runAfter})` })
      .from(schema.keeperJobs)
      .where(this.readyWhere(kind));
    return { count: row?.count ?? 0, oldest: row?.oldest ? new Date(row.oldest) : this.deps.now() };
  }

  private readyWhere(kind: JobKind, options: { ignoreBackoff?: boolean } = {}) {
    return and(
      eq(schema.keeperJobs.kind, kind),
      eq(schema.keeperJobs.status, "pending"),
      options.ignoreBackoff ? undefined : lte(schema.keeperJobs.runAfter, this.deps.now()),
      // A booking whose traveller asked for a refund is refunded, never settled.
      kind === "settle"
        ? sql`not exists (select 1 from ${schema.bookings} where ${schema.bookings.id} = ${schema.keeperJobs.bookingId} and ${schema.bookings.refundRequestedAt} is not null)`
        : undefined,
    );
  }

  /**
   * Takes up to `limit` ready jobs of `kind`, oldest first, and marks them running: one statement, whose rows locked
   * with `skip locked` no concurrent claim can also take.
   */
  private async claim(kind: JobKind, limit: number, only?: bigint): Promise<Job[]> {
    const { db, now } = this.deps;
    const ready = db
      .select({ id: schema.keeperJobs.id })
      .from(schema.keeperJobs)
      .where(
        only === undefined
          ? this.readyWhere(kind)
          : and(eq(schema.keeperJobs.id, only), this.readyWhere(kind, { ignoreBackoff: true })),
      )
      .orderBy(asc(schema.keeperJobs.runAfter), asc(schema.keeperJobs.id))
      .limit(limit)
      .for("update", { skipLocked: true });
    const jobs = await db
      .update(schema.keeperJobs)
      .set({ status: "running", attempts: sql`${schema.keeperJobs.attempts} + 1`, updatedAt: now() })
      .where(inArray(schema.keeperJobs.id, ready))
      .returning();
    // `returning` keeps no order: oldest first, as claimed.
    return jobs.sort((a, b) => a.runAfter.getTime() - b.runAfter.getTime() || Number(a.id - b.id));
  }

  /** Puts jobs back with an exponential backoff, or gives them up after the last attempt. */
  private async retry(jobs: Job[], reason: string, delayMs?: number) {
    const { db, now } = this.deps;
    for (const job of jobs) {
      const exhausted = job.attempts >= this.options.maxAttempts;
      const backoff =
        delayMs ?? Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** Math.max(0, job.attempts - 1));
      await db
        .update(schema.keeperJobs)
        .set({
          status: exhausted ? "failed" : "pending",
          lastError: reason.slice(0, 1_000),
          txHash: null,
          runAfter: new Date(now().getTime() + backoff),
          updatedAt: now(),
        })
        .where(and(eq(schema.keeperJobs.id, job.id), eq(schema.keeperJobs.status, "running")));
      if (exhausted)
        this.deps.logger.error({ job: job.id, kind: job.kind, bookingId: job.bookingId, reason }, "job failed");
    }
  }

  private async finish(job: Job, status: "done" | "failed") {
    await this.deps.db
      .update(schema.keeperJobs)
      .set({ status, updatedAt: this.deps.now() })
      .where(eq(schema.keeperJobs.id, job.id));
  }

  /**
   * Jobs left running by a crash, or sent long ago without the chain showing their effect: a transaction that was
   * never mined (or never sent) is sent again; one that was mined waits for the listener.
   */
  private async recoverStale() {
    const { db, chain, now } = this.deps;
    const stale = await db
      .select()
      .from(schema.keeperJobs)
      .where(
        and(
          eq(schema.keeperJobs.status, "running"),
          lte(schema.keeperJobs.updatedAt, new Date(now().getTime() - this.options.staleAfterMs)),
        ),
      );
    for (const job of stale) {
      const receipt = job.txHash
        ? await chain.client.getTransactionReceipt({ hash: job.txHash as Hex }).catch(() => undefined)
        : undefined;
      if (receipt?.status === "success") {
        // Mined, yet its effect is not recorded: the contract skipped it (already done elsewhere) or the listener is
        // behind. Either way the listener decides; look again later.
        await db.update(schema.keeperJobs).set({ updatedAt: now() }).where(eq(schema.keeperJobs.id, job.id));
        continue;
      }
      await db
        .update(schema.keeperJobs)
        .set({ status: "pending", txHash: null, runAfter: now(), updatedAt: now() })
        .where(eq(schema.keeperJobs.id, job.id));
    }
  }

  /** Deletes, a bounded batch per round, the done jobs of rewarded or refunded bookings past their retention. */
  private async pruneFinished() {
    const { db, now } = this.deps;
    const jobs = schema.keeperJobs;
    const old = db
      .select({ id: jobs.id })
      .from(jobs)
      .innerJoin(schema.bookings, eq(schema.bookings.id, jobs.bookingId))
      .where(
        and(
          eq(jobs.status, "done"),
          lte(jobs.updatedAt, new Date(now().getTime() - this.options.retentionMs)),
          inArray(schema.bookings.status, ["rewarded", "refunded"]),
        ),
      )
      .limit(PRUNE_BATCH);
    await db.delete(jobs).where(inArray(jobs.id, old));
  }

  private async reportCounts() {
    if (!this.deps.metrics) return;
    const rows = await this.deps.db
      .select({ kind: schema.keeperJobs.kind, status: schema.keeperJobs.status, count: sql<number>`count(*)::int` })
      .from(schema.keeperJobs)
      .groupBy(schema.keeperJobs.kind, schema.keeperJobs.status);
    this.deps.metrics.onJobs(rows);
    const b = schema.bookings;
    const waiting = await this.deps.db
      .select({ reason: sql<string>`${b.rewardSkipReason}`, count: sql<number>`count(*)::int` })
      .from(b)
      .where(and(eq(b.status, "settled"), isNotNull(b.rewardSkipReason)))
      .groupBy(b.rewardSkipReason);
    this.deps.metrics.onRewardsWaiting(waiting);
  }
}

/**
 * Records the transaction just sent for running jobs (a restart checks it before sending again). It takes only the
 * locks of those rows, which the listener never holds: it leaves running jobs alone.
 */
export async function recordSent(db: Executor, jobIds: bigint[], hash: Hex, at: Date): Promise<void> {
  await db
    .update(schema.keeperJobs)
    .set({ txHash: hash, sentAt: at, updatedAt: at })
    .where(inArray(schema.keeperJobs.id, jobIds));
}

function describe(error: unknown): string {
  // viem's short message can be as vague as "RPC Request failed."; the node's own words are in the details.
  if (error instanceof BaseError) {
    return error.details && !error.shortMessage.includes(error.details)
      ? `${error.shortMessage} ${error.details}`
      : error.shortMessage;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The part a cancellation gives back when its terms keep the rest (null: all of it). */
async function partialRefundOf(db: Db, bookingId: string): Promise<bigint | null> {
  const [row] = await db
    .select({ refundAmount: schema.bookings.refundAmount, amount: schema.bookings.amount })
    .from(schema.bookings)
    .where(eq(schema.bookings.id, bookingId));
  return row?.refundAmount != null && row.refundAmount < row.amount ? row.refundAmount : null;
}
