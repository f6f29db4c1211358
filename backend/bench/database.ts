import { randomBytes } from "node:crypto";

import pg from "pg";

/** The PostgreSQL server benchmarks run on (BENCH_DATABASE_URL, else the tests', else the local one). */
export const BENCH_SERVER =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A fresh database of its own on the benchmark server; `drop()` removes it. */
export async function createBenchDatabase(purpose: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `trvl_bench_${process.pid}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: BENCH_SERVER });
  await admin.connect().catch((error) => {
    throw new Error(`The ${purpose} benchmark runs against PostgreSQL, and ${BENCH_SERVER} is not reachable: ${error}`);
  });
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(BENCH_SERVER);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: BENCH_SERVER });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
