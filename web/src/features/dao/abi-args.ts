import type { AbiParameter } from "viem";
import { getAddress, isAddress, isHex } from "viem";

export type ArgResult = { ok: true; value: unknown } | { ok: false; error: string };

/**
 * What a person typed for one ABI parameter, as the value viem encodes: integers in decimal (no rounding, range
 * checked), addresses checksummed, `true`/`false`, hex for bytes, and JSON for arrays and structs (positional or by
 * field name). Errors name what is wrong.
 */
export function parseAbiArg(param: AbiParameter, text: string): ArgResult {
  const trimmed = text.trim();
  const array = /^(.*)\[(\d*)\]$/.exec(param.type);
  if (array || param.type === "tuple") {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      return { ok: false, error: array ? "Enter a JSON array, like [1, 2]" : "Enter a JSON array or object" };
    }
    return fromJson(param, json);
  }
  return scalar(param.type, trimmed);
}

function fromJson(param: AbiParameter, json: unknown): ArgResult {
  const array = /^(.*)\[(\d*)\]$/.exec(param.type);
  if (array) {
    if (!Array.isArray(json)) return { ok: false, error: "Enter a JSON array" };
    if (array[2] !== "" && json.length !== Number(array[2])) {
      return { ok: false, error: `Exactly ${array[2]} elements` };
    }
    const element = { ...param, type: array[1] } as AbiParameter;
    const out: unknown[] = [];
    for (const [i, item] of json.entries()) {
      const parsed = fromJson(element, item);
      if (!parsed.ok) return { ok: false, error: `element ${i}: ${parsed.error}` };
      out.push(parsed.value);
    }
    return { ok: true, value: out };
  }
  if (param.type === "tuple" && "components" in param) {
    const components = param.components;
    const record: Record<string, unknown> = {};
    for (const [i, c] of components.entries()) {
      const raw = Array.isArray(json) ? json[i] : (json as Record<string, unknown> | null)?.[c.name ?? ""];
      if (raw === undefined) return { ok: false, error: `missing ${c.name ?? `field ${i}`}` };
      const parsed = fromJson(c, raw);
      if (!parsed.ok) return { ok: false, error: `${c.name ?? `field ${i}`}: ${parsed.error}` };
      record[c.name ?? String(i)] = parsed.value;
    }
    return { ok: true, value: record };
  }
  return scalar(param.type, typeof json === "string" ? json : JSON.stringify(json));
}

function scalar(type: string, text: string): ArgResult {
  const int = /^(u?)int(\d*)$/.exec(type);
  if (int) {
    if (!/^-?\d+$/.test(text)) return { ok: false, error: "Enter a whole number" };
    const value = BigInt(text);
    const bits = BigInt(int[2] || "256");
    const [min, max] = int[1] ? [0n, 2n ** bits - 1n] : [-(2n ** (bits - 1n)), 2n ** (bits - 1n) - 1n];
    if (value < min || value > max) return { ok: false, error: `Out of range for ${type}` };
    return { ok: true, value };
  }
  if (type === "address") {
    return isAddress(text, { strict: false })
      ? { ok: true, value: getAddress(text) }
      : { ok: false, error: "Enter an address (0x and 40 hex digits)" };
  }
  if (type === "bool") {
    if (text === "true" || text === "false") return { ok: true, value: text === "true" };
    return { ok: false, error: "Enter true or false" };
  }
  const bytes = /^bytes(\d+)$/.exec(type);
  if (bytes || type === "bytes") {
    if (!isHex(text, { strict: true }) || text.length % 2 !== 0) return { ok: false, error: "Enter 0x-prefixed hex" };
    if (bytes && text.length !== 2 + 2 * Number(bytes[1])) return { ok: false, error: `Exactly ${bytes[1]} bytes` };
    return { ok: true, value: text };
  }
  if (type === "string") return { ok: true, value: text };
  return { ok: false, error: `Unsupported type ${type}` };
}

/** How a parameter's expected input reads in a hint: "uint16", or the struct's fields for a tuple. */
export function describeParam(param: AbiParameter): string {
  if (param.type.startsWith("tuple") && "components" in param) {
    const fields = param.components.map((c) => `${c.name}: ${describeParam(c)}`).join(", ");
    return param.type === "tuple" ? `{ ${fields} }` : `[{ ${fields} }, …] (JSON)`;
  }
  return param.type;
}
