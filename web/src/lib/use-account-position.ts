"use client";

import { useQuery } from "@tanstack/react-query";

import { api, call } from "./api";
import { useBlockRefresh } from "./use-block-refresh";
import { liveKeys } from "./use-live-events";

/**
 * An account's TRVL position, the one way the app reads it: balance, votes and delegate, staked amount, tier with its
 * boost and discount, and voting power, as the API reads them from the chain (GET /accounts/{address}). Read again at
 * every block and whenever the API pushes a change to the account.
 */
export function useAccountPosition(address: string | undefined) {
  const query = useQuery({
    queryKey: [...liveKeys.account, address],
    enabled: address !== undefined,
    queryFn: () => call(api.accounts[":address"].$get({ param: { address: address! } })),
  });
  useBlockRefresh(query.refetch);
  return query;
}
