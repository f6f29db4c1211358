import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { schema } from "../src/db/index.js";
import { call, createTestApp, expectError, signIn, testAccount, type TestApp } from "./helpers/app.js";
import { DRIVERS } from "./helpers/databases.js";
import { tripRequest } from "./helpers/trips.js";
import { testClock } from "./helpers/clock.js";

type Json = Record<string, any>;

describe.each(DRIVERS)("authorisation: user B never reads or changes user A's data (%s)", (driver) => {
  let t: TestApp;
  let alice: string;
  let bob: string;
  let aliceBooking: Json;

  beforeAll(async () => {
    t = await createTestApp(driver);
    alice = await signIn(t.app, testAccount(12));
    bob = await signIn(t.app, testAccount(13));
    aliceBooking = (await call(t.app, "POST", "/bookings", { token: alice, body: await tripRequest(t.app) })).body
      .booking as Json;
    await call(t.app, "PUT", "/me/profile", { token: alice, body: { interests: ["museums"], dietary: ["vegan"] } });
  });
  afterAll(() => t.close());

  it("B gets 404 for A's booking, exactly as for a booking that does not exist", async () => {
    const theirs = await call(t.app, "GET", `/bookings/${aliceBooking.id}`, { token: bob });
    const missing = await call(t.app, "GET", `/bookings/0x${"00".repeat(32)}`, { token: bob });
    expect(expectError(theirs)).toMatchObject({ status: 404, code: "not_found" });
    expect(expectError(missing)).toMatchObject({ status: 404, code: "not_found" });
    expect(theirs.body.error.message).toBe(missing.body.error.message);
  });

  it("B cannot cancel A's booking nor report a payment for it, and A's booking is unchanged", async () => {
    expect((await call(t.app, "POST", `/bookings/${aliceBooking.id}/cancel`, { token: bob })).status).toBe(404);
    const report = await call(t.app, "POST", `/bookings/${aliceBooking.id}/payment`, {
      token: bob,
      body: { txHash: `0x${"ab".repeat(32)}` },
    });
    expect(report.status).toBe(404);
    const mine = await call(t.app, "GET", `/bookings/${aliceBooking.id}`, { token: alice });
    expect(mine.body).toMatchObject({ booking: { status: "quoted" } });
  });

  it("B's booking list and profile never contain A's data", async () => {
    const list = await call(t.app, "GET", "/bookings?limit=100", { token: bob });
    expect(list.status).toBe(200);
    expect((list.body.bookings as Json[]).map((b) => b.id)).not.toContain(aliceBooking.id);
    const profile = await call(t.app, "GET", "/me/profile", { token: bob });
    expect(profile.body).toMatchObject({ address: testAccount(13).address, interests: [], dietary: [] });
  });

  it("B's profile update writes only B's row", async () => {
    await call(t.app, "PUT", "/me/profile", { token: bob, body: { interests: ["surfing"] } });
    const aliceProfile = await call(t.app, "GET", "/me/profile", { token: alice });
    expect(aliceProfile.body).toMatchObject({ interests: ["museums"], dietary: ["vegan"] });
  });

  it("B's rewards and referrals show only rows addressed to B", async () => {
    await t.services.db.insert(schema.rewards).values({
      chainId: 31337,
      txHash: `0x${"cd".repeat(32)}`,
      logIndex: 0,
      role: "traveller",
      bookingId: aliceBooking.id,
      recipient: testAccount(12).address,
      amount: 123n,
      blockNumber: 1n,
      blockTime: testClock(),
    });
    const bobs = await call(t.app, "GET", "/rewards", { token: bob });
    expect(bobs.body).toMatchObject({ rewards: [], totals: { all: "0" } });
    const alices = await call(t.app, "GET", "/rewards", { token: alice });
    expect(alices.body).toMatchObject({ totals: { all: "123", traveller: "123" } });
  });

  it("a session token signed with another secret is refused", async () => {
    const other = await createTestApp(driver, { env: { JWT_SECRET: "another-secret-that-is-long-enough-9876543210" } });
    try {
      const foreign = await signIn(other.app, testAccount(13));
      expect(expectError(await call(t.app, "GET", "/bookings", { token: foreign }))).toMatchObject({
        status: 401,
        code: "invalid_session",
      });
    } finally {
      await other.close();
    }
  });
});
