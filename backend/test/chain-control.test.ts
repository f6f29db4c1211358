/**
 * What only a chain of our own can show, since it rewinds or stops mining: reorgs and stuck transactions. This
 * file starts a second local chain (the whole system deployed) so the shared one is never disturbed.
 */
import {
  bookingEscrowAbi,
  getDeployment,
  referralRegistryAbi,
  rewardDistributorAbi,
  WATCHED_CONTRACTS,
} from "@trvl/abi";
import { and, eq, gte, lte } from "drizzle-orm";
import { pino } from "pino";
import { createPublicClient, createWalletClient, http, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { LOCAL_ACCOUNT_INDEX, localAccount } from "@trvl/tooling/local-accounts";
import { schema } from "../src/db/index.js";
import { webSocketUrlOf } from "../src/chain/heads.js";
import { TxSender } from "../src/keeper/sender.js";
import { startWorker } from "../src/worker/worker.js";
import { call, createTestApp, expectError, signIn, testAccount, type TestApp } from "./helpers/app.js";
import { impersonate, payInEth, quoteArgs, send } from "./helpers/chain.js";
import { startEphemeralChain, type EphemeralChain } from "@trvl/tooling/ephemeral-chain";
import { allRewarded, bookAndPay, createBooking, FAST_WORKER_ENV, statusesOf, waitUntil } from "./helpers/pipeline.js";
import { tripRequest } from "./helpers/trips.js";

const { contracts } = getDeployment(31337);

describe("on a chain of its own", () => {
  let chain: EphemeralChain;
  let client: ReturnType<typeof createPublicClient>;
  const rpc = <T>(method: string, params: unknown[] = []) =>
    client.request({ method: method as never, params: params as never }) as Promise<T>;

  beforeAll(async () => {
    chain = await startEphemeralChain();
    client = createPublicClient({ chain: hardhat, transport: http(chain.url) });
  });
  afterAll(async () => {
    await chain?.close();
  });

  // With the node's announcements the listener takes the head from them, and an announced head a reorg took away
  // must not hold it up; polling reads the head itself. Each run books other dates and registers another referral.
  describe.each([
    { heads: "announced over the node's WebSocket", webSocket: true, offset: 40, referral: [10, 11] },
    { heads: "polled", webSocket: false, offset: 60, referral: [14, 15] },
  ])("reorg, new heads $heads (postgres)", ({ webSocket, offset, referral: [user, referrer] }) => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp("postgres", {
        env: {
          ...FAST_WORKER_ENV,
          CHAIN_RPC_URL: chain.url,
          CHAIN_WS_URL: webSocket ? webSocketUrlOf(chain.url) : "off",
          KEEPER_PRIVATE_KEY: localAccount(LOCAL_ACCOUNT_INDEX.keeper).privateKey,
        },
      });
    });
    afterAll(async () => {
      await t?.close();
    });

    it("snapshot, index, revert and mine other blocks: the database ends equal to the new chain", async () => {
      const worker = startWorker(t.services);
      const orphaned: string[] = [];
      try {
        const traveller = testAccount(LOCAL_ACCOUNT_INDEX.traveller);
        const token = await signIn(t.app, traveller);
        const before = await bookAndPay(t, token, traveller, offset, chain.url);
        await allRewarded(t.services.db, [before.id]);

        // A branch the listener indexes and the keeper acts on...
        const snapshot = await rpc<Hex>("evm_snapshot");
        const orphanedA = await bookAndPay(t, token, traveller, offset + 1, chain.url);
        const orphanedB = await bookAndPay(t, token, traveller, offset + 2, chain.url);
        orphaned.push(orphanedA.id, orphanedB.id);
        await allRewarded(t.services.db, orphaned);
        const orphanedHead = await client.getBlockNumber({ cacheTime: 0 });

        // ...is replaced by another one: other payments and a referral in the same heights, then a few more blocks.
        expect(await rpc<boolean>("evm_revert", [snapshot])).toBe(true);
        const replacing = await bookAndPay(t, token, traveller, offset + 3, chain.url);
        await send(
          testAccount(user),
          {
            address: contracts.ReferralRegistry.address,
            abi: referralRegistryAbi,
            functionName: "register",
            args: [testAccount(referrer).address],
          },
          chain.url,
        );
        await rpc("hardhat_mine", ["0x3"]);
        expect(replacing.blockNumber).toBeLessThanOrEqual(orphanedHead);

        await allRewarded(t.services.db, [before.id, replacing.id]);
        await waitUntil("the orphaned payments to be forgotten", async () => {
          const statuses = await statusesOf(t.services.db, orphaned);
          return [...statuses.values()].every((status) => status === "quoted");
        });
        await waitUntil("the listener to reach the head", async () => {
          const [cursor] = await t.services.db.select().from(schema.chainCursors);
          return cursor.blockNumber >= (await client.getBlockNumber({ cacheTime: 0 }));
        });
      } finally {
        await worker.stop();
      }

      // The stored events are exactly the new chain's logs.
      const [cursor] = await t.services.db.select().from(schema.chainCursors);
      const addresses = WATCHED_CONTRACTS.map((name) => contracts[name].address);
      const start = BigInt(Math.min(...Object.values(contracts).map((c) => Number(c.blockNumber))));
      const logs = await client.getLogs({ address: addresses, fromBlock: start, toBlock: cursor.blockNumber });
      const stored = await t.services.db
        .select()
        .from(schema.chainEvents)
        .where(
          and(gte(schema.chainEvents.blockNumber, start), lte(schema.chainEvents.blockNumber, cursor.blockNumber)),
        );
      expect(new Set(stored.map((e) => `${e.txHash}:${e.logIndex}:${e.blockHash}`))).toEqual(
        new Set(logs.map((l) => `${l.transactionHash}:${l.logIndex}:${l.blockHash}`)),
      );

      // Bookings, rewards and referrals follow: the orphaned bookings are unpaid again and earned nothing.
      const bookings = await t.services.db.select().from(schema.bookings);
      for (const booking of bookings) {
        const paid = logs.find(
          (l) =>
            l.address.toLowerCase() === contracts.BookingEscrow.address.toLowerCase() && l.topics[1] === booking.id,
        );
        expect(booking.paidTxHash, booking.id).toBe(paid?.transactionHash ?? null);
      }
      const rewarded = new Set((await t.services.db.select().from(schema.rewards)).map((r) => r.bookingId));
      for (const id of orphaned) expect(rewarded.has(id)).toBe(false);
      const referral = await t.services.db
        .select()
        .from(schema.referrals)
        .where(eq(schema.referrals.user, testAccount(user).address));
      expect(referral).toHaveLength(1);
      const jobs = await t.services.db.select().from(schema.keeperJobs).where(eq(schema.keeperJobs.status, "failed"));
      expect(jobs).toEqual([]);
      expect(await (await t.app.request("/metrics")).text()).toMatch(
        /^trvl_listener_reorgs_total\{deep="false"\} [1-9]/m,
      );
    });
  });

  describe("cancellation against settlement (postgres)", () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp("postgres", {
        env: {
          ...FAST_WORKER_ENV,
          CHAIN_RPC_URL: chain.url,
          KEEPER_PRIVATE_KEY: localAccount(LOCAL_ACCOUNT_INDEX.keeper).privateKey,
        },
      });
    });
    afterAll(async () => {
      await t?.close();
    });

    const finalStatus = (ids: string[]) =>
      waitUntil(`${ids.length} bookings to be refunded or rewarded`, async () => {
        const statuses = await statusesOf(t.services.db, ids);
        return [...statuses.values()].every((s) => s === "refunded" || s === "rewarded") && statuses;
      });

    it("once the settlement is sent, a cancellation is refused with the booking's real status", async () => {
      const worker = startWorker(t.services);
      const traveller = testAccount(LOCAL_ACCOUNT_INDEX.traveller);
      const wallet = createWalletClient({ account: traveller, chain: hardhat, transport: http(chain.url) });
      try {
        const token = await signIn(t.app, traveller);
        const { booking, pay } = await createBooking(t, token, 44);
        // Blocks are mined by hand from here: the keeper's settlement stays in the mempool while we cancel.
        await rpc("evm_setAutomine", [false]);
        const paid = await wallet.writeContract({
          address: pay.escrow as Hex,
          abi: bookingEscrowAbi,
          functionName: "pay",
          args: [quoteArgs(pay.quote), pay.signature as Hex],
          value: BigInt(pay.value),
        });
        await rpc("evm_mine");
        expect((await client.waitForTransactionReceipt({ hash: paid })).status).toBe("success");
        await waitUntil("the settlement to be sent", async () => {
          const [job] = await t.services.db
            .select()
            .from(schema.keeperJobs)
            .where(and(eq(schema.keeperJobs.bookingId, booking.id), eq(schema.keeperJobs.kind, "settle")));
          return job?.status === "running" && job.txHash !== null;
        });

        const cancelled = await call(t.app, "POST", `/bookings/${booking.id}/cancel`, { token });
        expect(expectError(cancelled)).toMatchObject({ status: 409, code: "settlement_in_progress" });
        expect(cancelled.body.error.details).toEqual({ status: "confirmed" });

        await rpc("evm_setAutomine", [true]);
        await rpc("evm_mine");
        await allRewarded(t.services.db, [booking.id]);
        const refunds = await t.services.db
          .select()
          .from(schema.keeperJobs)
          .where(and(eq(schema.keeperJobs.bookingId, booking.id), eq(schema.keeperJobs.kind, "refund")));
        expect(refunds).toEqual([]);
      } finally {
        await rpc("evm_setAutomine", [true]);
        await worker.stop();
      }
    });

    it("quotes and referral signatures stay valid for their whole life on a chain whose clock runs ahead", async () => {
      // The chain's clock runs six hours ahead of the server's (as a local node's did under load).
      await rpc("evm_increaseTime", [6 * 3600]);
      await rpc("evm_mine");
      const chainNow = (await client.getBlock()).timestamp;
      const traveller = testAccount(LOCAL_ACCOUNT_INDEX.traveller);
      const token = await signIn(t.app, traveller);
      const { booking, pay } = await createBooking(t, token, 60);
      expect(BigInt(pay.quote.expiresAt)).toBeGreaterThanOrEqual(chainNow + BigInt(t.config.QUOTE_TTL_SECONDS));
      const receipt = await payInEth(traveller, pay, chain.url);
      expect(receipt.status).toBe("success");
      expect(booking.id).toBe(pay.quote.bookingId);

      const registration = await call(t.app, "GET", `/referrals/signature?referrer=${testAccount(12).address}`, {
        token: await signIn(t.app, testAccount(13)),
      });
      expect(registration.status).toBe(200);
      expect(BigInt(registration.body.message.deadline)).toBeGreaterThanOrEqual(chainNow + 3600n);
    });

    it("cancellations racing the keeper are each honoured (refunded, never settled) or refused (and settled)", async () => {
      const worker = startWorker(t.services);
      try {
        const traveller = testAccount(LOCAL_ACCOUNT_INDEX.traveller);
        const token = await signIn(t.app, traveller);
        const answers = new Map<string, Awaited<ReturnType<typeof call>>>();
        const cancels: Promise<void>[] = [];
        for (let i = 0; i < 12; i++) {
          const { id } = await bookAndPay(t, token, traveller, 45 + i, chain.url);
          // Each cancellation lands at another point of the booking's way through the keeper.
          cancels.push(
            new Promise((resolve) => setTimeout(resolve, (i % 6) * 40)).then(async () => {
              answers.set(id, await call(t.app, "POST", `/bookings/${id}/cancel`, { token }));
            }),
          );
        }
        await Promise.all(cancels);
        const statuses = await finalStatus([...answers.keys()]);
        for (const [id, answer] of answers) {
          if (answer.status === 200) {
            expect(answer.body.status, id).toBe("refund_requested");
            expect(statuses.get(id), id).toBe("refunded");
          } else {
            expect(answer.status, id).toBe(409);
            expect(["settlement_in_progress", "not_cancellable"], id).toContain(expectError(answer).code);
            expect(statuses.get(id), id).toBe("rewarded");
          }
        }
        const failed = await t.services.db
          .select()
          .from(schema.keeperJobs)
          .where(eq(schema.keeperJobs.status, "failed"));
        expect(failed).toEqual([]);
      } finally {
        await worker.stop();
      }
    });
  });

  describe("L2 sequencer (pglite)", () => {
    let t: TestApp;
    const setSequencerFeed = async (feed: Hex, gracePeriod: number) => {
      const timelock = await impersonate(contracts.Timelock.address, chain.url);
      const hash = await timelock.writeContract({
        address: contracts.RewardDistributor.address,
        abi: rewardDistributorAbi,
        functionName: "setSequencerUptimeFeed",
        args: [feed, gracePeriod],
      });
      await client.waitForTransactionReceipt({ hash });
    };
    beforeAll(async () => {
      t = await createTestApp("pglite", { env: { CHAIN_RPC_URL: chain.url } });
    });
    afterAll(async () => {
      await setSequencerFeed("0x0000000000000000000000000000000000000000", 0);
      await t?.close();
    });

    it("refuses quotes with sequencer_down while the distributor's sequencer feed says down, and quotes again once it has none", async () => {
      // A Chainlink aggregator answering non-zero reads as a sequencer that is down.
      await setSequencerFeed(contracts.EthUsdFeed.address, 3600);
      const traveller = testAccount(LOCAL_ACCOUNT_INDEX.traveller);
      const token = await signIn(t.app, traveller);
      const request = await tripRequest(t.app);
      const refused = await call(t.app, "POST", "/bookings", { token, body: request });
      expect(expectError(refused)).toMatchObject({
        status: 503,
        code: "sequencer_down",
        details: { readyAt: null },
        hasShape: true,
      });
      expect(refused.body.error.message).toMatch(/sequencer is down/);

      await setSequencerFeed("0x0000000000000000000000000000000000000000", 0);
      expect((await call(t.app, "POST", "/bookings", { token, body: request })).status).toBe(201);
    });
  });

  it("a keeper transaction stuck in the mempool is replaced with higher fees, and the replacement is mined", async () => {
    const account = privateKeyToAccount(localAccount(4).privateKey as Hex);
    const wallet = createWalletClient({ account, chain: hardhat, transport: http(chain.url) });
    const broadcast: { hash: Hex; maxFeePerGas: bigint }[] = [];
    let replaced = 0;
    const sender = new TxSender(
      wallet,
      createPublicClient({ chain: hardhat, transport: http(chain.url) }),
      { receiptTimeoutMs: 400, maxReplacements: 5, feeBumpPercent: 20 },
      pino({ level: "silent" }),
      { onSent: () => {}, onReplaced: () => replaced++ },
    );
    await rpc("evm_setAutomine", [false]);
    try {
      // Nothing is mined until the first replacement is broadcast; then a block, before the sender waits again. (Mined
      // once the test sees a replacement instead, a slow machine could let the sender run out of replacements first.)
      const mined = await sender.send(localAccount(15).address as Hex, "0x", async (hash) => {
        const pending = await client.getTransaction({ hash });
        broadcast.push({ hash, maxFeePerGas: pending.maxFeePerGas! });
        if (broadcast.length === 2) await rpc("evm_mine");
      });
      expect(mined.status).toBe("success");
      expect(replaced).toBe(1);
      expect(broadcast).toHaveLength(2);
      // The replacement was mined, at fees raised by 20%.
      expect(mined.transactionHash).toBe(broadcast[1].hash);
      expect(broadcast[1].maxFeePerGas).toBeGreaterThanOrEqual((broadcast[0].maxFeePerGas * 120n) / 100n);
      // One nonce, one transaction: the stuck versions are gone.
      const last = await client.getTransaction({ hash: mined.transactionHash });
      expect(await client.getTransactionCount({ address: account.address })).toBe(last.nonce + 1);
      expect(await client.getTransaction({ hash: broadcast[0].hash }).catch(() => null)).toBeNull();
    } finally {
      await rpc("evm_setAutomine", [true]);
    }
  });
});
