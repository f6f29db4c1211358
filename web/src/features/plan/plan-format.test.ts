import { describe, expect, it } from "vitest";

import { LISBON_PLAN } from "./fixtures";
import { formatDay, priceLine, totalsOf, tripHeadline } from "./plan-format";

describe("plan amounts and days as people read them", () => {
  it("names the day as written, in any time zone", () => {
    expect(formatDay("2026-12-06")).toBe("Sun 6 Dec");
    expect(formatDay("2027-01-01")).toBe("Fri 1 Jan");
  });

  it("explains each price: nights and rooms for hotels (two to a room), people, seats", () => {
    const [activity, hotel] = LISBON_PLAN.days[0].items;
    expect(priceLine(hotel, LISBON_PLAN)).toBe("$89.00 a night × 3 nights × 2 rooms");
    expect(priceLine({ ...hotel, quantity: 3 }, { nights: 3, guests: 2 })).toBe("$89.00 a night × 3 nights");
    expect(priceLine({ ...hotel, quantity: 5 }, { nights: 3, guests: 2 })).toBe("$89.00 a night × 5");
    expect(priceLine(activity, LISBON_PLAN)).toBe("$39.00 × 2 people");
    expect(priceLine({ ...activity, quantity: 1 }, LISBON_PLAN)).toBe("$39.00 × 1 person");
    expect(priceLine({ ...activity, priceUnit: "seat", quantity: 3 }, LISBON_PLAN)).toBe("$39.00 × 3 seats");
    expect(priceLine({ ...activity, priceUnit: "offer", quantity: 1 }, LISBON_PLAN)).toBe("$39.00");
  });

  it("totals by kind in a fixed order, then the total and the budget", () => {
    const totals = totalsOf(LISBON_PLAN);
    expect(totals.lines).toEqual([
      { label: "Hotel", amount: "$534.00" },
      { label: "Activities", amount: "$78.00" },
      { label: "Restaurants", amount: "$669.50" },
    ]);
    expect(totals.total).toBe("$1,281.50");
    // $1,281.50 against a budget of $972.00 (€900).
    expect(totals.budget).toBe("Over your €900.00 budget by $309.50 (about €1,186.57)");
  });

  it("says when a plan is within budget, to the cent", () => {
    const exact = {
      ...LISBON_PLAN,
      totals: { ...LISBON_PLAN.totals, total: { amount: "972.00", currency: "USD" as const } },
    };
    expect(totalsOf(exact).budget).toBe("Within your €900.00 budget (about €1,186.57)");
    const cent = { ...exact, totals: { ...exact.totals, total: { amount: "972.01", currency: "USD" as const } } };
    expect(totalsOf(cent).budget).toMatch(/^Over your €900.00 budget by \$0.01/);
    expect(totalsOf({ ...LISBON_PLAN, budget: null }).budget).toBeNull();
  });

  it("heads a plan with where, when, how long and for whom", () => {
    expect(tripHeadline(LISBON_PLAN)).toBe("Lisbon, Portugal · Sun 6 Dec → Wed 9 Dec · 3 nights · 3 travellers");
    expect(tripHeadline({ ...LISBON_PLAN, nights: 1, guests: 1 })).toMatch(/· 1 night · 1 traveller$/);
  });
});
