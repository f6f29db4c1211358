import pg from "pg";

import { createScratchDatabase, type ScratchDatabase } from "@trvl/tooling/scratch-database";

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

/**
 * A small pool for a benchmark's own reads. Each of its connections ignores errors of its own: the database is dropped
 * (connections terminated) right after the pool ends, and a connection still closing then must not end the process.
 */
export function benchPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  return pool;
}
