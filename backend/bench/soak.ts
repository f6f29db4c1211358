/**
 * Soak test: the real backend process (API + listener + keeper) on a fresh PostgreSQL database, against a local chain
 * with the whole system deployed, under steady mixed traffic for a while — travellers with one- and two-level
 * referrals creating bookings at `rate` per second, paying most on-chain (ETH and permit), cancelling some before and
 * after paying, reading at ten times the rate, and holding live-update streams. Every 10 seconds it samples the
 * backend's memory, the listener's lag, the keeper's jobs, latency and errors; at the end it waits for every paid
 * booking to be rewarded or refunded and checks, from the chain's logs, that nothing was paid, settled, refunded or
 * rewarded twice or missed, that the API's rewards and cancellations told the truth, that no request failed with a
 * 5xx and that PostgreSQL saw no deadlock. Writes summary.json, summary.md and a chart (soak.png) to `outDir`.
 */
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";

import pg from "pg";
import { createPublicClient, type PublicClient } from "viem";
import { hardhat } from "viem/chains";

import { percentile } from "@trvl/tooling/stats";
import { startBackend } from "@trvl/tooling/backend-process";
import { benchPool } from "./database.js";
import { createSoakDatabase, soakServer } from "./soak/database.js";
import { SoakHttp, WINDOW_SECONDS } from "./soak/http.js";
import { chartSvg, writeChart } from "./soak/plot.js";
import { openPushStream, type PushStream } from "./soak/push.js";
import {
  chartPanels,
  summaryMarkdown,
  type Check,
  type SoakSample,
  type SoakSummary,
  type Target,
} from "./soak/report.js";
import { paced, Traffic } from "./soak/traffic.js";
import { chainTransport, prepareTravellers } from "./soak/travellers.js";
import { verify, type RewardTotals } from "./soak/verify.js";

export type { SoakSummary } from "./soak/report.js";

export interface SoakOptions {
  /** Seconds of traffic. */
  seconds: number;
  /** Bookings created per second; everything else scales with it. */
  rate: number;
  /** Where summary.json, summary.md, soak.svg, soak.png and backend.log go. */
  outDir: string;
  /** Seed of the run's choices (which traveller reads what, which hotel is booked). */
  seed?: number;
  /** How long to wait after the traffic for every paid booking to be rewarded or refunded. */
  drainSeconds?: number;
  /** Seconds of traffic after which the backend's RSS must stay flat (default 120, at most a third of the run). */
  warmupSeconds?: number;
  /** The backend's LOG_LEVEL (its log goes to backend.log). */
  logLevel?: string;
  /** Progress lines (default: console.log). */
  log?: (line: string) => void;
  /** The local chain's process, when it runs in one of its own: its CPU is sampled too. */
  chainPid?: number;
}

/** Runs as long as this, a run's timing targets are judged. */
const TIMING_MIN_SECONDS = 300;
/** The 10-minute targets. */
const MAX_LATENCY_RATIO = 1.5;
const MAX_RSS_SLOPE_MB_PER_MIN = 1;
const LATENCY_WINDOW_SECONDS = 120;
const WARMUP_SECONDS = 120;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value: number | null | undefined, digits = 0) =>
  value === null || value === undefined || Number.isNaN(value) ? null : Number(value.toFixed(digits));

/** The pieces of the API's Prometheus exposition the soak reads. */
function parseMetrics(text: string) {
  let lag: number | null = null;
  let heapUsed: number | null = null;
  let heapTotal: number | null = null;
  const gcs = { minor: 0, major: 0 };
  let eventLoopP99: number | null = null;
  const jobs = { pending: 0, running: 0, failed: 0 };
  let serverErrors = 0;
  for (const line of text.split("\n")) {
    const value = Number(line.split(" ")[1]);
    if (line.startsWith("trvl_listener_lag_blocks ")) lag = value;
    // The process's own figures (prom-client's default metrics); the event loop's delay is since the last scrape.
    if (line.startsWith("trvl_api_nodejs_heap_size_used_bytes ")) heapUsed = value;
    if (line.startsWith("trvl_api_nodejs_heap_size_total_bytes ")) heapTotal = value;
    const gc = /^trvl_api_nodejs_gc_duration_seconds_count\{kind="(minor|major)"\} (\S+)/.exec(line);
    if (gc) gcs[gc[1] as keyof typeof gcs] = Number(gc[2]);
    if (line.startsWith("trvl_api_nodejs_eventloop_lag_p99_seconds ")) eventLoopP99 = value;
    const job = /^trvl_keeper_jobs\{kind="[^"]+",status="(\w+)"\} (\S+)/.exec(line);
    if (job && job[1] in jobs) jobs[job[1] as keyof typeof jobs] += Number(job[2]);
    const request = /^http_requests_total\{[^}]*status="5\d\d"[^}]*\} (\S+)/.exec(line);
    if (request) serverErrors += Number(request[1]);
  }
  return { lag, jobs, serverErrors, heapUsed, heapTotal, gcs, eventLoopP99 };
}

