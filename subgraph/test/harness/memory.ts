/**
 * Reading and writing AssemblyScript 0.19 objects in a mapping's memory, the way graph-node does.
 *
 * Every managed object is preceded by a 20-byte header whose last two words are its runtime class id and its
 * payload size. Strings are UTF-16LE; `Uint8Array` (and graph-ts's `Bytes`, `BigInt`, `Address`) is
 * {buffer, dataStart, byteLength}; `Array<T>` is {buffer, dataStart, byteLength, length}; other classes are their
 * fields in declaration order, references as 32-bit pointers. New objects come from the module's own allocator
 * (`__new`, exported by `--exportRuntime`) with the class ids the module reports through graph-ts's `id_of_type`.
 */
import { bigintFromSignedBytesLE, bigintToSignedBytesLE, checkExponent, normalize, type Decimal } from "./numbers.js";

/** graph-ts's `TypeId`: the classes the host allocates. */
export const TypeId = {
  String: 0,
  ArrayBuffer: 1,
  Uint8Array: 6,
  BigDecimal: 12,
  ArrayUint8Array: 14,
  ArrayEthereumValue: 15,
  ArrayStoreValue: 16,
  ArrayString: 18,
  ArrayEventParam: 19,
  ArrayTypedMapEntryStringStoreValue: 21,
  EventParam: 23,
  EthereumTransaction: 24,
  EthereumBlock: 25,
  EthereumValue: 30,
  StoreValue: 31,
  EthereumEvent: 33,
  TypedMapEntryStringStoreValue: 34,
  TypedMapStringStoreValue: 36,
} as const;

/** graph-ts `ValueKind` (store values). */
export enum StoreKind {
  STRING = 0,
  INT = 1,
  BIGDECIMAL = 2,
  BOOL = 3,
  ARRAY = 4,
  NULL = 5,
  BYTES = 6,
  BIGINT = 7,
  INT8 = 8,
  TIMESTAMP = 9,
}

/** graph-ts `ethereum.ValueKind`. */
export enum EthereumKind {
  ADDRESS = 0,
  FIXED_BYTES = 1,
  BYTES = 2,
  INT = 3,
  UINT = 4,
  BOOL = 5,
  STRING = 6,
  FIXED_ARRAY = 7,
  ARRAY = 8,
  TUPLE = 9,
}

/** A store value on the host side. */
export type StoreValue =
  | { kind: StoreKind.STRING; value: string }
  | { kind: StoreKind.INT; value: number }
  | { kind: StoreKind.INT8 | StoreKind.TIMESTAMP; value: bigint }
  | { kind: StoreKind.BIGDECIMAL; value: Decimal }
  | { kind: StoreKind.BOOL; value: boolean }
  | { kind: StoreKind.ARRAY; value: StoreValue[] }
  | { kind: StoreKind.NULL; value: null }
  | { kind: StoreKind.BYTES; value: Uint8Array }
  | { kind: StoreKind.BIGINT; value: bigint };

/** An Ethereum value on the host side, as graph-node passes event parameters. */
export type EthereumValue =
  | { kind: EthereumKind.ADDRESS | EthereumKind.FIXED_BYTES | EthereumKind.BYTES; value: Uint8Array }
  | { kind: EthereumKind.INT | EthereumKind.UINT; value: bigint }
  | { kind: EthereumKind.BOOL; value: boolean }
  | { kind: EthereumKind.STRING; value: string }
  | { kind: EthereumKind.FIXED_ARRAY | EthereumKind.ARRAY | EthereumKind.TUPLE; value: EthereumValue[] };

export interface EventBlock {
  hash: Uint8Array;
  parentHash: Uint8Array;
  number: bigint;
  timestamp: bigint;
  author: Uint8Array;
  gasUsed: bigint;
  gasLimit: bigint;
  baseFeePerGas: bigint | null;
}

export interface EventTransaction {
  hash: Uint8Array;
  index: bigint;
  from: Uint8Array;
  to: Uint8Array | null;
  value: bigint;
  gasLimit: bigint;
  gasPrice: bigint;
  input: Uint8Array;
  nonce: bigint;
}

