import type { Metadata } from "next";
import Link from "next/link";

import { PageTitle } from "@/components/ui";
import { SessionGate } from "@/features/auth/session-gate";
import { TripEditor } from "@/features/plan/trip-editor";

export const metadata: Metadata = { title: "Trip" };

export default async function TripPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/trips" className="text-brand-700 underline">
          ← All trips
        </Link>
      </p>
      <PageTitle lead="Change any day: remove, swap or move an item, or add one from search; the total is priced again each time.">
        Your trip
      </PageTitle>
      <SessionGate purpose="open this trip">
        <TripEditor id={id} />
      </SessionGate>
    </>
  );
}
