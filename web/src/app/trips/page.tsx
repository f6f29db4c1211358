import type { Metadata } from "next";

import { PageTitle } from "@/components/ui";
import { SessionGate } from "@/features/auth/session-gate";
import { TripsList } from "@/features/plan/trips-list";

export const metadata: Metadata = { title: "Trips" };

export default function TripsPage() {
  return (
    <>
      <PageTitle lead="Your saved trips: drafts to finish, booked trips and the ones you travelled, each as you left it.">
        Trips
      </PageTitle>
      <SessionGate purpose="see your trips">
        <TripsList />
      </SessionGate>
    </>
  );
}
