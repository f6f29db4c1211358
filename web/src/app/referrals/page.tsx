import type { Metadata } from "next";

import { PageTitle } from "@/components/ui";
import { SessionGate } from "@/features/auth/session-gate";
import { ReferralsPanel } from "@/features/referrals/referrals-panel";

export const metadata: Metadata = { title: "Referrals" };

export default function ReferralsPage() {
  return (
    <>
      <PageTitle lead="Invite travellers and earn TRVL on their bookings, on two levels.">Referrals</PageTitle>
      <SessionGate purpose="see your referrals">
        <ReferralsPanel />
      </SessionGate>
    </>
  );
}
