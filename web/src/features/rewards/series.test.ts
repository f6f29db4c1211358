import { describe, expect, it } from "vitest";

import { cumulative, stepPath } from "./series";

describe("rewards series", () => {
  it("sorts oldest first and keeps a running total in exact bigints", () => {
    const e18 = 10n ** 18n;
    expect(
      cumulative([
        { time: 3, amount: 5n * e18 },
        { time: 1, amount: 10n ** 30n },
        { time: 2, amount: 1n },
      ]),
    ).toEqual([
      { time: 1, total: 10n ** 30n },
      { time: 2, total: 10n ** 30n + 1n },
      { time: 3, total: 10n ** 30n + 1n + 5n * e18 },
    ]);
  });

  it("draws a step path from zero to the top of the box", () => {
    expect(stepPath([], 100, 50)).toBe("");
    expect(
      stepPath(
        [
          { time: 0, total: 1n },
          { time: 10, total: 2n },
        ],
        100,
        50,
      ),
    ).toBe("M0,50 H0 V25 H100 V0 H100");
    expect(stepPath([{ time: 5, total: 7n }], 100, 50)).toBe("M0,50 H50 V0 H100");
  });
});
