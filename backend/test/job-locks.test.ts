/**
 * The listener and the keeper write the keeper's jobs at the same time: the listener (in its batch transaction, held
 * until the batch is projected) queues jobs as the chain's facts come in, while the keeper records the transaction it
 * just sent for the jobs it runs. Neither may wait for the other's row locks, or the two deadlock under load.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { JobKind } from "../src/bookings/lifecycle.js";
import { JobSchedule } from "../src/chain/projections/keeper-jobs.js";
import { schema } from "../src/db/index.js";
import { recordSent } from "../src/keeper/keeper.js";
import { insertBookingRow } from "./helpers/booking-rows.js";
import { openTestDatabase, reopenTestDatabase, type TestDatabase } from "./helpers/databases.js";

const AT = new Date("2030-03-04T10:00:00Z");
const TRAVELLER = "0x00000000000000000000000000000000000000aa";
const SENT = `0x${"ab".repeat(32)}` as const;

async function insertBooking(database: TestDatabase, id: string) {
  await insertBookingRow(database.database.db, {
    id,
    traveller: TRAVELLER,
    status: "settled",
    checkIn: "2030-04-01",
    checkOut: "2030-04-02",
    quoteExpiresAt: AT,
  });
}

describe("keeper jobs under two writers (postgres)", () => {
  let listenerDb: TestDatabase;
  let keeperDb: TestDatabase;
  const bookings = [1, 2, 3, 4].map((n) => `0x${String(n).padStart(64, "0")}`);

  beforeAll(async () => {
    listenerDb = await openTestDatabase("postgres");
    keeperDb = await reopenTestDatabase(listenerDb);
    await listenerDb.database.db.insert(schema.users).values({ address: TRAVELLER });
    for (const id of bookings) await insertBooking(listenerDb, id);
  });

  afterAll(async () => {
    await keeperDb?.drop();
    await listenerDb?.drop();
  });

  it("the keeper records a sent transaction for its running jobs while the listener's open batch queues the same jobs again, and the running jobs stay the keeper's", async () => {
    const db = listenerDb.database.db;
    // The keeper runs the distribution of bookings 1 and 2 (it queued them from its settlement's receipt); the
    // distributions of 3 (waiting) and 4 (not there yet) are the listener's to queue.
    const running = await db
      .insert(schema.keeperJobs)
      .values(
        bookings
          .slice(0, 2)
          .map((bookingId) => ({ kind: "distribute" as const, bookingId, status: "running" as const })),
      )
      .returning({ id: schema.keeperJobs.id });
    await db.insert(schema.keeperJobs).values({
      kind: "distribute",
      bookingId: bookings[2],
      status: "failed",
      runAfter: new Date("2030-03-05T00:00:00Z"),
    });

    const ready = new Set<JobKind>();
    await db.transaction(async (listenerTx) => {
      // The listener sees the bookings' settlement events and queues their distribution, in its batch transaction.
      const schedule = new JobSchedule();
      for (const id of bookings) schedule.schedule("distribute", id, { op: "enqueue" });
      await schedule.flush(listenerTx, AT, { baseMs: 1_000, maxMs: 60_000 }, ready);

      // Before that transaction commits, the keeper records its transaction: it must not wait for the listener.
      await keeperDb.database.db.transaction(async (keeperTx) => {
        await keeperTx.execute(sql`set local lock_timeout = '5s'`);
        await recordSent(
          keeperTx,
          running.map((row) => row.id),
          SENT,
          AT,
        );
      });
    });

    const jobs = await db
      .select({
        bookingId: schema.keeperJobs.bookingId,
        status: schema.keeperJobs.status,
        txHash: schema.keeperJobs.txHash,
        runAfter: schema.keeperJobs.runAfter,
      })
      .from(schema.keeperJobs)
      .orderBy(schema.keeperJobs.bookingId);
    expect(jobs).toEqual([
      { bookingId: bookings[0], status: "running", txHash: SENT, runAfter: expect.any(Date) },
      { bookingId: bookings[1], status: "running", txHash: SENT, runAfter: expect.any(Date) },
      { bookingId: bookings[2], status: "pending", txHash: null, runAfter: AT },
      { bookingId: bookings[3], status: "pending", txHash: null, runAfter: AT },
    ]);
    // Jobs 3 and 4 are ready now: the distribution loops are woken.
    expect([...ready]).toEqual(["distribute"]);
  });

  it("a batch that only meets jobs already in the keeper's hands wakes no keeper loop", async () => {
    const db = listenerDb.database.db;
    await db.delete(schema.keeperJobs);
    await db
      .insert(schema.keeperJobs)
      .values(bookings.map((bookingId) => ({ kind: "distribute" as const, bookingId, status: "running" as const })));
    const ready = new Set<JobKind>();
    await db.transaction(async (tx) => {
      const schedule = new JobSchedule();
      for (const id of bookings) schedule.schedule("distribute", id, { op: "enqueue" });
      schedule.schedule("settle", bookings[0], { op: "finish" });
      await schedule.flush(tx, AT, { baseMs: 1_000, maxMs: 60_000 }, ready);
    });
    expect(ready.size).toBe(0);
  });
});
