/**
 * The worker as the real process `npm start` runs (backend/src/main.ts), killed with SIGKILL as a crash would: no
 * event is lost or stored twice, every booking is rewarded exactly once, and a second instance takes the lead.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import {
  bookingEscrowAbi,
  getDeployment,
  referralRegistryAbi,
  rewardDistributorAbi,
  WATCHED_CONTRACTS,
} from "@trvl/abi";
import { and, eq, gte, inArray, isNull, lte, sql } from "drizzle-orm";
import type { Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { BackendProcess } from "@trvl/tooling/backend-process";
import { schema } from "../src/db/index.js";
import { createTestApp, signIn, type TestApp } from "./helpers/app.js";
import { fundedAccount, keeperKey, payInEth, publicClient, wallet } from "./helpers/chain.js";
import { allRewarded, bookAndPay, createBooking, waitUntil } from "./helpers/pipeline.js";
import { startWorkerProcess } from "./helpers/worker-process.js";

const { contracts } = getDeployment(31337);
/** Every contract the listener reads. */
const WATCHED = WATCHED_CONTRACTS.map((name) => contracts[name]);

/** A small deterministic generator, so a failing run can be replayed with its seed. */
function random(seed: number) {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

describe("the worker process (postgres)", () => {
  let t: TestApp;
  let dataDir: string;
  let keeper: Hex;

  beforeAll(async () => {
    t = await createTestApp("postgres");
    keeper = await keeperKey();
    dataDir = await mkdtemp(path.join(tmpdir(), "trvl-worker-"));
  });
  afterAll(async () => {
    await t?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** A backend process (API + worker) on the test's database, with the test's keeper key. */
  const worker = () => startWorkerProcess(t, { dataDir, keeper });

  const leads = async (process: BackendProcess) => {
    const metrics = await (await fetch(`${process.url}/metrics`)).text();
    return /^trvl_worker_leader 1$/m.test(metrics);
  };

  // At least five process restarts (each a few seconds: start-up builds the demo catalog) on a machine that may be
  // running the rest of the suite: more time than the default.
  it(
    "SIGKILLed at random points while 200 bookings are paid: each ends rewarded exactly once, no event missed or stored twice",
    { timeout: 180_000 },
    async () => {
      const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
      const next = random(seed);
      const travellers = await Promise.all([0, 1, 2, 3].map(() => fundedAccount()));
      const referrer = await fundedAccount();
      const tokens = await Promise.all(travellers.map((traveller) => signIn(t.app, traveller)));
      const quotes: ({ traveller: number } & Awaited<ReturnType<typeof createBooking>>)[] = [];
      for (let i = 0; i < 200; i++)
        quotes.push({ traveller: i % 4, ...(await createBooking(t, tokens[i % 4], 30 + (i % 150))) });
      const ids = quotes.map((quote) => quote.booking.id as string);

      let current = await worker();
      let kills = 0;
      let paying = true;
      const killer = (async () => {
        // Kill points: while payments arrive, and after, while the keeper settles and distributes.
        while (paying || kills < 5) {
          await new Promise((resolve) => setTimeout(resolve, 300 + next() * 1_500));
          await current.kill();
          kills++;
          current = await worker();
        }
      })();
      // Four travellers pay their bookings at once; one also registers a referral on the way.
      await Promise.all(
        travellers.map(async (traveller, index) => {
          for (const quote of quotes.filter((q) => q.traveller === index)) await payInEth(traveller, quote.pay);
          if (index === 0) {
            const hash = await wallet(referrer).writeContract({
              address: contracts.ReferralRegistry.address,
              abi: referralRegistryAbi,
              functionName: "register",
              args: [travellers[3].address],
            });
            await publicClient().waitForTransactionReceipt({ hash });
          }
        }),
      );
      paying = false;
      await killer;
      try {
        await allRewarded(t.services.db, ids, 120_000);
        // Every payment's receipt is published too, whatever the kills interrupted.
        await waitUntil("every receipt published", async () => {
          const unpublished = await t.services.db
            .select({ id: schema.bookings.id })
            .from(schema.bookings)
            .where(and(inArray(schema.bookings.id, ids), isNull(schema.bookings.receiptCid)));
          return unpublished.length === 0;
        });
      } finally {
        await current.stop();
      }
      expect(kills, `seed ${seed}`).toBeGreaterThanOrEqual(5);

      // Exactly once on chain: one settlement and one distribution per booking.
      const client = publicClient();
      const [firstBlock] = (await t.services.db
        .select({ n: sql<string>`min(${schema.bookings.paidBlockNumber})::text` })
        .from(schema.bookings)
        .where(inArray(schema.bookings.id, ids))) as { n: string }[];
      const from = BigInt(firstBlock.n);
      const settled = await client.getContractEvents({
        address: contracts.BookingEscrow.address,
        abi: bookingEscrowAbi,
        eventName: "BookingSettled",
        fromBlock: from,
      });
      const distributed = await client.getContractEvents({
        address: contracts.RewardDistributor.address,
        abi: rewardDistributorAbi,
        eventName: "RewardDistributed",
        fromBlock: from,
      });
      const count = (events: { args: { bookingId?: Hex } }[], id: string) =>
        events.filter((event) => event.args.bookingId === id).length;
      for (const id of ids) {
        expect(count(settled, id), `settlements of ${id} (seed ${seed})`).toBe(1);
        expect(count(distributed, id), `distributions of ${id} (seed ${seed})`).toBe(1);
      }

      // The database holds exactly the chain's logs up to its cursor: none missed, none twice.
      const [cursor] = await t.services.db.select().from(schema.chainCursors);
      const start = BigInt(Math.min(...WATCHED.map((c) => Number(c.blockNumber))));
      const logs = await client.getLogs({
        address: WATCHED.map((c) => c.address),
        fromBlock: start,
        toBlock: cursor.blockNumber,
      });
      const stored = await t.services.db
        .select({ txHash: schema.chainEvents.txHash, logIndex: schema.chainEvents.logIndex })
        .from(schema.chainEvents)
        .where(
          and(gte(schema.chainEvents.blockNumber, start), lte(schema.chainEvents.blockNumber, cursor.blockNumber)),
        );
      const key = (e: { txHash?: string | null; transactionHash?: string | null; logIndex: number | null }) =>
        `${e.txHash ?? e.transactionHash}:${e.logIndex}`;
      expect(stored.length, `seed ${seed}`).toBe(logs.length);
      expect(new Set(stored.map(key))).toEqual(new Set(logs.map(key)));

      // One reward row per recipient and booking; nothing failed in the job table; the referral was projected.
      const travellerRewards = await t.services.db
        .select({ bookingId: schema.rewards.bookingId })
        .from(schema.rewards)
        .where(and(inArray(schema.rewards.bookingId, ids), eq(schema.rewards.role, "traveller")));
      expect(travellerRewards).toHaveLength(200);
      const failed = await t.services.db.select().from(schema.keeperJobs).where(eq(schema.keeperJobs.status, "failed"));
      expect(failed).toEqual([]);
      const referral = await t.services.db
        .select()
        .from(schema.referrals)
        .where(eq(schema.referrals.user, referrer.address));
      expect(referral).toHaveLength(1);
    },
  );

  it("two instances: exactly one leads; SIGKILL it and the other takes over and carries on", async () => {
    const a = await worker();
    await waitUntil("an instance to lead", () => leads(a));
    const b = await worker();
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect([await leads(a), await leads(b)]).toEqual([true, false]);

      const traveller = await fundedAccount();
      const token = await signIn(t.app, traveller);
      const first = await bookAndPay(t, token, traveller, 190);
      await allRewarded(t.services.db, [first.id]);

      await a.kill();
      await waitUntil("instance B to lead", () => leads(b), 15_000);
      const second = await bookAndPay(t, token, traveller, 191);
      await allRewarded(t.services.db, [second.id]);
    } finally {
      await a.kill();
      await b.stop();
    }
  });
});
