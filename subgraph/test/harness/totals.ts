/**
 * The totals the subgraph's mappings computed, as one plain JSON object: what the cross-checks compare with the
 * contracts' state (test/scenario.test.ts) and with the backend listener's read models
 * (backend/test/subgraph-crosscheck.test.ts). Amounts are decimal strings of raw units; addresses and booking ids
 * lowercase 0x-hex.
 */
import type { Store } from "./store.js";

export type OnChainBookingStatus = "PAID" | "SETTLED" | "REFUNDED" | "REWARDED";

export interface SubgraphTotals {
  bookings: {
    total: number;
    byStatus: Record<OnChainBookingStatus, number>;
    /** Each booking's status, by booking id. */
    statusOf: Record<string, OnChainBookingStatus>;
  };
  /** TRVL each address received from booking rewards, in total and per role. */
  rewards: Record<string, { total: string; traveller: string; level1: string; level2: string; treasury: string }>;
  /** How many accounts each referrer referred directly and at level 2. */
  referrals: Record<string, { direct: number; indirect: number }>;
  stakes: Record<string, { staked: string; pendingUnstake: string; tier: number }>;
  /** Each proposal (by id, in decimal): its state as the events tell it, its tallies and how many votes it got. */
  proposals: Record<
    string,
    { state: string; forVotes: string; againstVotes: string; abstainVotes: string; voteCount: number }
  >;
  protocol: { rewardsMinted: string; totalStaked: string; referralCount: number; proposalCount: number };
}

const str = (value: unknown) => String(value);

export function subgraphTotals(store: Store): SubgraphTotals {
  const byStatus = { PAID: 0, SETTLED: 0, REFUNDED: 0, REWARDED: 0 };
  const statusOf: SubgraphTotals["bookings"]["statusOf"] = {};
  const bookings = Object.entries(store.plainAll("Booking"));
  for (const [id, booking] of bookings) {
    const status = booking.status as OnChainBookingStatus;
    byStatus[status] += 1;
    statusOf[id] = status;
  }

  const rewards: SubgraphTotals["rewards"] = {};
  const referrals: SubgraphTotals["referrals"] = {};
  for (const [id, account] of Object.entries(store.plainAll("Account")).sort(([a], [b]) => a.localeCompare(b))) {
    if (account.rewardsTotal !== 0n) {
      rewards[id] = {
        total: str(account.rewardsTotal),
        traveller: str(account.rewardsAsTraveller),
        level1: str(account.rewardsAsLevel1),
        level2: str(account.rewardsAsLevel2),
        treasury: str(account.rewardsAsTreasury),
      };
    }
    if (account.directRefereeCount !== 0 || account.indirectRefereeCount !== 0) {
      referrals[id] = {
        direct: account.directRefereeCount as number,
        indirect: account.indirectRefereeCount as number,
      };
    }
  }

  const stakes: SubgraphTotals["stakes"] = {};
  for (const [id, position] of Object.entries(store.plainAll("StakePosition")).sort(([a], [b]) => a.localeCompare(b))) {
    stakes[id] = {
      staked: str(position.staked),
      pendingUnstake: str(position.pendingUnstake),
      tier: position.tier as number,
    };
  }

  const proposals: SubgraphTotals["proposals"] = {};
  for (const [id, proposal] of Object.entries(store.plainAll("Proposal"))) {
    proposals[id] = {
      state: proposal.state as string,
      forVotes: str(proposal.forVotes),
      againstVotes: str(proposal.againstVotes),
      abstainVotes: str(proposal.abstainVotes),
      voteCount: proposal.voteCount as number,
    };
  }

  const protocol = store.plain("Protocol", "trvl");
  return {
    bookings: { total: bookings.length, byStatus, statusOf },
    rewards,
    referrals,
    stakes,
    proposals,
    protocol: {
      rewardsMinted: str(protocol?.rewardsMinted ?? 0n),
      totalStaked: str(protocol?.totalStaked ?? 0n),
      referralCount: Number(protocol?.referralCount ?? 0n),
      proposalCount: Number(protocol?.proposalCount ?? 0n),
    },
  };
}
