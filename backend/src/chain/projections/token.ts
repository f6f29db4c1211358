/** TRVLToken: no read model of its own (balances and votes are read from the chain); the accounts' views change. */
import type { Address } from "viem";

import { defineProjection } from "./projection.js";

export const token = defineProjection({
  contract: "TRVLToken",
  open: () => null,
  on: {
    "TRVLToken:Transfer": (e, _, { changes }) => {
      changes.accounts.add(e.args.from as Address);
      changes.accounts.add(e.args.to as Address);
    },
    "TRVLToken:DelegateChanged": (e, _, { changes }) => {
      changes.accounts.add(e.args.delegator as Address);
    },
    "TRVLToken:DelegateVotesChanged": (e, _, { changes }) => {
      changes.accounts.add(e.args.delegate as Address);
    },
  },
  flush: async () => {},
  rewind: async () => {},
});
