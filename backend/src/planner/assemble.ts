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
import { departureNotes, MAX_PLAN_ITEMS, timeFields } from "./build.js";
import { findInterests, labelOf, tagsOf } from "./interests.js";
import { normalise, toMinor, toUsdCents } from "./parse.js";
import { capitalise, joinAnd } from "./reply.js";
import { CHECK_OUT, clock, minutesOf, pinnedWindow, scheduleDay, windowOf, type Placed } from "./schedule.js";
import type { Currency, Pace, Plan, PlanItem } from "./types.js";

export interface PlanSpec {
  destinationId: string;
  checkIn: string;
  checkOut: string;
  guests: number;
  /** A number or a decimal string; read exactly as written (no floating-point arithmetic). */
  budget?: { amount: number | string; currency: Currency } | null;
  interests?: string[];
  pace?: Pace;
  /** `time` is the model's suggestion, replaced by the timetable, unless `fixedTime` says the traveller chose it. */
  items: { itemId: string; date?: string; time?: string; fixedTime?: boolean; why?: string }[];
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
  const budgetText = spec.budget ? String(spec.budget.amount) : undefined;
  if (budgetText !== undefined && !/^\d+(\.\d+)?$/.test(budgetText))
    problems.push(`budget.amount must be a positive decimal number, not ${budgetText}`);
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
  for (const [i, line] of spec.items.entries()) {
    if (
      line.date !== undefined &&
      hotels[0]?.id !== line.itemId &&
      (line.date < spec.checkIn || line.date > spec.checkOut)
    )
      problems.push(`items[${i}].date must be from checkIn to checkOut (the departure day)`);
  }
  if (problems.length > 0) return { ok: false, problems };

  // The same rules as the offline builder's: each day's items inside their opening hours, not overlapping, with the
  // way between places; the departure day's before check-out. The model's times are replaced by the timetable.
  const hotel = hotels[0]!;
  const d = destination!;
  const dayList = daysBetween(spec.checkIn, addDays(spec.checkOut, 1));
  const itemsById = new Map<string, CatalogItem>();
  for (const line of spec.items) {
    const item = await catalog.getItem(line.itemId);
    if (item) itemsById.set(line.itemId, item);
  }
  const times = new Map<string, Placed>();
  for (const [index, date] of dayList.entries()) {
    const ofDay = spec.items
      .filter((line) => line.itemId !== hotel.id && (line.date ?? spec.checkIn) === date)
      .map((line) => ({ line, item: itemsById.get(line.itemId)! }))
      .filter(({ item }) => item.type !== "flight");
    const fixed = index === 0 ? [{ item: hotel, window: windowOf(hotel, date, 0, d.lat) }] : [];
    const windows = ofDay.map(({ line, item }) => {
      const window = windowOf(item, date, index, d.lat);
      if (!line.fixedTime || line.time === undefined) return { item, window };
      const pinned = pinnedWindow(window, minutesOf(line.time));
      if (!pinned)
        problems.push(
          `${item.name} is open ${clock(window.opens)}–${clock(window.closes)} and takes ${window.minutes} minutes, so it cannot start at ${line.time}`,
        );
      return { item, window: pinned ?? window };
    });
    if (problems.length > 0) continue;
    const placed = scheduleDay(
      [...fixed, ...windows],
      index === dayList.length - 1 ? { latest: CHECK_OUT, backTo: hotel.location } : {},
    );
    if (!placed) {
      const chosen = ofDay.filter(({ line }) => line.fixedTime && line.time !== undefined);
      problems.push(
        `the items on ${date} (${ofDay.map(({ item }) => item.name).join(", ")}) cannot all fit their opening hours${chosen.length > 0 ? ` with ${joinAnd(chosen.map(({ item, line }) => `${item.name} at ${line.time}`))}` : ""}${index === dayList.length - 1 ? " before check-out at 12:00" : ""}; move one to another day or time, or drop it`,
      );
      continue;
    }
    for (const p of placed) times.set(`${p.item.id}@${date}`, p);
  }
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
  const budgetMinor = budgetText !== undefined ? toMinor(budgetText) : undefined;
  const budgetCents =
    spec.budget && budgetMinor !== undefined ? toUsdCents(budgetMinor, spec.budget.currency) : undefined;
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
    ...timeFields(times.get(`${line.item.id}@${booking.items[i].date ?? spec.checkIn}`), line.item),
    unitPrice: usd(line.item.priceCents),
    priceUnit: line.item.priceUnit,
    quantity: line.quantity,
    total: usd(line.totalCents),
    why: spec.items[i].why?.slice(0, 200) ?? "",
    ...(spec.items[i].fixedTime && spec.items[i].time !== undefined ? { fixedTime: true } : {}),
  }));
  // Every interest the plan names shapes an item, or the summary says it is not there.
  const interests = (spec.interests ?? []).flatMap((said) => {
    const found = findInterests(normalise(said)).interests;
    return found.length > 0 ? found : [said.toLowerCase()];
  });
  const assumptions = [...(spec.assumptions ?? [])];
  const missing: string[] = [];
  for (const interest of interests) {
    const meets = priced.filter(
      (line) =>
        line.item.type !== "hotel" &&
        line.item.type !== "flight" &&
        tagsOf(interest).some((tag) => line.item.tags.includes(tag)),
    );
    for (const line of meets) {
      const item = items.find((planItem) => planItem.itemId === line.item.id)!;
      if (!/because you like/i.test(item.why))
        item.why = `because you like ${labelOf(interest)}${item.why ? `; ${item.why}` : ""}`;
    }
    if (meets.length === 0) {
      missing.push(labelOf(interest));
      assumptions.push(`${d.name}: nothing in this plan for ${labelOf(interest)}.`);
    }
  }
  let summary = capitalise(spec.summary.slice(0, 1_000).trim());
  if (missing.length > 0) summary += ` I found nothing for ${joinAnd(missing)} in ${d.name} on your days.`;
  const byType: Record<string, bigint> = {};
  for (const line of priced) byType[line.item.type] = (byType[line.item.type] ?? 0n) + line.totalCents;
  return {
    ok: true,
    plan: {
      destination: { id: d.id, name: d.name, country: d.country, countryName: d.countryName },
      checkIn: spec.checkIn,
      checkOut: spec.checkOut,
      nights,
      guests: spec.guests,
      interests,
      ...(spec.pace ? { pace: spec.pace } : {}),
      budget:
        spec.budget && budgetCents !== undefined
          ? { amount: usd(budgetMinor!).amount, currency: spec.budget.currency, usd: usd(budgetCents).amount }
          : null,
      days: dayList.map((date) => ({
        date,
        items: items.filter((item) => item.date === date).sort((a, b) => a.time.localeCompare(b.time)),
        notes: date === spec.checkOut ? departureNotes(hotel, undefined, times, date) : [],
      })),
      totals: {
        total: usd(total),
        byType: Object.fromEntries(Object.entries(byType).map(([type, cents]) => [type, usd(cents)])),
        inBudgetCurrency: null,
      },
      booking,
      assumptions,
      summary,
    },
  };
}
