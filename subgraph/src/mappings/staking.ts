import { Address, BigInt, ethereum } from "@graphprotocol/graph-ts";

import { StakeAction, StakePosition, StakingRewardFunding, Tier, TierChange } from "../../generated/schema";
import {
  DelegateVotesChanged,
  InstantUnstaked,
  RewardClaimed,
  RewardFunded,
  Staked,
  TierChanged,
  TiersSet,
  UnstakeCancelled,
  UnstakeRequested,
  Withdrawn,
} from "../../generated/TRVLStaking/TRVLStaking";
// The token's and the staking contract's `DelegateVotesChanged` are the same event, generated twice.
import { DelegateVotesChanged as DelegateVotesChangedToken } from "../../generated/TRVLToken/TRVLToken";
import { ONE, ZERO, eventId, getAccount, getDailyStat, getProtocol } from "../common";
import { recordVotesChange } from "./token";

function getPosition(address: Address): StakePosition {
  let position = StakePosition.load(address);
  if (position == null) {
    const account = getAccount(address);
    account.stake = address;
    account.save();
    position = new StakePosition(address);
    position.account = address;
    position.staked = ZERO;
    position.pendingUnstake = ZERO;
    position.tier = 0;
    position.totalClaimed = ZERO;
    position.totalFeesPaid = ZERO;
  }
  return position;
}

function recordAction(event: ethereum.Event, account: Address, kind: string, amount: BigInt): StakeAction {
  const action = new StakeAction(eventId(event));
  action.position = account;
  action.account = account;
  action.kind = kind;
  action.amount = amount;
  action.blockNumber = event.block.number;
  action.timestamp = event.block.timestamp;
  action.transactionHash = event.transaction.hash;
  return action;
}

/** Moves `delta` in or out of the position's stake, and keeps the protocol's total and staker count. */
function changeStake(position: StakePosition, delta: BigInt, timestamp: BigInt): void {
  const protocol = getProtocol();
  const before = position.staked;
  position.staked = before.plus(delta);
  protocol.totalStaked = protocol.totalStaked.plus(delta);
  if (before.isZero() && !position.staked.isZero()) protocol.stakerCount = protocol.stakerCount.plus(ONE);
  if (!before.isZero() && position.staked.isZero()) protocol.stakerCount = protocol.stakerCount.minus(ONE);
  protocol.save();

  const day = getDailyStat(timestamp);
  if (delta.gt(ZERO)) day.staked = day.staked.plus(delta);
  else day.unstaked = day.unstaked.minus(delta);
  day.save();
}

function changePending(delta: BigInt): void {
  const protocol = getProtocol();
  protocol.totalPendingUnstake = protocol.totalPendingUnstake.plus(delta);
  protocol.save();
}

export function handleStaked(event: Staked): void {
  const position = getPosition(event.params.account);
  changeStake(position, event.params.amount, event.block.timestamp);
  position.save();
  recordAction(event, event.params.account, "STAKE", event.params.amount).save();
}

export function handleUnstakeRequested(event: UnstakeRequested): void {
  const position = getPosition(event.params.account);
  changeStake(position, event.params.amount.neg(), event.block.timestamp);
  changePending(event.params.pendingTotal.minus(position.pendingUnstake));
  position.pendingUnstake = event.params.pendingTotal;
  position.unlockAt = event.params.unlockAt;
  position.save();

  const action = recordAction(event, event.params.account, "UNSTAKE_REQUEST", event.params.amount);
  action.pendingTotal = event.params.pendingTotal;
  action.unlockAt = event.params.unlockAt;
  action.save();
}

export function handleUnstakeCancelled(event: UnstakeCancelled): void {
  const position = getPosition(event.params.account);
  changeStake(position, event.params.amount, event.block.timestamp);
  changePending(position.pendingUnstake.neg());
  position.pendingUnstake = ZERO;
  position.unlockAt = null;
  position.save();
  recordAction(event, event.params.account, "UNSTAKE_CANCEL", event.params.amount).save();
}

export function handleWithdrawn(event: Withdrawn): void {
  const position = getPosition(event.params.account);
  changePending(position.pendingUnstake.neg());
  position.pendingUnstake = ZERO;
  position.unlockAt = null;
  position.save();
  recordAction(event, event.params.account, "WITHDRAW", event.params.amount).save();
}

export function handleInstantUnstaked(event: InstantUnstaked): void {
  const position = getPosition(event.params.account);
  changeStake(position, event.params.amount.neg(), event.block.timestamp);
  position.totalFeesPaid = position.totalFeesPaid.plus(event.params.fee);
  position.save();
  const protocol = getProtocol();
  protocol.instantUnstakeFees = protocol.instantUnstakeFees.plus(event.params.fee);
  protocol.save();

  const action = recordAction(event, event.params.account, "INSTANT_UNSTAKE", event.params.amount);
  action.fee = event.params.fee;
  action.save();
}

export function handleRewardClaimed(event: RewardClaimed): void {
  const position = getPosition(event.params.account);
  position.totalClaimed = position.totalClaimed.plus(event.params.amount);
  position.save();
  const protocol = getProtocol();
  protocol.stakingRewardsPaid = protocol.stakingRewardsPaid.plus(event.params.amount);
  protocol.save();
  recordAction(event, event.params.account, "CLAIM", event.params.amount).save();
}

export function handleRewardFunded(event: RewardFunded): void {
  const funding = new StakingRewardFunding(eventId(event));
  funding.funder = event.params.funder;
  funding.amount = event.params.amount;
  funding.duration = event.params.duration;
  funding.rewardRate = event.params.rewardRate;
  funding.periodFinish = event.params.periodFinish;
  funding.timestamp = event.block.timestamp;
  funding.transactionHash = event.transaction.hash;
  funding.save();
  const protocol = getProtocol();
  protocol.stakingRewardsFunded = protocol.stakingRewardsFunded.plus(event.params.amount);
  protocol.save();
}

export function handleTierChanged(event: TierChanged): void {
  const position = getPosition(event.params.account);
  position.tier = event.params.newTier.toI32();
  position.save();

  const change = new TierChange(eventId(event));
  change.position = position.id;
  change.previousTier = event.params.previousTier.toI32();
  change.newTier = position.tier;
  change.timestamp = event.block.timestamp;
  change.transactionHash = event.transaction.hash;
  change.save();
}

export function handleTiersSet(event: TiersSet): void {
  const tiers = event.params.tiers;
  for (let i = 0; i < tiers.length; i++) {
    const id = i.toString();
    let tier = Tier.load(id);
    if (tier == null) tier = new Tier(id);
    tier.index = i;
    tier.minStake = tiers[i].minStake;
    tier.boostBps = tiers[i].boostBps;
    tier.discountBps = tiers[i].discountBps;
    tier.active = true;
    tier.save();
  }
  // A shorter list retires the tiers beyond it (the contract allows at most 8).
  for (let i = tiers.length; i < 8; i++) {
    const tier = Tier.load(i.toString());
    if (tier == null) break;
    tier.active = false;
    tier.save();
  }
}

export function handleStakingDelegateVotesChanged(event: DelegateVotesChanged): void {
  const delegate = getAccount(event.params.delegate);
  delegate.stakedVotes = event.params.newVotes;
  delegate.votingPower = delegate.tokenVotes.plus(delegate.stakedVotes);
  delegate.save();
  recordVotesChange(changetype<DelegateVotesChangedToken>(event), "STAKING");
}
