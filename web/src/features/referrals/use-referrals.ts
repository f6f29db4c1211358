"use client";

import { useQuery } from "@tanstack/react-query";

import { api, call } from "@/lib/api";
import { liveKeys } from "@/lib/use-live-events";

export function useReferrals(address: string | undefined) {
  return useQuery({
    queryKey: [...liveKeys.referrals, address],
    enabled: address !== undefined,
    queryFn: () => call(api.referrals.$get()),
  });
}
