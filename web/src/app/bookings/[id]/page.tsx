import type { Metadata } from "next";
import Link from "next/link";

import { PageTitle } from "@/components/ui";
import { SessionGate } from "@/features/auth/session-gate";
import { BookingDetail } from "@/features/bookings/booking-detail";

export const metadata: Metadata = { title: "Booking" };

export default async function BookingPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/bookings" className="text-brand-700 underline">
          ← All bookings
        </Link>
      </p>
      <PageTitle>Booking</PageTitle>
      <SessionGate purpose="see this booking">
        <BookingDetail id={id} />
      </SessionGate>
    </>
  );
}
