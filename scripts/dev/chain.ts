import { rm } from "node:fs/promises";
import path from "node:path";

import { getDeployment } from "@trvl/abi";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import TRVLLocal from "../../ignition/modules/TRVLLocal.js";
import { LOCAL_ACCOUNT_INDEX, LOCAL_CHAIN_ID } from "../lib/local-accounts.js";

/** Test-dollar balance every local traveller account starts with. */
const SEED_STABLECOIN = 100_000n * 10n ** 6n;
const SEEDED_ACCOUNTS = 20;

export interface LocalChain {
  url: string;
  contracts: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Starts a local chain (Hardhat's EDR behind a JSON-RPC server), deploys the whole system with the local Ignition
 * module and seeds the test accounts with test dollars. The addresses are checked against `@trvl/abi`, which the
 * backend and web import, so a stale generated module fails here instead of confusing everything downstream.
 */
export async function startLocalChain(
  hre: HardhatRuntimeEnvironment,
  host: string,
  port: number,
  options: {
    /** Ignition journal name; chains that run beside `npm start` (tests, benchmarks) need their own. */
    deploymentId?: string;
  } = {},
): Promise<LocalChain> {
  const server = await hre.network.createServer({ network: "default", chainType: "l1" }, host, port);
  const listening = await server.listen();
  const url = `http://${listening.address}:${listening.port}`;

  // Each start is a fresh chain: forget the previous run's Ignition journal for it.
  const journal = path.join(
    hre.config.paths.root,
    "ignition",
    "deployments",
    options.deploymentId ?? `chain-${LOCAL_CHAIN_ID}`,
  );
  await rm(journal, { recursive: true, force: true });
  const connection = await hre.network.create({ network: "localhost", chainType: "l1", override: { url } });
  const deployed = await connection.ignition.deploy(TRVLLocal, {
    displayUi: false,
    deploymentId: options.deploymentId,
  });

  const contracts: Record<string, string> = {};
  const published = getDeployment(LOCAL_CHAIN_ID).contracts as Record<string, { address: string }>;
  for (const [name, contract] of Object.entries(deployed)) {
    contracts[name] = await contract.getAddress();
    if (published[name]?.address !== contracts[name]) {
      throw new Error(
        `${name} deployed at ${contracts[name]} but @trvl/abi says ${published[name]?.address}: run \`npm run generate\``,
      );
    }
  }

  const signers = await connection.ethers.getSigners();
  const stablecoin = await connection.ethers.getContractAt("MockStablecoin", contracts.Stablecoin);
  for (let i = LOCAL_ACCOUNT_INDEX.traveller; i < SEEDED_ACCOUNTS; i++) {
    await (await stablecoin.mint(signers[i].address, SEED_STABLECOIN)).wait();
  }
  await connection.close();

  return {
    url,
    contracts,
    close: async () => {
      await server.close();
      if (options.deploymentId) await rm(journal, { recursive: true, force: true });
    },
  };
}
