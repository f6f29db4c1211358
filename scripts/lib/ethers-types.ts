import type { TypedDataField } from "ethers";

/** ethers takes mutable field lists; the shared definitions are `as const` for viem. */
export function ethersTypes(types: Record<string, readonly TypedDataField[]>): Record<string, TypedDataField[]> {
  return Object.fromEntries(Object.entries(types).map(([name, fields]) => [name, [...fields]]));
}
