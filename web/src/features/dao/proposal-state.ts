import { PROPOSAL_STATES, type ProposalStateName } from "@trvl/abi";

export function stateName(index: number | undefined): ProposalStateName | "Unknown" {
  return index === undefined ? "Unknown" : (PROPOSAL_STATES[index] ?? "Unknown");
}

/** Vote support values of GovernorCountingSimple. */
export const SUPPORT = { against: 0, for: 1, abstain: 2 } as const;

/** Share of `part` in `whole` as a percentage for a bar, 0–100, exact enough for display. */
export function percent(part: bigint, whole: bigint): number {
  if (whole <= 0n) return 0;
  const p = Number((part * 10_000n) / whole) / 100;
  return Math.min(100, Math.max(0, p));
}
