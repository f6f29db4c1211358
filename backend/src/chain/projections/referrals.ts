/** ReferralRegistry: who referred whom, on two levels. */
import { zeroAddress, type Address } from "viem";

import { schema } from "../../db/index.js";
import { defineProjection, deleteAfter, insertNew, str } from "./projection.js";

export const referrals = defineProjection({
  contract: "ReferralRegistry",
  open: (): (typeof schema.referrals.$inferInsert)[] => [],
  on: {
    "ReferralRegistry:ReferralRegistered": (e, rows, { deps, changes }) => {
      const a = e.args;
      rows.push({
        chainId: deps.chainId,
        user: str(a.user),
        referrer: str(a.referrer),
        level2: a.level2 === zeroAddress ? null : str(a.level2),
        txHash: e.txHash,
        blockNumber: e.blockNumber,
        blockTime: e.blockTime,
      });
      changes.accounts.add(a.user as Address);
      changes.accounts.add(a.referrer as Address);
    },
  },
  flush: (rows, { tx }) => insertNew(tx, schema.referrals, rows),
  rewind: (ctx, ancestor) => deleteAfter(ctx, schema.referrals, ancestor),
});
