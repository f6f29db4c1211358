/**
 * The commission pipeline running by itself: the worker (listener + keeper) of a real app on each database driver,
 * against the shared local chain with the whole system deployed. Each worker uses a keeper key of its own.
 */
import {
  bookingEscrowAbi,
  getDeployment,
  mockV3AggregatorAbi,
  referralRegistryAbi,
  rewardDistributorAbi,
  trvlTokenAbi,
} from "@trvl/abi";
import { eq } from "drizzle-orm";
import type { Address, Hex, PrivateKeyAccount } from "viem";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { schema } from "../src/db/index.js";
import { startWorker, type Worker } from "../src/worker/worker.js";
import { call, createTestApp, signIn, type TestApp } from "./helpers/app.js";
import { fundedAccount, keeperKey, payInEth, publicClient, send } from "./helpers/chain.js";
import { DRIVERS } from "./helpers/databases.js";
import { allRewarded, bookAndPay, createBooking, FAST_WORKER_ENV, statusesOf, waitUntil } from "./helpers/pipeline.js";
import { startRpcProxy } from "./helpers/rpc-proxy.js";
import { parseSse } from "./helpers/sse.js";

const { contracts } = getDeployment(31337);
const BPS = 10_000n;

/** TRVL for a commission paid in ETH, from the feeds' answers: commission × ETH/USD ÷ TRVL/USD (same decimals). */
async function expectedReward(commissionWei: bigint, blockNumber: bigint): Promise<bigint> {
  const client = publicClient();
  const answer = async (feed: Address) =>
    (
      await client.readContract({
        address: feed,
        abi: mockV3AggregatorAbi,
        functionName: "latestRoundData",
        blockNumber,
      })
    )[1];
  const [eth, trvl] = await Promise.all([answer(contracts.EthUsdFeed.address), answer(contracts.TrvlUsdFeed.address)]);
  return (commissionWei * eth) / trvl;
}

async function trvlBalance(account: Address, blockNumber?: bigint) {
  return publicClient().readContract({
    address: contracts.TRVLToken.address,
    abi: trvlTokenAbi,
    functionName: "balanceOf",
    args: [account],
    blockNumber,
  });
}

async function register(user: PrivateKeyAccount, referrer: Address) {
  await send(user, {
    address: contracts.ReferralRegistry.address,
    abi: referralRegistryAbi,
    functionName: "register",
    args: [referrer],
  });
}

/** Reads server-sent events from a streaming response into `events` until `stop()`. */
function collectEvents(response: Response) {
  const events: { event: string; data: Record<string, any> }[] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  const done = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += value;
      const end = buffer.lastIndexOf("\n\n");
      if (end < 0) continue;
      events.push(...parseSse(buffer.slice(0, end + 2)));
      buffer = buffer.slice(end + 2);
    }
  })();
  return {
    events,
    stop: async () => {
      await reader.cancel().catch(() => {});
      await done;
    },
  };
}

