// A test entry point (AssemblyScript): graph-ts's numbers, conversions and logging, through the harness's host
// functions, so the harness is checked against graph-ts's own code. Strings in, strings out.
import { Address, BigDecimal, BigInt, Bytes, crypto, log } from "@graphprotocol/graph-ts";

export function bigIntOp(op: string, a: string, b: string): string {
  const x = BigInt.fromString(a);
  const y = BigInt.fromString(b);
  if (op == "plus") return x.plus(y).toString();
  if (op == "minus") return x.minus(y).toString();
  if (op == "times") return x.times(y).toString();
  if (op == "div") return x.div(y).toString();
  if (op == "mod") return x.mod(y).toString();
  if (op == "pow") return x.pow(u8(y.toI32())).toString();
  if (op == "shl") return x.leftShift(u8(y.toI32())).toString();
  if (op == "shr") return x.rightShift(u8(y.toI32())).toString();
  if (op == "or") return x.bitOr(y).toString();
  if (op == "and") return x.bitAnd(y).toString();
  if (op == "compare") return BigInt.compare(x, y).toString();
  if (op == "hex") return x.toHexString();
  if (op == "divDecimal") return x.divDecimal(BigDecimal.fromString(b)).toString();
  abort("unknown op " + op);
  return "";
}

export function bigDecimalOp(op: string, a: string, b: string): string {
  const x = BigDecimal.fromString(a);
  const y = BigDecimal.fromString(b);
  if (op == "plus") return x.plus(y).toString();
  if (op == "minus") return x.minus(y).toString();
  if (op == "times") return x.times(y).toString();
  if (op == "div") return x.div(y).toString();
  if (op == "equals") return x.equals(y) ? "true" : "false";
  if (op == "parse") return x.toString();
  abort("unknown op " + op);
  return "";
}

/** A BigDecimal built from raw digits and exponent, as a mapping would (`new BigDecimal(digits)` then `exp`). */
export function bigDecimalFromParts(digits: string, exp: i32): string {
  const value = new BigDecimal(BigInt.fromString(digits));
  value.exp = BigInt.fromI32(exp);
  return value.toString();
}

export function i32RoundTrip(n: i32): string {
  const value = BigInt.fromI32(n);
  return value.toString() + " " + value.toI32().toString() + " " + (value.isZero() ? "zero" : "nonzero");
}

export function unsignedBytesToBigInt(hex: string): string {
  return BigInt.fromUnsignedBytes(Bytes.fromHexString(hex)).toString();
}

export function bytesRoundTrip(hex: string): string {
  return Bytes.fromHexString(hex).toHexString();
}

export function bytesToUtf8(hex: string): string {
  return Bytes.fromHexString(hex).toString();
}

export function checksumAddress(text: string): string {
  return Address.fromString(text).toHexString();
}

export function keccak(hex: string): string {
  return crypto.keccak256(Bytes.fromHexString(hex)).toHexString();
}

export function logAt(level: i32, message: string): void {
  if (level == 0) log.critical("critical: {}", [message]);
  else if (level == 1) log.error("error: {}", [message]);
  else if (level == 2) log.warning("warning: {}", [message]);
  else if (level == 3) log.info("info: {}", [message]);
  else log.debug("debug: {}", [message]);
}

export function failAssertion(message: string): void {
  assert(false, message);
}
