/**
 * Global setup: starts a throwaway local chain (Hardhat's EDR, the whole system deployed with the TRVLLocal Ignition
 * module, test accounts funded) for the test run, and checks that the Postgres the tests use is reachable: a test
 * run never silently skips Postgres.
 */
import pg from "pg";
import type { TestProject } from "vitest/node";

import { testPostgresUrl } from "../helpers/databases.js";
import { startEphemeralChain, type EphemeralChain } from "../helpers/ephemeral-chain.js";

declare module "vitest" {
  export interface ProvidedContext {
    chainUrl: string;
  }
}

let chain: EphemeralChain | undefined;

export async function setup(project: TestProject) {
  const client = new pg.Client({ connectionString: testPostgresUrl(), connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query("select 1");
  } catch (error) {
    throw new Error(
      `PostgreSQL at ${testPostgresUrl()} is not reachable (${String(error)}). Every database test runs on PGlite and ` +
        "on Postgres: start Postgres or point TEST_DATABASE_URL at one.",
    );
  } finally {
    await client.end().catch(() => {});
  }

  chain = await startEphemeralChain();
  project.provide("chainUrl", chain.url);
}

export async function teardown() {
  await chain?.close();
}