describe.each(DRIVERS)("commission pipeline (%s)", (driver) => {
  let t: TestApp;
  let worker: Worker;

  beforeAll(async () => {
    t = await createTestApp(driver, { env: { ...FAST_WORKER_ENV, KEEPER_PRIVATE_KEY: await keeperKey() } });
    worker = startWorker(t.services);
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
  });

  it("a traveller with a two-level referral chain pays; the booking turns rewarded by itself, split 70/7/3/20 to the wei", async () => {
    const [traveller, level1, level2] = await Promise.all([fundedAccount(), fundedAccount(), fundedAccount()]);
    await register(level1, level2.address);
    await register(traveller, level1.address);
    const token = await signIn(t.app, traveller);
    const stream = collectEvents(await t.app.request("/events", { headers: { authorization: `Bearer ${token}` } }));

    const paid = await bookAndPay(t, token, traveller);
    await allRewarded(t.services.db, [paid.id]);

    // The API shows every step with its transaction.
    const {
      body: { booking },
    } = await call(t.app, "GET", `/bookings/${paid.id}`, { token });
    expect(booking.status).toBe("rewarded");
    expect(booking.payment.txHash).toBe(paid.txHash);
    const steps = Object.fromEntries(
      (booking.timeline as { status: string; txHash: string | null }[]).map((s) => [s.status, s]),
    );
    expect(Object.keys(steps)).toEqual(["quoted", "paid", "confirmed", "settled", "rewarded"]);

    // The payment the listener saw has its receipt published to IPFS, naming the paying transaction.
    const receiptCid = await waitUntil("the receipt", async () => {
      const { body } = await call(t.app, "GET", `/bookings/${paid.id}`, { token });
      return body.booking.payment.receiptCid as string | null;
    });
    const receipt = await t.app.request(`/ipfs/${receiptCid}`);
    expect(receipt.status).toBe(200);
    expect(await receipt.json()).toMatchObject({
      type: "trvl.booking-receipt",
      bookingId: paid.id,
      payment: { txHash: paid.txHash, blockNumber: paid.blockNumber.toString() },
    });

    // Exactly one distribution for the booking, on chain.
    const client = publicClient();
    const distributed = await client.getContractEvents({
      address: contracts.RewardDistributor.address,
      abi: rewardDistributorAbi,
      eventName: "RewardDistributed",
      args: { bookingId: paid.id as Hex },
      fromBlock: paid.blockNumber,
    });
    expect(distributed).toHaveLength(1);
    expect(distributed[0].transactionHash).toBe(steps.rewarded.txHash);
    // The rewarded step carries what was minted to the traveller and the boost in it, from the same event.
    expect((steps.rewarded as unknown as { reward: unknown }).reward).toEqual({
      amount: distributed[0].args.travellerAmount!.toString(),
      boostBps: Number(distributed[0].args.boostBps),
    });
    const rewardBlock = distributed[0].blockNumber;

    // Each on-chain step is timed by its block.
    for (const step of ["paid", "settled", "rewarded"]) {
      const { txHash, at } = steps[step] as unknown as { txHash: Hex; at: string };
      const { blockNumber } = await client.getTransactionReceipt({ hash: txHash });
      const block = await client.getBlock({ blockNumber });
      expect(new Date(at).getTime(), step).toBe(Number(block.timestamp) * 1000);
    }

    // The reward, from the commission and the feeds, split 70 / 7 / 3 / 20.
    const [settled] = await client.getContractEvents({
      address: contracts.BookingEscrow.address,
      abi: bookingEscrowAbi,
      eventName: "BookingSettled",
      args: { bookingId: paid.id as Hex },
      fromBlock: paid.blockNumber,
    });
    expect(settled.transactionHash).toBe(steps.settled.txHash);
    const commission = (BigInt(booking.quote.amount) * BigInt(booking.quote.commissionBps)) / BPS;
    expect(settled.args.commission).toBe(commission);
    const reward = await expectedReward(commission, rewardBlock);
    expect(reward).toBeGreaterThan(0n);
    const share = { traveller: (reward * 7_000n) / BPS, level1: (reward * 700n) / BPS, level2: (reward * 300n) / BPS };
    expect(await trvlBalance(traveller.address)).toBe(share.traveller);
    expect(await trvlBalance(level1.address)).toBe(share.level1);
    expect(await trvlBalance(level2.address)).toBe(share.level2);
    const treasury = contracts.Timelock.address;
    const treasuryGain = (await trvlBalance(treasury, rewardBlock)) - (await trvlBalance(treasury, rewardBlock - 1n));
    expect(treasuryGain).toBe(reward - share.traveller - share.level1 - share.level2);

    // The supplier got the amount minus the commission, the treasury the commission, in the settlement's block.
    const eth = async (address: Address, block: bigint) =>
      (await client.getBalance({ address, blockNumber: block })) -
      (await client.getBalance({ address, blockNumber: block - 1n }));
    expect(await eth(booking.quote.supplier, settled.blockNumber)).toBe(BigInt(booking.quote.amount) - commission);
    expect(await eth(treasury, settled.blockNumber)).toBe(commission);

    // The read models each recipient sees.
    const rewards = await call(t.app, "GET", "/rewards", { token });
    expect(rewards.body.totals).toMatchObject({ traveller: share.traveller.toString(), referrer_l1: "0" });
    const asLevel1 = await call(t.app, "GET", "/rewards", { token: await signIn(t.app, level1) });
    expect(asLevel1.body.totals).toMatchObject({ referrer_l1: share.level1.toString(), traveller: "0" });
    const asLevel2 = await call(t.app, "GET", "/rewards", { token: await signIn(t.app, level2) });
    expect(asLevel2.body.totals).toMatchObject({ referrer_l2: share.level2.toString() });

    // The traveller's open stream was told of each step as it happened, and of their balance.
    await waitUntil("the rewarded push", async () =>
      stream.events.some((e) => e.event === "booking" && e.data.booking.status === "rewarded"),
    );
    await stream.stop();
    const pushed = stream.events.filter((e) => e.event === "booking").map((e) => e.data.booking.status);
    expect(pushed.every((status, i) => i === 0 || ORDER.indexOf(status) >= ORDER.indexOf(pushed[i - 1]))).toBe(true);
    expect(pushed).toEqual(expect.arrayContaining(["confirmed", "settled", "rewarded"]));
    expect(stream.events.some((e) => e.event === "account" && e.data.address === traveller.address)).toBe(true);

    // Nothing pending, nothing failed; no event stored twice.
    const jobs = await t.services.db.select().from(schema.keeperJobs).where(eq(schema.keeperJobs.bookingId, paid.id));
    expect(jobs.map((job) => [job.kind, job.status]).sort()).toEqual([
      ["confirm", "done"],
      ["distribute", "done"],
      ["settle", "done"],
    ]);
  });

  it("exposes the pipeline on /metrics: lag, events, jobs and rewards", async () => {
    // The job counts are read at most once a second: the finished distribution shows within a few.
    const text = await waitUntil("the finished distribution in the job counts", async () => {
      const body = await (await t.app.request("/metrics")).text();
      return /^trvl_keeper_jobs\{kind="distribute",status="done"\} [1-9]/m.test(body) ? body : undefined;
    });
    const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "m").exec(text)?.[1]);
    expect(value("trvl_worker_leader")).toBe(1);
    expect(value("trvl_listener_lag_blocks")).toBeGreaterThanOrEqual(0);
    expect(value("trvl_listener_cursor_block")).toBeGreaterThan(0);
    expect(value("trvl_listener_events_total")).toBeGreaterThan(0);
    expect(value("trvl_rewards_distributed_total")).toBeGreaterThanOrEqual(4);
    expect(text).toMatch(/^trvl_keeper_jobs\{kind="distribute",status="done"\} [1-9]/m);
  });
});

