import type { Metadata } from "next";

import { PageTitle } from "@/components/ui";
import { PlanChat } from "@/features/plan/plan-chat";

export const metadata: Metadata = { title: "Plan a trip" };

export default function PlanPage() {
  return (
    <>
      <PageTitle lead="Say or type where you want to go, get a day-by-day plan of bookable places, book it and pay on-chain.">
        Plan a trip
      </PageTitle>
      <PlanChat />
    </>
  );
}
