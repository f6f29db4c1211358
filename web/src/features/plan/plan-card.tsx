import type { ReactNode } from "react";

import type { Plan, PlanItem } from "@/lib/api";
import { formatMoney } from "@/lib/format";

import { formatDay, itemTypeLabel, priceLine, totalsOf, tripHeadline } from "./plan-format";

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
            {day.items.length === 0 ? (
              <p className="text-sm text-slate-500">A free day.</p>
            ) : (
              <ul className="divide-y divide-slate-100">
                {day.items.map((item) => (
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
                ))}
              </ul>
            )}
            {dayActions?.(day)}
          </li>
        ))}
      </ol>
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
