/**
 * The chain as the API sees it: one viem public client, the TRVL deployment from `@trvl/abi`, and the signing keys
 * the API holds (quote signer, referral relayer). The listener and keeper build on the same client.
 */
import { getDeployment, type ChainDeployment, type ContractName } from "@trvl/abi";
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  type Address,
  type Chain,
  type Hex,
  type LocalAccount,
  type PublicClient,
  type WalletClient,
  type Transport,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { arbitrum, arbitrumSepolia, base, baseSepolia, hardhat, polygon, polygonAmoy } from "viem/chains";

import type { Config } from "../config/index.js";
import { ApiError } from "../http/errors.js";

const KNOWN_CHAINS: Chain[] = [hardhat, base, baseSepolia, arbitrum, arbitrumSepolia, polygon, polygonAmoy];

export interface ChainContext {
  chain: Chain;
  /** The RPC transport, shared by the public client and any wallet (the keeper's). */
  transport: Transport;
  client: PublicClient<Transport, Chain>;
  deployment: ChainDeployment;
  /** Address of a deployed TRVL contract, or undefined when this deployment has none of that name (yet). */
  contract(name: string): Address | undefined;
  quoteSigner: LocalAccount;
  relayer: WalletClient<Transport, Chain, LocalAccount> | undefined;
  /** Multicall through the chain's Multicall3, or deployless on chains without one (the local chain). */
  multicallOptions: { multicallAddress: Address } | { deployless: true };
}

export function chainFor(chainId: number, rpcUrl: string): Chain {
  const known = KNOWN_CHAINS.find((chain) => chain.id === chainId);
  if (known) return { ...known, rpcUrls: { default: { http: [rpcUrl] } } };
  return defineChain({
    id: chainId,
    name: `Chain ${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}

export function createChainContext(config: Config): ChainContext {
  const chain = chainFor(config.CHAIN_ID, config.CHAIN_RPC_URL);
  const transport = http(config.CHAIN_RPC_URL, { timeout: 10_000, retryCount: 1, batch: { wait: 0 } });
  const client = createPublicClient({ chain, transport });
  const deployment = getDeployment(config.CHAIN_ID);
  const contracts = deployment.contracts as Record<string, { address: Address } | undefined>;
  const multicall3 = chain.contracts?.multicall3?.address;
  return {
    chain,
    transport,
    client,
    deployment,
    contract: (name) => contracts[name]?.address,
    quoteSigner: privateKeyToAccount(config.QUOTE_SIGNER_PRIVATE_KEY),
    relayer: config.RELAYER_PRIVATE_KEY
      ? createWalletClient({ chain, transport, account: privateKeyToAccount(config.RELAYER_PRIVATE_KEY) })
      : undefined,
    multicallOptions: multicall3 ? { multicallAddress: multicall3 } : { deployless: true },
  };
}

/** The address of a contract the API cannot work without. */
export function requireContract(chain: ChainContext, name: ContractName): Address {
  const address = chain.contract(name);
  if (!address) throw new ApiError(503, "contract_not_deployed", `${name} is not deployed on chain ${chain.chain.id}`);
  return address;
}

/** Runs a chain read; an unreachable or failing node becomes a 503 instead of an unhandled error. */
export async function chainRead<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(503, "chain_unavailable", "The chain node did not answer", {
      reason: error instanceof Error ? error.message.split("\n")[0] : String(error),
    });
  }
}

/**
 * The chain's own "now" (the latest block's timestamp, unix seconds): deadlines that a contract checks against
 * `block.timestamp` are counted from it, since a chain's clock may run ahead of or behind the server's.
 */
export async function chainTime(chain: ChainContext): Promise<bigint> {
  const block = await chainRead(() => chain.client.getBlock({ blockTag: "latest" }));
  return block.timestamp;
}

export type { Hex };
