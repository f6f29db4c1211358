import type { Booking, BookingStatus } from "@/lib/api";
import { formatToken } from "@/lib/format";

export const STATUS_LABEL: Record<BookingStatus, string> = {
  quoted: "Awaiting payment",
  paid: "Paid",
  confirmed: "Confirmed",
  settled: "Settled",
  rewarded: "Rewarded",
  cancelled: "Cancelled",
  refund_requested: "Refund requested",
  refunded: "Refunded",
  expired: "Quote expired",
};

export const STATUS_TONE: Record<BookingStatus, string> = {
  quoted: "bg-amber-50 text-amber-800 border-amber-200",
  paid: "bg-brand-50 text-brand-700 border-brand-100",
  confirmed: "bg-brand-50 text-brand-700 border-brand-100",
  settled: "bg-brand-50 text-brand-700 border-brand-100",
  rewarded: "bg-emerald-50 text-emerald-800 border-emerald-200",
  cancelled: "bg-slate-100 text-slate-700 border-slate-200",
  refund_requested: "bg-amber-50 text-amber-800 border-amber-200",
  refunded: "bg-slate-100 text-slate-700 border-slate-200",
  expired: "bg-slate-100 text-slate-700 border-slate-200",
};

/** The happy path, in order. */
export const TIMELINE = ["quoted", "paid", "confirmed", "settled", "rewarded"] as const;

/** How far along the happy path a status is (-1 when it left it: cancelled, refunded, expired). */
export function progressOf(status: BookingStatus): number {
  return (TIMELINE as readonly string[]).indexOf(status);
}

export function StatusBadgeClass(status: BookingStatus) {
  return `inline-block rounded-full border px-2.5 py-0.5 text-xs font-semibold ${STATUS_TONE[status]}`;
}

/** What the booking costs in its payment token: "1,854 tUSD", "0.618 ETH". */
export function paymentAmount(booking: Booking): string {
  const { amount, token } = booking.payment;
  return formatToken(BigInt(amount), token.decimals, token.symbol);
}

/** The city a booking is for, "Madrid, Spain"; bookings made before it was recorded name their items instead. */
export function titleOf(booking: Booking): string {
  if (!booking.destination) return booking.items.map((item) => item.name).join(" · ");
  const { name, country } = booking.destination;
  return country ? `${name}, ${country}` : name;
}
