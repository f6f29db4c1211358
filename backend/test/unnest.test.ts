/**
 * The listener's bulk insert (one array parameter per column): what goes in comes back unchanged on both drivers,
 * whatever the values hold (quotes, backslashes, braces, the word NULL, nulls, uint256 extremes, JSON), and a row
 * that sets other columns than the rest is refused rather than written with nulls. Its bulk update sets each row's
 * own values on the row with its key, and touches no other row or column.
 */
import { asc, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { schema } from "../src/db/index.js";
import { unnestInsert, unnestUpdate } from "../src/db/unnest.js";
import { DRIVERS, openTestDatabase, type TestDatabase } from "./helpers/databases.js";

const MAX_UINT256 = 2n ** 256n - 1n;

describe.each(DRIVERS)("unnestInsert (%s)", (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterAll(() => t.drop());

  const event = (logIndex: number, args: Record<string, unknown>, bookingId: string | null) => ({
    chainId: 31337,
    txHash: `0x${"ab".repeat(32)}`,
    logIndex,
    blockNumber: 9_007_199_254_740_993n, // beyond a double's integers
    blockHash: `0x${"cd".repeat(32)}`,
    blockTime: new Date("2026-12-04T21:00:00.123Z"),
    address: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    contract: "BookingEscrow",
    name: 'Odd "name", {with} \\ braces',
    args,
    bookingId,
  });

  it("stores every value as given and returns only the rows it inserted", async () => {
    const rows = [
      event(0, { note: 'quote " backslash \\ comma , brace { } NULL', nested: { list: [1, "2", null] } }, "NULL"),
      event(1, { amount: MAX_UINT256.toString(), empty: "" }, null),
      event(2, { unicode: "Zürich ✈ 東京" }, "bk_1"),
    ];
    const { db } = t.database;
    const first = await db.execute(
      sql`${unnestInsert(schema.chainEvents, rows)} on conflict do nothing returning log_index`,
    );
    expect((first as unknown as { rows: unknown[] }).rows).toHaveLength(3);
    const again = await db.execute(
      sql`${unnestInsert(schema.chainEvents, [rows[1], event(3, {}, null)])} on conflict do nothing returning log_index`,
    );
    expect((again as unknown as { rows: { log_index: number }[] }).rows.map((r) => r.log_index)).toEqual([3]);

    const stored = await db.select().from(schema.chainEvents).orderBy(asc(schema.chainEvents.logIndex));
    expect(stored).toEqual([...rows, event(3, {}, null)]);
  });

  it("writes enums and uint256 amounts", async () => {
    const reward = (role: "traveller" | "treasury", amount: bigint) => ({
      chainId: 31337,
      txHash: `0x${"ef".repeat(32)}`,
      logIndex: 7,
      role,
      bookingId: "bk_1",
      recipient: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
      amount,
      blockNumber: 12n,
      blockTime: new Date("2026-12-04T21:00:01Z"),
    });
    const rows = [reward("traveller", MAX_UINT256), reward("treasury", 1n)];
    await t.database.db.execute(sql`${unnestInsert(schema.rewards, rows)} on conflict do nothing`);
    expect(await t.database.db.select().from(schema.rewards).orderBy(asc(schema.rewards.role))).toEqual(rows);
  });

  it("refuses rows that set different columns, and an empty batch", () => {
    const full = event(9, {}, "bk_2");
    const { bookingId: _, ...without } = full;
    expect(() => unnestInsert(schema.chainEvents, [full, without])).toThrow(/every row must set the same columns/);
    expect(() => unnestInsert(schema.chainEvents, [])).toThrow(/at least one row/);
  });

  it("updates each row by its key with its own values, and no other row or column", async () => {
    const { db } = t.database;
    const profile = (address: string, travelStyle: string | null, budgetPerDayCents: bigint | null) => ({
      address,
      interests: ["food"],
      travelStyle,
      budgetPerDayCents,
    });
    const addresses = ["0xa1", "0xa2", "0xa3"];
    await db.insert(schema.users).values(addresses.map((address) => ({ address })));
    await db.insert(schema.profiles).values(addresses.map((address) => profile(address, "slow", 100n)));
    await db.execute(
      unnestUpdate(schema.profiles, schema.profiles.address, [
        { address: "0xa3", travelStyle: 'quote " and \\ backslash', budgetPerDayCents: MAX_UINT256 >> 200n },
        { address: "0xa1", travelStyle: null, budgetPerDayCents: null },
      ]),
    );
    const stored = await db
      .select({
        address: schema.profiles.address,
        interests: schema.profiles.interests,
        travelStyle: schema.profiles.travelStyle,
        budgetPerDayCents: schema.profiles.budgetPerDayCents,
      })
      .from(schema.profiles)
      .orderBy(asc(schema.profiles.address));
    expect(stored).toEqual([
      profile("0xa1", null, null),
      profile("0xa2", "slow", 100n),
      profile("0xa3", 'quote " and \\ backslash', MAX_UINT256 >> 200n),
    ]);
  });
});
