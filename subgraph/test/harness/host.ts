/**
 * The host side of a mapping: what graph-node provides to the WebAssembly modules `graph build` compiles, over an
 * in-memory store. `instantiate` refuses a module that imports anything not implemented here, naming it.
 */
import { keccak256 } from "viem";

import { AscMemory, type EthereumEventData } from "./memory.js";
import { bigDecimalOps, bigIntDividedByDecimal, bigIntOps } from "./numbers.js";
import { type Store } from "./store.js";

export enum LogLevel {
  CRITICAL = 0,
  ERROR = 1,
  WARNING = 2,
  INFO = 3,
  DEBUG = 4,
}

export interface LogEntry {
  level: LogLevel;
  message: string;
}

export interface HostContext {
  store: Store;
  /** Every `log.*` call of every module, in order. */
  logs: LogEntry[];
  /** The data source's address and network, for `dataSource.address()` / `dataSource.network()`. */
  address?: Uint8Array;
  network?: string;
}

/** An error raised by the mapping (abort, failed assertion, `log.critical`) or by a host function it called. */
export class MappingError extends Error {}

type HostFunction = (...args: number[]) => number | bigint | void;

export interface MappingModule {
  memory: AscMemory;
  exports: Record<string, unknown>;
  /** Runs handler `name` with an `ethereum.Event`. */
  handleEvent(name: string, event: EthereumEventData): void;
}

function hex(bytes: Uint8Array): string {
  return `0x${Buffer.from(bytes).toString("hex")}`;
}

function hostFunctions(ctx: HostContext, mem: () => AscMemory): Record<string, HostFunction> {
  const m = () => mem();
  const bigInt2 = (op: (x: bigint, y: bigint) => bigint) => (x: number, y: number) =>
    m().newBigInt(op(m().bigInt(x), m().bigInt(y)));
  const bigDecimal2 = (op: typeof bigDecimalOps.plus) => (x: number, y: number) =>
    m().newBigDecimal(op(m().bigDecimal(x), m().bigDecimal(y)));

  return {
    abort(message: number, file: number, line: number, column: number) {
      const text = message === 0 ? "(no message)" : m().string(message);
      const where = file === 0 ? "" : ` at ${m().string(file)}:${line}:${column}`;
      throw new MappingError(`Mapping aborted${where}: ${text}`);
    },

    "store.get": (entity: number, id: number) => {
      const found = ctx.store.get(m().string(entity), m().string(id));
      return found === null ? 0 : m().newEntity(found);
    },
    "store.set": (entity: number, id: number, data: number) => {
      ctx.store.set(m().string(entity), m().string(id), m().entity(data));
    },
    "store.remove": (entity: number, id: number) => {
      ctx.store.remove(m().string(entity), m().string(id));
    },

    "log.log": (level: number, message: number) => {
      const text = m().string(message);
      ctx.logs.push({ level, message: text });
      if (level === LogLevel.CRITICAL) throw new MappingError(`Critical error logged by the mapping: ${text}`);
    },

    "typeConversion.bytesToString": (bytes: number) =>
      m().newString(
        Buffer.from(m().bytes(bytes))
          .toString("utf8")
          .replace(/\u0000+$/, ""),
      ),
    "typeConversion.bytesToHex": (bytes: number) => m().newString(hex(m().bytes(bytes))),
    "typeConversion.bigIntToString": (n: number) => m().newString(m().bigInt(n).toString()),
    "typeConversion.bigIntToHex": (n: number) => m().newString(bigIntOps.toHex(m().bigInt(n))),
    "typeConversion.stringToH160": (s: number) => {
      const text = m().string(s);
      const digits = text.startsWith("0x") ? text.slice(2) : text;
      if (!/^[0-9a-fA-F]{40}$/.test(digits))
        throw new MappingError(`Failed to convert string to Address/H160: '${text}'`);
      return m().newBytes(Buffer.from(digits, "hex"));
    },

    "bigInt.plus": bigInt2(bigIntOps.plus),
    "bigInt.minus": bigInt2(bigIntOps.minus),
    "bigInt.times": bigInt2(bigIntOps.times),
    "bigInt.dividedBy": bigInt2(bigIntOps.dividedBy),
    "bigInt.mod": bigInt2(bigIntOps.mod),
    "bigInt.bitOr": bigInt2(bigIntOps.bitOr),
    "bigInt.bitAnd": bigInt2(bigIntOps.bitAnd),
    "bigInt.pow": (x: number, exponent: number) => m().newBigInt(bigIntOps.pow(m().bigInt(x), exponent)),
    "bigInt.leftShift": (x: number, bits: number) => m().newBigInt(bigIntOps.leftShift(m().bigInt(x), bits)),
    "bigInt.rightShift": (x: number, bits: number) => m().newBigInt(bigIntOps.rightShift(m().bigInt(x), bits)),
    "bigInt.fromString": (s: number) => m().newBigInt(bigIntOps.fromString(m().string(s))),
    "bigInt.dividedByDecimal": (x: number, y: number) =>
      m().newBigDecimal(bigIntDividedByDecimal(m().bigInt(x), m().bigDecimal(y))),

    "bigDecimal.plus": bigDecimal2(bigDecimalOps.plus),
    "bigDecimal.minus": bigDecimal2(bigDecimalOps.minus),
    "bigDecimal.times": bigDecimal2(bigDecimalOps.times),
    "bigDecimal.dividedBy": bigDecimal2(bigDecimalOps.dividedBy),
    "bigDecimal.equals": (x: number, y: number) => (bigDecimalOps.equals(m().bigDecimal(x), m().bigDecimal(y)) ? 1 : 0),
    "bigDecimal.toString": (x: number) => m().newString(bigDecimalOps.toString(m().bigDecimal(x))),
    "bigDecimal.fromString": (s: number) => m().newBigDecimal(bigDecimalOps.fromString(m().string(s))),

    "crypto.keccak256": (bytes: number) => m().newBytes(Buffer.from(keccak256(m().bytes(bytes)).slice(2), "hex")),

    "dataSource.address": () => {
      if (ctx.address === undefined) throw new MappingError("dataSource.address(): no data source address");
      return m().newBytes(ctx.address);
    },
    "dataSource.network": () => {
      if (ctx.network === undefined) throw new MappingError("dataSource.network(): no data source network");
      return m().newString(ctx.network);
    },
    "dataSource.context": () => m().newEntity(new Map()),
  };
}

