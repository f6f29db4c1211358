import pg from "pg";

import { createScratchDatabase, type ScratchDatabase } from "@trvl/tooling/scratch-database";
import { ignoreConnectionErrors } from "../src/db/index.js";

/** The PostgreSQL server benchmarks run on (BENCH_DATABASE_URL, else the tests', else the local one). */
export const BENCH_SERVER =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A fresh database of its own on the benchmark server; `drop()` removes it. */
export async function createBenchDatabase(purpose: string): Promise<ScratchDatabase> {
  return createScratchDatabase(BENCH_SERVER, "trvl_bench").catch((error: unknown) => {
    throw new Error(
      `The ${purpose} benchmark runs against PostgreSQL, and no database could be made on ${BENCH_SERVER}: ${error}`,
    );
  });
}

/** A small pool for a benchmark's own reads; its database is dropped right after it ends. */
export function benchPool(url: string): pg.Pool {
  return ignoreConnectionErrors(new pg.Pool({ connectionString: url, max: 2 }));
}
