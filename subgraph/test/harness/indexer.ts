/**
 * A miniature graph-node: reads the built subgraph (build/subgraph.yaml, the data sources' wasm and ABIs), and feeds
 * it raw Ethereum logs, as JSON-RPC returns them, in order. Each log that matches a data source's address and one of
 * its event handlers becomes an `ethereum.Event` (parameters decoded with the data source's ABI) passed to that
 * handler; all data sources write to one in-memory store.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

import {
  decodeEventLog,
  hexToBytes,
  toEventSelector,
  type Abi,
  type AbiEvent,
  type AbiParameter,
  type Hex,
} from "viem";
import { parse } from "yaml";

import { instantiate, type HostContext, type LogEntry, type MappingModule } from "./host.js";
import { EthereumKind, type EthereumEventData, type EthereumValue } from "./memory.js";
import { Schema, Store } from "./store.js";

/** A log as `eth_getLogs` returns it. */
export interface RpcLog {
  address: Hex;
  topics: Hex[];
  data: Hex;
  blockNumber: Hex;
  blockHash: Hex;
  transactionHash: Hex;
  transactionIndex: Hex;
  logIndex: Hex;
}

/** The block and transaction fields an `ethereum.Event` carries, as `eth_getBlockBy*`/`eth_getTransactionBy*` return them. */
export interface RpcBlock {
  hash: Hex;
  parentHash: Hex;
  number: Hex;
  timestamp: Hex;
  miner: Hex;
  gasUsed: Hex;
  gasLimit: Hex;
  baseFeePerGas?: Hex | null;
}

export interface RpcTransaction {
  hash: Hex;
  transactionIndex: Hex;
  from: Hex;
  to: Hex | null;
  value: Hex;
  gas: Hex;
  gasPrice?: Hex;
  input: Hex;
  nonce: Hex;
}

interface Handler {
  event: AbiEvent;
  handler: string;
}

interface LoadedDataSource {
  name: string;
  address: string;
  startBlock: number;
  abi: Abi;
  handlers: Map<Hex, Handler>;
  module: MappingModule;
}

interface ManifestDataSource {
  name: string;
  network: string;
  source: { address: string; abi: string; startBlock?: number };
  mapping: { abis: { name: string; file: string }[]; eventHandlers: { event: string; handler: string }[] };
}

/** `Transfer(indexed address,indexed address,uint256)` → the event in `abi` with that signature. */
function eventFor(abi: Abi, manifestSignature: string): AbiEvent {
  const signature = manifestSignature.replace(/indexed /g, "");
  const event = abi.find(
    (item): item is AbiEvent => item.type === "event" && toEventSelector(item) === toEventSelector(signature),
  );
  if (event === undefined) throw new Error(`no event ${signature} in the ABI`);
  return event;
}

/** A decoded ABI value as graph-node's `ethereum.Value`. */
export function toEthereumValue(param: AbiParameter, value: unknown): EthereumValue {
  const type = param.type;
  const array = /^(.*)\[(\d*)\]$/.exec(type);
  if (array !== null) {
    const element = { ...param, type: array[1] } as AbiParameter;
    const items = (value as unknown[]).map((item) => toEthereumValue(element, item));
    return { kind: array[2] === "" ? EthereumKind.ARRAY : EthereumKind.FIXED_ARRAY, value: items };
  }
  if (type === "tuple") {
    const components = (param as { components: readonly AbiParameter[] }).components;
    const items = components.map((component, i) =>
      toEthereumValue(component, Array.isArray(value) ? value[i] : (value as Record<string, unknown>)[component.name!]),
    );
    return { kind: EthereumKind.TUPLE, value: items };
  }
  if (type === "address") return { kind: EthereumKind.ADDRESS, value: hexToBytes(value as Hex) };
  if (type === "bool") return { kind: EthereumKind.BOOL, value: value as boolean };
  if (type === "string") return { kind: EthereumKind.STRING, value: value as string };
  if (type === "bytes") return { kind: EthereumKind.BYTES, value: hexToBytes(value as Hex) };
  if (/^bytes\d+$/.test(type)) return { kind: EthereumKind.FIXED_BYTES, value: hexToBytes(value as Hex) };
  if (/^uint\d*$/.test(type)) return { kind: EthereumKind.UINT, value: BigInt(value as bigint | number) };
  if (/^int\d*$/.test(type)) return { kind: EthereumKind.INT, value: BigInt(value as bigint | number) };
  throw new Error(`unsupported ABI type ${type}`);
}

export class Indexer {
  readonly logs: LogEntry[];
  /** Handlers run, by name: which events the subgraph processed. */
  readonly handled = new Map<string, number>();
  private readonly txLogCount = new Map<string, number>();

