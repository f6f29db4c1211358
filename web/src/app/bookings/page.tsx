import type { Metadata } from "next";

import { PageTitle } from "@/components/ui";
import { SessionGate } from "@/features/auth/session-gate";
import { BookingsList } from "@/features/bookings/bookings-list";

export const metadata: Metadata = { title: "Bookings" };

export default function BookingsPage() {
  return (
    <>
      <PageTitle lead="Pay, follow and cancel your trips. Each one pays you TRVL once it is settled.">
        Bookings
      </PageTitle>
      <SessionGate purpose="see your bookings">
        <BookingsList />
      </SessionGate>
    </>
  );
}
