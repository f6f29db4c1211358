/** TRVLStaking: no read model of its own (positions are read from the chain); a staker's account view changes. */
import type { Address } from "viem";

import { defineProjection, type Handler } from "./projection.js";

const accountChanged: Handler<null> = (e, _, { changes }) => {
  changes.accounts.add(e.args.account as Address);
};

export const staking = defineProjection({
  contract: "TRVLStaking",
  open: () => null,
  on: {
    "TRVLStaking:Staked": accountChanged,
    "TRVLStaking:UnstakeRequested": accountChanged,
    "TRVLStaking:UnstakeCancelled": accountChanged,
    "TRVLStaking:Withdrawn": accountChanged,
    "TRVLStaking:InstantUnstaked": accountChanged,
    "TRVLStaking:RewardClaimed": accountChanged,
  },
  flush: async () => {},
  rewind: async () => {},
});
