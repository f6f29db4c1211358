import { Address, BigInt, Bytes, ethereum, log } from "@graphprotocol/graph-ts";

import {
  ProposalCanceled,
  ProposalCreated,
  ProposalExecuted,
  ProposalQueued,
  ProposalThresholdSet,
  QuorumFloorSet,
  QuorumNumeratorUpdated,
  VoteCast,
  VoteCastWithParams,
  VotingDelaySet,
  VotingPeriodSet,
} from "../../generated/TRVLGovernor/TRVLGovernor";
import { Proposal, ScheduledInTransaction, TimelockOperation, Vote } from "../../generated/schema";
import { ONE, ZERO, getAccount, getDailyStat, getProtocol } from "../common";
import { setProposalState } from "../proposals";

const SUPPORT = ["AGAINST", "FOR", "ABSTAIN"];

export function handleProposalCreated(event: ProposalCreated): void {
  const params = event.params;
  const proposal = new Proposal(params.proposalId.toString());
  proposal.proposalId = params.proposalId;
  proposal.proposer = getAccount(params.proposer).id;
  const targets = params.targets;
  const targetBytes = new Array<Bytes>(targets.length);
  for (let i = 0; i < targets.length; i++) targetBytes[i] = targets[i];
  proposal.targets = targetBytes;
  proposal.values = params.values;
  proposal.signatures = params.signatures;
  proposal.calldatas = params.calldatas;
  proposal.description = params.description;
  proposal.voteStart = params.voteStart;
  proposal.voteEnd = params.voteEnd;
  proposal.state = "";
  proposal.forVotes = ZERO;
  proposal.againstVotes = ZERO;
  proposal.abstainVotes = ZERO;
  proposal.voteCount = 0;
  proposal.createdAt = event.block.timestamp;
  proposal.createdTransaction = event.transaction.hash;
  setProposalState(proposal, "PENDING", event);
  proposal.save();

  const protocol = getProtocol();
  protocol.proposalCount = protocol.proposalCount.plus(ONE);
  protocol.save();
}

function loadProposal(proposalId: BigInt, eventName: string): Proposal | null {
  const proposal = Proposal.load(proposalId.toString());
  if (proposal == null) log.warning("{} for unknown proposal {}", [eventName, proposalId.toString()]);
  return proposal;
}

export function handleProposalQueued(event: ProposalQueued): void {
  const proposal = loadProposal(event.params.proposalId, "ProposalQueued");
  if (proposal == null) return;
  proposal.eta = event.params.etaSeconds;
  proposal.queuedAt = event.block.timestamp;
  // The timelock scheduled the proposal's calls earlier in this same transaction.
  const scheduled = ScheduledInTransaction.load(event.transaction.hash);
  if (scheduled != null) {
    proposal.timelockOperation = scheduled.operation;
    const operation = TimelockOperation.load(scheduled.operation);
    if (operation != null) {
      operation.proposal = proposal.id;
      operation.save();
    }
  }
  setProposalState(proposal, "QUEUED", event);
  proposal.save();
}

export function handleProposalExecuted(event: ProposalExecuted): void {
  const proposal = loadProposal(event.params.proposalId, "ProposalExecuted");
  if (proposal == null) return;
  proposal.executedAt = event.block.timestamp;
  setProposalState(proposal, "EXECUTED", event);
  proposal.save();
}

export function handleProposalCanceled(event: ProposalCanceled): void {
  const proposal = loadProposal(event.params.proposalId, "ProposalCanceled");
  if (proposal == null) return;
  proposal.canceledAt = event.block.timestamp;
  setProposalState(proposal, "CANCELED", event);
  proposal.save();
}

function recordVote(
  event: ethereum.Event,
  voter: Address,
  proposalId: BigInt,
  support: i32,
  weight: BigInt,
  reason: string,
  params: Bytes | null,
): void {
  const proposal = loadProposal(proposalId, "VoteCast");
  if (proposal == null) return;
  if (support == 0) proposal.againstVotes = proposal.againstVotes.plus(weight);
  else if (support == 1) proposal.forVotes = proposal.forVotes.plus(weight);
  else proposal.abstainVotes = proposal.abstainVotes.plus(weight);
  proposal.voteCount = proposal.voteCount + 1;
  proposal.save();

  const vote = new Vote(proposal.id.concat("-").concat(voter.toHexString()));
  vote.proposal = proposal.id;
  vote.voter = getAccount(voter).id;
  vote.support = support >= 0 && support < SUPPORT.length ? SUPPORT[support] : "ABSTAIN";
  vote.weight = weight;
  vote.reason = reason;
  vote.params = params;
  vote.blockNumber = event.block.number;
  vote.timestamp = event.block.timestamp;
  vote.transactionHash = event.transaction.hash;
  vote.save();

  const day = getDailyStat(event.block.timestamp);
  day.votesCast = day.votesCast + 1;
  day.save();
}

export function handleVoteCast(event: VoteCast): void {
  const p = event.params;
  recordVote(event, p.voter, p.proposalId, p.support, p.weight, p.reason, null);
}

export function handleVoteCastWithParams(event: VoteCastWithParams): void {
  const p = event.params;
  recordVote(event, p.voter, p.proposalId, p.support, p.weight, p.reason, p.params);
}

export function handleVotingDelaySet(event: VotingDelaySet): void {
  const protocol = getProtocol();
  protocol.votingDelay = event.params.newVotingDelay;
  protocol.save();
}

export function handleVotingPeriodSet(event: VotingPeriodSet): void {
  const protocol = getProtocol();
  protocol.votingPeriod = event.params.newVotingPeriod;
  protocol.save();
}

export function handleProposalThresholdSet(event: ProposalThresholdSet): void {
  const protocol = getProtocol();
  protocol.proposalThreshold = event.params.newProposalThreshold;
  protocol.save();
}

export function handleQuorumNumeratorUpdated(event: QuorumNumeratorUpdated): void {
  const protocol = getProtocol();
  protocol.quorumNumerator = event.params.newQuorumNumerator;
  protocol.save();
}

export function handleQuorumFloorSet(event: QuorumFloorSet): void {
  const protocol = getProtocol();
  protocol.quorumFloor = event.params.newFloor;
  protocol.save();
}