  private constructor(
    readonly store: Store,
    private readonly context: HostContext,
    private readonly dataSources: LoadedDataSource[],
  ) {
    this.logs = context.logs;
  }

  /** Loads the subgraph `graph build` wrote to `buildDir`. */
  static async load(buildDir: string): Promise<Indexer> {
    const manifest = parse(await readFile(path.join(buildDir, "subgraph.yaml"), "utf8")) as {
      schema: { file: string };
      dataSources: (ManifestDataSource & { mapping: { file: string } })[];
    };
    const store = new Store(new Schema(await readFile(path.join(buildDir, manifest.schema.file), "utf8")));
    const context: HostContext = { store, logs: [] };
    const dataSources: LoadedDataSource[] = [];
    for (const source of manifest.dataSources) {
      const abiFile = source.mapping.abis.find((abi) => abi.name === source.source.abi)!.file;
      const abi = JSON.parse(await readFile(path.join(buildDir, abiFile), "utf8")) as Abi;
      const handlers = new Map<Hex, Handler>();
      for (const { event, handler } of source.mapping.eventHandlers) {
        const abiEvent = eventFor(abi, event);
        handlers.set(toEventSelector(abiEvent), { event: abiEvent, handler });
      }
      // Each data source gets its own instance, like in graph-node, with its own address for `dataSource.address()`.
      const sourceContext: HostContext = {
        ...context,
        address: hexToBytes(source.source.address as Hex),
        network: source.network,
      };
      const module = await instantiate(await readFile(path.join(buildDir, source.mapping.file)), sourceContext);
      dataSources.push({
        name: source.name,
        address: source.source.address.toLowerCase(),
        startBlock: source.source.startBlock ?? 0,
        abi,
        handlers,
        module,
      });
    }
    return new Indexer(store, context, dataSources);
  }

  /** Data source addresses, for `eth_getLogs`. */
  get addresses(): string[] {
    return this.dataSources.map((source) => source.address);
  }

  get startBlock(): number {
    return Math.min(...this.dataSources.map((source) => source.startBlock));
  }

  /** Runs the handler of every data source that listens to this log; returns how many ran. */
  process(log: RpcLog, block: RpcBlock, tx: RpcTransaction): number {
    const txKey = log.transactionHash.toLowerCase();
    const transactionLogIndex = this.txLogCount.get(txKey) ?? 0;
    this.txLogCount.set(txKey, transactionLogIndex + 1);
    let ran = 0;
    for (const source of this.dataSources) {
      if (source.address !== log.address.toLowerCase() || Number(log.blockNumber) < source.startBlock) continue;
      const handler = source.handlers.get(log.topics[0]);
      if (handler === undefined) continue;
      const decoded = decodeEventLog({ abi: [handler.event], data: log.data, topics: log.topics as [Hex, ...Hex[]] });
      const args = decoded.args as unknown as Record<string, unknown>;
      const event: EthereumEventData = {
        address: hexToBytes(log.address),
        logIndex: BigInt(log.logIndex),
        transactionLogIndex: BigInt(transactionLogIndex),
        block: {
          hash: hexToBytes(block.hash),
          parentHash: hexToBytes(block.parentHash),
          number: BigInt(block.number),
          timestamp: BigInt(block.timestamp),
          author: hexToBytes(block.miner),
          gasUsed: BigInt(block.gasUsed),
          gasLimit: BigInt(block.gasLimit),
          baseFeePerGas: block.baseFeePerGas == null ? null : BigInt(block.baseFeePerGas),
        },
        transaction: {
          hash: hexToBytes(tx.hash),
          index: BigInt(tx.transactionIndex),
          from: hexToBytes(tx.from),
          to: tx.to === null ? null : hexToBytes(tx.to),
          value: BigInt(tx.value),
          gasLimit: BigInt(tx.gas),
          gasPrice: BigInt(tx.gasPrice ?? "0x0"),
          input: hexToBytes(tx.input),
          nonce: BigInt(tx.nonce),
        },
        params: handler.event.inputs.map((input, i) => ({
          name: input.name ?? "",
          value: toEthereumValue(input, args[input.name ?? String(i)]),
        })),
      };
      try {
        source.module.handleEvent(handler.handler, event);
      } catch (error) {
        throw new Error(
          `${source.name}.${handler.handler} failed on log ${Number(log.logIndex)} of block ${Number(log.blockNumber)}: ${(error as Error).message}`,
          { cause: error },
        );
      }
      this.handled.set(handler.handler, (this.handled.get(handler.handler) ?? 0) + 1);
      ran += 1;
    }
    return ran;
  }
}
