import type { Metadata } from "next";

import { PageTitle } from "@/components/ui";
import { PlanChat } from "@/features/plan/plan-chat";

export const metadata: Metadata = { title: "Plan a trip" };

export default function PlanPage() {
  return (
    <>
      <PageTitle lead="Say or type where you want to go; pick from real catalog items; book and pay on-chain.">
        Plan a trip
      </PageTitle>
      <PlanChat />
    </>
  );
}
