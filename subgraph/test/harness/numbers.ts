/**
 * BigInt and BigDecimal with graph-node's semantics, for the host functions of the test harness.
 *
 * graph-node's BigInt is num-bigint's: division truncates toward zero, the remainder takes the dividend's sign,
 * right shifts are arithmetic (round toward negative infinity), and values cross into WebAssembly as minimal
 * little-endian two's-complement bytes. JavaScript's bigint has the same arithmetic.
 *
 * graph-node's BigDecimal is the `bigdecimal` crate (0.1) normalised after every operation: rounded to 34 significant
 * digits and stripped of trailing zeros. That crate rounds a positive value half up on the first dropped digit and
 * truncates a negative one toward zero; division computes 100 significant digits, rounding the last the same way,
 * before normalisation. The exponent must stay within [-6143, 6144].
 */

export const MAX_SIGNIFICANT_DIGITS = 34;
export const MIN_EXP = -6143;
export const MAX_EXP = 6144;
const DIVISION_PRECISION = 100;

// ---------------------------------------------------------------------------------------------------------------
// BigInt
// ---------------------------------------------------------------------------------------------------------------

/** Minimal two's-complement little-endian bytes, as num-bigint's `to_signed_bytes_le` (0 is one zero byte). */
export function bigintToSignedBytesLE(value: bigint): Uint8Array {
  const bytes: number[] = [];
  let v = value;
  for (;;) {
    const byte = Number(v & 0xffn);
    bytes.push(byte);
    v >>= 8n; // arithmetic: keeps the sign
    const signBitSet = (byte & 0x80) !== 0;
    if ((v === 0n && !signBitSet) || (v === -1n && signBitSet)) break;
  }
  return Uint8Array.from(bytes);
}

export function bigintFromSignedBytesLE(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]);
  if (bytes[bytes.length - 1] & 0x80) value -= 1n << BigInt(bytes.length * 8);
  return value;
}

export function bigintFromUnsignedBytesLE(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]);
  return value;
}

export const bigIntOps = {
  plus: (x: bigint, y: bigint) => x + y,
  minus: (x: bigint, y: bigint) => x - y,
  times: (x: bigint, y: bigint) => x * y,
  dividedBy(x: bigint, y: bigint): bigint {
    if (y === 0n) throw new Error("Cannot divide by zero-valued `BigInt`!");
    return x / y; // truncates toward zero, like num-bigint
  },
  mod(x: bigint, y: bigint): bigint {
    if (y === 0n) throw new Error("Cannot divide by zero-valued `BigInt`!");
    return x % y; // sign of the dividend, like num-bigint
  },
  pow: (x: bigint, exponent: number) => x ** BigInt(exponent & 0xff),
  bitOr: (x: bigint, y: bigint) => x | y,
  bitAnd: (x: bigint, y: bigint) => x & y,
  leftShift: (x: bigint, bits: number) => x << BigInt(bits & 0xff),
  rightShift: (x: bigint, bits: number) => x >> BigInt(bits & 0xff),
  fromString(s: string): bigint {
    // num-bigint's FromStr: optional sign, decimal digits (underscores allowed between digits).
    if (!/^[+-]?\d(?:_?\d)*$/.test(s)) throw new Error(`invalid BigInt string: ${JSON.stringify(s)}`);
    return BigInt(s.replace(/_/g, ""));
  },
  /** graph-node's `big_int_to_hex`: the magnitude's big-endian hex without leading zeros (the sign is dropped). */
  toHex(x: bigint): string {
    if (x === 0n) return "0x0";
    return `0x${(x < 0n ? -x : x).toString(16)}`;
  },
};

// ---------------------------------------------------------------------------------------------------------------
// BigDecimal
// ---------------------------------------------------------------------------------------------------------------

/** value = digits × 10^exp */
export interface Decimal {
  digits: bigint;
  exp: number;
}

const abs = (x: bigint) => (x < 0n ? -x : x);
const pow10 = (n: number) => 10n ** BigInt(n);
const digitCount = (x: bigint) => (x === 0n ? 1 : abs(x).toString().length);

/** The `bigdecimal` crate's rounding term: 1 if `remainder`'s leading digit is 5 or more (0 for zero). */
function roundingTerm(remainder: bigint): bigint {
  if (remainder <= 0n) return 0n;
  return remainder.toString()[0] >= "5" ? 1n : 0n;
}

