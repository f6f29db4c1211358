import { z } from "@hono/zod-openapi";
import { getAddress, isAddress, type Address } from "viem";

import { ApiError } from "./errors.js";

/** An Ethereum address in any case; handed to handlers in its checksummed form. */
export const AddressSchema = z
  .string()
  .refine((value) => isAddress(value, { strict: false }), "must be a 0x-prefixed 20-byte address")
  .transform((value) => getAddress(value) as Address)
  .openapi({ type: "string", example: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" });

export const AddressOut = z.string().openapi({ example: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" });

export const HexSchema = z
  .string()
  .regex(/^0x([0-9a-fA-F]{2})*$/, "must be 0x-prefixed hex")
  .transform((value) => value as `0x${string}`)
  .openapi({ type: "string", example: "0x1234" });

export const Bytes32Schema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte hex string")
  .transform((value) => value.toLowerCase() as `0x${string}`)
  .openapi({ type: "string", example: `0x${"ab".repeat(32)}` });

/** An integer amount in a token's smallest unit, as a decimal string (uint256 does not fit a JSON number). */
export const UintString = z.string().regex(/^\d+$/).openapi({ example: "125000000" });

/** A US dollar amount as an exact decimal string with two places. */
export const UsdString = z
  .string()
  .regex(/^\d+\.\d{2}$/)
  .openapi({ example: "249.00" });

export const Money = z.object({ amount: UsdString, currency: z.literal("USD") }).openapi("Money");

export function usd(cents: bigint) {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const whole = abs / 100n;
  const fraction = (abs % 100n).toString().padStart(2, "0");
  return { amount: `${negative ? "-" : ""}${whole}.${fraction}`, currency: "USD" as const };
}

/** "12.34" (at most two decimals) → 1234n. */
export const UsdInput = z
  .string()
  .regex(/^\d{1,9}(\.\d{1,2})?$/, "must be a dollar amount like 120 or 120.50")
  .transform((value) => {
    const [whole, fraction = ""] = value.split(".");
    return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0"));
  })
  .openapi({ type: "string", example: "150.00" });

export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date like 2030-06-01")
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, "must be a real calendar date")
  .openapi({ type: "string", example: "2030-06-01" });

export const PageQuery = {
  cursor: z
    .string()
    .max(200)
    .optional()
    .openapi({ description: "Opaque cursor from the previous page's `nextCursor`" }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
};

/** Opaque cursor: base64url of a JSON value. Anything undecodable is a 400 naming the field. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

export function decodeCursor<T>(cursor: string | undefined, shape: z.ZodType<T>): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed = shape.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    if (parsed.success) return parsed.data;
  } catch {
    // not base64url JSON: same answer as a well-formed but foreign cursor
  }
  throw new ApiError(400, "validation_failed", "query.cursor: not a cursor this API issued", {
    fields: [{ field: "query.cursor", message: "not a cursor this API issued" }],
  });
}

/** An EIP-712 type's field list and domain, as the web's wallet library takes them. */
export const TypedFields = z.array(z.object({ name: z.string(), type: z.string() })).readonly();
export const TypedDataDomain = z.object({
  name: z.string(),
  version: z.string(),
  chainId: z.number().int(),
  verifyingContract: AddressOut,
});
