/**
 * Feeding the indexer: real logs from any JSON-RPC endpoint, or well-formed logs built from an ABI for unit tests.
 */
import {
  encodeAbiParameters,
  encodeEventTopics,
  keccak256,
  numberToHex,
  toHex,
  type Abi,
  type AbiEvent,
  type Hex,
} from "viem";

import type { Indexer, RpcBlock, RpcLog, RpcTransaction } from "./indexer.js";

export interface Eip1193Provider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

/** Indexes every log of the subgraph's contracts from its start block to `toBlock` (default: latest). */
export async function indexChain(indexer: Indexer, provider: Eip1193Provider, toBlock?: number): Promise<number> {
  const to = toBlock ?? Number(await provider.request({ method: "eth_blockNumber" }));
  const logs = (await provider.request({
    method: "eth_getLogs",
    params: [{ address: indexer.addresses, fromBlock: numberToHex(indexer.startBlock), toBlock: numberToHex(to) }],
  })) as RpcLog[];
  logs.sort((a, b) => Number(a.blockNumber) - Number(b.blockNumber) || Number(a.logIndex) - Number(b.logIndex));
  const blocks = new Map<string, RpcBlock>();
  const transactions = new Map<string, RpcTransaction>();
  let handled = 0;
  for (const log of logs) {
    let block = blocks.get(log.blockHash);
    if (block === undefined) {
      block = (await provider.request({ method: "eth_getBlockByHash", params: [log.blockHash, false] })) as RpcBlock;
      blocks.set(log.blockHash, block);
    }
    let tx = transactions.get(log.transactionHash);
    if (tx === undefined) {
      tx = (await provider.request({
        method: "eth_getTransactionByHash",
        params: [log.transactionHash],
      })) as RpcTransaction;
      transactions.set(log.transactionHash, tx);
    }
    handled += indexer.process(log, block, tx);
  }
  return handled;
}

/**
 * Builds well-formed logs, blocks and transactions for unit tests: each `emit` is one log in its own transaction, in
 * a block of its own unless `sameBlock` is set, at `time` (seconds, default a second after the previous block).
 */
export class SyntheticChain {
  private blockNumber = 100;
  private timestamp = 1_760_000_000;
  private logIndex = 0;
  private txCount = 0;
  private block: RpcBlock = this.newBlock();
  private lastTx: RpcTransaction | undefined;

  constructor(private readonly indexer: Indexer) {}

  private newBlock(): RpcBlock {
    return {
      hash: keccak256(toHex(`block ${this.blockNumber}`)),
      parentHash: keccak256(toHex(`block ${this.blockNumber - 1}`)),
      number: numberToHex(this.blockNumber),
      timestamp: numberToHex(this.timestamp),
      miner: "0x0000000000000000000000000000000000000000",
      gasUsed: "0x5208",
      gasLimit: "0x1c9c380",
      baseFeePerGas: "0x3b9aca00",
    };
  }

  get now(): number {
    return this.timestamp;
  }

  /** Starts a new block at `timestamp` (default: one second later). */
  mine(timestamp = this.timestamp + 1) {
    this.blockNumber += 1;
    this.timestamp = timestamp;
    this.logIndex = 0;
    this.block = this.newBlock();
  }

  /**
   * Emits `eventName` of `abi` from `address` with `args` (named), in the current block, in a new transaction (or in
   * the previous one with `sameTransaction`); runs the handlers.
   */
  emit(
    abi: Abi,
    address: Hex,
    eventName: string,
    args: Record<string, unknown>,
    options: { from?: Hex; sameTransaction?: boolean } = {},
  ) {
    const event = abi.find((item): item is AbiEvent => item.type === "event" && item.name === eventName);
    if (event === undefined) throw new Error(`no event ${eventName}`);
    const topics = encodeEventTopics({ abi: [event], eventName, args } as never) as Hex[];
    const dataInputs = event.inputs.filter((input) => !input.indexed);
    const data = encodeAbiParameters(
      dataInputs,
      dataInputs.map((input) => args[input.name!]),
    );
    if (!options.sameTransaction || this.lastTx === undefined) this.txCount += 1;
    const hash = keccak256(toHex(`tx ${this.txCount}`));
    const log: RpcLog = {
      address,
      topics,
      data,
      blockNumber: this.block.number,
      blockHash: this.block.hash,
      transactionHash: hash,
      transactionIndex: numberToHex(this.txCount % 100),
      logIndex: numberToHex(this.logIndex++),
    };
    const tx: RpcTransaction = {
      hash,
      transactionIndex: log.transactionIndex,
      from: options.from ?? "0x00000000000000000000000000000000000000f0",
      to: address,
      value: "0x0",
      gas: "0x30d40",
      gasPrice: "0x3b9aca00",
      input: "0x",
      nonce: numberToHex(this.txCount),
    };
    this.lastTx = tx;
    return {
      handled: this.indexer.process(log, this.block, tx),
      transactionHash: hash,
      logIndex: Number(log.logIndex),
    };
  }
}
