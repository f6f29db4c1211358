/**
 * What a stake change would do, before it is signed: the tier the new staked amount reaches, and the yield rate of
 * the staking reward stream now.
 */

export interface Tier {
  minStake: bigint;
  boostBps: number | bigint;
  discountBps: number | bigint;
}

/** The highest tier whose threshold `staked` reaches (as TRVLStaking.tierOf does); 0 when none but the first. */
export function tierIndexFor(tiers: readonly Tier[], staked: bigint): number {
  let index = 0;
  tiers.forEach((tier, i) => {
    if (staked >= tier.minStake) index = i;
  });
  return index;
}

const YEAR = 365n * 24n * 3600n;
const PRECISION = 10n ** 18n;

/**
 * The reward stream's yearly rate for stakers, in basis points of the staked TRVL: `rewardRate` (TRVL per second for
 * everyone, scaled by 1e18) over a year, shared by `totalStaked`. Undefined while no one stakes; 0 once the stream
 * has ended (`periodFinish`, seconds).
 */
export function streamAprBps(
  rewardRate: bigint,
  totalStaked: bigint,
  periodFinish: bigint,
  now: number,
): bigint | undefined {
  if (BigInt(now) >= periodFinish) return 0n;
  if (totalStaked === 0n) return undefined;
  return (rewardRate * YEAR * 10_000n) / (PRECISION * totalStaked);
}
