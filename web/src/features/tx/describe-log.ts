/**
 * A transaction's events in plain words: each decoded with the ABI of the TRVL contract that emitted it, contracts by
 * name, amounts in their token's units, basis points as percentages and times as dates.
 */
import { getDeployment, PROTOCOL_CONTRACTS, WATCHED_CONTRACTS } from "@trvl/abi";
import { decodeEventLog, getAddress, zeroAddress, type Log } from "viem";

import { formatBps, formatDateTime, formatToken } from "@/lib/format";

/** The ABIs of every contract whose events TRVL records. */
const ABIS = WATCHED_CONTRACTS.map((name) => PROTOCOL_CONTRACTS[name].abi);

export interface NamedAddresses {
  /** The deployment's contract name for an address, if it is one of TRVL's. */
  nameOf(address: string): string | undefined;
  /** Decimals and symbol of a payment token or TRVL, by address (the zero address is ETH). */
  tokenOf(address: string): { decimals: number; symbol: string } | undefined;
}

export function namedAddresses(chainId: number): NamedAddresses {
  let contracts: Record<string, { address: string }> = {};
  try {
    contracts = getDeployment(chainId).contracts;
  } catch {
    // No TRVL deployment on this chain: addresses stay addresses.
  }
  const names = new Map(Object.entries(contracts).map(([name, c]) => [getAddress(c.address), name]));
  const nameOf = (address: string) => names.get(getAddress(address));
  return {
    nameOf,
    tokenOf(address) {
      if (getAddress(address) === zeroAddress) return { decimals: 18, symbol: "ETH" };
      const name = nameOf(address);
      if (name === "TRVLToken") return { decimals: 18, symbol: "TRVL" };
      if (name === "Stablecoin") return { decimals: 6, symbol: "tUSD" };
      return undefined;
    },
  };
}

const AMOUNT = /amount|commission|value|fee|reward|stake|assets|balance|refund|paid/i;
const BPS = /bps$/i;
const TIME = /(At|Time|time|deadline|eta|Eta)$/;
// Contracts whose amounts are TRVL unless an argument names another token.
const TRVL_AMOUNTS = new Set(["TRVLToken", "TRVLStaking", "RewardDistributor"]);

export interface DescribedLog {
  name: string;
  emitter: { address: string; name?: string };
  args: { key: string; value: string; address?: string }[];
}

/** One log as a sentence's parts; undefined when no TRVL contract's ABI decodes it. */
export function describeLog(
  log: Pick<Log, "address" | "data" | "topics">,
  named: NamedAddresses,
): DescribedLog | undefined {
  for (const abi of ABIS) {
    let event: { eventName?: string; args?: unknown };
    try {
      event = decodeEventLog({ abi, data: log.data, topics: log.topics });
    } catch {
      continue; // Not this contract's event.
    }
    const raw = (event.args ?? {}) as Record<string, unknown>;
    const emitterName = named.nameOf(log.address);
    const paidIn = typeof raw.token === "string" ? named.tokenOf(raw.token) : undefined;
    const unit =
      paidIn ?? (emitterName && TRVL_AMOUNTS.has(emitterName) ? { decimals: 18, symbol: "TRVL" } : undefined);
    const args = Object.entries(raw).map(([key, value]) => {
      if (typeof value === "string" && /^0x[0-9a-fA-F]{40}$/.test(value)) {
        const name = named.nameOf(value);
        return { key, value: name ? `${name} (${value})` : value, address: value };
      }
      if (typeof value === "bigint" || typeof value === "number") {
        const big = BigInt(value);
        // Reward prices are feed answers, not amounts: shown as they are.
        if (TIME.test(key) && big > 1_000_000_000n && big < 10_000_000_000n)
          return { key, value: formatDateTime(Number(big)) };
        if (BPS.test(key)) return { key, value: formatBps(big) };
        if (!/price/i.test(key) && AMOUNT.test(key) && unit)
          return { key, value: formatToken(big, unit.decimals, unit.symbol, 6) };
      }
      return { key, value: String(value) };
    });
    return { name: event.eventName ?? "", emitter: { address: log.address, name: emitterName }, args };
  }
  return undefined;
}
