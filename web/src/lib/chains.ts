import type { Chain } from "viem";
import { arbitrum, arbitrumSepolia, base, baseSepolia, hardhat, mainnet, polygon, polygonAmoy } from "viem/chains";

import { config } from "./config";

/** Chains TRVL can run on. The local Hardhat chain has no block explorer: transactions link to our own page. */
const KNOWN: Record<number, Chain> = Object.fromEntries(
  [hardhat, base, baseSepolia, arbitrum, arbitrumSepolia, polygon, polygonAmoy, mainnet].map((c) => [c.id, c]),
);

export function chainById(id: number): Chain {
  const chain = KNOWN[id];
  if (!chain) throw new Error(`Chain ${id} is not supported (supported: ${Object.keys(KNOWN).join(", ")})`);
  return chain;
}

/** A chain with the configured RPC URL as its default, so every consumer (wallets adding it, test wallets) uses it. */
function withConfiguredRpc(chain: Chain): Chain {
  const url = config.rpcUrls[String(chain.id)];
  return url ? { ...chain, rpcUrls: { ...chain.rpcUrls, default: { http: [url] } } } : chain;
}

/** The chains this build serves, default first. */
export const appChains = [...new Set([config.defaultChainId, ...config.chainIds])].map((id) =>
  withConfiguredRpc(chainById(id)),
) as [Chain, ...Chain[]];

/** Where to look at a transaction: the chain's explorer, or the app's own transaction page on the local chain. */
export function txUrl(chainId: number, hash: string): string {
  const explorer = KNOWN[chainId]?.blockExplorers?.default.url;
  return explorer ? `${explorer}/tx/${hash}` : `/tx/${hash}?chain=${chainId}`;
}
