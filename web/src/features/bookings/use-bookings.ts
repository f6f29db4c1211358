"use client";

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, call, type Booking } from "@/lib/api";
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
