/**
 * Money waits until the supplier is due: a booking with a free-cancellation window is confirmed at once but settled
 * only when its window has closed (the keeper's settle job waits for its due time, by the services' injected clock);
 * cancelled inside the window it is refunded in full, after it the escrow gives back what the terms allow and settles
 * the rest. The worker of a real app against the shared local chain.
 */
import { and, eq } from "drizzle-orm";
import type { Hex, PrivateKeyAccount } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { addDays } from "../src/catalog/dates.js";
import { schema } from "../src/db/index.js";
import { startWorker, type Worker } from "../src/worker/worker.js";
import { call, createTestApp, signIn, type TestApp } from "./helpers/app.js";
import { escrowEventsOf, fundedAccount, keeperKey, payInEth } from "./helpers/chain.js";
import { testClock } from "./helpers/clock.js";
import { FAST_WORKER_ENV, readBooking, waitUntil } from "./helpers/pipeline.js";
import { availableItems, ETH, futureDay } from "./helpers/trips.js";

const FREE_MINUTES = 10;
const MINUTE = 60_000;

describe("settlement when due, cancellation by the terms", () => {
  let t: TestApp;
  let worker: Worker;
  let traveller: PrivateKeyAccount;
  let token: string;
  // The services' clock, moved forward by the test: the keeper's due times and the cancellation windows follow it.
  let ahead = 0;
  const now = () => new Date(testClock().getTime() + ahead);

  beforeAll(async () => {
    t = await createTestApp("postgres", {
      env: {
        ...FAST_WORKER_ENV,
        KEEPER_PRIVATE_KEY: await keeperKey(),
        DEMO_FREE_CANCELLATION_MINUTES: String(FREE_MINUTES),
      },
      now,
    });
    worker = startWorker(t.services);
    traveller = await fundedAccount();
    token = await signIn(t.app, traveller);
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
  });

  /** A hotel with a window (half kept after it, due 20 minutes after booking) and an activity free until settled. */
  async function bookAndPay(offset: number) {
    const checkIn = futureDay(offset);
    const checkOut = addDays(checkIn, 2);
    const windowed = (id: string) => Number(id.slice(id.lastIndexOf("-") + 1)) % 4 === 1;
    const hotel = (await availableItems(t.app, "hotel", checkIn, checkOut)).find((item) => windowed(item.id))!;
    const activity = (await availableItems(t.app, "activity", checkIn, addDays(checkIn, 1))).find(
      (item) => !windowed(item.id),
    )!;
    const { status, body } = await call(t.app, "POST", "/bookings", {
      token,
      body: {
        items: [{ itemId: hotel.id }, { itemId: activity.id, date: checkIn }],
        checkIn,
        checkOut,
        guests: 2,
        paymentToken: ETH,
      },
    });
    expect(status).toBe(201);
    const booking = body.booking;
    expect(booking.cancellation).toMatchObject({ policy: "window", refund: "none", refundAmount: null });
    expect(booking.items[0]).toMatchObject({ cancelFeeBps: 5_000, providerOfferId: hotel.id.replace(/^demo-/, "") });
    expect(booking.items[1]).toMatchObject({ cancelFeeBps: 0, freeCancelUntil: null });
    const receipt = await payInEth(traveller, body.pay);
    await waitUntil(`booking ${booking.id} confirmed`, async () => (await read(booking.id)).status === "confirmed");
    return { id: booking.id as Hex, amount: BigInt(booking.payment.amount), receipt };
  }

  const read = (id: string) => readBooking(t, token, id);

  it("confirms at once, settles at the due time, refunds all inside the window and the terms' part after it", async () => {
    const due = await bookAndPay(40);
    const cancelledEarly = await bookAndPay(41);
    const cancelledLate = await bookAndPay(42);

    // Confirmed, with the provider's reference, and waiting for its due time: nothing is settled yet.
    const waiting = await read(due.id);
    expect(waiting.providerReference).toMatch(/^DEMO-/);
    expect(waiting.cancellation).toMatchObject({ cancellable: true, refund: "full", refundAmount: String(due.amount) });
    const [settleJob] = await t.services.db
      .select()
      .from(schema.keeperJobs)
      .where(and(eq(schema.keeperJobs.bookingId, due.id), eq(schema.keeperJobs.kind, "settle")));
    expect(settleJob).toMatchObject({ status: "pending" });
    expect(settleJob!.runAfter.toISOString()).toBe(waiting.cancellation.settleDueAt);
    // In words, to the minute: "… at 2030-03-04 22:03 UTC", never a machine timestamp.
    const dueInWords = `${waiting.cancellation.settleDueAt.slice(0, 10)} ${waiting.cancellation.settleDueAt.slice(11, 16)} UTC`;
    expect(waiting.cancellation.summary).toContain(`paid from the escrow at ${dueInWords}`);
    expect(waiting.cancellation.summary).not.toMatch(/\d{2}:\d{2}:\d{2}/);

    // Inside the window: all of it back, never settled.
    const early = await call(t.app, "POST", `/bookings/${cancelledEarly.id}/cancel`, { token });
    expect(early.status).toBe(200);
    expect(early.body.cancellation).toMatchObject({ refundAmount: String(cancelledEarly.amount) });
    await waitUntil(
      "the early cancellation refunded",
      async () => (await read(cancelledEarly.id)).status === "refunded",
    );
    expect((await escrowEventsOf(cancelledEarly.id, "BookingRefunded"))[0]!.args.amount).toBe(cancelledEarly.amount);

    // After the free window: the hotel keeps half its price; the activity (free until settled) comes back whole.
    ahead = (FREE_MINUTES + 1) * MINUTE;
    const offered = await read(cancelledLate.id);
    expect(offered.cancellation.refund).toBe("part");
    const refundAmount = BigInt(offered.cancellation.refundAmount);
    expect(refundAmount).toBeLessThan(cancelledLate.amount);
    expect(refundAmount).toBeGreaterThan(cancelledLate.amount / 2n);
    const late = await call(t.app, "POST", `/bookings/${cancelledLate.id}/cancel`, { token });
    expect(late.status).toBe(200);
    await waitUntil("the late cancellation settled", async () =>
      ["settled", "rewarded"].includes((await read(cancelledLate.id)).status),
    );
    const [partial] = await escrowEventsOf(cancelledLate.id, "BookingPartiallyRefunded");
    expect(partial!.args).toMatchObject({ refunded: refundAmount, kept: cancelledLate.amount - refundAmount });
    await waitUntil("the kept part rewarded", async () => (await read(cancelledLate.id)).status === "rewarded");
    // The partial refund's event ended the refund job: it is never sent again.
    const lateJobs = await t.services.db
      .select({ kind: schema.keeperJobs.kind, status: schema.keeperJobs.status })
      .from(schema.keeperJobs)
      .where(eq(schema.keeperJobs.bookingId, cancelledLate.id));
    expect(lateJobs.find((job) => job.kind === "refund")).toMatchObject({ status: "done" });

    // The booking left alone is still waiting at the end of the window; at its due time it settles and is rewarded.
    expect((await read(due.id)).status).toBe("confirmed");
    ahead = 2 * FREE_MINUTES * MINUTE + MINUTE;
    await waitUntil("the due booking rewarded", async () => (await read(due.id)).status === "rewarded");
    const settled = await read(due.id);
    expect(settled.cancellation).toMatchObject({ cancellable: false, refund: "none" });
    expect((await call(t.app, "POST", `/bookings/${due.id}/cancel`, { token })).status).toBe(409);
  });
});
