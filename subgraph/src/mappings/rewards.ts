import { Address, BigInt, Bytes, log } from "@graphprotocol/graph-ts";

import {
  RewardDistributed,
  RewardSkipped,
  SplitSet,
  TreasurySet,
} from "../../generated/RewardDistributor/RewardDistributor";
import { Booking, Reward, RewardPayment, RewardSkip } from "../../generated/schema";
import { REWARDED, setBookingStatus } from "../bookings";
import { eventId, getAccount, getDailyStat, getProtocol } from "../common";

const SKIP_REASONS = [
  "UNKNOWN",
  "NOT_SETTLED",
  "REFUNDED",
  "ALREADY_REWARDED",
  "NO_PRICE_FEED",
  "MINT_LIMIT_REACHED",
  "SUPPLY_CAP_REACHED",
  "PRICE_UNAVAILABLE",
  "QUEUED",
  "SEQUENCER_DOWN",
];

/** Credits one recipient's part: a payment row and the account's totals. Zero parts mint nothing: no row. */
function pay(reward: Reward, recipient: Address, role: string, amount: BigInt, timestamp: BigInt): void {
  if (amount.isZero()) return;
  const account = getAccount(recipient);
  account.rewardsTotal = account.rewardsTotal.plus(amount);
  if (role == "TRAVELLER") account.rewardsAsTraveller = account.rewardsAsTraveller.plus(amount);
  else if (role == "LEVEL1") account.rewardsAsLevel1 = account.rewardsAsLevel1.plus(amount);
  else if (role == "LEVEL2") account.rewardsAsLevel2 = account.rewardsAsLevel2.plus(amount);
  else account.rewardsAsTreasury = account.rewardsAsTreasury.plus(amount);
  account.save();

  const payment = new RewardPayment(reward.id.concat(Bytes.fromUTF8(role)));
  payment.reward = reward.id;
  payment.recipient = account.id;
  payment.role = role;
  payment.amount = amount;
  payment.timestamp = timestamp;
  payment.save();
}

export function handleRewardDistributed(event: RewardDistributed): void {
  const params = event.params;
  const protocol = getProtocol();
  const timestamp = event.block.timestamp;

  const reward = new Reward(params.bookingId);
  reward.booking = params.bookingId;
  reward.traveller = getAccount(params.traveller).id;
  reward.travellerAmount = params.travellerAmount;
  reward.level1Amount = params.level1Amount;
  reward.level2Amount = params.level2Amount;
  reward.treasuryAmount = params.treasuryAmount;
  reward.total = params.travellerAmount.plus(params.level1Amount).plus(params.level2Amount).plus(params.treasuryAmount);
  reward.boostBps = params.boostBps;
  reward.tokenUsdPrice = params.tokenUsdPrice;
  reward.trvlUsdPrice = params.trvlUsdPrice;
  reward.blockNumber = event.block.number;
  reward.timestamp = timestamp;
  reward.transactionHash = event.transaction.hash;
  if (!params.level1.equals(Address.zero())) reward.level1 = params.level1;
  if (!params.level2.equals(Address.zero())) reward.level2 = params.level2;
  const treasury = protocol.rewardTreasury;
  if (treasury !== null) reward.treasury = treasury;
  reward.save();

  pay(reward, params.traveller, "TRAVELLER", params.travellerAmount, timestamp);
  pay(reward, params.level1, "LEVEL1", params.level1Amount, timestamp);
  pay(reward, params.level2, "LEVEL2", params.level2Amount, timestamp);
  if (treasury !== null) {
    pay(reward, Address.fromBytes(treasury), "TREASURY", params.treasuryAmount, timestamp);
  } else if (!params.treasuryAmount.isZero()) {
    log.warning("reward of booking {}: treasury share with no treasury known", [params.bookingId.toHexString()]);
  }

  const booking = Booking.load(params.bookingId);
  if (booking != null) {
    booking.rewardedAt = timestamp;
    booking.reward = reward.id;
    setBookingStatus(booking, REWARDED, protocol, event);
    booking.save();
  }
  protocol.rewardsMinted = protocol.rewardsMinted.plus(reward.total);
  protocol.save();

  const day = getDailyStat(timestamp);
  day.bookingsRewarded = day.bookingsRewarded + 1;
  day.rewardsMinted = day.rewardsMinted.plus(reward.total);
  day.save();
}

export function handleRewardSkipped(event: RewardSkipped): void {
  const skip = new RewardSkip(eventId(event));
  skip.bookingId = event.params.bookingId;
  if (Booking.load(event.params.bookingId) != null) skip.booking = event.params.bookingId;
  const reason = event.params.reason;
  skip.reason = reason < SKIP_REASONS.length ? SKIP_REASONS[reason] : "UNKNOWN";
  skip.timestamp = event.block.timestamp;
  skip.transactionHash = event.transaction.hash;
  skip.save();
}

export function handleSplitSet(event: SplitSet): void {
  const protocol = getProtocol();
  protocol.splitTraveller = event.params.traveller;
  protocol.splitLevel1 = event.params.level1;
  protocol.splitLevel2 = event.params.level2;
  protocol.splitTreasury = event.params.treasury;
  protocol.save();
}

export function handleRewardTreasurySet(event: TreasurySet): void {
  const treasury = getAccount(event.params.newTreasury);
  treasury.save();
  const protocol = getProtocol();
  protocol.rewardTreasury = treasury.id;
  protocol.save();
}
