"use client";

import { useInfiniteQuery } from "@tanstack/react-query";

import { api, call } from "@/lib/api";
import { liveKeys } from "@/lib/use-live-events";

/** The signed-in account's rewards, newest first, a page at a time, with totals by role. */
export function useRewards(address: string | undefined) {
  return useInfiniteQuery({
    queryKey: [...liveKeys.rewards, address],
    enabled: address !== undefined,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      call(api.rewards.$get({ query: pageParam ? { limit: "100", cursor: pageParam } : { limit: "100" } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
