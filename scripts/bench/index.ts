/**
 * `npm run bench`: prints TRVL's performance figures. Each section measures one part of the system;
 * BENCH_SECTIONS=gas,api,pipeline,hostile,planner,voice,web (default: all) picks some.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";

import hre from "hardhat";

import { measureApi } from "@trvl/backend/bench/api";
import { measureHostile, printHostileFigures } from "@trvl/backend/bench/hostile";
import { compareIndexers, printIndexerComparison } from "@trvl/backend/bench/indexers";
import { measurePipeline } from "@trvl/backend/bench/pipeline";
import { measurePlanner, printPlannerFigures } from "@trvl/backend/bench/planner";
import { measureVoiceConversation, printVoiceFigures } from "@trvl/backend/bench/voice";
import { measurePages, printWebFigures } from "@trvl/web/bench/lighthouse";
import { startLocalChain } from "../dev/chain.js";
import { startStack } from "../dev/stack.js";
import { measureGas } from "./gas.js";

const sections = new Set(
  (process.env.BENCH_SECTIONS ?? "gas,api,pipeline,hostile,planner,voice,web").split(",").map((s) => s.trim()),
);

/** Runs one section if it was asked for, then says how loaded the machine was while it ran. */
async function section(name: string, run: () => Promise<void>): Promise<void> {
  if (!sections.has(name)) return;
  const start = loadavg()[0]!;
  await run();
  console.log(
    `  (load average ${start.toFixed(2)} at the start of this section, ${loadavg()[0]!.toFixed(2)} at its end)`,
  );
}

await section("gas", async () => {
  const gas = await measureGas();
  console.log("\nGas per operation (in-process Hardhat network, local deployment)\n");
  const width = Math.max(...gas.map((g) => g.operation.length));
  for (const { operation, gas: used, note } of gas) {
    console.log(`  ${operation.padEnd(width)}  ${used.toLocaleString("en-US").padStart(9)}  ${note}`);
  }
});

// The API, the pipeline and the hostile load read the chain: a local chain with the whole system deployed, as
// `npm start` has.
const chain =
  sections.has("api") || sections.has("pipeline") || sections.has("hostile")
    ? await startLocalChain(hre, "127.0.0.1", 0, { deploymentId: `bench-${process.pid}` })
    : undefined;
