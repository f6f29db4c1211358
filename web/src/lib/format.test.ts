import { describe, expect, it } from "vitest";

import {
  formatBps,
  formatDay,
  formatItemWhen,
  formatDateTime,
  formatDuration,
  formatMoney,
  formatTime,
  formatToken,
  formatUnits,
  formatUsdValue,
  parseUnits,
  shortAddress,
  toDecimalString,
} from "./format";

describe("formatUnits", () => {
  it("formats whole and fractional amounts exactly, with thousands separators", () => {
    expect(formatUnits(1_234_567_890_000_000_000_000n, 18)).toBe("1,234.5679");
    expect(formatUnits(1_000_000n, 6)).toBe("1");
    expect(formatUnits(1_500_000n, 6, 2)).toBe("1.5");
    expect(formatUnits(0n, 18)).toBe("0");
    expect(formatUnits(1n, 18, 18)).toBe("0.000000000000000001");
    expect(formatUnits(-2_500_000n, 6)).toBe("-2.5");
  });

  it("rounds half up at the last digit shown, carrying into the whole part", () => {
    expect(formatUnits(1_994_999n, 6, 2)).toBe("1.99");
    expect(formatUnits(1_995_000n, 6, 2)).toBe("2");
    expect(formatUnits(999_999_999_999_999_999n, 18, 4)).toBe("1");
  });

  it("stays exact beyond what floating point can hold", () => {
    expect(formatUnits(123_456_789_012_345_678_901_234_567n, 18, 18)).toBe("123,456,789.012345678901234567");
  });

  it("adds the unit", () => {
    expect(formatToken(700n * 10n ** 18n, 18, "TRVL")).toBe("700 TRVL");
  });
});

describe("parseUnits", () => {
  it("parses what people type into base units", () => {
    expect(parseUnits("1,000.5", 6)).toEqual({ ok: true, value: 1_000_500_000n });
    expect(parseUnits(" 0.000001 ", 6)).toEqual({ ok: true, value: 1n });
    expect(parseUnits(".5", 18)).toEqual({ ok: true, value: 5n * 10n ** 17n });
    expect(parseUnits("12", 0)).toEqual({ ok: true, value: 12n });
  });

  it("says what is wrong instead of guessing", () => {
    expect(parseUnits("", 6)).toEqual({ ok: false, error: "Enter an amount" });
    expect(parseUnits("abc", 6)).toEqual({ ok: false, error: "Enter a number, like 12.5" });
    expect(parseUnits("1.2.3", 6)).toEqual({ ok: false, error: "Enter a number, like 12.5" });
    expect(parseUnits("-1", 6)).toEqual({ ok: false, error: "Enter a number, like 12.5" });
    expect(parseUnits("0.0000001", 6)).toEqual({ ok: false, error: "At most 6 digits after the point" });
  });

  it("writes exact plain decimals for input fields", () => {
    expect(toDecimalString(1_234_500_000_000_000_000_001n, 18)).toBe("1234.500000000000000001");
    expect(toDecimalString(0n, 6)).toBe("0");
  });

  it("round-trips with formatUnits", () => {
    for (const text of ["0.1", "42", "1234567.891"]) {
      const parsed = parseUnits(text, 18);
      expect(parsed.ok && formatUnits(parsed.value, 18, 18).replace(/,/g, "")).toBe(text);
    }
  });
});

describe("small formats", () => {
  it("shows basis points, durations and addresses", () => {
    expect(formatBps(250)).toBe("2.5%");
    expect(formatBps(5_000n)).toBe("50%");
    expect(formatDuration(7 * 86_400 - 1)).toBe("6d 23h 59m");
    expect(formatDuration(3_725)).toBe("1h 2m");
    expect(formatDuration(65)).toBe("1m 5s");
    expect(formatDuration(0)).toBe("now");
    expect(shortAddress("0x976EA74026E726554dB657fA54763abd0C3a0aa9")).toBe("0x976E…0aa9");
  });

  it("groups exact money strings without rounding them", () => {
    expect(formatMoney("2568.00")).toBe("$2,568.00");
    expect(formatMoney("1234567.05")).toBe("$1,234,567.05");
    expect(formatMoney("0.10")).toBe("$0.10");
    expect(formatMoney("999.99")).toBe("$999.99");
    expect(formatMoney("-5.10")).toBe("-$5.10");
    expect(formatMoney("754.62", "EUR")).toBe("€754.62");
    expect(formatMoney("120000", "JPY")).toBe("¥120,000");
    expect(formatMoney("50.00", "CHF")).toBe("CHF\u00a050.00");
    // Every amount with its currency's cents, so "1970" and "1970.00" read the same.
    expect(formatMoney("1970")).toBe("$1,970.00");
    expect(formatMoney("12345678901234.56")).toBe("$12,345,678,901,234.56");
  });

  it("values a token amount in USD at a feed's price, to the cent", () => {
    // 1,500 TRVL at $0.05 (8-decimal feed).
    expect(formatUsdValue(1500n * 10n ** 18n, 18, 5_000_000n, 8)).toBe("$75.00");
    // Rounded down: 0.123456 TRVL at $2 is $0.246912.
    expect(formatUsdValue(123_456_000_000_000_000n, 18, 200_000_000n, 8)).toBe("$0.24");
    expect(formatUsdValue(0n, 18, 5_000_000n, 8)).toBe("$0.00");
  });

  it("formats days, moments and item times in one style", () => {
    expect(formatDay("2030-04-02")).toBe("Tue, Apr 2, 2030");
    expect(formatDay("2030-04-02T23:30:00.000Z")).toBe("Tue, Apr 2, 2030");
    expect(formatTime("19:30")).toBe("7:30 PM");
    expect(formatTime("08:05")).toBe("8:05 AM");
    expect(formatDateTime("2030-03-04T10:00:00Z")).toMatch(/^Mar 4, 2030, \d{1,2}:\d{2}\s?[AP]M$/);
  });

  it("says when a booked item happens in the destination's own time, naming an end on another day", () => {
    expect(formatItemWhen({ date: "2030-04-02", startsAt: null, endsAt: null })).toBe("Tue, Apr 2, 2030");
    expect(formatItemWhen({ date: "2030-04-02", startsAt: "2030-04-02T15:00", endsAt: null })).toBe(
      "Tue, Apr 2, 2030, 3:00 PM",
    );
    expect(formatItemWhen({ date: "2030-04-02", startsAt: "2030-04-02T09:30", endsAt: "2030-04-02T12:00" })).toBe(
      "Tue, Apr 2, 2030, 9:30 AM – 12:00 PM",
    );
    expect(formatItemWhen({ date: "2030-04-02", startsAt: "2030-04-02T22:00", endsAt: "2030-04-03T01:30" })).toBe(
      "Tue, Apr 2, 2030, 10:00 PM – Wed, Apr 3, 2030, 1:30 AM",
    );
    expect(formatItemWhen({ date: null, startsAt: null, endsAt: null })).toBe("");
  });
});
