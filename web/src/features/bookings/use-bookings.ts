"use client";

import { contract } from "@trvl/abi";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Hex } from "viem";
import { usePublicClient } from "wagmi";

import { api, call, type Booking } from "@/lib/api";
import { useDeployment } from "@/lib/use-deployment";
import { liveKeys } from "@/lib/use-live-events";

/** The signed-in traveller's bookings, newest first, a page at a time. */
export function useBookings(address: string | undefined) {
  return useInfiniteQuery({
    queryKey: [...liveKeys.bookings, "list", address],
    enabled: address !== undefined,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      call(api.bookings.$get({ query: pageParam ? { limit: "20", cursor: pageParam } : { limit: "20" } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useBooking(id: string, address: string | undefined) {
  return useQuery({
    queryKey: [...liveKeys.booking(id), address],
    queryFn: () => call(api.bookings[":id"].$get({ param: { id } })),
    enabled: address !== undefined,
  });
}

export function useCancelBooking(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => call(api.bookings[":id"].cancel.$post({ param: { id } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: liveKeys.bookings }),
  });
}

export interface ChainStep {
  txHash: Hex;
  blockNumber: bigint;
}

/** What the chain says happened to a booking: the transactions that paid, settled, refunded and rewarded it. */
export interface BookingChainHistory {
  paid?: ChainStep;
  settled?: ChainStep;
  refunded?: ChainStep;
  rewarded?: ChainStep & { travellerAmount: bigint; boostBps: bigint };
}

/** Reads the booking's escrow and distributor events, so each step of the timeline links to its transaction. */
export function useBookingChainHistory(booking: Booking | undefined) {
  const { chainId, deployment } = useDeployment();
  const client = usePublicClient();
  return useQuery({
    // The status is in the key: each change of status reads the chain again.
    queryKey: [...liveKeys.booking(booking?.id ?? ""), "chain", booking?.status],
    enabled: booking !== undefined && deployment !== null && client !== undefined,
    queryFn: async (): Promise<BookingChainHistory> => {
      const bookingId = booking!.id as Hex;
      const escrow = contract(chainId, "BookingEscrow");
      const distributor = contract(chainId, "RewardDistributor");
      const fromBlock = BigInt(deployment!.contracts.BookingEscrow.blockNumber);
      const step = (log: { transactionHash: Hex; blockNumber: bigint } | undefined) =>
        log ? { txHash: log.transactionHash, blockNumber: log.blockNumber } : undefined;
      const [paid, settled, refunded, rewarded] = await Promise.all([
        client!.getContractEvents({
          ...escrow,
          eventName: "BookingPaid",
          args: { bookingId },
          fromBlock,
        }),
        client!.getContractEvents({
          ...escrow,
          eventName: "BookingSettled",
          args: { bookingId },
          fromBlock,
        }),
        client!.getContractEvents({
          ...escrow,
          eventName: "BookingRefunded",
          args: { bookingId },
          fromBlock,
        }),
        client!.getContractEvents({
          ...distributor,
          eventName: "RewardDistributed",
          args: { bookingId },
          fromBlock,
        }),
      ]);
      const reward = rewarded[0];
      return {
        paid: step(paid[0]),
        settled: step(settled[0]),
        refunded: step(refunded[0]),
        rewarded: reward
          ? {
              ...step(reward)!,
              travellerAmount: reward.args.travellerAmount ?? 0n,
              boostBps: reward.args.boostBps ?? 0n,
            }
          : undefined,
      };
    },
  });
}
