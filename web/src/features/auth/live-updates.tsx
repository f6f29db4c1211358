"use client";

import { createContext, useContext, type ReactNode } from "react";

import { useLiveEvents, type LiveStatus } from "@/lib/use-live-events";

import { useSession } from "./session";

const LiveContext = createContext<LiveStatus>("off");

/** One event stream per tab for the signed-in user; pages read its status with `useLiveStatus`. */
export function LiveUpdates({ children }: { children: ReactNode }) {
  const { address } = useSession();
  const status = useLiveEvents(address !== undefined);
  return <LiveContext.Provider value={status}>{children}</LiveContext.Provider>;
}

export const useLiveStatus = () => useContext(LiveContext);
