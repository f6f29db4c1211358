import { describe, expect, it } from "vitest";

import { streamAprBps, tierIndexFor } from "./stake-math";

const T = 10n ** 18n;
const TIERS = [
  { minStake: 0n, boostBps: 0, discountBps: 0 },
  { minStake: 1_000n * T, boostBps: 1_000, discountBps: 200 },
  { minStake: 10_000n * T, boostBps: 2_500, discountBps: 300 },
  { minStake: 50_000n * T, boostBps: 5_000, discountBps: 500 },
];

describe("the tier a stake reaches", () => {
  it("is the highest threshold reached, at the threshold exactly too", () => {
    expect(tierIndexFor(TIERS, 0n)).toBe(0);
    expect(tierIndexFor(TIERS, 999n * T)).toBe(0);
    expect(tierIndexFor(TIERS, 1_000n * T)).toBe(1);
    expect(tierIndexFor(TIERS, 49_999n * T)).toBe(2);
    expect(tierIndexFor(TIERS, 1_000_000n * T)).toBe(3);
  });

  it("drops when unstaking takes the stake under its threshold: 1,000 − 200 is Explorer again", () => {
    expect(tierIndexFor(TIERS, 1_000n * T - 200n * T)).toBe(0);
  });
});

describe("the reward stream's APR", () => {
  it("spreads a year of the stream over what is staked", () => {
    // 100,000 TRVL over 30 days, 50,000 TRVL staked: 100,000 × 365/30 / 50,000 = 2433.33% → 243,333 bps.
    const rate = (100_000n * T * 10n ** 18n) / (30n * 86_400n);
    expect(streamAprBps(rate, 50_000n * T, 2_000_000_000n, 1_900_000_000)).toBe(243_333n);
  });

  it("is zero once the stream has ended, and unknown while nothing is staked", () => {
    expect(streamAprBps(10n ** 18n, 1_000n * T, 1_900_000_000n, 1_900_000_000)).toBe(0n);
    expect(streamAprBps(10n ** 18n, 0n, 2_000_000_000n, 1_900_000_000)).toBeUndefined();
  });
});