/** Instantiates a compiled mapping and runs its start function. */
export async function instantiate(wasm: Uint8Array, ctx: HostContext): Promise<MappingModule> {
  // A copy on an ArrayBuffer of its own: TypeScript's DOM typings (which the backend's tests load) refuse a view that
  // might be on a SharedArrayBuffer.
  const module = await WebAssembly.compile(new Uint8Array(wasm));
  let memory: AscMemory | undefined;
  const functions = hostFunctions(ctx, () => memory!);
  const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
  const missing: string[] = [];
  for (const { module: moduleName, name, kind } of WebAssembly.Module.imports(module)) {
    const implementation = kind === "function" ? functions[name] : undefined;
    if (implementation === undefined) {
      missing.push(`${moduleName}.${name} (${kind})`);
      continue;
    }
    (imports[moduleName] ??= {})[name] = implementation;
  }
  if (missing.length > 0) {
    throw new Error(`the mapping imports what the test harness does not provide: ${missing.join(", ")}`);
  }
  const instance = await WebAssembly.instantiate(module, imports);
  const exports = instance.exports as Record<string, unknown>;
  memory = new AscMemory(exports as never);
  // graph-cli compiles with --explicitStart: globals are initialised by `_start`, as graph-node calls it.
  (exports._start as () => void)();

  return {
    memory,
    exports,
    handleEvent(name, event) {
      const handler = exports[name];
      if (typeof handler !== "function") throw new Error(`the mapping exports no handler ${name}`);
      const eventPtr = memory!.newEthereumEvent(event);
      handler(eventPtr);
    },
  };
}