export interface EthereumEventData {
  address: Uint8Array;
  logIndex: bigint;
  transactionLogIndex: bigint;
  block: EventBlock;
  transaction: EventTransaction;
  params: { name: string; value: EthereumValue }[];
}

interface RuntimeExports {
  memory: WebAssembly.Memory;
  __new(size: number, id: number): number;
  id_of_type(typeId: number): number;
}

export class AscMemory {
  private readonly classIds = new Map<number, number>();

  constructor(private readonly exports: RuntimeExports) {}

  private get view(): DataView {
    return new DataView(this.exports.memory.buffer);
  }

  private classId(typeId: number): number {
    let id = this.classIds.get(typeId);
    if (id === undefined) {
      id = this.exports.id_of_type(typeId) >>> 0;
      this.classIds.set(typeId, id);
    }
    return id;
  }

  u32(ptr: number): number {
    return this.view.getUint32(ptr, true);
  }

  private setU32(ptr: number, value: number) {
    this.view.setUint32(ptr, value >>> 0, true);
  }

  /** Payload size from the object header. */
  private size(ptr: number): number {
    return this.u32(ptr - 4);
  }

  private alloc(size: number, typeId: number): number {
    return this.exports.__new(size, this.classId(typeId)) >>> 0;
  }

  // --- reading --------------------------------------------------------------------------------------------------

  string(ptr: number): string {
    if (ptr === 0) throw new Error("null string pointer");
    const bytes = new Uint8Array(this.exports.memory.buffer, ptr, this.size(ptr));
    return Buffer.from(bytes).toString("utf16le");
  }

  bytes(ptr: number): Uint8Array {
    const buffer = this.u32(ptr + 4); // dataStart
    const length = this.u32(ptr + 8);
    return new Uint8Array(this.exports.memory.buffer.slice(buffer, buffer + length));
  }

  bigInt(ptr: number): bigint {
    return bigintFromSignedBytesLE(this.bytes(ptr));
  }

  bigDecimal(ptr: number): Decimal {
    const digits = this.bigInt(this.u32(ptr));
    const exp = this.bigInt(this.u32(ptr + 4));
    return normalize({ digits, exp: Number(exp) });
  }

  /** The element pointers (or 32-bit values) of an `Array<T>` of references. */
  array(ptr: number): number[] {
    const dataStart = this.u32(ptr + 4);
    const length = this.u32(ptr + 12);
    return Array.from({ length }, (_, i) => this.u32(dataStart + 4 * i));
  }

  storeValue(ptr: number): StoreValue {
    const kind = this.u32(ptr) as StoreKind;
    const payload = this.view.getBigUint64(ptr + 8, true);
    const ref = Number(payload & 0xffffffffn);
    switch (kind) {
      case StoreKind.STRING:
        return { kind, value: this.string(ref) };
      case StoreKind.INT:
        return { kind, value: Number(BigInt.asIntN(32, payload)) };
      case StoreKind.INT8:
      case StoreKind.TIMESTAMP:
        return { kind, value: BigInt.asIntN(64, payload) };
      case StoreKind.BIGDECIMAL:
        return { kind, value: this.bigDecimal(ref) };
      case StoreKind.BOOL:
        return { kind, value: payload !== 0n };
      case StoreKind.ARRAY:
        return { kind, value: this.array(ref).map((p) => this.storeValue(p)) };
      case StoreKind.NULL:
        return { kind, value: null };
      case StoreKind.BYTES:
        return { kind, value: this.bytes(ref) };
      case StoreKind.BIGINT:
        return { kind, value: this.bigInt(ref) };
      default:
        throw new Error(`unknown store value kind ${kind as number}`);
    }
  }

  /** A graph-ts `Entity` (`TypedMap<string, Value>`). */
  entity(ptr: number): Map<string, StoreValue> {
    const fields = new Map<string, StoreValue>();
    for (const entry of this.array(this.u32(ptr))) {
      fields.set(this.string(this.u32(entry)), this.storeValue(this.u32(entry + 4)));
    }
    return fields;
  }

