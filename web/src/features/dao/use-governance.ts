"use client";

import { useQuery } from "@tanstack/react-query";

import { api, call } from "@/lib/api";
import { liveKeys } from "@/lib/use-live-events";

export function useProposals() {
  return useQuery({
    queryKey: ["governance", "proposals"],
    queryFn: () => call(api.governance.proposals.$get({ query: { limit: "20" } })),
    refetchInterval: 5_000,
  });
}

/** Balance, votes, delegate and staking of an account, as the API reads them from the chain. */
export function useAccountFigures(address: string | undefined) {
  return useQuery({
    queryKey: [...liveKeys.account, address],
    enabled: address !== undefined,
    queryFn: () => call(api.accounts[":address"].$get({ param: { address: address! } })),
  });
}

/** How `voter` voted, by proposal id: side and weight, from the listener's record of VoteCast events. */
export function useMyVotes(voter: string | undefined) {
  return useQuery({
    queryKey: ["governance", "votes", voter],
    enabled: voter !== undefined,
    queryFn: async () => {
      const { votes } = await call(api.governance.votes.$get({ query: { voter: voter! } }));
      return new Map(votes.map((v) => [v.proposalId, v]));
    },
    refetchInterval: 5_000,
  });
}
