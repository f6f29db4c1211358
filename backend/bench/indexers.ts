/**
 * TRVL's listener beside Ponder on the same work: both index the watched contracts' events of the same local chain
 * (the pipeline section's, once its bookings are rewarded) into a fresh database, each as a process of its own, in
 * interleaved runs, on PGlite and on PostgreSQL. Then each follows the head while blocks with one event each are mined.
 * The Ponder app is bench/ponder (a benchmark-only workspace).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { getDeployment, trvlTokenAbi, WATCHED_CONTRACTS, type Address } from "@trvl/abi";
import { createPublicClient, createWalletClient, http, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";

import { startBackend, type BackendProcess } from "@trvl/tooling/backend-process";
import { localAccount } from "@trvl/tooling/local-accounts";
import { percentile } from "@trvl/tooling/stats";
import { benchPool, createBenchDatabase } from "./database.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const PONDER_APP = path.join(ROOT, "bench", "ponder");
/** Ponder's package directory (the workspaces share one node_modules; its exports hide package.json). */
const PONDER_DIR = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.resolve("ponder")));
  while (path.basename(dir) !== "ponder") dir = path.dirname(dir);
  return dir;
})();
const PONDER_BIN = path.join(PONDER_DIR, "dist/esm/bin/ponder.js");
const CHAIN_ID = 31337;
/** Each indexer polls the chain this often (the backend's LISTENER_POLL_MS, Ponder's pollingInterval). */
const POLL_MS = 100;
/** A local test account (public Hardhat key) that only this benchmark sends from. */
const HEAD_SENDER = 12;
/** Gas for one delegation while following the head (it takes about 100,000 when it writes new checkpoints). */
const DELEGATE_GAS = 200_000n;

export type Indexer = "TRVL" | "Ponder";
export type DatabaseKind = "PGlite" | "PostgreSQL";

export interface BackfillRun {
  indexer: Indexer;
  database: DatabaseKind;
  /** Process start → caught up with the chain's head. */
  wallSeconds: number;
  /** Ready to serve (API listening) → caught up: the indexing itself. */
  indexingSeconds: number;
  /** Events the indexer stored (PostgreSQL runs; PGlite's live inside the process). */
  storedEvents: number | null;
  peakRssMb: number;
}

export interface IndexerComparison {
  events: number;
  blocks: number;
  runsPerCase: number;
  backfill: {
    indexer: Indexer;
    database: DatabaseKind;
    /** Medians over the runs. */
    wallSeconds: number;
    eventsPerSecond: number;
    peakRssMb: number;
    runs: BackfillRun[];
  }[];
  /** TRVL's events/s over Ponder's, per database. */
  ratios: { database: DatabaseKind; eventsPerSecond: number; wallTime: number }[];
  head: { indexer: Indexer; blocks: number; p50Ms: number; p95Ms: number }[];
  notes: string[];
}

interface RunningIndexer {
  pid: number;
  /** Milliseconds (performance.now) at which it started serving. */
  servingAt: number;
  caughtUpTo(): Promise<bigint>;
  /** Whether the event of `txHash`/`logIndex` is in its database (PostgreSQL only). */
  has?(txHash: Hex, logIndex: number): Promise<boolean>;
  storedEvents(): Promise<number | null>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function peakRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
  return Math.round(kb / 1024);
}

async function startTrvl(chainUrl: string, database: { kind: DatabaseKind; url?: string; dir?: string }) {
  const started = performance.now();
  const backend: BackendProcess = await startBackend({
    chainUrl,
    env: {
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      API_PORT: "0",
      LISTENER_POLL_MS: String(POLL_MS),
      // The listener alone, as Ponder has no keeper.
      KEEPER_PRIVATE_KEY: undefined,
      RELAYER_PRIVATE_KEY: undefined,
      DATABASE_URL: database.url,
      DATA_DIR: database.dir,
    },
  });
  const servingAt = performance.now();
  const pool = database.url ? benchPool(database.url) : undefined;
  const indexer: RunningIndexer = {
    pid: backend.pid,
    servingAt,
    caughtUpTo: async () => {
      const metrics = await (await fetch(`${backend.url}/metrics`)).text();
      return BigInt(/^trvl_listener_cursor_block (\d+)/m.exec(metrics)?.[1] ?? "0");
    },
    has: pool
      ? async (txHash, logIndex) =>
          (await pool.query("select 1 from chain_events where tx_hash = $1 and log_index = $2", [txHash, logIndex]))
            .rowCount === 1
      : undefined,
    storedEvents: async () =>
      pool ? Number((await pool.query("select count(*)::int as n from chain_events")).rows[0].n) : null,
    stop: async () => {
      await pool?.end();
      await backend.stop();
    },
  };
  return { indexer, started };
}

