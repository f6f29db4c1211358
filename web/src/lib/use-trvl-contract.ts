"use client";

import { contract, type ProtocolContractName, type TrvlContract } from "@trvl/abi";
import { useMemo } from "react";

import { useDeployment } from "./use-deployment";

/**
 * A TRVL contract on the wallet's chain, its address and ABI together, by its name in `@trvl/abi`'s registry (as
 * Scaffold-ETH 2's deployed-contract hooks do): spread it into wagmi's calls, `{ ...escrow, functionName, args }`.
 * For components under `WalletGate`, which renders nothing until the chain has a TRVL deployment; elsewhere use
 * `useTrvlContractIfDeployed`.
 */
export function useTrvlContract<N extends ProtocolContractName>(name: N): TrvlContract<N> {
  const found = useTrvlContractIfDeployed(name);
  if (!found) throw new Error(`${name} is not deployed on this chain: render this component under WalletGate`);
  return found;
}

/** The contract on the wallet's chain, or undefined when the chain has no TRVL deployment or not this contract. */
export function useTrvlContractIfDeployed<N extends ProtocolContractName>(name: N): TrvlContract<N> | undefined {
  const { chainId, deployment } = useDeployment();
  return useMemo(() => {
    if (!deployment || !(name in deployment.contracts)) return undefined;
    return contract(chainId, name);
  }, [chainId, deployment, name]);
}

/**
 * Several contracts on the wallet's chain, by name, or undefined unless the chain has every one of them. `names` is a
 * module constant (the memo depends on it).
 */
export function useTrvlContracts<const N extends ProtocolContractName>(
  names: readonly N[],
): { [K in N]: TrvlContract<K> } | undefined {
  const { chainId, deployment } = useDeployment();
  return useMemo(() => {
    if (!deployment || names.some((name) => !(name in deployment.contracts))) return undefined;
    return Object.fromEntries(names.map((name) => [name, contract(chainId, name)])) as { [K in N]: TrvlContract<K> };
  }, [chainId, deployment, names]);
}
