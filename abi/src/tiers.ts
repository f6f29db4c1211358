/**
 * Names of the staking tiers, by their index in `TRVLStaking.tiers()`. Thresholds, boosts and discounts live on
 * chain (governance can change them); the names are product copy shared by the backend and the web.
 */
export const TIER_NAMES = ["Explorer", "Voyager", "Globetrotter", "Jetsetter"] as const;

export function tierName(index: number | bigint): string {
  return TIER_NAMES[Number(index)] ?? `Tier ${Number(index) + 1}`;
}
