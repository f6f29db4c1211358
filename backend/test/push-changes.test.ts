/**
 * Announcing a large batch of changes: every changed booking and account is named in some notification, each under
 * Postgres's 8000-byte NOTIFY limit, so no stream has to refetch everything (a "refresh") after a busy listener pass.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { CHANGES_CHANNEL, announceChanges, changePayloads } from "../src/push/changes.js";
import { DRIVERS, openTestDatabase, type TestDatabase } from "./helpers/databases.js";

const id = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;
const address = (n: number) => `0x${n.toString(16).padStart(40, "0")}`;

describe.each(DRIVERS)("change announcements (%s)", (driver) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase(driver);
  });
  afterAll(() => test.drop());

  it("splits a large batch into payloads under the NOTIFY limit that together name every change", () => {
    const bookings = Array.from({ length: 1_000 }, (_, n) => id(n));
    const accounts = Array.from({ length: 300 }, (_, n) => address(n));
    const payloads = changePayloads(bookings, accounts);
    expect(payloads.length).toBeGreaterThan(1);
    for (const payload of payloads) expect(Buffer.byteLength(payload)).toBeLessThan(8_000);
    const parsed = payloads.map((p) => JSON.parse(p) as { bookings: string[]; accounts: string[] });
    expect(parsed.flatMap((p) => p.bookings)).toEqual(bookings);
    expect(parsed.flatMap((p) => p.accounts)).toEqual(accounts);
    expect(changePayloads([], [])).toEqual([]);
  });

  it("delivers them all when the transaction commits", async () => {
    const heard: string[] = [];
    const stop = await test.database.listen(CHANGES_CHANNEL, (payload) => heard.push(payload));
    try {
      const bookings = Array.from({ length: 400 }, (_, n) => id(n));
      await test.database.db.transaction((tx) => announceChanges(tx, { bookings }));
      const expected = changePayloads(bookings, []).length;
      for (let i = 0; i < 100 && heard.length < expected; i++) await new Promise((r) => setTimeout(r, 50));
      expect(heard).toEqual(changePayloads(bookings, []));
    } finally {
      await stop();
    }
  });
});
