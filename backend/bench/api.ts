/**
 * API benchmark: autocannon on loopback against the real API (a child process on a fresh PostgreSQL database, with
 * the chain passed in) and, in the same run, against a bare Hono "hello" route for scale.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

import autocannon from "autocannon";

import { startBackend } from "@trvl/tooling/backend-process";
import { LOCAL_ACCOUNT_INDEX, localAccount } from "@trvl/tooling/local-accounts";
import { BENCH_SERVER, createBenchDatabase } from "./database.js";

export interface ApiFigure {
  target: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

async function load(target: string, url: string): Promise<ApiFigure> {
  // A short warm-up, so the JIT and caches are in the state a running server is in.
  await autocannon({ url, connections: CONNECTIONS, duration: 2 });
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S });
  return {
    target,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

async function startHello(): Promise<{ url: string; stop: () => Promise<void> }> {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), "hello.ts");
  const child = spawn(process.execPath, ["--import", "tsx", file], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`hello server exited (${code})`)));
    createInterface({ input: child.stdout! }).once("line", (line) =>
      resolve((JSON.parse(line) as { url: string }).url),
    );
  });
  return {
    url,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Runs the API section. Needs a PostgreSQL server (BENCH_DATABASE_URL, default the local one): it fails without. */
export async function measureApi(chainUrl: string): Promise<{ figures: ApiFigure[]; notes: string[] }> {
  const database = await createBenchDatabase("API");
  const hello = await startHello();
  const api = await startBackend({
    chainUrl,
    env: {
      DATABASE_URL: database.url,
      API_PORT: "0",
      // The API alone: the pipeline benchmark measures the worker.
      WORKER_ENABLED: "false",
      // One client on loopback: per-IP limits would only measure 429s. Per-request info logs go to a pipe here.
      RATE_LIMIT_PER_IP: "1000000000",
      LOG_LEVEL: "warn",
      DATA_DIR: path.join(process.cwd(), ".data", "bench"),
    },
  });
  const account = localAccount(LOCAL_ACCOUNT_INDEX.traveller).address;
  try {
    const figures = [
      await load("bare Hono GET /hello", `${hello.url}/hello`),
      await load(
        "GET /catalog/search",
        `${api.url}/catalog/search?destination=lisbon-pt-2267057&type=hotel&sort=price_asc&limit=20`,
      ),
      await load("GET /accounts/:address", `${api.url}/accounts/${account}`),
    ];
    return {
      figures,
      notes: [
        `autocannon, ${CONNECTIONS} connections, ${DURATION_S} s per target after a 2 s warm-up, on loopback; the load generator shares the machine`,
        `API on PostgreSQL (${BENCH_SERVER.replace(/\/\/[^@]*@/, "//")}), LOG_LEVEL=warn, per-IP limit lifted; the account figures are cached ${process.env.ACCOUNT_CACHE_TTL_MS ?? 2000} ms`,
      ],
    };
  } finally {
    await api.stop();
    await hello.stop();
    await database.drop();
  }
}