async function rssMb(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const kb = /VmRSS:\s+(\d+) kB/.exec(status);
    return kb ? Math.round(Number(kb[1]) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

/** Least-squares slope of `points` ([seconds, MB]) in MB per minute. */
function slopePerMinute(points: [number, number][]): number | null {
  if (points.length < 3) return null;
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxy = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return sxx === 0 ? null : (sxy / sxx) * 60;
}

/** CPU seconds (user + system) process `pid` has used, from /proc/<pid>/stat (in clock ticks of 1/100 s). */
async function cpuSeconds(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** CPU seconds this process (the soak's traffic and, in `npm run soak`, the local chain) has used. */
function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

async function deadlocks(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ deadlocks: string }>(
      "select deadlocks from pg_stat_database where datname = current_database()",
    );
    return Number(rows[0].deadlocks);
  } finally {
    await client.end();
  }
}

export async function runSoak(chainUrl: string, options: SoakOptions): Promise<SoakSummary> {
  const log = options.log ?? ((line: string) => console.log(line));
  const { seconds, rate, outDir } = options;
  const seed = options.seed ?? 1;
  const drainLimit = options.drainSeconds ?? 180;
  const readRate = rate * 10;
  const travellerCount = Math.max(10, Math.round(rate * 2));
  const twoLevel = Math.round((travellerCount * 25) / 40);
  const streamCount = Math.max(1, Math.round(rate * 2.5));
  const startedAt = new Date().toISOString();
  const loadStart = loadavg().map((x) => round(x, 2)!);
  await mkdir(outDir, { recursive: true });
  const files = {
    json: path.join(outDir, "summary.json"),
    md: path.join(outDir, "summary.md"),
    svg: path.join(outDir, "soak.svg"),
    png: path.join(outDir, "soak.png"),
    backendLog: path.join(outDir, "backend.log"),
  };

  const backendLog = createWriteStream(files.backendLog);
  const logFigures = { errors: 0, deadlocks: 0, examples: [] as string[] };
  const server = await soakServer();
  const database = await createSoakDatabase(server.url);
  const dataDir = await mkdtemp(path.join(tmpdir(), "trvl-soak-"));
  const client = createPublicClient({ chain: hardhat, transport: chainTransport(chainUrl) }) as PublicClient;
  const streams: PushStream[] = [];
  const db = benchPool(database.url);
  let backend: Awaited<ReturnType<typeof startBackend>> | undefined;
  let sampling: ReturnType<typeof setInterval> | undefined;
  try {
    log(`[soak] PostgreSQL: ${server.origin}; database ${new URL(database.url).pathname.slice(1)}`);
    backend = await startBackend({
      chainUrl,
      env: {
        DATABASE_URL: database.url,
        API_PORT: "0",
        DATA_DIR: dataDir,
        LOG_LEVEL: options.logLevel ?? "warn",
        // Every traveller comes from 127.0.0.1: the per-IP budget would otherwise be the whole run's.
        RATE_LIMIT_PER_IP: "1000000000",
        RATE_LIMIT_PER_USER: "1000000000",
      },
      onLog: (line) => {
        backendLog.write(line + "\n");
        const level = /"level":(\d+)/.exec(line);
        if (level && Number(level[1]) >= 50) {
          logFigures.errors++;
          if (logFigures.examples.length < 20) logFigures.examples.push(line.slice(0, 1_500));
        }
        if (/deadlock/i.test(line)) logFigures.deadlocks++;
      },
    });
    const api = backend;
    log(`[soak] backend pid ${api.pid} at ${api.url}; preparing ${travellerCount} travellers…`);

    const fromBlock = (await client.getBlockNumber()) + 1n;
    const travellers = await prepareTravellers({
      client,
      chainUrl,
      apiUrl: api.url,
      count: travellerCount,
      twoLevel,
    });
    const soakHttp = new SoakHttp(api.url);
    const traffic = new Traffic({ http: soakHttp, client, travellers, seed });
    await traffic.prepare();
    for (let i = 0; i < streamCount; i++) {
      const traveller = travellers[i % travellers.length];
      streams.push(
        openPushStream(api.url, {
          traveller: traveller.index,
          token: traveller.token,
          // Every other traveller's second stream uses the cookie, as a browser's EventSource does.
          via: i >= travellers.length || i % 2 === 1 ? "cookie" : "bearer",
          onEvent: (event) => traffic.onPush(i, traveller, event),
        }),
      );
    }
    const opened = await Promise.race([
      Promise.all(streams.map((s) => s.ready)).then(() => true),
      sleep(60_000).then(() => false),
    ]);
    if (!opened) throw new Error("the live-update streams did not all open within a minute");
    const deadlocksBefore = await deadlocks(database.url);
    log(
      `[soak] ${travellers.length} travellers signed in, ${streams.length} streams open; ${seconds} s of traffic at ` +
        `${rate} bookings/s and ${readRate} reads/s`,
    );

    // Watches the database for bookings reaching their end (rewarded, refunded): latency, and the drain below.
    const ledger = traffic.bookings;
    const watch = async () => {
      const open = [...ledger.values()].filter(
        (b) => b.paidAt !== undefined && b.rewardedSeenAt === undefined && b.refundedSeenAt === undefined,
      );
      if (open.length === 0) return;
      const { rows } = await db.query<{ id: string; status: string }>(
        "select id, status from bookings where id = any($1) and status in ('rewarded', 'refunded')",
        [open.map((b) => b.id.toLowerCase())],
      );
      const now = performance.now();
      for (const { id, status } of rows) {
        const b = ledger.get(id.toLowerCase());
        if (status === "rewarded") b!.rewardedSeenAt ??= now;
        else b!.refundedSeenAt ??= now;
      }
    };
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        await watch().catch((error) => log(`[soak] watching the database failed: ${error}`));
        await sleep(500);
      }
    })();

    // Every 10 s: memory, backlog, and the window's latency and errors.
    const samples: SoakSample[] = [];
    let apiServerErrors: number | null = null;
    let gcsBefore: { minor: number; major: number } | undefined;
    const chainCpuSeconds = async () => (options.chainPid === undefined ? null : cpuSeconds(options.chainPid));
    let cpu = {
      at: performance.now(),
      backend: await cpuSeconds(api.pid),
      chain: await chainCpuSeconds(),
      soak: ownCpuSeconds(),
    };
    const inWindow = (at: number | undefined, index: number) =>
      at !== undefined && Math.floor(soakHttp.seconds(at) / WINDOW_SECONDS) === index;
    const sample = async (index: number) => {
      const window = soakHttp.windows.get(index);
      const metrics = await fetch(`${api.url}/metrics`)
        .then(async (r) => (r.ok ? parseMetrics(await r.text()) : null))
        .catch(() => null);
      if (metrics) apiServerErrors = metrics.serverErrors;
      const gcs =
        metrics && gcsBefore
          ? { minor: metrics.gcs.minor - gcsBefore.minor, major: metrics.gcs.major - gcsBefore.major }
          : null;
      if (metrics) gcsBefore = metrics.gcs;
      const bookings = [...ledger.values()];
      const rewarded = bookings.filter((b) => inWindow(b.rewardedSeenAt, index) && b.paidAt !== undefined);
      const latencies = rewarded.map((b) => b.rewardedSeenAt! - b.paidAt!);
      const posts = window?.latencies.get("POST /bookings") ?? [];
      const now = {
        at: performance.now(),
        backend: await cpuSeconds(api.pid),
        chain: await chainCpuSeconds(),
        soak: ownCpuSeconds(),
      };
      const share = (key: "backend" | "chain" | "soak") =>
        now[key] === null || cpu[key] === null
          ? null
          : round((100 * (now[key]! - cpu[key]!)) / ((now.at - cpu.at) / 1000));
      const cpuPercent = { backend: share("backend"), chain: share("chain"), soak: share("soak") };
      cpu = now;
      const x: SoakSample = {
        t: (index + 1) * WINDOW_SECONDS,
        phase: (index + 1) * WINDOW_SECONDS <= seconds ? "traffic" : "drain",
        rssMb: await rssMb(api.pid),
        heapUsedMb: metrics?.heapUsed == null ? null : round(metrics.heapUsed / 2 ** 20, 1),
        heapTotalMb: metrics?.heapTotal == null ? null : round(metrics.heapTotal / 2 ** 20, 1),
        gcs,
        eventLoopP99Ms: metrics?.eventLoopP99 == null ? null : round(metrics.eventLoopP99 * 1000),
        cpuPercent,
        listenerLagBlocks: metrics?.lag ?? null,
        jobs: metrics?.jobs ?? null,
        requestsPerSecond: (window?.requests ?? 0) / WINDOW_SECONDS,
        serverErrors: window?.serverErrors ?? 0,
        unanswered: window?.unanswered ?? 0,
        postBookingsP95Ms: posts.length ? round(percentile(posts, 95)) : null,
        bookings: {
          created: bookings.filter((b) => inWindow(b.createdAt, index)).length,
          paid: bookings.filter((b) => inWindow(b.paidAt, index)).length,
          rewarded: rewarded.length,
        },
        paidToRewarded: {
          count: latencies.length,
          p50Ms: latencies.length ? round(percentile(latencies, 50)) : null,
          p95Ms: latencies.length ? round(percentile(latencies, 95)) : null,
        },
      };
      samples.push(x);
      log(
        `[soak ${x.t}s ${x.phase}] rss ${x.rssMb} MB (heap ${x.heapUsedMb ?? "–"} of ${x.heapTotalMb ?? "–"}; GCs ${x.gcs ? `${x.gcs.minor} minor, ${x.gcs.major} major` : "–"}) · ${x.requestsPerSecond.toFixed(0)} req/s · bookings ` +
          `${x.bookings.created} created, ${x.bookings.paid} paid, ${x.bookings.rewarded} rewarded · paid→rewarded ` +
          `p50 ${x.paidToRewarded.p50Ms ?? "–"} p95 ${x.paidToRewarded.p95Ms ?? "–"} ms · POST /bookings p95 ` +
          `${x.postBookingsP95Ms ?? "–"} ms · lag ${x.listenerLagBlocks ?? "–"} · jobs ${x.jobs ? `${x.jobs.pending}/${x.jobs.running}/${x.jobs.failed}` : "–"} · 5xx ${x.serverErrors}` +
          ` · cpu backend ${x.cpuPercent.backend ?? "–"}%, chain ${x.cpuPercent.chain ?? "–"}%, soak driver ${x.cpuPercent.soak ?? "–"}% · event loop p99 ${x.eventLoopP99Ms ?? "–"} ms` +
          (x.unanswered ? ` · unanswered ${x.unanswered}` : ""),
      );
    };
    soakHttp.start = performance.now();
    let nextWindow = 0;
    let sampleChain = Promise.resolve();
    sampling = setInterval(() => {
      const index = nextWindow++;
      sampleChain = sampleChain.then(() => sample(index)).catch((error) => log(`[soak] sample failed: ${error}`));
      void traffic.refreshFees().catch(() => {});
    }, WINDOW_SECONDS * 1000);

    const [, created] = await Promise.all([
      paced(
        readRate,
        seconds,
        Math.max(32, readRate),
        (n) => traffic.read(n),
        () => traffic.shedReads++,
      ),
      paced(
        rate,
        seconds,
        Math.max(50, rate * 20),
        (n) => traffic.booking(n),
        () => traffic.shedBookings++,
      ),
    ]);
    const trafficSeconds = seconds;
    log(
      `[soak] traffic over (${created} bookings started); waiting for every paid booking to be rewarded or refunded…`,
    );

    // The drain, from the end of the traffic's schedule (the bookings in flight then finish in it): every paid
    // booking rewarded or refunded, then the listener at the chain's head.
    const drainStart = soakHttp.start + seconds * 1000;
    const final = (b: { rewardedSeenAt?: number; refundedSeenAt?: number }) =>
      b.rewardedSeenAt !== undefined || b.refundedSeenAt !== undefined;
    while (performance.now() - drainStart < drainLimit * 1000) {
      if ([...ledger.values()].every((b) => b.paidAt === undefined || final(b))) break;
      await sleep(500);
    }
    const drainSeconds = (performance.now() - drainStart) / 1000;
    const head = await client.getBlockNumber();
    for (let i = 0; i < 120; i++) {
      const { rows } = await db.query<{ block_number: string }>("select block_number from chain_cursors");
      if (rows[0] && BigInt(rows[0].block_number) >= head) break;
      await sleep(500);
    }
    await sleep(2_000); // the last pushes, and refetches after a refresh
    await traffic.idle();
    watching = false;
    await watcher;
    clearInterval(sampling);
    sampling = undefined;
    await sampleChain;
    await sample(nextWindow++);

    // What the API says at the end: each traveller's reward totals, each booking's status.
    const apiRewards: RewardTotals[] = await Promise.all(
      travellers.map(async (t) => {
        const { status, body } = await soakHttp.request<{ totals: Record<string, string> }>("GET", "/rewards?limit=1", {
          route: "/rewards",
          token: t.token,
        });
        return status === 200
          ? {
              traveller: BigInt(body.totals.traveller),
              referrer_l1: BigInt(body.totals.referrer_l1),
              referrer_l2: BigInt(body.totals.referrer_l2),
            }
          : (undefined as unknown as RewardTotals);
      }),
    );
    const { rows: statusRows } = await db.query<{ id: string; status: string }>("select id, status from bookings");
    const apiStatuses = new Map(statusRows.map((r) => [r.id.toLowerCase(), r.status]));
    const finalMetrics = await fetch(`${api.url}/metrics`)
      .then(async (r) => parseMetrics(await r.text()))
      .catch(() => null);
    if (finalMetrics) apiServerErrors = finalMetrics.serverErrors;
    const drops = streams.reduce((a, s) => a + s.drops, 0);
    const dropReasons = streams.flatMap((s, i) => s.dropReasons.map((r) => `stream ${i}: ${r}`));
    for (const stream of streams) stream.close();
    await backend.stop();
    backend = undefined;
    await db.end().catch(() => {});
    // Each server process reports its deadlocks to the statistics when it ends; the backend's have now.
    await sleep(1_000);
    const deadlocksAfter = await deadlocks(database.url);

    const verdict = await verify({ client, fromBlock, traffic, travellers, streams, apiRewards, apiStatuses });

    // Figures.
    const bookings = [...ledger.values()];
    const latencyOf = (b: (typeof bookings)[number]) =>
      b.paidAt !== undefined && b.rewardedSeenAt !== undefined ? b.rewardedSeenAt - b.paidAt : undefined;
    const latencies = bookings.map(latencyOf).filter((x): x is number => x !== undefined);
    const windowSeconds = Math.round(Math.min(LATENCY_WINDOW_SECONDS, trafficSeconds / 2));
    const paidWithin = (from: number, to: number) =>
      bookings
        .filter((b) => b.paidAt !== undefined && soakHttp.seconds(b.paidAt) >= from && soakHttp.seconds(b.paidAt) < to)
        .map(latencyOf)
        .filter((x): x is number => x !== undefined);
    const first = paidWithin(0, windowSeconds);
    const last = paidWithin(trafficSeconds - windowSeconds, Infinity);
    const firstP95 = first.length ? percentile(first, 95) : null;
    const lastP95 = last.length ? percentile(last, 95) : null;
    const ratio = firstP95 && lastP95 ? lastP95 / firstP95 : null;
    const warmupSeconds = options.warmupSeconds ?? Math.min(WARMUP_SECONDS, Math.round(seconds / 3));
    const rssPoints = samples
      .filter((x) => x.phase === "traffic" && x.t > warmupSeconds && x.rssMb !== null)
      .map((x) => [x.t, x.rssMb!] as [number, number]);
    const slope = slopePerMinute(rssPoints);
    const rss = samples.map((x) => x.rssMb).filter((x): x is number => x !== null);
    // The heap in use right after a major collection (a sample lower than both its neighbours): what the process
    // keeps. RSS follows the heap's high-water mark, which V8 lets grow far above it before collecting.
    const heapFloors = samples
      .filter((x, i) => {
        const [before, after] = [samples[i - 1]?.heapUsedMb, samples[i + 1]?.heapUsedMb];
        return (
          x.t > warmupSeconds &&
          x.heapUsedMb !== null &&
          before != null &&
          after != null &&
          x.heapUsedMb < before &&
          x.heapUsedMb <= after
        );
      })
      .map((x) => [x.t, x.heapUsedMb!] as [number, number]);
    const deadlockDelta = deadlocksAfter - deadlocksBefore;
    const requestsDuringTraffic = [...soakHttp.windows.entries()]
      .filter(([index]) => index >= 0 && (index + 1) * WINDOW_SECONDS <= trafficSeconds)
      .reduce((a, [, w]) => a + w.requests, 0);
    const fullWindows = Math.floor(trafficSeconds / WINDOW_SECONDS);

    const serverErrorsSeen = soakHttp.serverErrorCount;
    const checks: Check[] = [
      {
        name: "no 5xx answer (the soak's requests, and the API's own count)",
        ok: serverErrorsSeen === 0 && !apiServerErrors,
        failures:
          serverErrorsSeen || apiServerErrors
            ? [
                `${serverErrorsSeen} 5xx answers seen by the soak, ${apiServerErrors ?? "?"} counted by the API's /metrics`,
              ]
            : [],
      },
      {
        name: "every request answered (no connection error or 60 s timeout)",
        ok: soakHttp.unansweredCount === 0,
        failures: soakHttp.unansweredCount ? [`${soakHttp.unansweredCount} requests got no answer`] : [],
      },
      {
        name: "no unexpected 4xx to the soak's well-formed requests",
        ok: soakHttp.unexpectedCount === 0 && traffic.createFailures === 0,
        failures:
          soakHttp.unexpectedCount || traffic.createFailures
            ? [
                `${soakHttp.unexpectedCount} unexpected 3xx/4xx answers; ${traffic.createFailures} bookings not created (see "Unexpected answers")`,
              ]
            : [],
      },
      ...verdict.checks.map((c) => ({ ...c, ok: c.failures.length === 0 })),
      {
        name: "no deadlock (pg_stat_database.deadlocks over the run)",
        ok: deadlockDelta === 0,
        failures: deadlockDelta ? [`PostgreSQL counted ${deadlockDelta} deadlocks in the soak's database`] : [],
      },
      {
        name: "live-update streams stayed open",
        ok: drops === 0,
        failures: drops ? [`${drops} stream drops: ${dropReasons.join("; ")}`] : [],
      },
    ];
    const judged = seconds >= TIMING_MIN_SECONDS;
    const untruthful = verdict.checks.find((c) => c.name.startsWith("cancellations truthful"))!.failures;
    const targets: Target[] = [
      { name: "5xx", target: "0", value: String(serverErrorsSeen), ok: serverErrorsSeen === 0 },
      {
        name: "untruthful cancellations",
        target: "0",
        value: untruthful.length ? untruthful.join("; ") : "0",
        ok: untruthful.length === 0,
      },
      { name: "deadlocks", target: "0", value: String(deadlockDelta), ok: deadlockDelta === 0 },
      {
        name: `paid→rewarded p95, last ${windowSeconds} s vs first ${windowSeconds} s`,
        target: `≤ ${MAX_LATENCY_RATIO}×`,
        value: ratio === null ? "–" : `${ratio.toFixed(2)}× (${Math.round(lastP95!)} vs ${Math.round(firstP95!)} ms)`,
        ok: ratio !== null && ratio <= MAX_LATENCY_RATIO,
      },
      {
        name: `backend RSS slope after ${warmupSeconds} s warm-up`,
        target: `< ${MAX_RSS_SLOPE_MB_PER_MIN} MB/min`,
        value: slope === null ? "–" : `${slope.toFixed(2)} MB/min`,
        ok: slope !== null && slope < MAX_RSS_SLOPE_MB_PER_MIN,
      },
    ];
    const failures = [
      ...checks.filter((c) => !c.ok).flatMap((c) => c.failures.map((f) => `${c.name}: ${f}`)),
      ...(judged
        ? targets.filter((t) => !t.ok).map((t) => `target missed: ${t.name} ${t.value} (wanted ${t.target})`)
        : []),
    ];

    const summary: SoakSummary = {
      passed: failures.length === 0,
      failures,
      parameters: {
        seconds,
        rate,
        readRate,
        travellers: travellers.length,
        twoLevelReferrals: travellers.filter((t) => t.level2 !== undefined).length,
        streams: streams.length,
        seed,
        database: server.origin,
        cores: cpus().length,
        loadAverage: { start: loadStart, end: loadavg().map((x) => round(x, 2)!) },
        startedAt,
      },
      checks,
      targets: {
        judged,
        note: judged
          ? `Judged: the run lasted ${seconds} s (≥ ${TIMING_MIN_SECONDS} s).`
          : `Reported, not judged: timing targets need a run of at least ${TIMING_MIN_SECONDS} s (this one: ${seconds} s); ` +
            "the short run enforces correctness only.",
        items: targets,
      },
      figures: {
        ...verdict.figures,
        pushes: {
          ...verdict.figures.pushes,
          events: Object.fromEntries(traffic.pushCounts),
          drops,
        },
        createFailures: traffic.createFailures,
        paymentsAnsweredWithAnErrorButMined: traffic.sendErrorsMined.length,
        shed: { bookings: traffic.shedBookings, reads: traffic.shedReads },
        latency: {
          p50Ms: round(latencies.length ? percentile(latencies, 50) : null),
          p95Ms: round(latencies.length ? percentile(latencies, 95) : null),
          maxMs: round(latencies.length ? Math.max(...latencies) : null),
          windowSeconds,
          firstP95Ms: round(firstP95),
          lastP95Ms: round(lastP95),
          ratio: round(ratio, 3),
        },
        memory: {
          warmupSeconds,
          slopeMbPerMin: round(slope, 3),
          firstMb: rss[0] ?? null,
          lastMb: rss.at(-1) ?? null,
          maxMb: rss.length ? Math.max(...rss) : null,
          heapFloorsMb: heapFloors,
          heapFloorSlopeMbPerMin: round(slopePerMinute(heapFloors), 3),
        },
        requests: {
          total: [...soakHttp.byRoute.values()].reduce((a, m) => a + [...m.values()].reduce((x, y) => x + y, 0), 0),
          perSecond: fullWindows ? requestsDuringTraffic / (fullWindows * WINDOW_SECONDS) : 0,
          byRoute: soakHttp.routeFigures(),
        },
        serverErrors: { seen: serverErrorsSeen, apiMetrics: apiServerErrors },
        unanswered: soakHttp.unansweredCount,
        unexpected: soakHttp.unexpectedCount,
        deadlocks: { before: deadlocksBefore, after: deadlocksAfter, delta: deadlockDelta },
        backendLog: { errors: logFigures.errors, deadlocks: logFigures.deadlocks },
        drainSeconds: round(drainSeconds, 1),
        trafficSeconds: round(trafficSeconds, 1),
      },
      samples,
      incidents: {
        "5xx answers": soakHttp.serverErrors,
        "Requests without an answer": soakHttp.unanswered,
        "Unexpected answers": soakHttp.unexpected,
        "Backend log lines at error level": logFigures.examples,
        "Stream drops": dropReasons,
        "Payments the chain answered with an error but mined": traffic.sendErrorsMined.slice(0, 20),
      },
      files: { json: files.json, md: files.md, png: files.png, backendLog: files.backendLog },
    };

    const svg = chartSvg(
      `TRVL soak — ${summary.passed ? "passed" : "FAILED"}`,
      `${seconds} s at ${rate} bookings/s, ${readRate} reads/s, ${streams.length} streams · ${travellers.length} travellers · ` +
        `${summary.parameters.cores} cores, load ${loadStart.join(" ")} → ${summary.parameters.loadAverage.end.join(" ")} · ${startedAt}`,
      chartPanels(samples),
      [{ at: trafficSeconds, label: "traffic ends" }],
    );
    const noPng = await writeChart(svg, files.svg, files.png);
    if (noPng) {
      log(`[soak] ${noPng}`);
      summary.files.png = noPng;
    }
    await writeFile(files.json, JSON.stringify(summary, null, 2) + "\n");
    await writeFile(files.md, summaryMarkdown(summary) + "\n");
    return summary;
  } finally {
    if (sampling) clearInterval(sampling);
    for (const stream of streams) stream.close();
    await backend?.stop();
    await db.end().catch(() => {});
    await new Promise((resolve) => backendLog.end(resolve));
    await database.drop().catch((error) => log(`[soak] could not drop the soak database: ${error}`));
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
