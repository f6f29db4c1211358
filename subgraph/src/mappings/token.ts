import { Address } from "@graphprotocol/graph-ts";

import { DelegateChange, DelegateVotesChange, TokenTransfer } from "../../generated/schema";
import { DelegateChanged, DelegateVotesChanged, Transfer } from "../../generated/TRVLToken/TRVLToken";
import { accountIdOrNull, eventId, getAccount, getDailyStat, getProtocol } from "../common";

export function handleTransfer(event: Transfer): void {
  const from = event.params.from;
  const to = event.params.to;
  const value = event.params.value;

  const transfer = new TokenTransfer(eventId(event));
  transfer.from = accountIdOrNull(from);
  transfer.to = accountIdOrNull(to);
  transfer.value = value;
  transfer.blockNumber = event.block.number;
  transfer.timestamp = event.block.timestamp;
  transfer.transactionHash = event.transaction.hash;
  transfer.save();

  const mint = from.equals(Address.zero());
  const burn = to.equals(Address.zero());
  if (!mint) {
    const sender = getAccount(from);
    sender.trvlBalance = sender.trvlBalance.minus(value);
    sender.save();
  }
  if (!burn) {
    const recipient = getAccount(to);
    recipient.trvlBalance = recipient.trvlBalance.plus(value);
    recipient.save();
  }
  if (mint || burn) {
    const protocol = getProtocol();
    const day = getDailyStat(event.block.timestamp);
    if (mint) {
      protocol.trvlSupply = protocol.trvlSupply.plus(value);
      day.trvlMinted = day.trvlMinted.plus(value);
    } else {
      protocol.trvlSupply = protocol.trvlSupply.minus(value);
      day.trvlBurned = day.trvlBurned.plus(value);
    }
    protocol.save();
    day.save();
  }
}

export function handleDelegateChanged(event: DelegateChanged): void {
  const delegator = getAccount(event.params.delegator);
  delegator.delegate = accountIdOrNull(event.params.toDelegate);
  delegator.save();

  const change = new DelegateChange(eventId(event));
  change.delegator = delegator.id;
  change.fromDelegate = accountIdOrNull(event.params.fromDelegate);
  change.toDelegate = accountIdOrNull(event.params.toDelegate);
  change.blockNumber = event.block.number;
  change.timestamp = event.block.timestamp;
  change.transactionHash = event.transaction.hash;
  change.save();
}

export function handleTokenDelegateVotesChanged(event: DelegateVotesChanged): void {
  const delegate = getAccount(event.params.delegate);
  delegate.tokenVotes = event.params.newVotes;
  delegate.votingPower = delegate.tokenVotes.plus(delegate.stakedVotes);
  delegate.save();
  recordVotesChange(event, "TOKEN");
}

/** Both the token and the staking contract emit OpenZeppelin's `DelegateVotesChanged`. */
export function recordVotesChange(event: DelegateVotesChanged, source: string): void {
  const change = new DelegateVotesChange(eventId(event));
  change.delegate = event.params.delegate;
  change.source = source;
  change.previousVotes = event.params.previousVotes;
  change.newVotes = event.params.newVotes;
  change.blockNumber = event.block.number;
  change.timestamp = event.block.timestamp;
  change.transactionHash = event.transaction.hash;
  change.save();
}