async function startPonder(chainUrl: string, database: { kind: DatabaseKind; url?: string; dir?: string }) {
  const port = 42_000 + Math.floor(Math.random() * 1_000);
  const schema = `ponder_bench_${process.pid}`;
  const started = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    [PONDER_BIN, "start", "--root", PONDER_APP, "--port", String(port), "--schema", schema, "--log-level", "warn"],
    {
      cwd: PONDER_APP,
      env: {
        ...process.env,
        PONDER_RPC_URL: chainUrl,
        PONDER_CHAIN_ID: String(CHAIN_ID),
        PONDER_POLLING_MS: String(POLL_MS),
        PONDER_PGLITE_DIR: database.dir,
        DATABASE_URL: database.url,
        // No telemetry leaves the machine.
        PONDER_TELEMETRY_DISABLED: "true",
      },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    if (stderr.length < 8_000) stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Ponder exited with ${child.exitCode}: ${stderr.slice(-2_000)}`);
    const up = await fetch(`${base}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    await sleep(20);
  }
  const servingAt = performance.now();
  const pool = database.url ? benchPool(database.url) : undefined;
  const indexer: RunningIndexer = {
    pid: child.pid!,
    servingAt,
    caughtUpTo: async () => {
      const ready = await fetch(`${base}/ready`).then((r) => r.ok);
      if (!ready) return 0n;
      const status = (await (await fetch(`${base}/status`)).json()) as Record<string, { block: { number: number } }>;
      return BigInt(status.trvl?.block.number ?? 0);
    },
    has: pool
      ? async (txHash, logIndex) =>
          (await pool.query(`select 1 from "${schema}".chain_event where id = $1`, [`${txHash}-${logIndex}`]))
            .rowCount === 1
      : undefined,
    storedEvents: async () =>
      Number(((await (await fetch(`${base}/events/count`)).json()) as { events: number }).events),
    stop: async () => {
      await pool?.end();
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
  return { indexer, started };
}

async function freshDatabase(kind: DatabaseKind) {
  if (kind === "PostgreSQL") {
    const database = await createBenchDatabase("indexer comparison");
    return { kind, url: database.url, dispose: () => database.drop() };
  }
  const dir = await mkdtemp(path.join(tmpdir(), "trvl-indexer-pglite-"));
  return { kind, dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}

const START = { TRVL: startTrvl, Ponder: startPonder } as const;

/** One backfill: a fresh database, the indexer started, timed until it has indexed up to `head`. */
async function backfill(chainUrl: string, indexer: Indexer, kind: DatabaseKind, head: bigint) {
  const database = await freshDatabase(kind);
  try {
    const { indexer: running, started } = await START[indexer](chainUrl, database);
    try {
      while ((await running.caughtUpTo()) < head) await sleep(10);
      const caughtUp = performance.now();
      const run: BackfillRun = {
        indexer,
        database: kind,
        wallSeconds: (caughtUp - started) / 1000,
        indexingSeconds: (caughtUp - running.servingAt) / 1000,
        storedEvents: await running.storedEvents(),
        peakRssMb: await peakRssMb(running.pid),
      };
      return run;
    } finally {
      await running.stop();
    }
  } finally {
    await database.dispose();
  }
}

/** Blocks mined one at a time, each with one TRVL event; the time from its receipt until the indexer has it. */
async function followHead(chainUrl: string, indexer: Indexer, blocks: number) {
  const database = await freshDatabase("PostgreSQL");
  const client = createPublicClient({ chain: hardhat, transport: http(chainUrl) });
  const account = privateKeyToAccount(localAccount(HEAD_SENDER).privateKey as Hex);
  const wallet = createWalletClient({ account, chain: hardhat, transport: http(chainUrl) });
  const token = getDeployment(CHAIN_ID).contracts.TRVLToken.address;
  const delegates = [localAccount(HEAD_SENDER + 1).address, localAccount(HEAD_SENDER + 2).address] as Address[];
  try {
    const { indexer: running } = await START[indexer](chainUrl, database);
    try {
      const head = await client.getBlockNumber();
      while ((await running.caughtUpTo()) < head) await sleep(10);
      const latencies: number[] = [];
      for (let i = 0; i < blocks; i++) {
        // Each delegation to the other account emits DelegateChanged: one event in a block of its own. The gas is
        // fixed: the token's vote checkpoints are keyed by timestamp, so an estimate made within the last block's
        // second (one checkpoint rewritten) falls short when the transaction is mined in the next (one written anew).
        const hash = await wallet.writeContract({
          address: token,
          abi: trvlTokenAbi,
          functionName: "delegate",
          args: [delegates[i % 2]],
          gas: DELEGATE_GAS,
        });
        const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 5 });
        const mined = performance.now();
        const logIndex = receipt.logs[0]!.logIndex;
        while (!(await running.has!(hash, logIndex))) await sleep(2);
        latencies.push(performance.now() - mined);
      }
      latencies.sort((a, b) => a - b);
      return { indexer, blocks, p50Ms: percentile(latencies, 50), p95Ms: percentile(latencies, 95) };
    } finally {
      await running.stop();
    }
  } finally {
    await database.dispose();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

export async function compareIndexers(
  chainUrl: string,
  options: { runs?: number; headBlocks?: number } = {},
): Promise<IndexerComparison> {
  const runs = options.runs ?? 5;
  const headBlocks = options.headBlocks ?? 200;
  const client = createPublicClient({ chain: hardhat, transport: http(chainUrl) });
  const head = await client.getBlockNumber();
  const deployment = getDeployment(CHAIN_ID);
  const fromBlock = BigInt(Math.min(...WATCHED_CONTRACTS.map((name) => deployment.contracts[name].blockNumber)));
  const logs = await client.getLogs({
    address: WATCHED_CONTRACTS.map((name) => deployment.contracts[name].address),
    fromBlock,
    toBlock: head,
  });

  const all: BackfillRun[] = [];
  for (let run = 0; run < runs; run++) {
    for (const kind of ["PGlite", "PostgreSQL"] as const) {
      // Interleaved, and each run starts with the other indexer than the one before.
      const order: Indexer[] = run % 2 === 0 ? ["TRVL", "Ponder"] : ["Ponder", "TRVL"];
      for (const indexer of order) {
        const result = await backfill(chainUrl, indexer, kind, head);
        if (result.storedEvents !== null && result.storedEvents !== logs.length) {
          throw new Error(`${indexer} on ${kind} stored ${result.storedEvents} events of the ${logs.length} on chain`);
        }
        all.push(result);
      }
    }
  }
  const backfills = (["PGlite", "PostgreSQL"] as const).flatMap((kind) =>
    (["TRVL", "Ponder"] as const).map((indexer) => {
      const mine = all.filter((r) => r.indexer === indexer && r.database === kind);
      return {
        indexer,
        database: kind,
        wallSeconds: median(mine.map((r) => r.wallSeconds)),
        eventsPerSecond: median(mine.map((r) => logs.length / r.indexingSeconds)),
        peakRssMb: median(mine.map((r) => r.peakRssMb)),
        runs: mine,
      };
    }),
  );
  const ratios = (["PGlite", "PostgreSQL"] as const).map((kind) => {
    const of = (indexer: Indexer) => backfills.find((b) => b.indexer === indexer && b.database === kind)!;
    return {
      database: kind,
      eventsPerSecond: of("TRVL").eventsPerSecond / of("Ponder").eventsPerSecond,
      wallTime: of("Ponder").wallSeconds / of("TRVL").wallSeconds,
    };
  });
  const followers = [];
  for (const indexer of ["TRVL", "Ponder"] as const) followers.push(await followHead(chainUrl, indexer, headBlocks));

  return {
    events: logs.length,
    blocks: Number(head - fromBlock + 1n),
    runsPerCase: runs,
    backfill: backfills,
    ratios,
    head: followers,
    notes: [
      `each backfill: a fresh database, the indexer as a process of its own (TRVL: the backend with only its listener; Ponder ${await ponderVersion()}), timed from ready to serve until caught up with the head; wall time from process start`,
      `PostgreSQL runs checked: both stored every one of the ${logs.length} events`,
      `following the head: ${headBlocks} blocks mined one at a time with one event each, receipt → the event's row visible in PostgreSQL (polled every 2 ms); both poll the chain every ${POLL_MS} ms`,
      "the chain, both indexers, PostgreSQL and this driver share the machine's cores",
    ],
  };
}

async function ponderVersion(): Promise<string> {
  return (JSON.parse(await readFile(path.join(PONDER_DIR, "package.json"), "utf8")) as { version: string }).version;
}

export function printIndexerComparison(c: IndexerComparison): void {
  const fixed = (x: number, d = 1) => x.toFixed(d);
  console.log(
    `\nIndexers side by side: the listener and Ponder backfilling the same ${c.events.toLocaleString("en-US")} events over ${c.blocks.toLocaleString("en-US")} blocks (median of ${c.runsPerCase} interleaved runs each)\n`,
  );
  console.log(
    `  ${"indexer".padEnd(8)} ${"database".padEnd(10)} ${"events/s".padStart(9)} ${"wall s".padStart(7)} ${"peak RSS".padStart(9)}`,
  );
  for (const b of c.backfill) {
    console.log(
      `  ${b.indexer.padEnd(8)} ${b.database.padEnd(10)} ${fixed(b.eventsPerSecond, 0).padStart(9)} ${fixed(b.wallSeconds, 2).padStart(7)} ${`${b.peakRssMb} MB`.padStart(9)}`,
    );
  }
  for (const r of c.ratios) {
    console.log(
      `  TRVL / Ponder on ${r.database}: ${fixed(r.eventsPerSecond, 2)}× the events/s, ${fixed(r.wallTime, 2)}× faster start to caught up   (target ≥ 1.5×)`,
    );
  }
  for (const h of c.head) {
    console.log(
      `  following the head, ${h.indexer.padEnd(6)} p50 ${fixed(h.p50Ms, 0)} ms, p95 ${fixed(h.p95Ms, 0)} ms over ${h.blocks} blocks`,
    );
  }
  for (const note of c.notes) console.log(`  (${note})`);
}
