import { ethereum } from "@graphprotocol/graph-ts";

import { Proposal, ProposalStateChange } from "../generated/schema";
import { eventId } from "./common";

export function setProposalState(proposal: Proposal, state: string, event: ethereum.Event): void {
  proposal.state = state;
  const change = new ProposalStateChange(eventId(event));
  change.proposal = proposal.id;
  change.state = state;
  change.timestamp = event.block.timestamp;
  change.transactionHash = event.transaction.hash;
  change.save();
}
