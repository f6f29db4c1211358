/**
 * The subgraph's data sources: which contract, which events, which handlers. The manifest (subgraph.yaml), the
 * network config and the test harness's dispatcher are all rendered from this one list.
 */
import { PROTOCOL_CONTRACTS, type WatchedContractName } from "@trvl/abi";

export interface AbiParameter {
  name?: string;
  type: string;
  indexed?: boolean;
  components?: readonly AbiParameter[];
}
export interface AbiItem {
  type: string;
  name?: string;
  inputs?: readonly AbiParameter[];
}

export interface DataSource {
  /** Data source name, also the generated code's folder. */
  name: string;
  /** The contract in `@trvl/abi`'s registry: its address and ABI. */
  deployment: WatchedContractName;
  /** ABI file name (subgraph/abis/<abiName>.json) and the name the mapping imports it by. */
  abiName: string;
  abi: readonly AbiItem[];
  /** Mapping file under subgraph/src/mappings/. */
  file: string;
  /** Event name → handler. */
  handlers: Record<string, string>;
  entities: string[];
}

/** A data source's contract, ABI and ABI file name, from the registry. */
function fromRegistry(name: WatchedContractName, abiName: string = name) {
  return { name, deployment: name, abiName, abi: PROTOCOL_CONTRACTS[name].abi as readonly AbiItem[] };
}

export const DATA_SOURCES: DataSource[] = [
  {
    ...fromRegistry("TRVLToken"),
    file: "token.ts",
    handlers: {
      Transfer: "handleTransfer",
      DelegateChanged: "handleDelegateChanged",
      DelegateVotesChanged: "handleTokenDelegateVotesChanged",
    },
    entities: ["Account", "TokenTransfer", "DelegateChange", "DelegateVotesChange", "Protocol", "DailyStat"],
  },
  {
    ...fromRegistry("ReferralRegistry"),
    file: "referral.ts",
    handlers: { ReferralRegistered: "handleReferralRegistered" },
    entities: ["Account", "Referral", "Protocol", "DailyStat"],
  },
  {
    ...fromRegistry("BookingEscrow"),
    file: "escrow.ts",
    handlers: {
      BookingPaid: "handleBookingPaid",
      BookingSettled: "handleBookingSettled",
      BookingRefunded: "handleBookingRefunded",
      BookingPartiallyRefunded: "handleBookingPartiallyRefunded",
      SettlementSkipped: "handleSettlementSkipped",
      PaymentTokenSet: "handlePaymentTokenSet",
    },
    entities: [
      "Account",
      "Booking",
      "BookingStatusChange",
      "SettlementSkip",
      "PaymentToken",
      "Protocol",
      "DailyStat",
      "DailyTokenVolume",
      "DailyTraveller",
    ],
  },
  {
    ...fromRegistry("RewardDistributor"),
    file: "rewards.ts",
    handlers: {
      RewardDistributed: "handleRewardDistributed",
      RewardSkipped: "handleRewardSkipped",
      SplitSet: "handleSplitSet",
      TreasurySet: "handleRewardTreasurySet",
    },
    entities: [
      "Account",
      "Booking",
      "BookingStatusChange",
      "Reward",
      "RewardPayment",
      "RewardSkip",
      "Protocol",
      "DailyStat",
    ],
  },
  {
    ...fromRegistry("TRVLStaking"),
    file: "staking.ts",
    handlers: {
      Staked: "handleStaked",
      UnstakeRequested: "handleUnstakeRequested",
      UnstakeCancelled: "handleUnstakeCancelled",
      Withdrawn: "handleWithdrawn",
      InstantUnstaked: "handleInstantUnstaked",
      RewardClaimed: "handleRewardClaimed",
      RewardFunded: "handleRewardFunded",
      TierChanged: "handleTierChanged",
      TiersSet: "handleTiersSet",
      DelegateVotesChanged: "handleStakingDelegateVotesChanged",
    },
    entities: [
      "Account",
      "StakePosition",
      "StakeAction",
      "TierChange",
      "Tier",
      "StakingRewardFunding",
      "DelegateVotesChange",
      "Protocol",
      "DailyStat",
    ],
  },
  {
    ...fromRegistry("TRVLGovernor"),
    file: "governance.ts",
    handlers: {
      ProposalCreated: "handleProposalCreated",
      ProposalQueued: "handleProposalQueued",
      ProposalExecuted: "handleProposalExecuted",
      ProposalCanceled: "handleProposalCanceled",
      VoteCast: "handleVoteCast",
      VoteCastWithParams: "handleVoteCastWithParams",
      VotingDelaySet: "handleVotingDelaySet",
      VotingPeriodSet: "handleVotingPeriodSet",
      ProposalThresholdSet: "handleProposalThresholdSet",
      QuorumNumeratorUpdated: "handleQuorumNumeratorUpdated",
      QuorumFloorSet: "handleQuorumFloorSet",
    },
    entities: [
      "Account",
      "Proposal",
      "ProposalStateChange",
      "Vote",
      "TimelockOperation",
      "ScheduledInTransaction",
      "Protocol",
      "DailyStat",
    ],
  },
  {
    ...fromRegistry("Timelock", "TimelockController"),
    file: "timelock.ts",
    handlers: {
      CallScheduled: "handleCallScheduled",
      CallExecuted: "handleCallExecuted",
      Cancelled: "handleCancelled",
      MinDelayChange: "handleMinDelayChange",
    },
    entities: ["TimelockOperation", "ScheduledInTransaction", "Proposal", "ProposalStateChange", "Protocol"],
  },
];

/** The canonical type of an ABI parameter, tuples spelled out: `(uint128,uint16,uint16)[]`. */
export function canonicalType(param: AbiParameter): string {
  if (!param.type.startsWith("tuple")) return param.type;
  return `(${(param.components ?? []).map(canonicalType).join(",")})${param.type.slice("tuple".length)}`;
}

export function findEvent(abi: readonly AbiItem[], name: string): AbiItem {
  const events = abi.filter((item) => item.type === "event" && item.name === name);
  if (events.length !== 1) throw new Error(`expected one event ${name} in the ABI, found ${events.length}`);
  return events[0];
}

/** The event signature as graph-cli's manifests spell it: `Transfer(indexed address,indexed address,uint256)`. */
export function manifestEventSignature(event: AbiItem): string {
  const params = (event.inputs ?? []).map((input) => `${input.indexed ? "indexed " : ""}${canonicalType(input)}`);
  return `${event.name}(${params.join(",")})`;
}
