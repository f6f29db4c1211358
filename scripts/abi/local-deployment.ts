import type { NetworkConnection } from "hardhat/types/network";

import TRVLLocal from "../../ignition/modules/TRVLLocal.js";
import type { DeployedContract } from "./render.js";

/**
 * Deploys the local module on a fresh in-process chain and records where each contract lands and in which block.
 * A fresh `hardhat node` gets the same addresses: same deployer, same nonces, same order.
 */
export async function localDeployment(connection: NetworkConnection<"l1">): Promise<Record<string, DeployedContract>> {
  const { ethers, ignition } = connection;
  const result = await ignition.deploy(TRVLLocal, { displayUi: false });
  const blockOf = new Map<string, number>();
  const head = await ethers.provider.getBlockNumber();
  for (let n = 0; n <= head; n++) {
    const block = await ethers.provider.getBlock(n, true);
    for (const tx of block?.prefetchedTransactions ?? []) {
      const receipt = await ethers.provider.getTransactionReceipt(tx.hash);
      if (receipt?.contractAddress) blockOf.set(receipt.contractAddress.toLowerCase(), n);
    }
  }
  const contracts: Record<string, DeployedContract> = {};
  for (const [name, contract] of Object.entries(result)) {
    const address = await contract.getAddress();
    const blockNumber = blockOf.get(address.toLowerCase());
    if (blockNumber === undefined) throw new Error(`no deployment transaction found for ${name} at ${address}`);
    contracts[name] = { address, blockNumber };
  }
  return contracts;
}