  // --- writing --------------------------------------------------------------------------------------------------

  newString(value: string): number {
    const bytes = Buffer.from(value, "utf16le");
    const ptr = this.alloc(bytes.length, TypeId.String);
    new Uint8Array(this.exports.memory.buffer, ptr, bytes.length).set(bytes);
    return ptr;
  }

  newBytes(value: Uint8Array): number {
    const buffer = this.alloc(value.length, TypeId.ArrayBuffer);
    new Uint8Array(this.exports.memory.buffer, buffer, value.length).set(value);
    const ptr = this.alloc(12, TypeId.Uint8Array);
    this.setU32(ptr, buffer);
    this.setU32(ptr + 4, buffer);
    this.setU32(ptr + 8, value.length);
    return ptr;
  }

  newBigInt(value: bigint): number {
    return this.newBytes(bigintToSignedBytesLE(value));
  }

  newBigDecimal(value: Decimal): number {
    const { digits, exp } = checkExponent(normalize(value));
    const digitsPtr = this.newBigInt(digits);
    const expPtr = this.newBigInt(BigInt(exp));
    const ptr = this.alloc(8, TypeId.BigDecimal);
    this.setU32(ptr, digitsPtr);
    this.setU32(ptr + 4, expPtr);
    return ptr;
  }

  /** An `Array<T>` of references (or 32-bit values). */
  newArray(elements: number[], typeId: number): number {
    const byteLength = elements.length * 4;
    const buffer = this.alloc(byteLength, TypeId.ArrayBuffer);
    elements.forEach((element, i) => this.setU32(buffer + 4 * i, element));
    const ptr = this.alloc(16, typeId);
    this.setU32(ptr, buffer);
    this.setU32(ptr + 4, buffer);
    this.setU32(ptr + 8, byteLength);
    this.setU32(ptr + 12, elements.length);
    return ptr;
  }

  /** An enum-like value {kind: i32, payload: u64}: store `Value` and `ethereum.Value` share the layout. */
  private newEnum(kind: number, payload: bigint, typeId: number): number {
    const ptr = this.alloc(16, typeId);
    this.setU32(ptr, kind);
    this.view.setBigUint64(ptr + 8, BigInt.asUintN(64, payload), true);
    return ptr;
  }

  newStoreValue(value: StoreValue): number {
    const ref = (ptr: number) => BigInt(ptr);
    switch (value.kind) {
      case StoreKind.STRING:
        return this.newEnum(value.kind, ref(this.newString(value.value)), TypeId.StoreValue);
      case StoreKind.INT:
        return this.newEnum(value.kind, BigInt(value.value), TypeId.StoreValue);
      case StoreKind.INT8:
      case StoreKind.TIMESTAMP:
        return this.newEnum(value.kind, value.value, TypeId.StoreValue);
      case StoreKind.BIGDECIMAL:
        return this.newEnum(value.kind, ref(this.newBigDecimal(value.value)), TypeId.StoreValue);
      case StoreKind.BOOL:
        return this.newEnum(value.kind, value.value ? 1n : 0n, TypeId.StoreValue);
      case StoreKind.ARRAY: {
        const elements = value.value.map((element) => this.newStoreValue(element));
        return this.newEnum(value.kind, ref(this.newArray(elements, TypeId.ArrayStoreValue)), TypeId.StoreValue);
      }
      case StoreKind.NULL:
        return this.newEnum(value.kind, 0n, TypeId.StoreValue);
      case StoreKind.BYTES:
        return this.newEnum(value.kind, ref(this.newBytes(value.value)), TypeId.StoreValue);
      case StoreKind.BIGINT:
        return this.newEnum(value.kind, ref(this.newBigInt(value.value)), TypeId.StoreValue);
    }
  }

