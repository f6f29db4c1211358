/**
 * The protocol's contracts by the name each deployment publishes them under, with their ABIs: the one list the
 * backend's listener, the web and the subgraph's manifest read. `watched` contracts are the ones whose events the
 * listener stores and the subgraph indexes.
 */
import { getDeployment } from "./deployments.ts";
import {
  bookingEscrowAbi,
  guardianCancellerAbi,
  mockStablecoinAbi,
  mockV3AggregatorAbi,
  referralRegistryAbi,
  rewardDistributorAbi,
  timelockControllerAbi,
  trvlGovernorAbi,
  trvlStakingAbi,
  trvlTokenAbi,
} from "./generated/abis.ts";
import { multiSendAbi, safeAbi } from "./safe.ts";
import type { Address } from "./types.ts";

export const PROTOCOL_CONTRACTS = {
  TRVLToken: { abi: trvlTokenAbi, watched: true },
  ReferralRegistry: { abi: referralRegistryAbi, watched: true },
  BookingEscrow: { abi: bookingEscrowAbi, watched: true },
  RewardDistributor: { abi: rewardDistributorAbi, watched: true },
  TRVLStaking: { abi: trvlStakingAbi, watched: true },
  TRVLGovernor: { abi: trvlGovernorAbi, watched: true },
  Timelock: { abi: timelockControllerAbi, watched: true },
  /** Holds the timelock's cancel role for the guardian: its veto, never over changes to the guardian's own roles. */
  GuardianCanceller: { abi: guardianCancellerAbi, watched: false },
  /** The payment stablecoin: ERC-20 with ERC-2612 permit (a mock on the local chain). */
  Stablecoin: { abi: mockStablecoinAbi, watched: false },
  /** Chainlink USD price feeds (AggregatorV3Interface; mocks on the local chain). */
  EthUsdFeed: { abi: mockV3AggregatorAbi, watched: false },
  StablecoinUsdFeed: { abi: mockV3AggregatorAbi, watched: false },
  TrvlUsdFeed: { abi: mockV3AggregatorAbi, watched: false },
  /** The guardian multisig (Safe 1.4.1) and the Safe libraries its batches delegatecall. */
  Guardian: { abi: safeAbi, watched: false },
  MultiSend: { abi: multiSendAbi, watched: false },
  MultiSendCallOnly: { abi: multiSendAbi, watched: false },
} as const;

export type ProtocolContractName = keyof typeof PROTOCOL_CONTRACTS;

export type WatchedContractName = {
  [N in ProtocolContractName]: (typeof PROTOCOL_CONTRACTS)[N]["watched"] extends true ? N : never;
}[ProtocolContractName];

/** The contracts whose events the listener and the subgraph read, in the registry's order. */
export const WATCHED_CONTRACTS = (Object.keys(PROTOCOL_CONTRACTS) as ProtocolContractName[]).filter(
  (name) => PROTOCOL_CONTRACTS[name].watched,
) as WatchedContractName[];

/** The contracts the timelock administers (roles, pauses, parameters): what proposals and admin batches call. */
export const GOVERNED_CONTRACTS = [
  "RewardDistributor",
  "TRVLStaking",
  "BookingEscrow",
  "TRVLToken",
  "TRVLGovernor",
  "Timelock",
] as const satisfies readonly WatchedContractName[];

export type GovernedContractName = (typeof GOVERNED_CONTRACTS)[number];

/** What a contract call needs, and nothing else, so it spreads into viem's and wagmi's parameters. */
export interface TrvlContract<N extends ProtocolContractName> {
  address: Address;
  abi: (typeof PROTOCOL_CONTRACTS)[N]["abi"];
}

/** Contract `name` on `chainId`: its address and ABI together, or a clear error naming what is missing. */
export function contract<N extends ProtocolContractName>(chainId: number, name: N): TrvlContract<N> {
  const deployed = (
    getDeployment(chainId).contracts as Partial<Record<string, { address: Address; blockNumber: number }>>
  )[name];
  if (deployed === undefined) throw new Error(`${name} is not deployed on chain ${chainId}`);
  return { address: deployed.address, abi: PROTOCOL_CONTRACTS[name].abi };
}
