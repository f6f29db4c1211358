import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { LOCAL_CHAIN_ID } from "@trvl/tooling/local-accounts";
import { localDeployment } from "./local-deployment.js";
import { readIgnitionDeployments, renderAbis, renderDeployments } from "./render.js";

export function generatedDir(hre: HardhatRuntimeEnvironment): string {
  return path.join(hre.config.paths.root, "abi", "src", "generated");
}

/** What abi/src/generated should contain now, by file name. */
export async function renderGenerated(hre: HardhatRuntimeEnvironment): Promise<Record<string, string>> {
  const chains = await readIgnitionDeployments(hre.config.paths.root, [LOCAL_CHAIN_ID]);
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