  newEntity(fields: Map<string, StoreValue>): number {
    const entries = [...fields].map(([key, value]) => {
      const keyPtr = this.newString(key);
      const valuePtr = this.newStoreValue(value);
      const entry = this.alloc(8, TypeId.TypedMapEntryStringStoreValue);
      this.setU32(entry, keyPtr);
      this.setU32(entry + 4, valuePtr);
      return entry;
    });
    const entriesPtr = this.newArray(entries, TypeId.ArrayTypedMapEntryStringStoreValue);
    const ptr = this.alloc(4, TypeId.TypedMapStringStoreValue);
    this.setU32(ptr, entriesPtr);
    return ptr;
  }

  newEthereumValue(value: EthereumValue): number {
    switch (value.kind) {
      case EthereumKind.ADDRESS:
      case EthereumKind.FIXED_BYTES:
      case EthereumKind.BYTES:
        return this.newEnum(value.kind, BigInt(this.newBytes(value.value)), TypeId.EthereumValue);
      case EthereumKind.INT:
      case EthereumKind.UINT:
        return this.newEnum(value.kind, BigInt(this.newBigInt(value.value)), TypeId.EthereumValue);
      case EthereumKind.BOOL:
        return this.newEnum(value.kind, value.value ? 1n : 0n, TypeId.EthereumValue);
      case EthereumKind.STRING:
        return this.newEnum(value.kind, BigInt(this.newString(value.value)), TypeId.EthereumValue);
      case EthereumKind.FIXED_ARRAY:
      case EthereumKind.ARRAY:
      case EthereumKind.TUPLE: {
        const elements = value.value.map((element) => this.newEthereumValue(element));
        const array = this.newArray(elements, TypeId.ArrayEthereumValue);
        return this.newEnum(value.kind, BigInt(array), TypeId.EthereumValue);
      }
    }
  }

  /** A struct of 32-bit pointer fields. */
  private newStruct(fields: number[], typeId: number): number {
    const ptr = this.alloc(fields.length * 4, typeId);
    fields.forEach((field, i) => this.setU32(ptr + 4 * i, field));
    return ptr;
  }

  /** An `ethereum.Event` as graph-node passes it to an event handler (no receipt: the manifest asks for none). */
  newEthereumEvent(event: EthereumEventData): number {
    const { block, transaction: tx } = event;
    const zeroHash = new Uint8Array(32);
    const blockPtr = this.newStruct(
      [
        this.newBytes(block.hash),
        this.newBytes(block.parentHash),
        this.newBytes(zeroHash), // unclesHash
        this.newBytes(block.author),
        this.newBytes(zeroHash), // stateRoot
        this.newBytes(zeroHash), // transactionsRoot
        this.newBytes(zeroHash), // receiptsRoot
        this.newBigInt(block.number),
        this.newBigInt(block.gasUsed),
        this.newBigInt(block.gasLimit),
        this.newBigInt(block.timestamp),
        this.newBigInt(0n), // difficulty
        this.newBigInt(0n), // totalDifficulty
        0, // size
        block.baseFeePerGas === null ? 0 : this.newBigInt(block.baseFeePerGas),
      ],
      TypeId.EthereumBlock,
    );
    const txPtr = this.newStruct(
      [
        this.newBytes(tx.hash),
        this.newBigInt(tx.index),
        this.newBytes(tx.from),
        tx.to === null ? 0 : this.newBytes(tx.to),
        this.newBigInt(tx.value),
        this.newBigInt(tx.gasLimit),
        this.newBigInt(tx.gasPrice),
        this.newBytes(tx.input),
        this.newBigInt(tx.nonce),
      ],
      TypeId.EthereumTransaction,
    );
    const params = event.params.map(({ name, value }) =>
      this.newStruct([this.newString(name), this.newEthereumValue(value)], TypeId.EventParam),
    );
    return this.newStruct(
      [
        this.newBytes(event.address),
        this.newBigInt(event.logIndex),
        this.newBigInt(event.transactionLogIndex),
        0, // logType
        blockPtr,
        txPtr,
        this.newArray(params, TypeId.ArrayEventParam),
        0, // receipt
      ],
      TypeId.EthereumEvent,
    );
  }
}
