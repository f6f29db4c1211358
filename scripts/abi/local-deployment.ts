import type { NetworkConnection } from "hardhat/types/network";

import { localDeploymentParameters } from "@trvl/tooling/local-accounts";

import TRVLLocal from "../../ignition/modules/TRVLLocal.js";
import type { DeployedContract } from "./render.js";

/**
 * Deploys the local module on a fresh in-process chain and records where each contract lands and in which block.
 * A fresh `hardhat node` gets the same addresses: same deployer, same nonces, same order.
 */
export async function localDeployment(connection: NetworkConnection<"l1">): Promise<Record<string, DeployedContract>> {
  const { ethers, ignition } = connection;
  const result = await ignition.deploy(TRVLLocal, { displayUi: false, parameters: localDeploymentParameters() });
  const head = await ethers.provider.getBlockNumber();
  // The first block with code at `address`: contracts created by other contracts (the Safe proxy) have no
  // deployment receipt of their own.
  const deploymentBlock = async (address: string) => {
    let [low, high] = [0, head];
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      if ((await ethers.provider.getCode(address, mid)) === "0x") low = mid + 1;
      else high = mid;
    }
    return low;
  };
  const contracts: Record<string, DeployedContract> = {};
  for (const [name, contract] of Object.entries(result)) {
    const address = await contract.getAddress();
    if ((await ethers.provider.getCode(address)) === "0x") throw new Error(`${name} has no code at ${address}`);
    contracts[name] = { address, blockNumber: await deploymentBlock(address) };
  }
  return contracts;
}
