/**
 * Hostile catalog search benchmark: the real API (backend/src/main.ts in a child process, embedded database, worker
 * off) on loopback. A bystander's GET /health latency is measured alone, then while attackers send the worst catalog
 * search there is (the whole world, a 30-night window, a new minimum price each time so that no cache answers) one
 * after another. Targets: bystander p99 < 50 ms and search p99 < 250 ms with 3 attackers.
 * Run alone: `npx tsx backend/bench/hostile-search.ts`.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

import { percentile } from "../../scripts/bench/stats.js";
import { startBackend } from "../../scripts/lib/backend-process.js";
import { addDays, formatDay } from "../src/catalog/dates.js";

export interface LatencyFigure {
  name: string;
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Answers other than 200. */
  failed: number;
  targetP99Ms?: number;
}

export interface HostileSearchFigures {
  figures: LatencyFigure[];
  notes: string[];
}

export interface HostileSearchOptions {
  /** Concurrent attackers, each sending one worst-case search after another. */
  attackers?: number;
  /** Searches each attacker sends. */
  searchesPerAttacker?: number;
  /** Bystander requests measured on the idle server. */
  idleSamples?: number;
  /** Pause between two bystander requests. */
  bystanderPauseMs?: number;
}

const ms = (value: number) => Math.round(value * 100) / 100;

function figure(name: string, latencies: number[], failed: number, targetP99Ms?: number): LatencyFigure {
  return {
    name,
    samples: latencies.length,
    p50Ms: ms(percentile(latencies, 50)),
    p99Ms: ms(percentile(latencies, 99)),
    maxMs: ms(Math.max(...latencies)),
    failed,
    targetP99Ms,
  };
}

async function timedGet(url: string): Promise<{ ms: number; ok: boolean }> {
  const start = performance.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  return { ms: performance.now() - start, ok: response.status === 200 };
}

export async function measureHostileSearch(options: HostileSearchOptions = {}): Promise<HostileSearchFigures> {
  const attackers = options.attackers ?? 3;
  const searchesPerAttacker = options.searchesPerAttacker ?? 40;
  const idleSamples = options.idleSamples ?? 300;
  const pauseMs = options.bystanderPauseMs ?? 5;
  const dataDir = await mkdtemp(path.join(tmpdir(), "trvl-bench-search-"));
  const api = await startBackend({
    // Neither /health nor the catalog reads the chain: nothing needs to listen there.
    chainUrl: "http://127.0.0.1:8545",
    env: {
      DATABASE_URL: undefined,
      DATA_DIR: dataDir,
      API_HOST: "127.0.0.1",
      API_PORT: "0",
      WORKER_ENABLED: "false",
      // One client on loopback: per-IP limits would only measure 429s.
      RATE_LIMIT_PER_IP: "1000000000",
      LOG_LEVEL: "warn",
    },
  });
  try {
    const health = `${api.url}/health`;
    const checkIn = addDays(formatDay(Date.now()), 30);
    const worstSearch = (n: number) =>
      `${api.url}/catalog/search?limit=1&checkIn=${checkIn}&checkOut=${addDays(checkIn, 30)}&minPrice=${(0.1 + n / 100).toFixed(2)}`;

    // Warm-up: the search index is built on the first search over the whole world, and the JIT warms up.
    for (let n = 0; n < 5; n++) await timedGet(worstSearch(100_000 + n));
    for (let n = 0; n < 50; n++) await timedGet(health);

    const idle: number[] = [];
    let idleFailed = 0;
    for (let n = 0; n < idleSamples; n++) {
      const { ms: took, ok } = await timedGet(health);
      idle.push(took);
      if (!ok) idleFailed++;
      await sleep(pauseMs);
    }

    const searches: number[] = [];
    let searchesFailed = 0;
    let attacking = true;
    const attack = async (attacker: number) => {
      for (let n = 0; n < searchesPerAttacker; n++) {
        const { ms: took, ok } = await timedGet(worstSearch(attacker * searchesPerAttacker + n));
        searches.push(took);
        if (!ok) searchesFailed++;
      }
    };
    const loaded: number[] = [];
    let loadedFailed = 0;
    const bystander = async () => {
      // Bounded: at most as many samples as the attack could take at a search every 50 ms per attacker.
      for (let n = 0; attacking && n < searchesPerAttacker * 100; n++) {
        const { ms: took, ok } = await timedGet(health);
        loaded.push(took);
        if (!ok) loadedFailed++;
        await sleep(pauseMs);
      }
    };
    const watching = bystander();
    await Promise.all(Array.from({ length: attackers }, (_, attacker) => attack(attacker)));
    attacking = false;
    await watching;

    return {
      figures: [
        figure("bystander GET /health, idle server", idle, idleFailed),
        figure(`bystander GET /health, ${attackers} concurrent worst-case searches`, loaded, loadedFailed, 50),
        figure(`worst-case GET /catalog/search (${attackers} concurrent)`, searches, searchesFailed, 250),
      ],
      notes: [
        `worst case: no destination, ${checkIn} + 30 nights, minPrice 0.10, 0.11, … (no two alike: the cache never answers), limit=1`,
        `${attackers} attackers × ${searchesPerAttacker} searches back to back; the bystander waits ${pauseMs} ms between requests; loopback, the client shares the machine`,
        "API on the embedded database (PGlite), worker off, LOG_LEVEL=warn, per-IP limit lifted",
      ],
    };
  } finally {
    await api.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export function printHostileSearchFigures({ figures, notes }: HostileSearchFigures) {
  console.log("\nCatalog search under hostile traffic (real API on loopback)\n");
  const width = Math.max(...figures.map((f) => f.name.length));
  console.log(
    `  ${"measure".padEnd(width)}  ${"n".padStart(5)}  ${"p50 ms".padStart(7)}  ${"p99 ms".padStart(7)}  ${"max ms".padStart(7)}  ${"non-200".padStart(7)}  target p99`,
  );
  for (const f of figures) {
    const target =
      f.targetP99Ms === undefined ? "" : `< ${f.targetP99Ms}  ${f.p99Ms < f.targetP99Ms ? "ok" : "MISSED"}`;
    console.log(
      `  ${f.name.padEnd(width)}  ${String(f.samples).padStart(5)}  ${String(f.p50Ms).padStart(7)}  ${String(f.p99Ms).padStart(7)}  ${String(f.maxMs).padStart(7)}  ${String(f.failed).padStart(7)}  ${target}`,
    );
  }
  for (const note of notes) console.log(`  (${note})`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printHostileSearchFigures(await measureHostileSearch());
}
