import dynamic from "next/dynamic";

import { Card } from "@/components/ui";
import type { Plan } from "@/lib/api";

import { planChanges } from "./messages";
import { formatDay, totalsOf } from "./plan-format";
import { SaveTrip } from "./save-trip";

// Booking (the wallet, the payment token's symbol read from the chain, POST /bookings) only matters once there is a
// plan: its code and its chain read are not part of the page's first load.
const BookTrip = dynamic(() => import("./book-trip").then((m) => m.BookTrip), {
  loading: () => <div aria-hidden className="mt-4 h-24 animate-pulse rounded-lg bg-slate-100" />,
});

const PACE_LABEL = {
  relaxed: "Relaxed: one activity a day",
  balanced: "Balanced: up to two activities a day",
  packed: "Packed: up to three activities a day",
};

/**
 * The latest plan beside the conversation, with what the last follow-up changed and "Book this trip" (see
 * ./book-trip.tsx). Before there is a plan it is a static card.
 */
export function TripPanel({ plan, previous }: { plan: Plan | undefined; previous?: Plan }) {
  if (!plan)
    return (
      <Card title="Your trip" className="h-fit lg:sticky lg:top-4">
        <p className="text-sm text-slate-600">
          Your plan shows here once the planner has made one: ask for a trip in the conversation.
        </p>
      </Card>
    );

  const totals = totalsOf(plan);
  const items = plan.booking.items.length;
  const changes = previous ? planChanges(previous, plan) : [];
  return (
    <Card title="Your trip" className="h-fit lg:sticky lg:top-4">
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm" data-testid="trip-summary">
        <dt className="text-slate-500">Where</dt>
        <dd className="font-medium">
          {plan.destination.name}, {plan.destination.countryName}
        </dd>
        <dt className="text-slate-500">When</dt>
        <dd>
          {formatDay(plan.checkIn)} → {formatDay(plan.checkOut)}
        </dd>
        <dt className="text-slate-500">Who</dt>
        <dd>
          {plan.guests} {plan.guests === 1 ? "traveller" : "travellers"}
        </dd>
        <dt className="text-slate-500">What</dt>
        <dd>
          {items} {items === 1 ? "booking" : "bookings"} over {plan.nights} {plan.nights === 1 ? "night" : "nights"}
        </dd>
        {plan.pace && (
          <>
            <dt className="text-slate-500">Pace</dt>
            <dd data-testid="trip-pace">{PACE_LABEL[plan.pace]}</dd>
          </>
        )}
        <dt className="text-slate-500">Total</dt>
        <dd className="font-semibold tabular-nums">{totals.total}</dd>
      </dl>
      {totals.budget && <p className="mt-2 text-sm text-slate-600">{totals.budget}.</p>}
      {changes.length > 0 && (
        <div className="mt-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="trip-changes">
          <p className="font-medium">Changed by your last message</p>
          <ul className="list-inside list-disc">
            {changes.map((change) => (
              <li key={change}>{change}</li>
            ))}
          </ul>
        </div>
      )}
      <SaveTrip plan={plan} />
      <BookTrip plan={plan} />
    </Card>
  );
}
