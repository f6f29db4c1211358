import { access } from "node:fs/promises";
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { LOCAL_CHAIN_ID } from "@trvl/tooling/local-accounts";
import { REHEARSAL_CHAIN_ID, REHEARSAL_DEPLOYMENT_ID } from "../rehearsal/launch.js";
import { localDeployment } from "./local-deployment.js";
import { readIgnitionDeployment, readIgnitionDeployments, renderAbis, renderDeployments } from "./render.js";

export function generatedDir(hre: HardhatRuntimeEnvironment): string {
  return path.join(hre.config.paths.root, "abi", "src", "generated");
}

/** Where `npm run generate` records the launch rehearsal (a chain with Base Sepolia's id). */
export function rehearsalDeploymentDir(hre: HardhatRuntimeEnvironment): string {
  return path.join(hre.config.paths.ignition, "deployments", REHEARSAL_DEPLOYMENT_ID);
}

/**
 * What abi/src/generated should contain now, by file name: the local chain from a fresh in-process deployment, real
 * networks from ignition/deployments/chain-<id>, and Base Sepolia's chain id from the recorded launch rehearsal
 * until a real deployment there replaces it.
 */
export async function renderGenerated(hre: HardhatRuntimeEnvironment): Promise<Record<string, string>> {
  const chains = await readIgnitionDeployments(hre.config.paths.root, [LOCAL_CHAIN_ID]);
  const rehearsal = rehearsalDeploymentDir(hre);
  const rehearsed = await access(path.join(rehearsal, "deployed_addresses.json")).then(
    () => true,
    () => false,
  );
  if (chains[REHEARSAL_CHAIN_ID] === undefined && rehearsed) {
    chains[REHEARSAL_CHAIN_ID] = await readIgnitionDeployment(rehearsal);
  }
  const connection = await hre.network.create({ network: "default", chainType: "l1" });
  try {
    chains[LOCAL_CHAIN_ID] = await localDeployment(connection);
  } finally {
    await connection.close();
  }
  return {
    "abis.ts": await renderAbis(hre.artifacts),
    "deployments.ts": renderDeployments(chains),
  };
}
