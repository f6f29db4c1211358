"use client";

import { mockV3AggregatorAbi, PROTOCOL_CONTRACTS } from "@trvl/abi";
import { useReadContract } from "wagmi";

import { formatUsdValue } from "@/lib/format";
import { useBlockRefresh } from "@/lib/use-block-refresh";
import { useTrvlContractIfDeployed } from "@/lib/use-trvl-contract";

export interface UsdPrice {
  /** The feed's answer: USD per TRVL with `decimals` decimals. */
  answer: bigint;
  decimals: number;
}

/**
 * TRVL's USD price as the reward distributor prices rewards: the answer of the TRVL/USD feed it is configured with
 * (a Chainlink-style AggregatorV3 feed). Undefined until read, or on a chain without TRVL.
 */
export function useTrvlUsdPrice(): UsdPrice | undefined {
  const distributor = useTrvlContractIfDeployed("RewardDistributor");
  const feed = useReadContract({
    // Spelled out, not spread: wagmi needs the ABI's type while the address may still be unknown.
    address: distributor?.address,
    abi: PROTOCOL_CONTRACTS.RewardDistributor.abi,
    functionName: "trvlPriceFeed",
    query: { enabled: !!distributor },
  });
  const round = useReadContract({
    address: feed.data?.feed,
    abi: mockV3AggregatorAbi,
    functionName: "latestRoundData",
    query: { enabled: !!feed.data },
  });
  useBlockRefresh(round.refetch);
  if (!feed.data || !round.data || round.data[1] <= 0n) return undefined;
  return { answer: round.data[1], decimals: feed.data.feedDecimals };
}

/** What TRVL amounts are worth at that price, "≈ $75.00"; undefined until the price is read. */
export function useTrvlUsdValue(): (trvl: bigint) => string | undefined {
  const price = useTrvlUsdPrice();
  return (trvl) => (price ? `≈ ${formatUsdValue(trvl, 18, price.answer, price.decimals)}` : undefined);
}
