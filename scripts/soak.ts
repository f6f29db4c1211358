/**
 * `npm run soak`: the whole backend under steady mixed traffic on its own local chain and PostgreSQL database (see
 * backend/bench/soak.ts), then a verdict. SOAK_SECONDS (default 600) of traffic at SOAK_RATE bookings/s (default 20);
 * the summary and chart go to SOAK_OUT (default .data/soak/). Exits non-zero, naming each failure, on any 5xx, double
 * or missing reward, untruthful cancellation or deadlock; runs of 5 minutes or more must also meet the timing targets.
 * `npm run test:soak` (part of `npm test`) is the 60-second version. Also: SOAK_SEED (the run's choices, default 1),
 * SOAK_DRAIN_SECONDS (wait for the last rewards, default 180), SOAK_WARMUP_SECONDS (RSS judged flat after it, default
 * 120), SOAK_LOG_LEVEL (the backend's, into backend.log; default warn); PostgreSQL from BENCH_DATABASE_URL, else as
 * the backend tests find one (TEST_DATABASE_URL, 127.0.0.1:5432, or a throwaway embedded server).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

import hre from "hardhat";

import { startEphemeralChain } from "@trvl/tooling/ephemeral-chain";
import { runSoak } from "../backend/bench/soak.js";

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not "${raw}"`);
  return value;
}

const options = {
  seconds: positive("SOAK_SECONDS", 600),
  rate: positive("SOAK_RATE", 20),
  outDir: path.resolve(process.env.SOAK_OUT || path.join(hre.config.paths.root, ".data", "soak")),
  seed: positive("SOAK_SEED", 1),
  drainSeconds: positive("SOAK_DRAIN_SECONDS", 180),
  warmupSeconds: process.env.SOAK_WARMUP_SECONDS ? positive("SOAK_WARMUP_SECONDS", 120) : undefined,
  logLevel: process.env.SOAK_LOG_LEVEL || "warn",
};

console.log(
  `[soak] starting a local chain (own process and Ignition deployment) for ${options.seconds} s at ${options.rate}/s…`,
);
// A process of its own, as a node is: the soak's traffic, generated here, must not slow the node's answers.
const chain = await startEphemeralChain();
let summary;
try {
  summary = await runSoak(chain.url, { ...options, chainPid: chain.pid });
} finally {
  await chain.close();
}

console.log(`\n${await readFile(summary.files.md, "utf8")}`);
if (summary.passed) {
  console.log(`[soak] PASSED — ${summary.files.md}`);
} else {
  console.error(`\n[soak] FAILED (${summary.failures.length}):\n${summary.failures.map((f) => `  - ${f}`).join("\n")}`);
  console.error(`[soak] details: ${summary.files.md}, backend log: ${summary.files.backendLog}`);
  process.exitCode = 1;
}
// Everything the soak opened is closed; should a socket linger, the run still ends.
setTimeout(() => process.exit(), 10_000).unref();
