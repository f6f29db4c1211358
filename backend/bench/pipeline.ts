/**
 * Pipeline benchmark: N bookings paid as fast as the local chain takes them, with the real backend process (API +
 * listener + keeper on PostgreSQL) doing the rest by itself; then the listener's backfill of the resulting chain
 * into a fresh database.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";

import { bookingEscrowAbi, rewardDistributorAbi } from "@trvl/abi";
import { eq, sql } from "drizzle-orm";
import { createPublicClient, encodeFunctionData, http, type Address, type Hex, type TransactionReceipt } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";

import { signIn } from "@trvl/tooling/api-client";
import { startBackend } from "@trvl/tooling/backend-process";
import { percentile } from "@trvl/tooling/stats";
import { LOCAL_ACCOUNT_INDEX, localAccount } from "@trvl/tooling/local-accounts";
import { loadConfig } from "../src/config/index.js";
import { listenWithPostgres, openDatabase, schema } from "../src/db/index.js";
import { CHANGES_CHANNEL } from "../src/push/changes.js";
import { createLogger, createServices } from "../src/services.js";
import { startWorker } from "../src/worker/worker.js";
import { benchPool, createBenchDatabase } from "./database.js";
import { benchLogSink } from "./log-file.js";

const WEB = new URL("http://localhost:3000");
/** The worker's settings in this run (the defaults but for shorter polls). */
const WORKER_ENV = {
  LISTENER_POLL_MS: "100",
  KEEPER_POLL_MS: "100",
  KEEPER_BATCH_SIZE: "100",
  KEEPER_MAX_WAIT_MS: "0",
  // The local chain's default (see the worker); BENCH_KEEPER_CONCURRENCY tries others.
  KEEPER_CONCURRENCY: process.env.BENCH_KEEPER_CONCURRENCY ?? "1",
};

/** The statuses a paid booking goes through, in order. */
const STATUSES = ["paid", "confirmed", "settled", "rewarded"] as const;
type BookingStage = (typeof STATUSES)[number];
/** The steps between a payment and its reward, each from one moment to the next. */
const STAGES = [
  ["mined", "paid", "payment mined → indexed (listener)"],
  ["paid", "confirmed", "indexed → supplier confirmed (keeper upkeep)"],
  ["confirmed", "settle", "confirmed → settlement sent (batching)"],
  ["settle", "distribute", "settlement sent → distribution sent"],
  ["distribute", "rewarded", "distribution sent → rewarded indexed"],
] as const;

/** Bookings paid one at a time before the burst. */
const IDLE_BOOKINGS = 20;

