/**
 * Global setup: starts a throwaway local chain (Hardhat's EDR, the whole system deployed with the TRVLLocal Ignition
 * module, test accounts funded) for the test run, and checks that the Postgres the tests use is reachable: a test
 * run never silently skips Postgres.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";

import pg from "pg";
import type { TestProject } from "vitest/node";

import { REPO_ROOT } from "../../src/config/index.js";
import { testPostgresUrl } from "../helpers/databases.js";

declare module "vitest" {
  export interface ProvidedContext {
    chainUrl: string;
  }
}

let chain: ChildProcess | undefined;

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

  chain = spawn(path.join(REPO_ROOT, "node_modules", ".bin", "hardhat"), ["run", "scripts/dev/ephemeral-chain.ts"], {
    cwd: REPO_ROOT,
    env: { ...process.env, CHAIN_PORT: "0", HARDHAT_DISABLE_TELEMETRY: "true" },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the local chain did not start within 150 s")), 150_000);
    chain!.once("exit", (code) => reject(new Error(`the local chain exited early (code ${code})`)));
    createInterface({ input: chain!.stdout! }).on("line", (line) => {
      if (!line.startsWith("{")) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    });
  });
  project.provide("chainUrl", url);
}

export async function teardown() {
  if (!chain || chain.exitCode !== null) return;
  const exited = new Promise((resolve) => chain!.once("exit", resolve));
  chain.kill("SIGTERM");
  await exited;
}
