/**
 * The local chain `npm start` runs (and these tests run on): its clock follows the wall's under load, since blocks
 * mined one per transaction may share a second instead of each adding one.
 */
import { describe, expect, it } from "vitest";

import { fundedAccount, publicClient, wallet } from "./helpers/chain.js";

describe("the local chain's clock under a burst of transactions", () => {
  it("sixty blocks mined in a row take no more distinct seconds than the wall clock passed", async () => {
    const client = publicClient();
    const [sender, recipient] = await Promise.all([fundedAccount(), fundedAccount()]);
    const from = wallet(sender);
    const startWall = Date.now();
    const blocks: bigint[] = [];
    for (let i = 0; i < 60; i++) {
      const hash = await from.sendTransaction({ to: recipient.address, value: 1n });
      blocks.push((await client.waitForTransactionReceipt({ hash, pollingInterval: 5 })).blockNumber);
    }
    const wallSeconds = Math.ceil((Date.now() - startWall) / 1000);
    const timestamps = await Promise.all(
      blocks.map(async (number) => (await client.getBlock({ blockNumber: number })).timestamp),
    );
    expect(new Set(blocks).size).toBe(60);
    // One second per block would be 60 distinct timestamps; other test files moving the shared chain's time while this
    // runs add at most a few.
    expect(new Set(timestamps).size).toBeLessThanOrEqual(wallSeconds + 5);
  });
});
