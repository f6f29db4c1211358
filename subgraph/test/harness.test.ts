/**
 * The harness itself: graph-node's number semantics, the memory layout, the host functions (through graph-ts code
 * compiled like a mapping), the store's schema checks, and the refusal of modules that import what it lacks.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { before, describe, it } from "node:test";

import { compileAssemblyScript } from "./harness/compile.js";
import { LogLevel, MappingError, instantiate, type HostContext, type MappingModule } from "./harness/host.js";
import { StoreKind, type StoreValue } from "./harness/memory.js";
import {
  bigDecimalOps,
  bigIntOps,
  bigintFromSignedBytesLE,
  bigintToSignedBytesLE,
  normalize,
} from "./harness/numbers.js";
import { Schema, Store } from "./harness/store.js";
import { SUBGRAPH_DIR } from "./paths.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const dec = (s: string) => bigDecimalOps.fromString(s);
const decStr = (d: { digits: bigint; exp: number }) => bigDecimalOps.toString(d);

describe("graph-node number semantics (host side)", () => {
  it("encodes BigInt as num-bigint's minimal two's-complement little-endian bytes", () => {
    const vectors: [bigint, string][] = [
      [0n, "00"],
      [1n, "01"],
      [127n, "7f"],
      [128n, "8000"],
      [255n, "ff00"],
      [256n, "0001"],
      [-1n, "ff"],
      [-128n, "80"],
      [-129n, "7fff"],
      [-256n, "00ff"],
      [2n ** 255n, `${"00".repeat(31)}8000`],
      [-(2n ** 255n), `${"00".repeat(31)}80`],
    ];
    for (const [value, bytes] of vectors) {
      assert.equal(hex(bigintToSignedBytesLE(value)), bytes, `${value}`);
      assert.equal(bigintFromSignedBytesLE(Buffer.from(bytes, "hex")), value);
    }
  });

  it("divides BigInts toward zero and keeps the dividend's sign in the remainder", () => {
    assert.equal(bigIntOps.dividedBy(7n, 2n), 3n);
    assert.equal(bigIntOps.dividedBy(-7n, 2n), -3n);
    assert.equal(bigIntOps.dividedBy(7n, -2n), -3n);
    assert.equal(bigIntOps.dividedBy(-7n, -2n), 3n);
    assert.equal(bigIntOps.mod(-7n, 2n), -1n);
    assert.equal(bigIntOps.mod(7n, -2n), 1n);
    assert.throws(() => bigIntOps.dividedBy(1n, 0n), /divide by zero/);
    assert.throws(() => bigIntOps.mod(1n, 0n), /divide by zero/);
  });

  it("shifts arithmetically, and handles numbers far beyond 256 bits", () => {
    assert.equal(bigIntOps.rightShift(-7n, 1), -4n);
    assert.equal(bigIntOps.rightShift(7n, 1), 3n);
    assert.equal(bigIntOps.leftShift(-3n, 4), -48n);
    const huge = 2n ** 300n + 12345n;
    assert.equal(bigIntOps.times(huge, huge) / huge, huge);
    assert.equal(bigIntOps.pow(10n, 77), 10n ** 77n);
    assert.equal(bigIntOps.fromString("-1_000"), -1000n);
    assert.throws(() => bigIntOps.fromString("12a"), /invalid BigInt/);
    assert.equal(bigIntOps.toHex(255n), "0xff");
    assert.equal(bigIntOps.toHex(0n), "0x0");
  });

  it("normalises BigDecimals as graph-node's own tests expect", () => {
    // graph-node's test_normalize vectors: (digits, exp) → string.
    assert.equal(decStr(normalize({ digits: 10n, exp: -2 })), "0.1");
    assert.equal(decStr(normalize({ digits: 132400n, exp: 4 })), "1324000000");
    assert.equal(decStr(normalize({ digits: 1_900_000n, exp: -3 })), "1900");
    assert.deepEqual(normalize({ digits: 0n, exp: 3 }), { digits: 0n, exp: 0 });
    assert.deepEqual(normalize({ digits: 0n, exp: -5 }), { digits: 0n, exp: 0 });
    assert.equal(decStr(normalize({ digits: -17n, exp: -2 })), "-0.17");
  });

  it("keeps 34 significant digits: positives rounded half up, negatives truncated", () => {
    const d35 = "12345678901234567890123456789012345";
    assert.equal(decStr(dec(d35)), "12345678901234567890123456789012350");
    assert.equal(decStr(dec(`-${d35}`)), "-12345678901234567890123456789012340");
    assert.equal(decStr(dec("12345678901234567890123456789012344")), "12345678901234567890123456789012340");
    assert.equal(decStr(dec("99999999999999999999999999999999995")), "100000000000000000000000000000000000");
  });

  it("divides BigDecimals to 34 digits, with the crate's asymmetric rounding", () => {
    assert.equal(decStr(bigDecimalOps.dividedBy(dec("1"), dec("3"))), `0.${"3".repeat(34)}`);
    assert.equal(decStr(bigDecimalOps.dividedBy(dec("2"), dec("3"))), `0.${"6".repeat(33)}7`);
    assert.equal(decStr(bigDecimalOps.dividedBy(dec("-2"), dec("3"))), `-0.${"6".repeat(34)}`);
    assert.equal(decStr(bigDecimalOps.dividedBy(dec("10"), dec("4"))), "2.5");
    assert.equal(decStr(bigDecimalOps.dividedBy(dec("1"), dec("-8"))), "-0.125");
    assert.throws(() => bigDecimalOps.dividedBy(dec("1"), dec("0")), /divide by zero/);
  });

  it("adds, subtracts, multiplies, compares and parses BigDecimals exactly", () => {
    assert.equal(decStr(bigDecimalOps.plus(dec("0.1"), dec("0.2"))), "0.3");
    assert.equal(decStr(bigDecimalOps.minus(dec("1"), dec("1.000001"))), "-0.000001");
    assert.equal(decStr(bigDecimalOps.times(dec("-1.5"), dec("2.5"))), "-3.75");
    assert.ok(bigDecimalOps.equals(dec("1.50"), dec("1.5")));
    assert.ok(!bigDecimalOps.equals(dec("1.5"), dec("-1.5")));
    assert.equal(decStr(dec("1.5e3")), "1500");
    assert.equal(decStr(dec("-2.5E-3")), "-0.0025");
    assert.equal(decStr(dec("0.000")), "0");
    assert.throws(() => dec("1.2.3"), /invalid BigDecimal/);
  });
});

describe("host functions, through graph-ts compiled like a mapping", () => {
  let numbers: MappingModule;
  let context: HostContext;
  let call: (name: string, ...args: (string | number)[]) => string | undefined;

  before(async () => {
    const wasm = await compileAssemblyScript(
      path.join(SUBGRAPH_DIR, "test", "assembly", "numbers.ts"),
      path.join(SUBGRAPH_DIR, "test", "build", "numbers.wasm"),
    );
    context = { store: new Store(new Schema("type A @entity(immutable: true) { id: ID! }")), logs: [] };
    numbers = await instantiate(wasm, context);
    call = (name, ...args) => {
      const ptrs = args.map((arg) => (typeof arg === "string" ? numbers.memory.newString(arg) : arg));
      const result = (numbers.exports[name] as (...a: number[]) => number | undefined)(...ptrs);
      return typeof result === "number" && result !== 0 && name !== "logAt" ? numbers.memory.string(result) : undefined;
    };
  });

  it("computes BigInt arithmetic as graph-node does, negatives and large numbers included", () => {
    const big = (2n ** 256n - 1n).toString();
    const cases: [string, string, string, string][] = [
      ["plus", "-5", "3", "-2"],
      ["minus", "3", "5", "-2"],
      ["times", big, big, ((2n ** 256n - 1n) ** 2n).toString()],
      ["div", "-7", "2", "-3"],
      ["div", "7", "-2", "-3"],
      ["div", big, "-3", (-((2n ** 256n - 1n) / 3n)).toString()],
      ["mod", "-7", "2", "-1"],
      ["pow", "-2", "255", (-(2n ** 255n)).toString()],
      ["shl", "-3", "70", (-3n * 2n ** 70n).toString()],
      ["shr", "-7", "1", "-4"],
      ["or", "12", "3", "15"],
      ["and", "-1", "255", "255"],
      ["compare", "-129", "128", "-1"],
      ["compare", "256", "255", "1"],
      ["compare", "-256", "-256", "0"],
      ["hex", "255", "0", "0xff"],
      ["divDecimal", "1", "3", `0.${"3".repeat(34)}`],
    ];
    for (const [op, a, b, expected] of cases) assert.equal(call("bigIntOp", op, a, b), expected, `${a} ${op} ${b}`);
  });

  it("aborts the handler on a division by zero, like graph-node", () => {
    assert.throws(() => call("bigIntOp", "div", "1", "0"), /divide by zero/);
  });

  it("computes BigDecimal arithmetic as graph-node does", () => {
    const cases: [string, string, string, string][] = [
      ["plus", "0.1", "0.2", "0.3"],
      ["minus", "-1.25", "0.75", "-2"],
      ["times", "123456789012345678901234567890", "1000000", "123456789012345678901234567890000000"],
      ["div", "2", "3", `0.${"6".repeat(33)}7`],
      ["div", "-2", "3", `-0.${"6".repeat(34)}`],
      ["equals", "1.50", "1.5", "true"],
      ["parse", "-2.5e-3", "0", "-0.0025"],
    ];
    for (const [op, a, b, expected] of cases) assert.equal(call("bigDecimalOp", op, a, b), expected, `${a} ${op} ${b}`);
    assert.equal(call("bigDecimalFromParts", "132400", 4), "1324000000");
    assert.equal(call("bigDecimalFromParts", "-17", -2), "-0.17");
  });

  it("converts between i32, bytes, hex, strings and addresses", () => {
    assert.equal(call("i32RoundTrip", -129), "-129 -129 nonzero");
    assert.equal(call("i32RoundTrip", 0), "0 0 zero");
    assert.equal(call("i32RoundTrip", 2_147_483_647), "2147483647 2147483647 nonzero");
    assert.equal(call("unsignedBytesToBigInt", "0xff"), "255");
    assert.equal(call("bytesRoundTrip", "0xDEADbeef"), "0xdeadbeef");
    assert.equal(call("bytesToUtf8", "0x747276656c0000"), "trvel");
    assert.equal(
      call("checksumAddress", "0x0DCd1Bf9A1b36cE34237eEaFef220932846BCD82"),
      "0x0dcd1bf9a1b36ce34237eeafef220932846bcd82",
    );
    assert.throws(() => call("checksumAddress", "0x1234"), /Address\/H160/);
    assert.equal(call("keccak", "0x"), "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  });

  it("logs at every level and aborts on log.critical and failed assertions", () => {
    context.logs.length = 0;
    call("logAt", 3, "hello");
    call("logAt", 2, "careful");
    assert.deepEqual(context.logs, [
      { level: LogLevel.INFO, message: "info: hello" },
      { level: LogLevel.WARNING, message: "warning: careful" },
    ]);
    assert.throws(
      () => call("logAt", 0, "stop"),
      (error) => error instanceof MappingError && /critical: stop/.test(error.message),
    );
    assert.throws(() => call("failAssertion", "invariant broken"), /Mapping aborted at .*: invariant broken/);
  });
});

describe("instantiation", () => {
  it("refuses a module importing a host function the harness lacks, naming it", async () => {
    const name = Buffer.from("ipfs.cat");
    const module = Buffer.from("index");
    const imports = [1, module.length, ...module, name.length, ...name, 0, 0];
    const wasm = Uint8Array.from([
      ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
      ...[0x01, 0x04, 0x01, 0x60, 0x00, 0x00], // type section: () -> ()
      ...[0x02, imports.length, ...imports], // import section
    ]);
    const context = { store: new Store(new Schema("type A @entity(immutable: true) { id: ID! }")), logs: [] };
    await assert.rejects(instantiate(wasm, context), /does not provide: index\.ipfs\.cat \(function\)/);
  });
});

describe("store", () => {
  const schema = new Schema(`
    enum Color { RED GREEN }
    type Thing @entity(immutable: false) { id: Bytes! name: String! color: Color owner: Owner tags: [String!]! parts: [Part!]! @derivedFrom(field: "thing") }
    type Owner @entity(immutable: false) { id: ID! }
    type Part @entity(immutable: true) { id: ID! thing: Thing! }
  `);
  const id = { kind: StoreKind.BYTES, value: Uint8Array.from([1, 2]) } as const;
  const base = () =>
    new Map<string, StoreValue>([
      ["id", id],
      ["name", { kind: StoreKind.STRING, value: "a" }],
      ["tags", { kind: StoreKind.ARRAY, value: [] }],
    ]);

  it("stores valid entities, merging later writes into them", () => {
    const store = new Store(schema);
    store.set("Thing", "0x0102", base());
    store.set("Thing", "0x0102", new Map([["color", { kind: StoreKind.STRING, value: "RED" }]]));
    assert.deepEqual(store.plain("Thing", "0x0102"), { id: "0x0102", name: "a", tags: [], color: "RED" });
    store.remove("Thing", "0x0102");
    assert.equal(store.get("Thing", "0x0102"), null);
  });

  it("rejects what graph-node rejects", () => {
    const store = new Store(schema);
    const bad = (mutate: (fields: ReturnType<typeof base>) => void, pattern: RegExp) => {
      const fields = base();
      mutate(fields);
      assert.throws(() => store.set("Thing", "0x0102", fields), pattern);
    };
    bad((f) => f.delete("name"), /Thing\[0x0102\]\.name: required, missing/);
    bad((f) => f.set("color", { kind: StoreKind.STRING, value: "BLUE" }), /not a value of enum Color/);
    bad((f) => f.set("owner", { kind: StoreKind.BYTES, value: new Uint8Array(1) }), /expected STRING \(Owner\)/);
    bad((f) => f.set("nope", { kind: StoreKind.BOOL, value: true }), /no such field/);
    bad((f) => f.set("parts", { kind: StoreKind.ARRAY, value: [] }), /derived fields cannot be set/);
    bad(
      (f) => f.set("tags", { kind: StoreKind.ARRAY, value: [{ kind: StoreKind.NULL, value: null }] }),
      /null element/,
    );
    bad((f) => f.set("id", { kind: StoreKind.BYTES, value: Uint8Array.from([9]) }), /differs from the key/);
    const part = new Map<string, StoreValue>([
      ["id", { kind: StoreKind.STRING, value: "p" }],
      ["thing", id],
    ]);
    store.set("Part", "p", new Map(part));
    assert.throws(() => store.set("Part", "p", new Map(part)), /immutable and was already written/);
    assert.throws(() => store.remove("Part", "p"), /immutable/);
  });
});
