/**
 * A reward the distributor passes over is tried again later, each time after twice the wait of the time before, up
 * to a cap; a reason that can never go away ends the job. The waits count from the block that reported the skip (the
 * chain's time), so they do not depend on when the listener got to it.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { onChainFact } from "../src/bookings/lifecycle.js";
import type { BookingRow } from "../src/bookings/model.js";
import { JobSchedule } from "../src/chain/projections/keeper-jobs.js";
import { schema } from "../src/db/index.js";
import { insertBookingRow } from "./helpers/booking-rows.js";
import { DRIVERS, openTestDatabase, type TestDatabase } from "./helpers/databases.js";

const AT = new Date("2030-03-04T10:00:00Z");
const TRAVELLER = "0x00000000000000000000000000000000000000bb";
const BACKOFF = { baseMs: 16_000, maxMs: 3_600_000 };
/** KEEPER_MAX_ATTEMPTS's default. */
const MAX_ATTEMPTS = 8;

describe.each(DRIVERS)("distribution retries after a skip (%s)", (driver) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase(driver);
    await database.database.db.insert(schema.users).values({ address: TRAVELLER });
  });
  afterAll(() => database?.drop());

  async function settledBookingWithJob(id: string): Promise<BookingRow> {
    const db = database.database.db;
    await insertBookingRow(db, { id, traveller: TRAVELLER, status: "settled", settledTxHash: `0x${"cd".repeat(32)}` });
    await db.insert(schema.keeperJobs).values({ kind: "distribute", bookingId: id, runAfter: AT });
    const [row] = await db.select().from(schema.bookings).where(eq(schema.bookings.id, id));
    return row!;
  }

  /** The keeper claims the job (counting an attempt), and the chain reports the skip at `at`. */
  async function skippedOnAttempt(booking: BookingRow, reason: string, at: Date) {
    const db = database.database.db;
    const jobs = schema.keeperJobs;
    await db
      .update(jobs)
      .set({ status: "running", attempts: sql`${jobs.attempts} + 1` })
      .where(eq(jobs.bookingId, booking.id));
    const schedule = new JobSchedule();
    for (const [kind, op] of onChainFact(booking, { kind: "rewardSkipped", reason, at }).jobs) {
      schedule.schedule(kind, booking.id, op);
    }
    await db.transaction((tx) => schedule.flush(tx, at, BACKOFF, new Set()));
    const [job] = await db.select().from(jobs).where(eq(jobs.bookingId, booking.id));
    return job!;
  }

  it("waits twice as long after each skip, up to the cap, and keeps trying while the reason may go away", async () => {
    const booking = await settledBookingWithJob(`0x${"01".padStart(64, "0")}`);
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 10; attempt++) {
      const at = new Date(AT.getTime() + attempt * 86_400_000);
      const job = await skippedOnAttempt(booking, attempt % 2 ? "MintLimitReached" : "Queued", at);
      expect(job.status).toBe("pending");
      waits.push((job.runAfter.getTime() - at.getTime()) / 1_000);
    }
    expect(waits).toEqual([16, 32, 64, 128, 256, 512, 1_024, 2_048, 3_600, 3_600]);
  });

  it("never uses up the job's attempts on skips: only failed transactions count towards the limit", async () => {
    const booking = await settledBookingWithJob(`0x${"03".padStart(64, "0")}`);
    const db = database.database.db;
    const jobs = schema.keeperJobs;
    // Two transactions failed before (the keeper counted them), then the mint limit holds the reward for long.
    await db.update(jobs).set({ attempts: 2 }).where(eq(jobs.bookingId, booking.id));
    for (let skip = 1; skip <= 3 * MAX_ATTEMPTS; skip++) {
      const at = new Date(AT.getTime() + skip * 86_400_000);
      const reason = ["MintLimitReached", "PriceUnavailable", "SequencerDown"][skip % 3]!;
      const job = await skippedOnAttempt(booking, reason, at);
      expect(job.status).toBe("pending");
      expect(job.attempts).toBe(2);
    }
    // A skip the chain reports while the job waits (someone else called `distribute`) gives back no attempt.
    const schedule = new JobSchedule();
    for (const [kind, op] of onChainFact(booking, { kind: "rewardSkipped", reason: "Queued", at: AT }).jobs) {
      schedule.schedule(kind, booking.id, op);
    }
    await db.transaction((tx) => schedule.flush(tx, AT, BACKOFF, new Set()));
    const [job] = await db.select().from(jobs).where(eq(jobs.bookingId, booking.id));
    expect(job!.attempts).toBe(2);
    expect(job!.status).toBe("pending");
  });

  it("stops at a final reason, with the reason kept on the booking's job", async () => {
    const booking = await settledBookingWithJob(`0x${"02".padStart(64, "0")}`);
    expect((await skippedOnAttempt(booking, "NoPriceFeed", AT)).status).toBe("pending");
    const job = await skippedOnAttempt(booking, "SupplyCapReached", AT);
    expect(job.status).toBe("done");
  });
});
