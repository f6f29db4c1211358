"use client";

import Link from "next/link";

import { Button, Card, Notice } from "@/components/ui";
import { useSession } from "@/features/auth/session";
import { describeError } from "@/lib/api";
import { formatDay, formatMoney } from "@/lib/format";

import { paymentAmount, STATUS_LABEL, StatusBadgeClass, titleOf } from "./status";
import { useBookings } from "./use-bookings";

export function BookingsList() {
  const { address } = useSession();
  const query = useBookings(address);
  if (query.isPending) return <Card>Loading your bookings…</Card>;
  if (query.isError) return <Notice tone="error">{describeError(query.error)}</Notice>;
  const bookings = query.data.pages.flatMap((page) => page.bookings);
  if (bookings.length === 0)
    return (
      <Card>
        <p className="text-slate-700">You have no bookings yet.</p>
        <p className="mt-2">
          <Link href="/plan" className="font-semibold text-brand-700 underline">
            Plan a trip
          </Link>{" "}
          to book hotels, flights, activities and restaurants, and earn TRVL back.
        </p>
      </Card>
    );
  return (
    <div className="grid gap-3">
      <ul className="grid gap-3" aria-label="Your bookings">
        {bookings.map((booking) => (
          <li key={booking.id}>
            <Link
              href={`/bookings/${booking.id}`}
              className="block rounded-xl border border-slate-200 bg-white p-4 shadow-sm hover:border-brand-500 focus-visible:border-brand-500"
            >
              <div className="flex flex-wrap items-center justify-between gap-2">
                <span className="font-semibold" data-testid="booking-destination">
                  {titleOf(booking)}
                </span>
                <span className={StatusBadgeClass(booking.status)}>{STATUS_LABEL[booking.status]}</span>
              </div>
              {booking.destination && (
                <p className="mt-1 text-sm text-slate-700">{booking.items.map((i) => i.name).join(" · ")}</p>
              )}
              <p className="mt-1 text-sm text-slate-600">
                {formatDay(booking.stay.checkIn)} → {formatDay(booking.stay.checkOut)} ·{" "}
                {formatMoney(booking.pricing.total.amount, booking.pricing.total.currency)} · {paymentAmount(booking)}
              </p>
            </Link>
          </li>
        ))}
      </ul>
      {query.hasNextPage && (
        <div>
          <Button variant="secondary" disabled={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
            {query.isFetchingNextPage ? "Loading…" : "Show older bookings"}
          </Button>
        </div>
      )}
    </div>
  );
}
