import type { Metadata } from "next";

import { PageTitle } from "@/components/ui";
import { OpsPanel } from "@/features/ops/ops-panel";

export const metadata: Metadata = { title: "Ops" };

export default function OpsPage() {
  return (
    <>
      <PageTitle lead="For admins, read-only: the guardian Safe, the timelock queue, roles, pauses, minting headroom and the keeper. Changes go through the Safe (npm run admin) or a DAO proposal, never from this page.">
        Ops
      </PageTitle>
      <OpsPanel />
    </>
  );
}
