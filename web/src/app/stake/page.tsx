import type { Metadata } from "next";

import { PageTitle } from "@/components/ui";
import { WalletGate } from "@/components/wallet-gate";
import { StakePanel } from "@/features/stake/stake-panel";

export const metadata: Metadata = { title: "Stake" };

export default function StakePage() {
  return (
    <>
      <PageTitle lead="Stake TRVL for a higher tier: bigger booking rewards, cheaper bookings, and yield.">
        Stake
      </PageTitle>
      <WalletGate purpose="stake TRVL">
        <StakePanel />
      </WalletGate>
    </>
  );
}
