import type { Metadata } from "next";

import { PageTitle } from "@/components/ui";
import { SessionGate } from "@/features/auth/session-gate";
import { RewardsPanel } from "@/features/rewards/rewards-panel-lazy";

export const metadata: Metadata = { title: "Rewards" };

export default function RewardsPage() {
  return (
    <>
      <PageTitle lead="TRVL you earned from your bookings and from the travellers you referred.">Rewards</PageTitle>
      <SessionGate purpose="see your rewards">
        <RewardsPanel />
      </SessionGate>
    </>
  );
}
