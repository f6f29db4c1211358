/**
 * Global setup: starts a throwaway local chain (Hardhat's EDR, the whole system deployed with the TRVLLocal Ignition
 * module, test accounts funded) for the test run. (The Postgres the tests use comes from setup/postgres.ts.)
 */
import type { TestProject } from "vitest/node";

import { startEphemeralChain, type EphemeralChain } from "@trvl/tooling/ephemeral-chain";

declare module "vitest" {
  export interface ProvidedContext {
    chainUrl: string;
  }
}

let chain: EphemeralChain | undefined;

export async function setup(project: TestProject) {
  chain = await startEphemeralChain();
  project.provide("chainUrl", chain.url);
}

export async function teardown() {
  await chain?.close();
}
