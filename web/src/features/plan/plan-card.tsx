import type { ReactNode } from "react";

import type { Plan, PlanItem } from "@/lib/api";
import { formatMoney } from "@/lib/format";

import { formatDay, itemTypeLabel, priceLine, totalsOf, tripHeadline } from "./plan-format";

type PlanVisit = NonNullable<Plan["days"][number]["visits"]>[number];

const TYPE_STYLE: Record<string, string> = {
  hotel: "bg-indigo-50 text-indigo-800",
  flight: "bg-sky-50 text-sky-800",
  activity: "bg-emerald-50 text-emerald-800",
  restaurant: "bg-amber-50 text-amber-900",
};

/**
 * A plan as day cards (each item with its time, why it was picked and its price), then the totals. A saved trip's
 * editor adds controls under each item (`itemActions`) and at the foot of each day (`dayActions`).
 */
export function PlanCard({
  plan,
  itemActions,
  dayActions,
}: {
  plan: Plan;
  itemActions?: (item: PlanItem) => ReactNode;
  dayActions?: (day: Plan["days"][number]) => ReactNode;
}) {
  const totals = totalsOf(plan);
  return (
    <article className="grid gap-3" aria-label={`Plan: ${plan.destination.name}`} data-testid="plan">
      <h3 className="text-sm font-semibold text-slate-800">{tripHeadline(plan)}</h3>
      <ol className="grid gap-3" aria-label="Days">
        {plan.days.map((day, index) => (
          <li key={day.date} className="rounded-xl border border-slate-200 bg-white p-3" data-testid="plan-day">
            <h4 className="mb-2 text-sm font-semibold">
              Day {index + 1} <span className="font-normal text-slate-500">· {formatDay(day.date)}</span>
            </h4>
            {day.items.length === 0 && !day.visits?.length ? (
              <p className="text-sm text-slate-500">A free day.</p>
            ) : (
              <ul className="divide-y divide-slate-100">
                {[
                  ...day.items.map((item) => ({ time: item.time, item })),
                  ...(day.visits ?? []).map((visit) => ({ time: visit.time, visit })),
                ]
                  .sort((a, b) => a.time.localeCompare(b.time))
                  .map((entry) => {
                    if ("visit" in entry) return <VisitRow key={entry.visit.placeId} visit={entry.visit} />;
                    const { item } = entry;
                    return (
                      <li key={`${item.itemId}-${item.date}`} className="flex gap-3 py-2 text-sm first:pt-0 last:pb-0">
                        <span className="w-11 shrink-0 tabular-nums text-slate-500">{item.time}</span>
                        <div className="min-w-0 flex-1">
                          <p className="font-medium">{item.name}</p>
                          <p className="mt-0.5 flex flex-wrap items-center gap-x-2 gap-y-0.5 text-xs text-slate-600">
                            <span
                              className={`rounded px-1.5 py-0.5 font-medium ${TYPE_STYLE[item.type] ?? "bg-slate-100"}`}
                            >
                              {itemTypeLabel(item.type)}
                            </span>
                            <span className="tabular-nums">{priceLine(item, plan)}</span>
                          </p>
                          <p className="mt-0.5 text-xs text-slate-500">{item.why}</p>
                          {item.fixedTime && <p className="mt-0.5 text-xs text-slate-500">At the time you chose.</p>}
                          {itemActions?.(item)}
                        </div>
                        <p className="shrink-0 font-semibold tabular-nums">{formatMoney(item.total.amount)}</p>
                      </li>
                    );
                  })}
              </ul>
            )}
            {dayActions?.(day)}
          </li>
        ))}
      </ol>
      {plan.places && (
        <p className="text-xs text-slate-500" data-testid="places-attribution">
          Places to visit:{" "}
          <a className="underline" href={plan.places.licenseUrl} target="_blank" rel="noreferrer">
            {plan.places.attribution}
          </a>{" "}
          (ODbL).
        </p>
      )}
      <div className="rounded-xl border border-slate-200 bg-white p-3 text-sm" data-testid="plan-totals">
        <dl className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-1">
          {totals.lines.map((line) => (
            <div key={line.label} className="contents">
              <dt className="text-slate-600">{line.label}</dt>
              <dd className="text-right tabular-nums">{line.amount}</dd>
            </div>
          ))}
          <div className="contents">
            <dt className="border-t border-slate-200 pt-1 font-semibold">Total</dt>
            <dd
              className="border-t border-slate-200 pt-1 text-right font-semibold tabular-nums"
              data-testid="plan-total"
            >
              {totals.total}
            </dd>
          </div>
        </dl>
        {totals.budget && <p className="mt-2 text-slate-700">{totals.budget}.</p>}
        <p className="mt-1 text-xs text-slate-500">
          In US dollars, before any tier discount; the quote fixes the price.
        </p>
      </div>
      {plan.assumptions.length > 0 && (
        <div className="text-xs text-slate-600">
          <p className="font-medium">Good to know</p>
          <ul className="list-disc pl-4">
            {plan.assumptions.map((assumption) => (
              <li key={assumption}>{assumption}</li>
            ))}
          </ul>
        </div>
      )}
    </article>
  );
}

/** A free visit from OpenStreetMap between the bookings: no price, a link to the place on openstreetmap.org. */
function VisitRow({ visit }: { visit: PlanVisit }) {
  return (
    <li className="flex gap-3 py-2 text-sm first:pt-0 last:pb-0" data-testid="plan-visit">
      <span className="w-11 shrink-0 tabular-nums text-slate-500">{visit.time}</span>
      <div className="min-w-0 flex-1">
        <p className="font-medium">
          {visit.name}
          {visit.localName && <span className="font-normal text-slate-500"> · {visit.localName}</span>}
        </p>
        <p className="mt-0.5 flex flex-wrap items-center gap-x-2 gap-y-0.5 text-xs text-slate-600">
          <span className="rounded bg-slate-100 px-1.5 py-0.5 font-medium text-slate-700">
            {visit.kind === "restaurant" ? "Lunch" : "Visit"}
          </span>
          <span className="tabular-nums">
            until {visit.endTime}
            {visit.travelMinutes ? ` · ${visit.travelMinutes} min to get there` : ""}
          </span>
        </p>
        <p className="mt-0.5 text-xs text-slate-500">{visit.why}</p>
        {visit.openingHours && <p className="mt-0.5 text-xs text-slate-500">Hours: {visit.openingHours}</p>}
        <p className="mt-0.5 flex gap-3 text-xs">
          <a className="text-indigo-700 underline" href={visit.osmUrl} target="_blank" rel="noreferrer">
            On OpenStreetMap
          </a>
          {visit.website && (
            <a className="text-indigo-700 underline" href={visit.website} target="_blank" rel="noreferrer">
              Website
            </a>
          )}
        </p>
      </div>
      <p className="shrink-0 text-xs text-slate-500">No booking</p>
    </li>
  );
}
