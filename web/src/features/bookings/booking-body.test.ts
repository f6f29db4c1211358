import { describe, expect, it } from "vitest";

import { bookingLinesOf } from "./booking-body";

const item = (itemId: string, date: string, time: string, endTime?: string) => ({ itemId, date, time, endTime });

describe("bookingLinesOf", () => {
  it("gives each booking line the plan's time on its day, the hotel its check-in", () => {
    const plan = {
      checkIn: "2030-04-02",
      booking: {
        items: [
          { itemId: "hotel-1" },
          { itemId: "tour-1", date: "2030-04-02" },
          { itemId: "tour-1", date: "2030-04-03" },
          { itemId: "gone", date: "2030-04-03" },
        ],
      },
      days: [
        {
          date: "2030-04-02",
          items: [item("hotel-1", "2030-04-02", "15:00", "15:15"), item("tour-1", "2030-04-02", "10:00", "12:00")],
        },
        { date: "2030-04-03", items: [item("tour-1", "2030-04-03", "22:00", "01:00")] },
      ],
    } as unknown as Parameters<typeof bookingLinesOf>[0];
    expect(bookingLinesOf(plan)).toEqual([
      { itemId: "hotel-1", time: "15:00" },
      { itemId: "tour-1", date: "2030-04-02", time: "10:00", endTime: "12:00" },
      { itemId: "tour-1", date: "2030-04-03", time: "22:00", endTime: "01:00" },
      { itemId: "gone", date: "2030-04-03" },
    ]);
  });
});