export interface PipelineFigures {
  bookings: number;
  payingSeconds: number;
  payRate: number;
  endToEndSeconds: number;
  throughput: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  latencyMaxMs: number;
  /** Latency of a booking paid on an idle pipeline (one at a time). */
  idle: { bookings: number; p50Ms: number; p95Ms: number };
  /** Where the time goes: each step's latency per booking, p50/p95 (see `STAGES`). */
  stages: { stage: string; p50Ms: number; p95Ms: number }[];
  settle: { transactions: number; bookingsPerTx: number; gasPerBooking: number };
  distribute: { transactions: number; bookingsPerTx: number; gasPerBooking: number };
  /** The median of BACKFILL_RUNS runs, each into its own fresh database; `runs` lists every run's events/s. */
  backfill: { events: number; blocks: number; seconds: number; eventsPerSecond: number; runs: number[] };
  notes: string[];
}

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw new Error(`${response.url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Runs `task` over `items` with at most `limit` at a time. */
async function pool<T, R>(items: T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await task(items[index], index);
      }
    }),
  );
  return results;
}

type Quote = {
  bookingId: Hex;
  traveller: Address;
  token: Address;
  amount: string;
  commissionBps: number;
  supplier: Address;
  expiresAt: string;
};

/** Gas per booking of the keeper's transactions that emitted `events`, and how many bookings each carried. */
async function gasOf(client: ReturnType<typeof createPublicClient>, txHashes: Hex[]) {
  const perTx = new Map<Hex, number>();
  for (const hash of txHashes) perTx.set(hash, (perTx.get(hash) ?? 0) + 1);
  const receipts: TransactionReceipt[] = await pool([...perTx.keys()], 16, (hash) =>
    client.getTransactionReceipt({ hash }),
  );
  const gas = receipts.reduce((sum, receipt) => sum + receipt.gasUsed, 0n);
  return {
    transactions: perTx.size,
    bookingsPerTx: Math.round((txHashes.length / perTx.size) * 10) / 10,
    gasPerBooking: Number(gas / BigInt(txHashes.length)),
  };
}

export async function measurePipeline(chainUrl: string): Promise<PipelineFigures> {
  const n = Number(process.env.BENCH_BOOKINGS ?? 1_000);
  /** Bookings paid one at a time first, each once the one before is rewarded: the latency of an idle pipeline. */
  const idle = IDLE_BOOKINGS;
  const travellers = Array.from({ length: 10 }, (_, i) =>
    privateKeyToAccount(localAccount(LOCAL_ACCOUNT_INDEX.traveller + i).privateKey as Hex),
  );
  const client = createPublicClient({ chain: hardhat, transport: http(chainUrl) });
  const database = await createBenchDatabase("pipeline");
  // As a deployment runs it: one worker (listener + keeper; its own API serves nothing here) and two API instances
  // behind which the quotes are spread, all on one PostgreSQL database and one session secret.
  const shared = {
    DATABASE_URL: database.url,
    API_PORT: "0",
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn",
    RATE_LIMIT_PER_IP: "1000000000",
    RATE_LIMIT_PER_USER: "1000000000",
    DATA_DIR: path.join(process.cwd(), ".data", "bench-pipeline"),
    JWT_SECRET: randomBytes(32).toString("hex"),
    // An automining chain's clock runs ahead by a second per block when it mines faster than that: a thousand
    // payments in a few seconds would outlive 15-minute quotes.
    QUOTE_TTL_SECONDS: "86400",
  };
  const backend = await startBackend({
    chainUrl,
    env: { ...shared, ...WORKER_ENV },
    onLog: benchLogSink(),
  });
  // BENCH_API_PROCESSES=0 has the worker serve the quotes too: one process, to compare with older commits.
  const apiProcesses = Number(process.env.BENCH_API_PROCESSES ?? 2);
  const apis = await Promise.all(
    Array.from({ length: apiProcesses }, () => startBackend({ chainUrl, env: { ...shared, WORKER_ENABLED: "false" } })),
  );
  const apiUrl = (i: number) => (apis.length === 0 ? backend.url : apis[i % apis.length].url);
  const db = benchPool(database.url);
  let stopWatching = async () => {};
  try {
    // Quotes first (not measured): n bookings spread over the travellers and over dates.
    const tokens = await Promise.all(
      travellers.map(async (account, i) => (await signIn(apiUrl(i), account, WEB.origin)).token),
    );
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const search = async (api: string, checkIn: string, checkOut: string) => {
      const query = new URLSearchParams({
        destination: "lisbon-pt-2267057",
        type: "hotel",
        checkIn,
        checkOut,
        sort: "price_asc",
      });
      const { items } = await json<{ items: { id: string }[] }>(await fetch(`${api}/catalog/search?${query}`));
      return items[0].id;
    };
    const quoting = performance.now();
    const quotes = await pool(Array.from({ length: idle + n }), 8, async (_, i) => {
      const checkIn = day(20 + (i % 300));
      const checkOut = day(22 + (i % 300));
      const traveller = i % travellers.length;
      const { pay } = await json<{ pay: { escrow: Address; quote: Quote; signature: Hex; value: string } }>(
        await fetch(`${apiUrl(i)}/bookings`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${tokens[traveller]}` },
          body: JSON.stringify({
            items: [{ itemId: await search(apiUrl(i), checkIn, checkOut) }],
            checkIn,
            checkOut,
            guests: 2,
            paymentToken: "0x0000000000000000000000000000000000000000",
          }),
        }),
      );
      return { traveller, pay };
    });

    const quotingSeconds = (performance.now() - quoting) / 1000;
    // Every payment signed ahead, so sending them is all the chain has to do.
    const fees = await client.estimateFeesPerGas();
    const first = quotes[0].pay;
    const args = (p: typeof first) =>
      [{ ...p.quote, amount: BigInt(p.quote.amount), expiresAt: BigInt(p.quote.expiresAt) }, p.signature] as const;
    const gas =
      ((await client.estimateGas({
        account: travellers[0].address,
        to: first.escrow,
        data: encodeFunctionData({ abi: bookingEscrowAbi, functionName: "pay", args: args(first) }),
        value: BigInt(first.value),
      })) *
        13n) /
      10n;
    const nonces = await Promise.all(travellers.map((t) => client.getTransactionCount({ address: t.address })));
    const signed = await Promise.all(
      quotes.map(({ traveller, pay }) =>
        travellers[traveller].signTransaction({
          chainId: hardhat.id,
          type: "eip1559",
          to: pay.escrow,
          data: encodeFunctionData({ abi: bookingEscrowAbi, functionName: "pay", args: args(pay) }),
          value: BigInt(pay.value),
          gas,
          nonce: nonces[traveller]++,
          maxFeePerGas: fees.maxFeePerGas * 2n,
          maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
        }),
      ),
    );

    const allIds = quotes.map((q) => q.pay.quote.bookingId.toLowerCase());

    // One at a time, on an idle pipeline.
    const idleLatencies: number[] = [];
    for (let i = 0; i < idle; i++) {
      await client.sendRawTransaction({ serializedTransaction: signed[i] });
      const paid = performance.now();
      const until = Date.now() + 30_000;
      for (;;) {
        const { rows } = await db.query<{ status: string }>("select status from bookings where id = $1", [allIds[i]]);
        if (rows[0]?.status === "rewarded") break;
        if (Date.now() > until)
          throw new Error(`booking ${allIds[i]} paid on an idle pipeline was not rewarded in 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      idleLatencies.push(performance.now() - paid);
    }

    // Then the burst: n payments as fast as the chain takes them.
    const ids = allIds.slice(idle);
    const burst = new Set(ids);
    const burstFrom = (await client.getBlockNumber()) + 1n;
    const paidAt = new Map<string, number>();
    /** When each booking was first seen at each status or a later one (wall clock, ms). */
    const seen = new Map<string, Map<string, number>>(STATUSES.map((status) => [status, new Map()]));
    const rewardedAt = seen.get("rewarded")!;
    const start = performance.now();
    const epoch = Date.now() - start;
    // Each change the backend announces (what a user's push stream hears) names its bookings; their statuses are read
    // right after, and a status counts as seen when that read returns.
    const changed = new Set<string>();
    let reading: Promise<void> | undefined;
    const readChanged = async () => {
      while (changed.size > 0) {
        const batch = [...changed];
        changed.clear();
        const { rows } = await db.query<{ id: string; status: string }>(
          "select id, status from bookings where id = any($1)",
          [batch],
        );
        const now = performance.now();
        for (const { id, status } of rows) {
          const reached = STATUSES.indexOf(status as BookingStage);
          for (const stage of STATUSES.slice(0, reached + 1)) {
            const at = seen.get(stage)!;
            if (!at.has(id)) at.set(id, now);
          }
        }
      }
    };
    stopWatching = await listenWithPostgres(database.url, CHANGES_CHANNEL, (payload) => {
      for (const id of (JSON.parse(payload) as { bookings: string[] }).bookings) if (burst.has(id)) changed.add(id);
      reading ??= readChanged().finally(() => (reading = undefined));
    });
    // One sender per traveller keeps each account's nonces in order; the chain mines each payment as it arrives.
    await Promise.all(
      travellers.map(async (_, t) => {
        for (let i = idle; i < idle + n; i++) {
          if (quotes[i].traveller !== t) continue;
          await client.sendRawTransaction({ serializedTransaction: signed[i] });
          paidAt.set(allIds[i], performance.now());
        }
      }),
    );
    const payingMs = performance.now() - start;
    const deadline = Date.now() + 600_000;
    while (rewardedAt.size < n && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    await stopWatching();
    if (rewardedAt.size < n) throw new Error(`only ${rewardedAt.size} of ${n} bookings were rewarded in 10 minutes`);
    const endMs = Math.max(...rewardedAt.values()) - start;
    const latencies = ids.map((id) => rewardedAt.get(id)! - paidAt.get(id)!).sort((a, b) => a - b);
    // The keeper's own record of when it sent each booking's settlement and distribution (its clock is this one's).
    const { rows: sends } = await db.query<{ booking_id: string; kind: string; sent_at: Date }>(
      "select booking_id, kind, sent_at from keeper_jobs where kind in ('settle', 'distribute') and sent_at is not null",
    );
    for (const { booking_id, kind, sent_at } of sends) {
      if (!burst.has(booking_id)) continue;
      seen.set(kind, seen.get(kind) ?? new Map());
      seen.get(kind)!.set(booking_id, sent_at.getTime() - epoch);
    }
    seen.set("mined", paidAt);
    const stages = STAGES.map(([from, to, stage]) => {
      const spans = ids.flatMap((id) => {
        const a = seen.get(from)?.get(id);
        const b = seen.get(to)?.get(id);
        return a === undefined || b === undefined ? [] : [b - a];
      });
      return { stage, p50Ms: percentile(spans, 50), p95Ms: percentile(spans, 95) };
    });

    // Gas of the keeper's batches, from the events they emitted.
    const fromBlock = burstFrom;
    const settledTxs = (
      await client.getContractEvents({ abi: bookingEscrowAbi, eventName: "BookingSettled", fromBlock })
    ).map((e) => e.transactionHash);
    const distributions = await client.getContractEvents({
      abi: rewardDistributorAbi,
      eventName: "RewardDistributed",
      fromBlock,
    });
    const distributedTxs = distributions.map((e) => e.transactionHash);
    // No work done twice by the three processes: each booking rewarded once on chain.
    const rewardedIds = new Set(distributions.map((e) => e.args.bookingId!.toLowerCase()));
    if (rewardedIds.size !== distributions.length) {
      throw new Error(`${distributions.length - rewardedIds.size} bookings were rewarded more than once`);
    }

    await backend.stop();
    await Promise.all(apis.map((api) => api.stop()));
    const backfills = [];
    for (let run = 0; run < BACKFILL_RUNS; run++) backfills.push(await measureBackfill(chainUrl));
    const runs = backfills.map((b) => b.eventsPerSecond);
    const backfill = { ...backfills.sort((a, b) => a.seconds - b.seconds)[BACKFILL_RUNS >> 1], runs };

    return {
      bookings: n,
      payingSeconds: payingMs / 1000,
      payRate: n / (payingMs / 1000),
      endToEndSeconds: endMs / 1000,
      throughput: n / (endMs / 1000),
      latencyP50Ms: percentile(latencies, 50),
      latencyP95Ms: percentile(latencies, 95),
      latencyMaxMs: latencies.at(-1)!,
      stages,
      idle: { bookings: idle, p50Ms: percentile(idleLatencies, 50), p95Ms: percentile(idleLatencies, 95) },
      settle: await gasOf(client, settledTxs),
      distribute: await gasOf(client, distributedTxs),
      backfill,
      notes: [
        `${n} quotes created through the API first (not measured: ${quotingSeconds.toFixed(1)} s)`,
        `${n} ETH payments from ${travellers.length} accounts, pre-signed, sent as fast as the automining local chain mines them (one block each)`,
        `one worker process (listener + keeper) and ${apiProcesses === 0 ? "no separate API process: the worker serves the quotes" : `${apiProcesses} API process(es), quotes spread over them`}, on one PostgreSQL database; worker settings ${Object.entries(
          WORKER_ENV,
        )
          .map(([k, v]) => `${k}=${v}`)
          .join(" ")}`,
        "latency: payment mined → booking read rewarded once the backend announces its change (as a user's push stream hears it); the chain, the backend and this driver share 2 cores",
      ],
    };
  } finally {
    await stopWatching();
    await backend.stop();
    await Promise.all(apis.map((api) => api.stop()));
    await db.end();
    await database.drop();
  }
}

/** Backfills timed; the figure is their median (one run swings with whatever else the 2 cores are doing). */
const BACKFILL_RUNS = 5;

/** The listener alone (no keeper) indexing the whole chain into a fresh database, timed until it reaches the head. */
async function measureBackfill(chainUrl: string) {
  const database = await createBenchDatabase("backfill");
  const config = loadConfig({
    ...process.env,
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    CHAIN_ID: "31337",
    CHAIN_RPC_URL: chainUrl,
    DATABASE_URL: database.url,
    DATA_DIR: path.join(process.cwd(), ".data", "bench-backfill"),
    QUOTE_SIGNER_PRIVATE_KEY: localAccount(LOCAL_ACCOUNT_INDEX.quoteSigner).privateKey,
    SUPPLIER_ADDRESS: localAccount(LOCAL_ACCOUNT_INDEX.supplier).address,
    JWT_SECRET: "benchmark-only-secret-that-is-long-enough-0123456789",
    KEEPER_PRIVATE_KEY: undefined,
    LISTENER_MAX_RANGE: "2000",
  });
  const services = await createServices(config, {
    database: await openDatabase({ kind: "postgres", url: database.url, poolSize: 5 }),
    logger: createLogger(config),
  });
  try {
    const head = await services.chain.client.getBlockNumber();
    const start = performance.now();
    const worker = startWorker(services);
    for (;;) {
      const [cursor] = await services.db.select().from(schema.chainCursors);
      if (cursor && cursor.blockNumber >= head) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const seconds = (performance.now() - start) / 1000;
    await worker.stop();
    const [{ events }] = await services.db
      .select({ events: sql<number>`count(*)::int` })
      .from(schema.chainEvents)
      .where(eq(schema.chainEvents.chainId, 31337));
    const [cursor] = await services.db.select().from(schema.chainCursors);
    return { events, blocks: Number(cursor.blockNumber), seconds, eventsPerSecond: events / seconds };
  } finally {
    await services.close();
    await services.database.close();
    await database.drop();
  }
}
