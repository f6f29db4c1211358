import type { Metadata } from "next";

import { PageTitle } from "@/components/ui";
import { PlanChat } from "@/features/plan/plan-chat";

export const metadata: Metadata = { title: "Plan a trip" };

export default function PlanPage() {
  return (
    <>
      <PageTitle lead="Say or type where you want to go: the planner builds each day from bookable hotels, activities and restaurants; book it and pay on-chain.">
        Plan a trip
      </PageTitle>
      <PlanChat />
    </>
  );
}
