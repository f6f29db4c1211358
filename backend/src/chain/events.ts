/**
 * The TRVL events the listener stores: which contracts it watches, and how a log becomes a row (decoded arguments,
 * integers as decimal strings, the booking it concerns).
 */
import { PROTOCOL_CONTRACTS, WATCHED_CONTRACTS, type WatchedContractName } from "@trvl/abi";
import {
  decodeEventLog,
  getAddress,
  toEventSelector,
  type Abi,
  type AbiEvent,
  type Address,
  type Hex,
  type Log,
} from "viem";

/** A contract the listener reads: `@trvl/abi`'s registry says which. */
export type WatchedContract = WatchedContractName;

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

/**
 * Each watched contract's events by selector (topic 0): a log is decoded against its one event, instead of viem
 * hashing every event of the ABI to find it (a quarter of the time over a backfill's thousands of logs).
 */
const EVENTS_BY_SELECTOR = new Map(
  WATCHED_CONTRACTS.map((contract) => [
    contract,
    new Map(
      (PROTOCOL_CONTRACTS[contract].abi as Abi)
        .filter((item): item is AbiEvent => item.type === "event")
        .map((item) => [toEventSelector(item), [item]] as const),
    ),
  ]),
);

/** Decodes a log of a watched contract; null when the log is not one of its events (it is then not stored). */
export function decodeChainEvent(
  chainId: number,
  contract: WatchedContract,
  log: Log<bigint, number, false>,
  blockTime: Date,
): ChainEvent | null {
  const event = log.topics[0] && EVENTS_BY_SELECTOR.get(contract)?.get(log.topics[0]);
  if (!event) return null;
  let decoded: { eventName: string; args: unknown };
  try {
    decoded = decodeEventLog({ abi: event, data: log.data, topics: log.topics });
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
