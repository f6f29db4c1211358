/**
 * Names of the contracts' enums and tiers, by value: ABIs carry enum values as plain integers, so the names the
 * backend, the web and the scripts show live here, once. `test/deployment.test.ts` checks each list against the
 * Solidity source it mirrors.
 */

/** `RewardDistributor.SkipReason`, by value. */
export const SKIP_REASONS = [
  "Unknown",
  "NotSettled",
  "Refunded",
  "AlreadyRewarded",
  "NoPriceFeed",
  "MintLimitReached",
  "SupplyCapReached",
  "PriceUnavailable",
  "Queued",
  "SequencerDown",
] as const;

export type SkipReasonName = (typeof SKIP_REASONS)[number];

/** OpenZeppelin `IGovernor.ProposalState`, by value. */
export const PROPOSAL_STATES = [
  "Pending",
  "Active",
  "Canceled",
  "Defeated",
  "Succeeded",
  "Queued",
  "Expired",
  "Executed",
] as const;

export type ProposalStateName = (typeof PROPOSAL_STATES)[number];

/**
 * Names of the staking tiers, by their index in `TRVLStaking.tiers()`. Thresholds, boosts and discounts live on
 * chain (governance can change them); the names are product copy.
 */
export const TIER_NAMES = ["Explorer", "Voyager", "Globetrotter", "Jetsetter"] as const;

export function tierName(index: number | bigint): string {
  return TIER_NAMES[Number(index)] ?? `Tier ${Number(index) + 1}`;
}
