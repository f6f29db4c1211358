/**
 * Turns a plan chosen by someone else (the LLM) into a checked Plan: every item must exist, be available on its
 * day inside the stay, and the whole priced exactly as POST /bookings prices it, within the budget when one is set.
 * Problems come back as sentences the model can act on.
 */
import { priceLines } from "../bookings/pricing.js";
import { addDays, daysBetween, nightsBetween } from "../catalog/dates.js";
import { MAX_NIGHTS } from "../catalog/routes.js";
import type { Catalog } from "../catalog/service.js";
import type { CatalogItem } from "../catalog/types.js";
import { ApiError } from "../http/errors.js";
import { usd } from "../http/schemas.js";
import { MAX_PLAN_ITEMS } from "./build.js";
import { toUsdCents } from "./parse.js";
import type { Currency, Plan, PlanItem } from "./types.js";

export interface PlanSpec {
  destinationId: string;
  checkIn: string;
  checkOut: string;
  guests: number;
  budget?: { amount: number; currency: Currency } | null;
  interests?: string[];
  items: { itemId: string; date?: string; time?: string; why?: string }[];
  summary: string;
  assumptions?: string[];
}

export type Assembled = { ok: true; plan: Plan } | { ok: false; problems: string[] };

export async function assemblePlan(catalog: Catalog, spec: PlanSpec, today: string): Promise<Assembled> {
  const problems: string[] = [];
  const destination = catalog.destinationsById.get(spec.destinationId);
  if (!destination) problems.push(`destinationId ${spec.destinationId} is not a destination; use find_destination`);
  const nights = nightsBetween(spec.checkIn, spec.checkOut);
  if (!(nights >= 1 && nights <= MAX_NIGHTS)) problems.push(`checkOut must be 1 to ${MAX_NIGHTS} nights after checkIn`);
  if (spec.checkIn < today) problems.push(`checkIn ${spec.checkIn} is in the past (today is ${today})`);
  if (!(Number.isInteger(spec.guests) && spec.guests >= 1 && spec.guests <= 9)) problems.push("guests must be 1 to 9");
  if (spec.items.length === 0 || spec.items.length > MAX_PLAN_ITEMS)
    problems.push(`a plan has 1 to ${MAX_PLAN_ITEMS} items`);
  const hotels: CatalogItem[] = [];
  for (const [i, line] of spec.items.entries()) {
    const item = await catalog.getItem(line.itemId);
    if (!item) problems.push(`items[${i}]: ${line.itemId} is not a catalog item; use ids from search_catalog`);
    else if (item.destinationId !== spec.destinationId)
      problems.push(`items[${i}]: ${item.name} is not in the destination`);
    else if (item.type === "hotel") hotels.push(item);
    if (line.time !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(line.time))
      problems.push(`items[${i}].time must be HH:MM`);
  }
  if (hotels.length !== 1) problems.push("a plan has exactly one hotel, booked for the whole stay (no date)");
  if (problems.length > 0) return { ok: false, problems };

  const booking = {
    items: spec.items.map((line) => {
      const isHotel = hotels[0]!.id === line.itemId;
      return isHotel ? { itemId: line.itemId } : { itemId: line.itemId, date: line.date ?? spec.checkIn };
    }),
    checkIn: spec.checkIn,
    checkOut: spec.checkOut,
    guests: spec.guests,
  };
  let priced;
  try {
    priced = await priceLines(catalog, { ...booking, paymentToken: `0x${"0".repeat(40)}` }, today);
  } catch (error) {
    if (error instanceof ApiError) return { ok: false, problems: [error.message] };
    throw error;
  }
  const total = priced.reduce((sum, line) => sum + line.totalCents, 0n);
  const budgetCents = spec.budget
    ? toUsdCents(BigInt(Math.round(spec.budget.amount * 100)), spec.budget.currency)
    : undefined;
  if (budgetCents !== undefined && total > budgetCents)
    return {
      ok: false,
      problems: [
        `the plan costs ${usd(total).amount} USD, over the budget of ${usd(budgetCents).amount} USD; choose cheaper items or fewer`,
      ],
    };

  const items: PlanItem[] = priced.map((line, i) => ({
    itemId: line.item.id,
    type: line.item.type,
    name: line.item.name,
    date: booking.items[i].date ?? spec.checkIn,
    time: spec.items[i].time ?? (line.item.type === "hotel" ? "15:00" : "10:00"),
    unitPrice: usd(line.item.priceCents),
    priceUnit: line.item.priceUnit,
    quantity: line.quantity,
    total: usd(line.totalCents),
    why: spec.items[i].why?.slice(0, 200) ?? "",
  }));
  const byType: Record<string, bigint> = {};
  for (const line of priced) byType[line.item.type] = (byType[line.item.type] ?? 0n) + line.totalCents;
  const d = destination!;
  return {
    ok: true,
    plan: {
      destination: { id: d.id, name: d.name, country: d.country, countryName: d.countryName },
      checkIn: spec.checkIn,
      checkOut: spec.checkOut,
      nights,
      guests: spec.guests,
      interests: spec.interests ?? [],
      budget:
        spec.budget && budgetCents !== undefined
          ? { amount: spec.budget.amount.toFixed(2), currency: spec.budget.currency, usd: usd(budgetCents).amount }
          : null,
      days: daysBetween(spec.checkIn, addDays(spec.checkIn, nights)).map((date) => ({
        date,
        items: items.filter((item) => item.date === date).sort((a, b) => a.time.localeCompare(b.time)),
      })),
      totals: {
        total: usd(total),
        byType: Object.fromEntries(Object.entries(byType).map(([type, cents]) => [type, usd(cents)])),
        inBudgetCurrency: null,
      },
      booking,
      assumptions: spec.assumptions ?? [],
      summary: spec.summary.slice(0, 1_000),
    },
  };
}
