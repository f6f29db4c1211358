/**
 * Safe{Wallet}'s Transaction Builder batch files: a proposal exported this way can be loaded in the Safe app
 * ("Transaction Builder" → drag the file in) by owners who sign there instead of with this CLI. The format is the
 * builder's `BatchFile` (version "1.0"), with the checksum the app computes and checks on import.
 */
import { getDeployment, GOVERNED_CONTRACTS, multiSendAbi, PROTOCOL_CONTRACTS } from "@trvl/abi";
import {
  decodeFunctionData,
  getAddress,
  hexToBigInt,
  hexToNumber,
  keccak256,
  size,
  slice,
  stringToHex,
  type Abi,
  type AbiFunction,
  type Address,
  type Hex,
} from "viem";

import type { Call } from "./actions.js";
import type { Proposal } from "./proposal.js";
import { AdminError } from "./safe.js";

export interface BatchInput {
  name: string;
  type: string;
  internalType?: string;
  components?: BatchInput[];
}

export interface BatchTransaction {
  to: string;
  value: string;
  data: string | null;
  contractMethod?: { inputs: BatchInput[]; name: string; payable: boolean };
  contractInputsValues?: Record<string, string>;
}

export interface BatchFile {
  version: "1.0";
  chainId: string;
  createdAt: number;
  meta: {
    name: string;
    description: string;
    txBuilderVersion: string;
    createdFromSafeAddress: string;
    createdFromOwnerAddress: string;
    checksum?: string;
  };
  transactions: BatchTransaction[];
}

/** The Transaction Builder release whose file format this writes. */
const TX_BUILDER_VERSION = "1.18.0";

/**
 * The calls a proposal's Safe transaction makes: the call itself, or, for a batch (a delegatecall to MultiSend or
 * MultiSendCallOnly), each call packed into `multiSend(bytes)`.
 */
export function callsOf(proposal: Proposal): Call[] {
  const { to, value, data, operation } = proposal.transaction;
  if (operation === 0) return [{ to: getAddress(to), value, data: data as Hex }];
  let packed: Hex;
  try {
    [packed] = decodeFunctionData({ abi: multiSendAbi, data: data as Hex }).args;
  } catch {
    throw new AdminError(`the proposal delegatecalls ${to} with something other than multiSend: cannot export it`);
  }
  const calls: Call[] = [];
  for (let at = 0; at < size(packed);) {
    const op = hexToNumber(slice(packed, at, at + 1));
    if (op !== 0) throw new AdminError("a batched call is a delegatecall: the Transaction Builder cannot express it");
    const target = getAddress(slice(packed, at + 1, at + 21));
    const amount = hexToBigInt(slice(packed, at + 21, at + 53));
    const length = Number(hexToBigInt(slice(packed, at + 53, at + 85)));
    const callData = length === 0 ? "0x" : slice(packed, at + 85, at + 85 + length);
    calls.push({ to: target, value: amount.toString(), data: callData });
    at += 85 + length;
  }
  return calls;
}

/** The batch file for a proposal: one transaction per call, each decoded against the protocol's ABIs when it can be. */
export function toBatchFile(proposal: Proposal, createdAt: number): BatchFile {
  const byAddress = contractsByAddress(proposal.chainId);
  const batch: BatchFile = {
    version: "1.0",
    chainId: String(proposal.chainId),
    createdAt,
    meta: {
      name: proposal.description.slice(0, 100),
      description: `${proposal.description} (Safe nonce ${proposal.transaction.nonce}, safeTxHash ${proposal.safeTxHash})`,
      txBuilderVersion: TX_BUILDER_VERSION,
      createdFromSafeAddress: getAddress(proposal.safe),
      createdFromOwnerAddress: getAddress(proposal.proposedBy),
    },
    transactions: callsOf(proposal).map((call) => batchTransaction(call, byAddress.get(getAddress(call.to)))),
  };
  return { ...batch, meta: { ...batch.meta, checksum: batchChecksum(batch) } };
}

function batchTransaction(call: Call, abi: Abi | undefined): BatchTransaction {
  const raw: BatchTransaction = { to: call.to, value: call.value, data: call.data };
  if (!abi || call.data === "0x") return raw;
  let decoded: { functionName: string; args?: readonly unknown[] };
  try {
    decoded = decodeFunctionData({ abi, data: call.data });
  } catch {
    return raw;
  }
  const fn = abi.find(
    (item): item is AbiFunction =>
      item.type === "function" &&
      item.name === decoded.functionName &&
      item.inputs.length === (decoded.args?.length ?? 0),
  );
  if (!fn) return raw;
  return {
    ...raw,
    contractMethod: {
      inputs: fn.inputs.map(batchInput),
      name: fn.name,
      payable: fn.stateMutability === "payable",
    },
    contractInputsValues: Object.fromEntries(
      fn.inputs.map((input, i) => [input.name || `arg${i}`, inputValue(input, decoded.args?.[i])]),
    ),
  };
}

function batchInput(input: AbiFunction["inputs"][number]): BatchInput {
  const components = "components" in input ? input.components : undefined;
  return {
    name: input.name ?? "",
    type: input.type,
    internalType: input.internalType ?? input.type,
    ...(components ? { components: components.map(batchInput) } : {}),
  };
}

type Param = AbiFunction["inputs"][number];

/** Values as the builder's form fields hold them: numbers in decimal, tuples (positional) and arrays as JSON. */
function inputValue(input: Param, value: unknown): string {
  const plain = positional(input, value);
  return typeof plain === "string" ? plain : JSON.stringify(plain);
}

function positional(input: Param, value: unknown): unknown {
  if (input.type.endsWith("]")) {
    const element = { ...input, type: input.type.replace(/\[\d*\]$/, "") } as Param;
    return (value as unknown[]).map((v) => positional(element, v));
  }
  if (input.type === "tuple" && "components" in input) {
    const record = value as Record<string, unknown> & unknown[];
    return input.components.map((c, i) => positional(c, Array.isArray(value) ? record[i] : record[c.name!]));
  }
  return typeof value === "bigint" || typeof value === "number" || typeof value === "boolean" ? String(value) : value;
}

function contractsByAddress(chainId: number): Map<Address, Abi> {
  const map = new Map<Address, Abi>();
  let contracts: Record<string, { address: string }>;
  try {
    contracts = getDeployment(chainId).contracts as Record<string, { address: string }>;
  } catch {
    return map;
  }
  // Any other target is exported as raw calldata only.
  for (const name of GOVERNED_CONTRACTS) {
    if (contracts[name]) map.set(getAddress(contracts[name].address), PROTOCOL_CONTRACTS[name].abi);
  }
  return map;
}

// The Transaction Builder's checksum (apps/tx-builder/src/lib/checksum.ts): keccak256 of a canonical serialisation
// (keys sorted, `undefined` as null) of the file with `meta.name` set to null, so renaming a batch keeps it valid.
const replacer = (_: string, value: unknown) => (value === undefined ? null : value);

function serialize(json: unknown): string {
  if (Array.isArray(json)) return `[${json.map(serialize).join(",")}]`;
  if (typeof json === "object" && json !== null) {
    const keys = Object.keys(json).sort();
    let out = `{${JSON.stringify(keys, replacer)}`;
    for (const key of keys) out += `${serialize((json as Record<string, unknown>)[key])},`;
    return `${out}}`;
  }
  return JSON.stringify(json, replacer);
}

export function batchChecksum(batch: BatchFile): Hex {
  const { checksum: _checksum, ...meta } = batch.meta;
  return keccak256(stringToHex(serialize({ ...batch, meta: { ...meta, name: null } })));
}
