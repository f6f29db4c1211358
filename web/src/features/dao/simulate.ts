import { GOVERNED_CONTRACTS, PROTOCOL_CONTRACTS, type GovernedContractName, type TrvlContract } from "@trvl/abi";
import {
  BaseError,
  decodeErrorResult,
  decodeFunctionData,
  type Abi,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";

import type { ProposalCall } from "./templates";

/** The contracts a proposal can call (the timelock administers all of them), each with its address and ABI. */
export type Governed = { [N in GovernedContractName]: TrvlContract<N> };

const abiOf = (name: GovernedContractName) => PROTOCOL_CONTRACTS[name].abi as Abi;

const json = (value: unknown) => JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v));

/** `RewardDistributor.setSplit({"traveller":7500,…})`, or the raw selector for a contract or function it does not know. */
export function describeCall(
  call: ProposalCall,
  nameOf: (address: Address) => GovernedContractName | undefined,
): string {
  const name = nameOf(call.target);
  const value = call.value > 0n ? ` with ${call.value} wei` : "";
  if (name) {
    try {
      const { functionName, args } = decodeFunctionData({ abi: abiOf(name), data: call.data });
      return `${name}.${functionName}(${(args ?? []).map(json).join(", ")})${value}`;
    } catch {
      // Not one of its functions: shown raw.
    }
  }
  return `${name ?? call.target}: ${call.data.slice(0, 10)}… (${(call.data.length - 2) / 2} bytes)${value}`;
}

/** Why a call reverted, in the contract's own words when its ABI knows the error: `InvalidSplit()`. */
export function revertReason(error: unknown, abi: Abi | undefined): string {
  if (error instanceof BaseError) {
    const raw = error.walk((e) => typeof (e as { data?: unknown }).data === "string") as { data?: Hex } | null;
    const data = raw?.data;
    if (data && data !== "0x") {
      for (const candidate of [abi, ...GOVERNED_CONTRACTS.map(abiOf)]) {
        if (!candidate) continue;
        try {
          const decoded = decodeErrorResult({ abi: candidate as Abi, data });
          return `${decoded.errorName}(${(decoded.args ?? []).map(json).join(", ")})`;
        } catch {
          // Try the next ABI.
        }
      }
      return `reverted with ${data.slice(0, 10)}`;
    }
    return error.shortMessage;
  }
  return error instanceof Error ? error.message : String(error);
}

export interface SimulatedCall {
  text: string;
  ok: boolean;
  reason?: string;
}

export interface Simulation {
  calls: SimulatedCall[];
  /** Whether the governor takes the proposal from this account now (enough votes, not a duplicate). */
  propose: { ok: boolean; reason?: string };
  ok: boolean;
}

/**
 * Runs each call as the timelock will run it once the proposal passes (an `eth_call` from the timelock against the
 * current chain), and the proposal itself as the proposer would send it.
 */
export async function simulateProposal(options: {
  client: PublicClient;
  governor: TrvlContract<"TRVLGovernor">;
  timelock: Address;
  proposer: Address;
  calls: ProposalCall[];
  description: string;
  nameOf: (address: Address) => GovernedContractName | undefined;
}): Promise<Simulation> {
  const { client, calls, nameOf } = options;
  const results = await Promise.all(
    calls.map(async (call): Promise<SimulatedCall> => {
      const text = describeCall(call, nameOf);
      try {
        await client.call({ account: options.timelock, to: call.target, data: call.data, value: call.value });
        return { text, ok: true };
      } catch (error) {
        const name = nameOf(call.target);
        return { text, ok: false, reason: revertReason(error, name ? abiOf(name) : undefined) };
      }
    }),
  );
  let propose: Simulation["propose"];
  try {
    await client.simulateContract({
      ...options.governor,
      functionName: "propose",
      args: [calls.map((c) => c.target), calls.map((c) => c.value), calls.map((c) => c.data), options.description],
      account: options.proposer,
    });
    propose = { ok: true };
  } catch (error) {
    propose = { ok: false, reason: revertReason(error, options.governor.abi as Abi) };
  }
  return { calls: results, propose, ok: propose.ok && results.every((r) => r.ok) };
}
