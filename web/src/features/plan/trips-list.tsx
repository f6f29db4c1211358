"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";

import { api, call, describeError } from "@/lib/api";

import { PlanCard } from "./plan-card";
import { formatDay, totalsOf } from "./plan-format";
import { statusLabel } from "./trip-edits";

const STATUS_STYLE: Record<string, string> = {
  draft: "bg-slate-100 text-slate-700",
  booked: "bg-emerald-50 text-emerald-800",
  travelled: "bg-indigo-50 text-indigo-800",
};

/** The signed-in traveller's saved trips (GET /trips), latest changed first, each reopening as it was left. */
export function TripsList() {
  const client = useQueryClient();
  const trips = useQuery({ queryKey: ["trips"], queryFn: () => call(api.trips.$get()) });
  const remove = useMutation({
    mutationFn: (id: string) => call(api.trips[":id"].$delete({ param: { id } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["trips"] }),
  });

  if (trips.isPending) return <p className="text-sm text-slate-600">Loading your trips…</p>;
  if (trips.isError)
    return <p className="text-sm text-red-700">Your trips could not be read: {describeError(trips.error)}</p>;
  if (trips.data.trips.length === 0)
    return <p className="text-sm text-slate-600">No saved trips yet: plan one, then save it from the trip panel.</p>;

  return (
    <ul className="grid gap-3" aria-label="Trips">
      {trips.data.trips.map((trip) => (
        <li key={trip.id} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid="trip">
          <details>
            <summary className="flex cursor-pointer flex-wrap items-center gap-x-3 gap-y-1 text-sm">
              <span className="font-semibold">
                {trip.plan.destination.name}, {trip.plan.destination.countryName}
              </span>
              <span className="text-slate-600">
                {formatDay(trip.plan.checkIn)} → {formatDay(trip.plan.checkOut)} · {trip.plan.guests}{" "}
                {trip.plan.guests === 1 ? "traveller" : "travellers"}
              </span>
              <span className="tabular-nums font-medium">{totalsOf(trip.plan).total}</span>
              <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[trip.status]}`}>
                {statusLabel(trip.status)}
              </span>
            </summary>
            <div className="mt-3">
              <Link
                href={`/trips/${trip.id}`}
                className="mb-3 inline-block text-sm font-medium text-brand-700 underline"
                data-testid="open-trip"
              >
                {trip.status === "draft" ? "Open to edit and book" : "Open"}
              </Link>
              <PlanCard plan={trip.plan} />
              {trip.status === "draft" && (
                <button
                  type="button"
                  className="mt-3 rounded-md px-2 py-1 text-sm font-medium text-red-700 hover:underline disabled:text-slate-400"
                  disabled={remove.isPending}
                  onClick={() => remove.mutate(trip.id)}
                >
                  Delete this draft
                </button>
              )}
            </div>
          </details>
        </li>
      ))}
    </ul>
  );
}
