/**
 * The account reader's cache under the listener's invalidations: a request waiting on a read that an invalidation
 * overtakes still gets its answer, and that read's figures are not kept as the account's current ones; and a page
 * that reads an account again when told it changed gets the changed figures, not the cached ones.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { AccountSnapshot } from "../src/accounts/service.js";
import { announceChanges } from "../src/push/changes.js";
import { createTestApp, testAccount, type TestApp } from "./helpers/app.js";
import { publicClient } from "./helpers/chain.js";

describe("account snapshots (pglite)", () => {
  let t: TestApp;
  const account = testAccount(8).address;

  beforeAll(async () => {
    // A long cache life: whatever a read leaves in the cache is what the next request gets.
    t = await createTestApp("pglite", { env: { ACCOUNT_CACHE_TTL_MS: "600000" } });
  });
  afterAll(() => t.close());

  it("coalesces concurrent requests for an account into one read, and caches it", async () => {
    const [a, b] = await Promise.all([t.services.accounts.snapshot(account), t.services.accounts.snapshot(account)]);
    expect(a).toBe(b);
    expect(await t.services.accounts.snapshot(account)).toBe(a);
  });

  it("answers the requests waiting on a read that an invalidation overtook, and reads again afterwards", async () => {
    t.services.accounts.invalidate(account);
    const waiting = [t.services.accounts.snapshot(account), t.services.accounts.snapshot(account)];
    t.services.accounts.invalidate(account);
    const answered = await Promise.all(waiting);
    expect(answered[0].address).toBe(account);
    expect(answered[1]).toBe(answered[0]);

    // A block later, the next request reads at the new head: the overtaken read was not cached.
    await publicClient().request({ method: "hardhat_mine" as never, params: ["0x1"] as never });
    const fresh = await t.services.accounts.snapshot(account);
    expect(fresh).not.toBe(answered[0]);
    expect(fresh.blockNumber).toBeGreaterThan(answered[0].blockNumber);
  });

  it("a stream told that an account changed reads its new figures, although the old ones were cached", async () => {
    const cached = await t.services.accounts.snapshot(account);
    expect(await t.services.accounts.snapshot(account)).toBe(cached);
    await publicClient().request({ method: "hardhat_mine" as never, params: ["0x1"] as never });

    // As the web does: on an "account" event, read the account again.
    const reread = new Promise<AccountSnapshot>((resolve) => {
      const unsubscribe = t.services.push.subscribe(account, {
        send: (event) => {
          if (event.type !== "account") return;
          unsubscribe();
          resolve(t.services.accounts.snapshot(account));
        },
        supersede: () => {},
      });
    });
    await t.services.db.transaction((tx) => announceChanges(tx, { bookings: [], accounts: [account] }));
    const fresh = await reread;
    expect(fresh).not.toBe(cached);
    expect(fresh.blockNumber).toBeGreaterThan(cached.blockNumber);
  });
});