try {
  await section("api", async () => {
    const { figures, notes } = await measureApi(chain!.url);
    console.log("\nAPI throughput and latency\n");
    const hello = figures[0].requestsPerSecond;
    const nameWidth = Math.max(...figures.map((f) => f.target.length));
    console.log(
      `  ${"target".padEnd(nameWidth)}  ${"req/s".padStart(8)}  ${"p50 ms".padStart(7)}  ${"p99 ms".padStart(7)}  ${"vs hello".padStart(8)}  non-2xx  errors`,
    );
    for (const f of figures) {
      const ratio = `${((f.requestsPerSecond / hello) * 100).toFixed(0)}%`;
      console.log(
        `  ${f.target.padEnd(nameWidth)}  ${f.requestsPerSecond.toLocaleString("en-US").padStart(8)}  ${String(f.p50Ms).padStart(7)}  ${String(f.p99Ms).padStart(7)}  ${ratio.padStart(8)}  ${String(f.non2xx).padStart(7)}  ${String(f.errors).padStart(6)}`,
      );
    }
    const one = figures.find((f) => f.target === "GET /catalog/search")!;
    const two = figures.find((f) => f.target === "GET /catalog/search, 2 processes")!;
    console.log(
      `  catalog search, two API processes / one: ${(two.requestsPerSecond / one.requestsPerSecond).toFixed(2)}×   (target 2× within 20%)`,
    );
    for (const note of notes) console.log(`  (${note})`);
  });
  await section("pipeline", async () => {
    const p = await measurePipeline(chain!.url);
    const fixed = (x: number, d = 1) => x.toFixed(d);
    console.log("\nCommission pipeline (local chain: pay → confirmed → settled → rewarded, by itself)\n");
    console.log(
      `  bookings paid                 ${p.bookings} in ${fixed(p.payingSeconds)} s (${fixed(p.payRate, 0)} payments/s)`,
    );
    console.log(`  end to end                    ${fixed(p.endToEndSeconds)} s, first payment → last booking rewarded`);
    const verdict = (met: boolean) => (met ? "met" : "MISSED");
    const pace = p.throughput / p.payRate;
    console.log(
      `  throughput                    ${fixed(p.throughput, 0)} bookings/s = ${fixed(pace, 2)} of the payment rate   (target ≥ 0.95: ${verdict(pace >= 0.95)})`,
    );
    console.log(
      `  latency paid → rewarded       p50 ${fixed(p.latencyP50Ms, 0)} ms, p95 ${fixed(p.latencyP95Ms, 0)} ms, max ${fixed(p.latencyMaxMs, 0)} ms   (target p95 ≤ 800: ${verdict(p.latencyP95Ms <= 800)})`,
    );
    console.log(
      `  latency on an idle pipeline    p50 ${fixed(p.idle.p50Ms, 0)} ms, p95 ${fixed(p.idle.p95Ms, 0)} ms (${p.idle.bookings} bookings paid one at a time, before the burst)   (target p50 ≤ 100: ${verdict(p.idle.p50Ms <= 100)})`,
    );
    console.log("  where a booking's time goes under the burst:");
    for (const s of p.stages) {
      console.log(
        `    ${s.stage.padEnd(48)} p50 ${fixed(s.p50Ms, 0).padStart(5)} ms, p95 ${fixed(s.p95Ms, 0).padStart(5)} ms`,
      );
    }
    for (const [name, g] of [
      ["settle", p.settle],
      ["distribute", p.distribute],
    ] as const) {
      console.log(
        `  ${`gas per booking, ${name}`.padEnd(29)} ${g.gasPerBooking.toLocaleString("en-US")} (${g.transactions} transactions, ${g.bookingsPerTx} bookings each on average)`,
      );
    }
    console.log(
      `  listener backfill             ${p.backfill.events.toLocaleString("en-US")} events over ${p.backfill.blocks.toLocaleString("en-US")} blocks in ${fixed(p.backfill.seconds, 2)} s = ${fixed(p.backfill.eventsPerSecond, 0)} events/s, median of ${p.backfill.runs.length} (${p.backfill.runs.map((r) => fixed(r, 0)).join(", ")})   (target ≥ 5,000)`,
    );
    for (const note of p.notes) console.log(`  (${note})`);
    // The same chain, now holding the pipeline's bookings, indexed by the listener and by Ponder
    // (BENCH_INDEXER_RUNS=0 skips the comparison).
    const indexerRuns = Number(process.env.BENCH_INDEXER_RUNS ?? 5);
    if (indexerRuns === 0) return;
    printIndexerComparison(
      await compareIndexers(chain!.url, {
        runs: indexerRuns,
        headBlocks: Number(process.env.BENCH_HEAD_BLOCKS ?? 200),
      }),
    );
  });
  await section("hostile", async () => printHostileFigures(await measureHostile(chain!.url)));
} finally {
  await chain?.close();
}

// The planner, voice pipeline and recommendations run offline, in this process.
await section("planner", async () => printPlannerFigures(await measurePlanner()));
await section("voice", async () => printVoiceFigures(await measureVoiceConversation()));

// The web app: Lighthouse against a production build served as `npm start` serves it, with its chain and API behind it
// (its own ports, Ignition journal and database, so it runs beside `npm start`).
await section("web", async () => {
  const data = await mkdtemp(path.join(tmpdir(), "trvl-bench-web-"));
  const stack = await startStack(hre, {
    chainPort: Number(process.env.BENCH_CHAIN_PORT ?? 8845),
    apiPort: Number(process.env.BENCH_API_PORT ?? 8887),
    webPort: Number(process.env.BENCH_WEB_PORT ?? 3400),
    deploymentId: `bench-web-${process.pid}`,
    dataDir: data,
    webDistDir: ".next-bench",
    env: { LOG_LEVEL: "warn" },
  });
  try {
    const pages = ["/plan", "/rewards"];
    const mobile = await measurePages({ baseUrl: stack.web!.url, paths: pages, runs: 3 });
    const desktop = await measurePages({ baseUrl: stack.web!.url, paths: pages, runs: 3, preset: "desktop" });
    printWebFigures([...mobile, ...desktop]);
  } finally {
    await stack.stop();
    await rm(data, { recursive: true, force: true });
  }
});
