"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";

import { config } from "./config";

/** Query keys the API's pushed changes make stale. Every feature's API queries start with one of these. */
export const liveKeys = {
  bookings: ["bookings"] as const,
  booking: (id: string) => ["bookings", id] as const,
  rewards: ["rewards"] as const,
  referrals: ["referrals"] as const,
  account: ["account"] as const,
};

export type LiveStatus = "off" | "connecting" | "live" | "reconnecting";

/**
 * Listens to the signed-in user's server-sent events (GET /events, with the session cookie) while `enabled`, and
 * refetches what each event changed: a booking's status, then rewards and referral earnings that follow it.
 * EventSource reconnects by itself after a dropped connection.
 */
export function useLiveEvents(enabled: boolean): LiveStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>("off");
  useEffect(() => {
    if (!enabled || typeof EventSource === "undefined") {
      setStatus("off");
      return;
    }
    setStatus("connecting");
    const source = new EventSource(`${config.apiUrl}/events`, { withCredentials: true });
    const invalidate = (key: readonly unknown[]) => void queryClient.invalidateQueries({ queryKey: key });
    source.addEventListener("ready", () => setStatus("live"));
    source.addEventListener("booking", (event) => {
      try {
        const { booking } = JSON.parse((event as MessageEvent<string>).data) as { booking: { id: string } };
        invalidate(liveKeys.booking(booking.id));
      } catch {
        // A malformed event only costs a refresh.
      }
      invalidate(liveKeys.bookings);
      invalidate(liveKeys.rewards);
      invalidate(liveKeys.referrals);
    });
    source.addEventListener("account", () => {
      invalidate(liveKeys.account);
      invalidate(liveKeys.rewards);
      invalidate(liveKeys.referrals);
    });
    source.addEventListener("refresh", () => void queryClient.invalidateQueries());
    source.onerror = () => setStatus(source.readyState === EventSource.CLOSED ? "off" : "reconnecting");
    return () => {
      source.close();
      setStatus("off");
    };
  }, [enabled, queryClient]);
  return status;
}
