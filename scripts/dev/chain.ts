import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { getDeployment } from "@trvl/abi";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import TRVLLocal from "../../ignition/modules/TRVLLocal.js";
import { execute, propose, sign } from "../admin/commands.js";
import { connect } from "../admin/safe.js";
import {
  LOCAL_ACCOUNT_INDEX,
  LOCAL_CHAIN_ID,
  localAccount,
  localDeploymentParameters,
} from "@trvl/tooling/local-accounts";

/** Test-dollar balance every local traveller account starts with. */
const SEED_STABLECOIN = 100_000n * 10n ** 6n;
const SEEDED_ACCOUNTS = 20;
/** The guardian Safe streams this much of its genesis TRVL to stakers over a month, as admins would. */
const STAKING_REWARDS = ["100000", "30d"];

export interface LocalChain {
  url: string;
  contracts: Record<string, string>;
  close(): Promise<void>;
}

/** Funds staking rewards through the guardian Safe: owner 1 proposes, owner 2 signs, owner 3 executes. */
async function fundStakingRewards(rpcUrl: string) {
  const owner = (n: 1 | 2 | 3) =>
    connect({ rpcUrl, privateKey: localAccount(LOCAL_ACCOUNT_INDEX[`safeOwner${n}`]).privateKey as `0x${string}` });
  const dir = await mkdtemp(path.join(tmpdir(), "trvl-safe-"));
  try {
    const file = path.join(dir, "fund-staking-rewards.json");
    await propose(await owner(1), "fund-staking-rewards", STAKING_REWARDS, file);
    await sign(await owner(2), file);
    await execute(await owner(3), file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Turns on EDR's interval mining beside automining (a block per transaction stays as it is). */
async function setIntervalMining(url: string, intervalMs: number) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "evm_setIntervalMining", params: [intervalMs] }),
  });
  const body = (await response.json()) as { error?: { message: string } };
  if (body.error) throw new Error(`the local node refused interval mining: ${body.error.message}`);
}

/**
 * Starts a local chain (Hardhat's EDR behind a JSON-RPC server), deploys the whole system with the local Ignition
 * module, seeds the test accounts with test dollars and has the guardian Safe fund a month of staking rewards. The addresses are checked against `@trvl/abi`, which the
 * backend and web import, so a stale generated module fails here instead of confusing everything downstream.
 */
export async function startLocalChain(
  hre: HardhatRuntimeEnvironment,
  host: string,
  port: number,
  options: {
    /** Ignition journal name; chains that run beside `npm start` (tests, benchmarks) need their own. */
    deploymentId?: string;
    /**
     * Also mine a block every this many milliseconds, besides one per transaction, so that time-based state (a
     * proposal's voting window, staking yield) advances while nobody transacts. Unset or 0: blocks only on demand.
     */
    blockIntervalMs?: number;
  } = {},
): Promise<LocalChain> {
  // Blocks mined on arrival may share a timestamp, as a real chain's transactions share a block: otherwise every
  // transaction adds a second, and under load the chain's clock runs far ahead of the wall's (38 s per second at
  // 60 transactions a second). As on a fast L2, a vote delegated in this second counts from the next one.
  const server = await hre.network.createServer(
    { network: "default", chainType: "l1", override: { allowBlocksWithSameTimestamp: true } },
    host,
    port,
  );
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
    parameters: localDeploymentParameters(),
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
  await fundStakingRewards(url);
  // After the deployment, so that it lands in the same blocks at the same addresses with or without interval mining.
  if (options.blockIntervalMs) await setIntervalMining(url, options.blockIntervalMs);

  return {
    url,
    contracts,
    close: async () => {
      await server.close();
      if (options.deploymentId) await rm(journal, { recursive: true, force: true });
    },
  };
}
