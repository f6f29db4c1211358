import { Address } from "@graphprotocol/graph-ts";

import { Referral } from "../../generated/schema";
import { ReferralRegistered } from "../../generated/ReferralRegistry/ReferralRegistry";
import { ONE, getAccount, getDailyStat, getProtocol } from "../common";

export function handleReferralRegistered(event: ReferralRegistered): void {
  const user = getAccount(event.params.user);
  const referrer = getAccount(event.params.referrer);

  const referral = new Referral(user.id);
  referral.user = user.id;
  referral.referrer = referrer.id;
  referral.blockNumber = event.block.number;
  referral.timestamp = event.block.timestamp;
  referral.transactionHash = event.transaction.hash;

  referrer.directRefereeCount = referrer.directRefereeCount + 1;
  referrer.save();
  if (!event.params.level2.equals(Address.zero())) {
    const level2 = getAccount(event.params.level2);
    level2.indirectRefereeCount = level2.indirectRefereeCount + 1;
    level2.save();
    referral.level2 = level2.id;
  }
  referral.save();

  user.referral = referral.id;
  user.save();

  const protocol = getProtocol();
  protocol.referralCount = protocol.referralCount.plus(ONE);
  protocol.save();
  const day = getDailyStat(event.block.timestamp);
  day.newReferrals = day.newReferrals + 1;
  day.save();
}
