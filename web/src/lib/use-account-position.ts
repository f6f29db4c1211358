"use client";

import { useQuery } from "@tanstack/react-query";
import { useCallback } from "react";

import { api, call } from "./api";
import { useBlockRefresh } from "./use-block-refresh";
import { liveKeys } from "./use-live-events";

/**
 * An account's TRVL position, the one way the app reads it: balance, votes and delegate, staked amount, tier with its
 * boost and discount, and voting power, as the API reads them from the chain (GET /accounts/{address}). Read again at
 * every block, whenever the API pushes a change to the account, and every few seconds: the API keeps an account's
 * figures for a moment, so a read right after a change can still get the figures from before it.
 */
export function useAccountPosition(address: string | undefined) {
  const query = useQuery({
    queryKey: [...liveKeys.account, address],
    enabled: address !== undefined,
    queryFn: () => call(api.accounts[":address"].$get({ param: { address: address! } })),
    refetchInterval: 3_000,
  });
  const { refetch } = query;
  // A new block must not cancel a read in flight: on a busy API every read would be cancelled by the next block.
  useBlockRefresh(useCallback(() => refetch({ cancelRefetch: false }), [refetch]));
  return query;
}
