"use client";

import { getDeployment, type ChainDeployment } from "@trvl/abi";
import { useAccount, useChainId } from "wagmi";

import { config } from "./config";

/** The TRVL deployment on the chain the wallet is on (or the default chain before one connects). */
export function useDeployment(): { chainId: number; deployment: ChainDeployment | null } {
  const { chainId: walletChainId } = useAccount();
  const configChainId = useChainId();
  const chainId = walletChainId ?? configChainId ?? config.defaultChainId;
  try {
    return { chainId, deployment: getDeployment(chainId) };
  } catch {
    return { chainId, deployment: null };
  }
}
