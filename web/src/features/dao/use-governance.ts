"use client";

import { useQuery } from "@tanstack/react-query";

import { api, call } from "@/lib/api";

export function useProposals() {
  return useQuery({
    queryKey: ["governance", "proposals"],
    queryFn: () => call(api.governance.proposals.$get({ query: { limit: "20" } })),
    refetchInterval: 5_000,
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
