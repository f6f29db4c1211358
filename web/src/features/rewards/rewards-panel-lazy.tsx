"use client";

import dynamic from "next/dynamic";

import { Card } from "@/components/ui";

/**
 * The rewards panel's code (its contract reads, chart and table) is fetched only once it is shown, to a signed-in
 * wallet: a visitor who is signed out never loads it. The page, rendered on the server, refers to this stand-in.
 */
export const RewardsPanel = dynamic(() => import("./rewards-panel").then((m) => m.RewardsPanel), {
  loading: () => (
    <Card>
      <p>Reading your balance…</p>
    </Card>
  ),
});