/** graph-node's `BigDecimal::normalized`: 34 significant digits, trailing zeros stripped, zero as 0e0. */
export function normalize(d: Decimal): Decimal {
  let { digits, exp } = d;
  if (digits === 0n) return { digits: 0n, exp: 0 };
  const count = digitCount(digits);
  if (count > MAX_SIGNIFICANT_DIGITS) {
    const dropped = count - MAX_SIGNIFICANT_DIGITS;
    const p = pow10(dropped);
    let quotient = digits / p;
    const remainder = digits % p;
    // Only a remainder whose leading digit sits right after the kept digits can round (p < 10·r); a negative
    // remainder never does: negative values are truncated.
    if (p < 10n * remainder) quotient += roundingTerm(remainder);
    digits = quotient;
    exp += dropped;
  }
  while (digits !== 0n && digits % 10n === 0n) {
    digits /= 10n;
    exp += 1;
  }
  return { digits, exp };
}

export function checkExponent(d: Decimal): Decimal {
  if (d.exp < MIN_EXP || d.exp > MAX_EXP) {
    throw new Error(`bigDecimal exponent ${d.exp} is outside the ${MIN_EXP} to ${MAX_EXP} range`);
  }
  return d;
}

function align(x: Decimal, y: Decimal): [bigint, bigint, number] {
  const exp = Math.min(x.exp, y.exp);
  return [x.digits * pow10(x.exp - exp), y.digits * pow10(y.exp - exp), exp];
}

/** The crate's `impl_division` on magnitudes: 100 significant digits, the last rounded half up. */
function divideMagnitudes(num: bigint, den: bigint, scale: number): Decimal {
  if (num === 0n) return { digits: 0n, exp: 0 };
  while (num < den) {
    scale += 1;
    num *= 10n;
  }
  let quotient = num / den;
  let remainder = num % den;
  if (remainder === 0n) return { digits: quotient, exp: -scale };
  let precision = digitCount(quotient);
  remainder *= 10n;
  while (remainder !== 0n && precision < DIVISION_PRECISION) {
    quotient = quotient * 10n + remainder / den;
    remainder = (remainder % den) * 10n;
    precision += 1;
    scale += 1;
  }
  if (remainder !== 0n) quotient += roundingTerm(remainder / den);
  return { digits: quotient, exp: -scale };
}

export const bigDecimalOps = {
  plus(x: Decimal, y: Decimal): Decimal {
    const [a, b, exp] = align(x, y);
    return normalize({ digits: a + b, exp });
  },
  minus(x: Decimal, y: Decimal): Decimal {
    const [a, b, exp] = align(x, y);
    return normalize({ digits: a - b, exp });
  },
  times(x: Decimal, y: Decimal): Decimal {
    return normalize({ digits: x.digits * y.digits, exp: x.exp + y.exp });
  },
  dividedBy(x: Decimal, y: Decimal): Decimal {
    if (y.digits === 0n) throw new Error("Cannot divide by zero-valued `BigDecimal`!");
    const scale = -x.exp - -y.exp;
    const negative = x.digits < 0n !== y.digits < 0n;
    const q = divideMagnitudes(abs(x.digits), abs(y.digits), scale);
    return normalize({ digits: negative ? -q.digits : q.digits, exp: q.exp });
  },
  equals(x: Decimal, y: Decimal): boolean {
    const [a, b] = align(x, y);
    return a === b;
  },
  /** The crate's Display: plain notation, no exponent. */
  toString(d: Decimal): string {
    const negative = d.digits < 0n;
    let s = abs(d.digits).toString();
    const scale = -d.exp;
    let out: string;
    if (scale <= 0) {
      out = s + "0".repeat(-scale);
    } else if (scale >= s.length) {
      out = `0.${"0".repeat(scale - s.length)}${s}`;
    } else {
      out = `${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}`;
    }
    s = out;
    return negative ? `-${s}` : s;
  },
  /** The crate's FromStr: `[-+]digits[.digits][e[-+]digits]`, then normalised. */
  fromString(s: string): Decimal {
    const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
    if (match === null || (match[2] === "" && (match[3] ?? "") === "")) {
      throw new Error(`invalid BigDecimal string: ${JSON.stringify(s)}`);
    }
    const [, sign, whole, fraction = "", exponent = "0"] = match;
    const digits = BigInt(
      `${sign}${whole}${fraction}` === sign ? "0" : `${sign === "-" ? "-" : ""}${whole}${fraction}`,
    );
    return normalize({ digits, exp: Number(exponent) - fraction.length });
  },
  fromBigInt: (x: bigint): Decimal => normalize({ digits: x, exp: 0 }),
};

/** BigInt ÷ BigDecimal (`bigInt.dividedByDecimal`). */
export function bigIntDividedByDecimal(x: bigint, y: Decimal): Decimal {
  return bigDecimalOps.dividedBy(bigDecimalOps.fromBigInt(x), y);
}
