import type { Metadata } from "next";

import { PageTitle } from "@/components/ui";
import { DaoPanel } from "@/features/dao/dao-panel";

export const metadata: Metadata = { title: "DAO" };

export default function DaoPage() {
  return (
    <>
      <PageTitle lead="TRVL holders and stakers govern the protocol: delegate, vote, and carry out what passes.">
        DAO
      </PageTitle>
      <DaoPanel />
    </>
  );
}
