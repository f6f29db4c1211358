/**
 * The TRVL events the listener stores: which contracts it watches, and how a log becomes a row (decoded arguments,
 * integers as decimal strings, the booking it concerns).
 */
import {
  bookingEscrowAbi,
  referralRegistryAbi,
  rewardDistributorAbi,
  timelockControllerAbi,
  trvlGovernorAbi,
  trvlStakingAbi,
  trvlTokenAbi,
} from "@trvl/abi";
import { decodeEventLog, getAddress, type Abi, type Address, type Hex, type Log } from "viem";

/** The contracts the listener reads, by the name `@trvl/abi` publishes them under. */
export const WATCHED_ABIS = {
  TRVLToken: trvlTokenAbi,
  ReferralRegistry: referralRegistryAbi,
  BookingEscrow: bookingEscrowAbi,
  RewardDistributor: rewardDistributorAbi,
  TRVLStaking: trvlStakingAbi,
  TRVLGovernor: trvlGovernorAbi,
  Timelock: timelockControllerAbi,
} as const satisfies Record<string, Abi>;

export type WatchedContract = keyof typeof WATCHED_ABIS;

export interface ChainEvent {
  chainId: number;
  txHash: Hex;
  logIndex: number;
  blockNumber: bigint;
  blockHash: Hex;
  blockTime: Date;
  address: Address;
  contract: WatchedContract;
  name: string;
  args: Record<string, unknown>;
  bookingId: string | null;
}

/** Arguments as JSON: bigints as decimal strings, arrays and tuples kept. */
export function jsonArgs(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(jsonArgs);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonArgs(v)]));
  }
  return value;
}

/** Decodes a log of a watched contract; null when the log is not one of its events (it is then not stored). */
export function decodeChainEvent(
  chainId: number,
  contract: WatchedContract,
  log: Log<bigint, number, false>,
  blockTime: Date,
): ChainEvent | null {
  let decoded: { eventName: string; args: unknown };
  try {
    decoded = decodeEventLog({ abi: WATCHED_ABIS[contract] as Abi, data: log.data, topics: log.topics });
  } catch {
    return null;
  }
  const args = jsonArgs(decoded.args ?? {}) as Record<string, unknown>;
  const bookingId = typeof args.bookingId === "string" ? args.bookingId.toLowerCase() : null;
  return {
    chainId,
    txHash: log.transactionHash,
    logIndex: log.logIndex,
    blockNumber: log.blockNumber,
    blockHash: log.blockHash,
    blockTime,
    address: getAddress(log.address),
    contract,
    name: decoded.eventName,
    args,
    bookingId,
  };
}
