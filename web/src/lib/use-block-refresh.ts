"use client";

import { useEffect } from "react";
import { useBlockNumber } from "wagmi";

/** Calls `refetch` on every new block, so balances follow the chain as it moves. */
export function useBlockRefresh(refetch: () => unknown) {
  const { data: block } = useBlockNumber({ watch: true });
  useEffect(() => {
    if (block !== undefined) void refetch();
  }, [block, refetch]);
}
