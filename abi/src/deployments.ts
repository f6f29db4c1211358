import { deployments } from "./generated/deployments.ts";
import type { Address } from "./types.ts";

type Deployments = typeof deployments;
/** Every name a deployment publishes a contract under, on any chain (each chain has its own set). */
export type ContractName = { [C in keyof Deployments]: keyof Deployments[C]["contracts"] }[keyof Deployments];

export interface ContractDeployment {
  address: Address;
  /** Block of the deployment transaction: where indexers start. */
  blockNumber: number;
}

export interface ChainDeployment {
  chainId: number;
  contracts: Record<ContractName, ContractDeployment>;
}

/** The TRVL deployment on `chainId`, or a clear error naming the chains that have one. */
export function getDeployment(chainId: number): ChainDeployment {
  const deployment = (deployments as unknown as Record<number, ChainDeployment | undefined>)[chainId];
  if (deployment === undefined) {
    const known = Object.keys(deployments).join(", ");
    throw new Error(`TRVL is not deployed on chain ${chainId} (deployed on: ${known})`);
  }
  return deployment;
}