const ORDER = ["quoted", "paid", "confirmed", "settled", "rewarded"];

describe("the pipeline through an RPC outage (postgres)", () => {
  it("RPC down for a while, then back: it resumes by itself and loses nothing", async () => {
    const proxy = await startRpcProxy(inject("chainUrl"));
    const t = await createTestApp("postgres", {
      env: { ...FAST_WORKER_ENV, CHAIN_RPC_URL: proxy.url, KEEPER_PRIVATE_KEY: await keeperKey() },
    });
    const worker = startWorker(t.services);
    try {
      const traveller = await fundedAccount();
      const token = await signIn(t.app, traveller);
      const first = await bookAndPay(t, token, traveller, 41);
      await allRewarded(t.services.db, [first.id]);
      const quotes = [];
      for (let i = 0; i < 3; i++) quotes.push(await createBooking(t, token, 42 + i));

      // The backend's node goes away; travellers keep paying (their wallets reach the chain).
      proxy.down();
      for (const quote of quotes) await payInEth(traveller, quote.pay);
      await waitUntil("the worker to notice the outage", async () =>
        /^trvl_worker_errors_total\{loop="listener"\} [1-9]/m.test(await (await t.app.request("/metrics")).text()),
      );
      const ids = quotes.map((quote) => quote.booking.id as string);
      expect([...(await statusesOf(t.services.db, ids)).values()]).toEqual(["quoted", "quoted", "quoted"]);

      proxy.up();
      await allRewarded(t.services.db, ids);
      const paidEvents = await t.services.db
        .select()
        .from(schema.chainEvents)
        .where(eq(schema.chainEvents.name, "BookingPaid"));
      const indexed = paidEvents.map((event) => event.args.bookingId);
      for (const id of [first.id, ...ids]) expect(indexed.filter((x) => x === id)).toHaveLength(1);
    } finally {
      await worker.stop();
      await t.close();
      await proxy.close();
    }
  });
});
