/**
 * The seam to the staking contract (issue 3, built in parallel). Everything that depends on staking — an account's
 * staked amount and tier, and the tier discount on quotes — reads it through `StakingReader`. Until a `TRVLStaking`
 * deployment and its generated ABI are in `@trvl/abi`, the reader reports staking as unavailable with the reason,
 * accounts show staked/tier as null, and quotes apply no discount.
 */
import type { Address } from "viem";

import type { ChainContext } from "../chain/index.js";

export const TIERS = ["Explorer", "Voyager", "Globetrotter", "Jetsetter"] as const;
export type Tier = (typeof TIERS)[number];

export interface StakingPosition {
  staked: bigint;
  tier: Tier;
  /** Discount on bookings, in basis points, as the contract sets it for the tier. */
  discountBps: number;
  /** Reward boost, in basis points. */
  boostBps: number;
}

export interface StakingReader {
  readonly available: boolean;
  /** Why staking figures are missing, when they are. */
  readonly reason: string | null;
  positionOf(account: Address): Promise<StakingPosition | null>;
}

export const STAKING_CONTRACT = "TRVLStaking";

export function createStakingReader(chain: ChainContext): StakingReader {
  const deployed = chain.contract(STAKING_CONTRACT);
  const reason = deployed
    ? `${STAKING_CONTRACT} is deployed at ${deployed}, but this API version does not read it yet`
    : `No ${STAKING_CONTRACT} contract is deployed on chain ${chain.chain.id}: staking tiers and discounts are not live yet`;
  // Issue 3 lands the contract and its ABI in @trvl/abi; the on-chain reader (stakedOf/tierOf/discount via
  // multicall) replaces this one then.
  return { available: false, reason, positionOf: async () => null };
}
