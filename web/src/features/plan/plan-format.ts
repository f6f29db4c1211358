/**
 * How a plan reads: days, price lines and totals. Amounts arrive as exact decimal strings ("2568.00") and are only
 * regrouped (`formatMoney`), never turned into floating point.
 */
import type { Plan, PlanItem } from "@/lib/api";
import { formatMoney } from "@/lib/format";

/** "2026-12-06" → "Sun 6 Dec" (the date as written, whatever the viewer's time zone). */
export function formatDay(date: string): string {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString("en-GB", {
    weekday: "short",
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  });
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * What a line costs and why that many: "$489.00 a night × 3 nights × 2 rooms", "$39.00 × 2 people". Hotels sleep two
 * to a room (as the planner and the bookings price them).
 */
export function priceLine(item: PlanItem, plan: Pick<Plan, "nights" | "guests">): string {
  const unit = formatMoney(item.unitPrice.amount);
  switch (item.priceUnit) {
    case "night": {
      const rooms = Math.ceil(plan.guests / 2);
      if (rooms * plan.nights === item.quantity)
        return `${unit} a night × ${plural(plan.nights, "night")}${rooms > 1 ? ` × ${plural(rooms, "room")}` : ""}`;
      return `${unit} a night × ${item.quantity}`;
    }
    case "person":
      return `${unit} × ${plural(item.quantity, "person", "people")}`;
    case "seat":
      return `${unit} × ${plural(item.quantity, "seat")}`;
    default:
      return item.quantity === 1 ? unit : `${unit} × ${item.quantity}`;
  }
}

const TYPE_LABEL: Record<string, string> = {
  hotel: "Hotel",
  flight: "Flights",
  activity: "Activities",
  restaurant: "Restaurants",
};
const TYPE_ORDER = ["flight", "hotel", "activity", "restaurant"];

export const itemTypeLabel = (type: string) =>
  ({ hotel: "Hotel", flight: "Flight", activity: "Activity", restaurant: "Restaurant" })[type] ?? type;

/** The plan's cost by kind of item (in a fixed order), then the total and how it sits with the budget. */
export function totalsOf(plan: Plan): {
  lines: { label: string; amount: string }[];
  total: string;
  budget: string | null;
} {
  const lines = Object.entries(plan.totals.byType)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([type, money]) => ({ label: TYPE_LABEL[type] ?? type, amount: formatMoney(money.amount) }));
  return { lines, total: formatMoney(plan.totals.total.amount), budget: budgetLine(plan) };
}

const rank = (type: string) => {
  const index = TYPE_ORDER.indexOf(type);
  return index === -1 ? TYPE_ORDER.length : index;
};

/** "Within your €900.00 budget (about €754.62)" or "Over your $500.00 budget by $120.00"; null without a budget. */
function budgetLine(plan: Plan): string | null {
  const { budget, totals } = plan;
  if (!budget) return null;
  const cents = (usd: string) => BigInt(usd.replace(".", ""));
  const budgetText = formatMoney(budget.amount, budget.currency);
  const approx = totals.inBudgetCurrency
    ? ` (about ${formatMoney(totals.inBudgetCurrency.amount, totals.inBudgetCurrency.currency)})`
    : "";
  const over = cents(totals.total.amount) - cents(budget.usd);
  if (over <= 0n) return `Within your ${budgetText} budget${approx}`;
  const overUsd = `${over / 100n}.${(over % 100n).toString().padStart(2, "0")}`;
  return `Over your ${budgetText} budget by ${formatMoney(overUsd)}${approx}`;
}

/** "Paris, France · Sun 6 Dec → Thu 10 Dec · 4 nights · 2 travellers" */
export function tripHeadline(plan: Plan): string {
  return [
    `${plan.destination.name}, ${plan.destination.countryName}`,
    `${formatDay(plan.checkIn)} → ${formatDay(plan.checkOut)}`,
    plural(plan.nights, "night"),
    plural(plan.guests, "traveller"),
  ].join(" · ");
}
