import type { Plan } from "@/lib/api";

/**
 * The POST /bookings lines of a plan, each with the time the plan gives it (and its end), so the booking keeps
 * every item's day and time as the traveller saw them. A hotel's time is its check-in.
 */
export function bookingLinesOf(plan: Pick<Plan, "booking" | "days" | "checkIn">) {
  const planned = plan.days.flatMap((day) => day.items);
  return plan.booking.items.map((line) => {
    const item = planned.find(
      (candidate) => candidate.itemId === line.itemId && (line.date === undefined || candidate.date === line.date),
    );
    if (!item) return line;
    // A hotel's time is when it checks in; its stay ends on the check-out day.
    return item.endTime === undefined || line.date === undefined
      ? { ...line, time: item.time }
      : { ...line, time: item.time, endTime: item.endTime };
  });
}
