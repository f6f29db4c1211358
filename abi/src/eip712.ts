/**
 * EIP-712 types the contracts verify. Kept beside the generated ABIs so that the backend (which signs quotes), the
 * web (which signs registrations) and the tests share one definition; `test/escrow.test.ts` and
 * `test/referral.test.ts` check them against the contracts' own type hashes.
 */
import type { Address, Hex } from "./types.ts";

export const quoteTypes = {
  Quote: [
    { name: "bookingId", type: "bytes32" },
    { name: "traveller", type: "address" },
    { name: "token", type: "address" },
    { name: "amount", type: "uint256" },
    { name: "commissionBps", type: "uint16" },
    { name: "supplier", type: "address" },
    { name: "expiresAt", type: "uint64" },
  ],
} as const;

export const registrationTypes = {
  Registration: [
    { name: "user", type: "address" },
    { name: "referrer", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** A booking's terms as the escrow's `pay` takes them. */
export interface Quote {
  bookingId: Hex;
  traveller: Address;
  token: Address;
  amount: bigint;
  commissionBps: number;
  supplier: Address;
  expiresAt: bigint;
}

export interface Registration {
  user: Address;
  referrer: Address;
  nonce: bigint;
  deadline: bigint;
}

export function quoteDomain(chainId: number | bigint, escrow: Address) {
  return { name: "TRVL BookingEscrow", version: "1", chainId: BigInt(chainId), verifyingContract: escrow } as const;
}

export function registrationDomain(chainId: number | bigint, registry: Address) {
  return { name: "TRVL Referrals", version: "1", chainId: BigInt(chainId), verifyingContract: registry } as const;
}

/** ERC-2612 permit, as TRVL and the stablecoins implement it. */
export const permitTypes = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** The ERC-2612 domain of an OpenZeppelin `ERC20Permit` token named `name` (version "1"). */
export function permitDomain(name: string, chainId: number | bigint, token: Address) {
  return { name, version: "1", chainId: BigInt(chainId), verifyingContract: token } as const;
}

/** What an ERC-2612 permit says: `owner` lets `spender` take `value` until `deadline` (Unix seconds). */
export interface Permit {
  owner: Address;
  spender: Address;
  value: bigint;
  nonce: bigint;
  deadline: bigint;
}

/**
 * The typed data of an ERC-2612 permit on `token` (named `tokenName` in its EIP-712 domain): the one builder the
 * backend (the permit it sends with a booking's payment instructions) and the web (staking with a permit) use.
 */
export function permitTypedData(token: { name: string; chainId: number | bigint; address: Address }, permit: Permit) {
  return {
    domain: permitDomain(token.name, token.chainId, token.address),
    types: permitTypes,
    primaryType: "Permit" as const,
    message: permit,
  };
}
