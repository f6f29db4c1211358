/**
 * API benchmark: autocannon on loopback against the real API (a child process on a fresh PostgreSQL database, with
 * the chain passed in) and, in the same run, against a bare Hono "hello" route for scale.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
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

async function load(target: string, url: string, connections = CONNECTIONS): Promise<ApiFigure> {
  // A short warm-up, so the JIT and caches are in the state a running server is in.
  await autocannon({ url, connections, duration: 2 });
  const result = await autocannon({ url, connections, duration: DURATION_S });
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
  const apiEnv = {
    DATABASE_URL: database.url,
    API_PORT: "0",
    // The API alone: the pipeline benchmark measures the worker.
    WORKER_ENABLED: "false",
    // One client on loopback: per-IP limits would only measure 429s. Per-request info logs go to a pipe here.
    RATE_LIMIT_PER_IP: "1000000000",
    LOG_LEVEL: "warn",
    DATA_DIR: path.join(process.cwd(), ".data", "bench"),
    // The same session secret for every instance, as a deployment has.
    JWT_SECRET: randomBytes(32).toString("hex"),
  };
  const api = await startBackend({ chainUrl, env: apiEnv });
  const account = localAccount(LOCAL_ACCOUNT_INDEX.traveller).address;
  const search = "/catalog/search?destination=lisbon-pt-2267057&type=hotel&sort=price_asc&limit=20";
  let second: Awaited<ReturnType<typeof startBackend>> | undefined;
  try {
    const figures = [
      await load("bare Hono GET /hello", `${hello.url}/hello`),
      await load("GET /catalog/search", `${api.url}${search}`),
      await load("GET /accounts/:address", `${api.url}/accounts/${account}`),
    ];
    // The same search served by two API processes on the same database, half the connections each.
    second = await startBackend({ chainUrl, env: apiEnv });
    const pair = await Promise.all(
      [api.url, second.url].map((url) => load("", `${url}${search}`, Math.ceil(CONNECTIONS / 2))),
    );
    figures.push({
      target: "GET /catalog/search, 2 processes",
      requestsPerSecond: pair[0].requestsPerSecond + pair[1].requestsPerSecond,
      p50Ms: Math.max(pair[0].p50Ms, pair[1].p50Ms),
      p99Ms: Math.max(pair[0].p99Ms, pair[1].p99Ms),
      non2xx: pair[0].non2xx + pair[1].non2xx,
      errors: pair[0].errors + pair[1].errors,
    });
    return {
      figures,
      notes: [
        `autocannon, ${CONNECTIONS} connections, ${DURATION_S} s per target after a 2 s warm-up, on loopback; the load generator shares the machine's ${availableParallelism()} cores with the API processes, so two processes cannot have a core each`,
        `API on PostgreSQL (${BENCH_SERVER.replace(/\/\/[^@]*@/, "//")}), LOG_LEVEL=warn, per-IP limit lifted; the account figures are cached ${process.env.ACCOUNT_CACHE_TTL_MS ?? 2000} ms`,
      ],
    };
  } finally {
    await api.stop();
    await second?.stop();
    await hello.stop();
    await database.drop();
  }
}
