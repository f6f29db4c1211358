/**
 * The staking contract as the API reads it: an account's staked amount, tier, booking discount, reward boost and
 * staked votes. Bookings apply the discount to quotes; accounts show the position. The discount and boost are those
 * of the tier held over the contract's holding period up to now (`heldTierOf`), the rule the distributor applies to
 * the boost at the payment time; `tier` is what the current stake reaches.
 */
import { TIER_NAMES, tierName, trvlStakingAbi } from "@trvl/abi";
import type { Address } from "viem";

import type { ChainContext } from "../chain/index.js";

export const TIERS = TIER_NAMES;
export type Tier = (typeof TIERS)[number];

export interface StakingPosition {
  staked: bigint;
  tier: Tier;
  /** Discount on bookings, in basis points, of the tier held over the holding period. */
  discountBps: number;
  /** Reward boost of a booking paid now, in basis points, of the tier held over the holding period. */
  boostBps: number;
  /** Votes delegated to this account from staked TRVL (on top of its token votes). */
  votes: bigint;
}

export interface StakingReader {
  readonly available: boolean;
  /** Why staking figures are missing, when they are. */
  readonly reason: string | null;
  positionOf(account: Address, blockNumber?: bigint): Promise<StakingPosition | null>;
}

export const STAKING_CONTRACT = "TRVLStaking";

export function createStakingReader(chain: ChainContext): StakingReader {
  const staking = chain.contract(STAKING_CONTRACT);
  if (!staking) {
    return {
      available: false,
      reason: `No ${STAKING_CONTRACT} contract is deployed on chain ${chain.chain.id}: staking tiers and discounts are off`,
      positionOf: async () => null,
    };
  }
  return {
    available: true,
    reason: null,
    async positionOf(account, blockNumber) {
      const [staked, tierIndex, heldTierIndex, tiers, votes] = await chain.client.multicall({
        ...chain.multicallOptions,
        allowFailure: false,
        blockNumber,
        contracts: [
          { address: staking, abi: trvlStakingAbi, functionName: "stakedOf", args: [account] },
          { address: staking, abi: trvlStakingAbi, functionName: "tierOf", args: [account] },
          { address: staking, abi: trvlStakingAbi, functionName: "heldTierOf", args: [account] },
          { address: staking, abi: trvlStakingAbi, functionName: "tiers" },
          { address: staking, abi: trvlStakingAbi, functionName: "getVotes", args: [account] },
        ],
      });
      const held = tiers[Number(heldTierIndex)];
      return {
        staked,
        tier: tierName(tierIndex) as Tier,
        discountBps: held.discountBps,
        boostBps: held.boostBps,
        votes,
      };
    },
  };
}
