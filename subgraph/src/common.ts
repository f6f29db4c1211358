import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";

import { Account, DailyStat, Protocol } from "../generated/schema";

export const ZERO = BigInt.zero();
export const ONE = BigInt.fromI32(1);
const PROTOCOL_ID = "trvl";
const SECONDS_PER_DAY = 86400;

/** Id of an entity that records one event: transaction hash and log index. */
export function eventId(event: ethereum.Event): Bytes {
  return event.transaction.hash.concatI32(event.logIndex.toI32());
}

export function getProtocol(): Protocol {
  let protocol = Protocol.load(PROTOCOL_ID);
  if (protocol == null) {
    protocol = new Protocol(PROTOCOL_ID);
    protocol.bookingCount = ZERO;
    protocol.paidCount = ZERO;
    protocol.settledCount = ZERO;
    protocol.refundedCount = ZERO;
    protocol.rewardedCount = ZERO;
    protocol.rewardsMinted = ZERO;
    protocol.trvlSupply = ZERO;
    protocol.referralCount = ZERO;
    protocol.travellerCount = ZERO;
    protocol.totalStaked = ZERO;
    protocol.totalPendingUnstake = ZERO;
    protocol.stakerCount = ZERO;
    protocol.stakingRewardsFunded = ZERO;
    protocol.stakingRewardsPaid = ZERO;
    protocol.instantUnstakeFees = ZERO;
    protocol.proposalCount = ZERO;
    protocol.splitTraveller = 0;
    protocol.splitLevel1 = 0;
    protocol.splitLevel2 = 0;
    protocol.splitTreasury = 0;
  }
  return protocol;
}

export function getAccount(address: Address): Account {
  let account = Account.load(address);
  if (account == null) {
    account = new Account(address);
    account.trvlBalance = ZERO;
    account.tokenVotes = ZERO;
    account.stakedVotes = ZERO;
    account.votingPower = ZERO;
    account.directRefereeCount = 0;
    account.indirectRefereeCount = 0;
    account.bookingCount = 0;
    account.rewardsTotal = ZERO;
    account.rewardsAsTraveller = ZERO;
    account.rewardsAsLevel1 = ZERO;
    account.rewardsAsLevel2 = ZERO;
    account.rewardsAsTreasury = ZERO;
  }
  return account;
}

/** The account's id, or null for the zero address (mints, burns, "no referrer"). */
export function accountIdOrNull(address: Address): Bytes | null {
  if (address.equals(Address.zero())) return null;
  return getAccount(address).id;
}

export function dayIndex(timestamp: BigInt): i32 {
  return timestamp.toI32() / SECONDS_PER_DAY;
}

export function getDailyStat(timestamp: BigInt): DailyStat {
  const day = dayIndex(timestamp);
  const id = day.toString();
  let stat = DailyStat.load(id);
  if (stat == null) {
    stat = new DailyStat(id);
    stat.date = day * SECONDS_PER_DAY;
    stat.bookingsPaid = 0;
    stat.bookingsSettled = 0;
    stat.bookingsRefunded = 0;
    stat.bookingsRewarded = 0;
    stat.activeTravellers = 0;
    stat.rewardsMinted = ZERO;
    stat.trvlMinted = ZERO;
    stat.trvlBurned = ZERO;
    stat.newReferrals = 0;
    stat.staked = ZERO;
    stat.unstaked = ZERO;
    stat.votesCast = 0;
  }
  return stat;
}
