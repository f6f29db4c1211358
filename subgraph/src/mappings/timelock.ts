import { log } from "@graphprotocol/graph-ts";

import { Proposal, ScheduledInTransaction, TimelockOperation } from "../../generated/schema";
import { CallExecuted, CallScheduled, Cancelled, MinDelayChange } from "../../generated/Timelock/TimelockController";
import { getProtocol } from "../common";
import { setProposalState } from "../proposals";

/** One event per call of the batch, all with the same operation id. */
export function handleCallScheduled(event: CallScheduled): void {
  let operation = TimelockOperation.load(event.params.id);
  if (operation == null) {
    operation = new TimelockOperation(event.params.id);
    operation.callCount = 0;
    operation.executed = false;
    operation.cancelled = false;
  }
  operation.callCount = operation.callCount + 1;
  operation.delay = event.params.delay;
  operation.scheduledAt = event.block.timestamp;
  operation.scheduledTransaction = event.transaction.hash;
  operation.save();

  const scheduled = new ScheduledInTransaction(event.transaction.hash);
  scheduled.operation = operation.id;
  scheduled.save();
}

export function handleCallExecuted(event: CallExecuted): void {
  const operation = TimelockOperation.load(event.params.id);
  if (operation == null) {
    log.warning("CallExecuted for unknown operation {}", [event.params.id.toHexString()]);
    return;
  }
  operation.executed = true;
  operation.executedAt = event.block.timestamp;
  operation.save();
}

/**
 * The governor cancelling a queued proposal also emits `ProposalCanceled`; the guardian cancelling the operation
 * in the timelock (a veto) emits only this, so the proposal is marked cancelled here.
 */
export function handleCancelled(event: Cancelled): void {
  const operation = TimelockOperation.load(event.params.id);
  if (operation == null) {
    log.warning("Cancelled for unknown operation {}", [event.params.id.toHexString()]);
    return;
  }
  operation.cancelled = true;
  operation.cancelledAt = event.block.timestamp;
  operation.save();

  const proposalId = operation.proposal;
  if (proposalId == null) return;
  const proposal = Proposal.load(proposalId!);
  if (proposal == null || proposal.state == "CANCELED") return;
  proposal.canceledAt = event.block.timestamp;
  setProposalState(proposal, "CANCELED", event);
  proposal.save();
}

export function handleMinDelayChange(event: MinDelayChange): void {
  const protocol = getProtocol();
  protocol.timelockMinDelay = event.params.newDuration;
  protocol.save();
}
