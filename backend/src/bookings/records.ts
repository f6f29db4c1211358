/**
 * A booking as a record of the trip: the city it is for, each item's day and times, and the cancellation policy that
 * applies to it now.
 */
import type { Catalog } from "../catalog/service.js";
import type { CatalogItem } from "../catalog/types.js";
import { refundAt } from "./cancellation.js";
import { decideCancel, deriveStatus, type LifecycleFacts } from "./lifecycle.js";
import type { BookingItemRow, BookingRequest, BookingRow } from "./model.js";

/** The destination columns of a booking: its hotel's city, else its first item's. */
export function destinationColumns(catalog: Catalog, lines: { item: CatalogItem }[]) {
  const item = (lines.find((line) => line.item.type === "hotel") ?? lines[0])!.item;
  const destination = catalog.destinationsById.get(item.destinationId);
  return {
    destinationId: item.destinationId,
    destinationName: destination?.name ?? null,
    destinationCountry: destination?.countryName ?? null,
    destinationTimezone: destination?.timezone ?? null,
  };
}

/**
 * An item's day and local start and end (Postgres `timestamp` text): a hotel's day is the check-in day, anything
 * else's the day it was booked for; an end at or before the start is the next day (a night out, a night flight).
 */
export function scheduleOf(item: CatalogItem, line: BookingRequest["items"][number], checkIn: string) {
  const date = item.type === "hotel" ? checkIn : (line.date ?? checkIn);
  if (line.time === undefined) return { date, startsAt: null, endsAt: null };
  const endDate = line.endTime !== undefined && line.endTime <= line.time ? nextDay(date) : date;
  return {
    date,
    startsAt: `${date} ${line.time}:00`,
    endsAt: line.endTime === undefined ? null : `${endDate} ${line.endTime}:00`,
  };
}

function nextDay(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

/** A stored local time ("2027-03-10 19:30:00") as the API writes it ("2027-03-10T19:30"). */
export function localTimeOut(value: string | null): string | null {
  return value === null ? null : `${value.slice(0, 10)}T${value.slice(11, 16)}`;
}

export const CANCELLATION_POLICIES = ["refund_until_settled", "window"] as const;

const UNTIL_SETTLED_SUMMARY =
  "Free cancellation until the booking is settled: before payment the quote is simply dropped; after payment the escrow refunds all of it. Once the supplier has been paid from the escrow, it can no longer be cancelled.";

type TermsRow = Pick<BookingItemRow, "totalCents" | "freeCancelUntil" | "cancelFeeBps" | "settleDueAt"> &
  Partial<Pick<BookingItemRow, "providerOrderId" | "type">>;

/** A moment as the traveller reads it in a sentence: to the minute, in UTC (the API does not know their zone). */
const inWords = (at: Date) => `${at.toISOString().slice(0, 10)} ${at.toISOString().slice(11, 16)} UTC`;

function windowSummary(items: TermsRow[], settleDueAt: Date | null): string {
  const freeUntil = items
    .map((item) => item.freeCancelUntil)
    .filter((at): at is Date => at !== null)
    .sort((a, b) => a.getTime() - b.getTime())[0];
  const fees = [...new Set(items.filter((item) => item.freeCancelUntil !== null).map((item) => item.cancelFeeBps))];
  const after = fees.every((fee) => fee >= 10_000)
    ? "nothing comes back for the items whose window has closed"
    : `the supplier keeps ${fees.map((fee) => `${fee / 100}%`).join(" or ")} of those items' price`;
  return (
    `Free cancellation until ${freeUntil ? inWords(freeUntil) : "the booking is settled"}: the escrow refunds all of it. ` +
    `After that, ${after}, and the escrow refunds the rest. ` +
    `The supplier is paid from the escrow at ${settleDueAt ? inWords(settleDueAt) : "confirmation"}; from then on it can no longer be cancelled.` +
    // A supplier's order is cancelled with the supplier, whose refund decides that item's part.
    (items.some((item) => item.providerOrderId && item.type !== "hotel")
      ? " A flight's order is cancelled with its airline: what comes back of its price is what the airline refunds."
      : "") +
    (items.some((item) => item.providerOrderId && item.type === "hotel")
      ? " A hotel booked with its supplier is cancelled with it: what comes back of its price is what its rate's cancellation terms give back then."
      : "")
  );
}

/**
 * The booking's cancellation policy and what cancelling would do at `now`, as `decideCancel` rules it with the refund
 * its items' terms give then (the row as read: a settlement that has just started can still refuse the request).
 */
export function cancellationOf(
  booking: LifecycleFacts & Pick<BookingRow, "amount" | "refundAmount" | "settleDueAt">,
  items: TermsRow[],
  now: Date,
) {
  const windowed = items.some((item) => item.freeCancelUntil !== null);
  const decision = decideCancel(
    booking,
    { paidUnrecorded: false, settling: false },
    refundAt(items, booking.amount, now),
  );
  // An expired quote has nothing left to cancel.
  const open = deriveStatus(booking) !== "expired";
  const refund =
    decision.kind === "refund"
      ? ("full" as const)
      : decision.kind === "partialRefund"
        ? ("part" as const)
        : ("none" as const);
  const requested = booking.refundRequestedAt !== null;
  const refundAmount =
    decision.kind === "refund"
      ? booking.amount
      : decision.kind === "partialRefund"
        ? decision.amount
        : requested
          ? (booking.refundAmount ?? booking.amount)
          : null;
  return {
    policy: windowed ? ("window" as const) : ("refund_until_settled" as const),
    summary: windowed ? windowSummary(items, booking.settleDueAt) : UNTIL_SETTLED_SUMMARY,
    cancellable:
      open && (decision.kind === "cancel" || decision.kind === "refund" || decision.kind === "partialRefund"),
    refund,
    refundAmount: refundAmount?.toString() ?? null,
    settleDueAt: booking.settleDueAt?.toISOString() ?? null,
  };
}
