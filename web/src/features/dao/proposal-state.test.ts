import { describe, expect, it } from "vitest";

import { percent, stateName } from "./proposal-state";

describe("proposal display helpers", () => {
  it("names Governor states and survives unknown ones", () => {
    expect(stateName(1)).toBe("Active");
    expect(stateName(5)).toBe("Queued");
    expect(stateName(9)).toBe("Unknown");
    expect(stateName(undefined)).toBe("Unknown");
  });

  it("computes bar percentages from wei without overflow, clamped to 0–100", () => {
    expect(percent(1n, 4n)).toBe(25);
    expect(percent(10n ** 30n, 3n * 10n ** 30n)).toBe(33.33);
    expect(percent(5n, 0n)).toBe(0);
    expect(percent(8n, 4n)).toBe(100);
  });
});
