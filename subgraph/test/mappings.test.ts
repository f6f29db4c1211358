/**
 * Each handler of the built subgraph, fed well-formed events (ABI-encoded logs with full blocks and transactions),
 * with assertions on the entities it stores.
 */
import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";

import {
  bookingEscrowAbi,
  getDeployment,
  referralRegistryAbi,
  rewardDistributorAbi,
  timelockControllerAbi,
  trvlGovernorAbi,
  trvlStakingAbi,
  trvlTokenAbi,
} from "@trvl/abi";
import { keccak256, toHex, type Abi, type Hex } from "viem";

import { SyntheticChain } from "./harness/chain.js";
import { Indexer } from "./harness/indexer.js";
import { BUILD_DIR } from "./paths.js";

const contracts = getDeployment(31337).contracts;
const ZERO = "0x0000000000000000000000000000000000000000";
const NATIVE = ZERO;
const addr = (n: number) => `0x${n.toString(16).padStart(40, "0")}` as Hex;
const bookingId = (n: number) => keccak256(toHex(`booking ${n}`));
const [alice, bob, carol, dave, treasury, supplier, usd] = [1, 2, 3, 4, 5, 6, 7].map((n) => addr(0xa0 + n));
const E18 = 10n ** 18n;
const DAY = 86_400;

let indexer: Indexer;
let chain: SyntheticChain;
const emit = (abi: unknown, address: string, event: string, args: Record<string, unknown>, sameTransaction = false) =>
  chain.emit(abi as Abi, address as Hex, event, args, { sameTransaction });
const get = (type: string, id: string) => indexer.store.plain(type, id.toLowerCase());
const protocol = () => get("Protocol", "trvl")!;

beforeEach(async () => {
  indexer = await Indexer.load(BUILD_DIR);
  chain = new SyntheticChain(indexer);
});

const escrow = (event: string, args: Record<string, unknown>) =>
  emit(bookingEscrowAbi, contracts.BookingEscrow.address, event, args);
const distributor = (event: string, args: Record<string, unknown>) =>
  emit(rewardDistributorAbi, contracts.RewardDistributor.address, event, args);
const staking = (event: string, args: Record<string, unknown>) =>
  emit(trvlStakingAbi, contracts.TRVLStaking.address, event, args);
const token = (event: string, args: Record<string, unknown>) =>
  emit(trvlTokenAbi, contracts.TRVLToken.address, event, args);

function pay(n: number, traveller: Hex, payToken: Hex = usd, amount = 1_000_000_000n) {
  return escrow("BookingPaid", {
    bookingId: bookingId(n),
    traveller,
    token: payToken,
    amount,
    commission: amount / 10n,
    supplier,
    refundableAt: chain.now + DAY,
  });
}

function settle(n: number, traveller: Hex, payToken: Hex = usd, amount = 1_000_000_000n) {
  return escrow("BookingSettled", {
    bookingId: bookingId(n),
    traveller,
    supplier,
    token: payToken,
    supplierAmount: amount - amount / 10n,
    commission: amount / 10n,
  });
}

function reward(n: number, traveller: Hex, level1: Hex, level2: Hex, parts: [bigint, bigint, bigint, bigint]) {
  const [travellerAmount, level1Amount, level2Amount, treasuryAmount] = parts;
  return distributor("RewardDistributed", {
    bookingId: bookingId(n),
    traveller,
    level1,
    level2,
    travellerAmount,
    level1Amount,
    level2Amount,
    treasuryAmount,
    boostBps: 1_000n,
    tokenUsdPrice: 100_000_000n,
    trvlUsdPrice: 10_000_000n,
  });
}

describe("token", () => {
  it("tracks balances and supply through mints, transfers and burns, by day", () => {
    token("Transfer", { from: ZERO, to: alice, value: 100n * E18 });
    token("Transfer", { from: alice, to: bob, value: 30n * E18 });
    chain.mine(chain.now + DAY);
    token("Transfer", { from: bob, to: ZERO, value: 10n * E18 });
    assert.equal(get("Account", alice)!.trvlBalance, 70n * E18);
    assert.equal(get("Account", bob)!.trvlBalance, 20n * E18);
    assert.equal(get("Account", ZERO), undefined);
    assert.equal(protocol().trvlSupply, 90n * E18);
    const days = Object.values(indexer.store.plainAll("DailyStat"));
    assert.deepEqual(
      days.map((d) => [d.trvlMinted, d.trvlBurned]),
      [
        [100n * E18, 0n],
        [0n, 10n * E18],
      ],
    );
    const transfers = Object.values(indexer.store.plainAll("TokenTransfer"));
    assert.deepEqual(
      transfers.map((t) => [t.from, t.to, t.value]),
      [
        [undefined, alice, 100n * E18],
        [alice, bob, 30n * E18],
        [bob, undefined, 10n * E18],
      ],
    );
  });

  it("records delegation and adds token and staked votes into voting power", () => {
    token("DelegateChanged", { delegator: alice, fromDelegate: ZERO, toDelegate: bob });
    token("DelegateVotesChanged", { delegate: bob, previousVotes: 0n, newVotes: 5n * E18 });
    staking("DelegateVotesChanged", { delegate: bob, previousVotes: 0n, newVotes: 7n * E18 });
    const bobAccount = get("Account", bob)!;
    assert.equal(get("Account", alice)!.delegate, bob);
    assert.deepEqual(
      [bobAccount.tokenVotes, bobAccount.stakedVotes, bobAccount.votingPower],
      [5n * E18, 7n * E18, 12n * E18],
    );
    const sources = Object.values(indexer.store.plainAll("DelegateVotesChange")).map((c) => c.source);
    assert.deepEqual(sources, ["TOKEN", "STAKING"]);
  });
});

describe("referrals", () => {
  it("links two levels and counts referees at each", () => {
    const registry = (user: Hex, referrer: Hex, level2: Hex) =>
      emit(referralRegistryAbi, contracts.ReferralRegistry.address, "ReferralRegistered", { user, referrer, level2 });
    registry(bob, alice, ZERO);
    registry(carol, bob, alice);
    registry(dave, bob, alice);
    assert.deepEqual(
      [alice, bob, carol].map((a) => [get("Account", a)!.directRefereeCount, get("Account", a)!.indirectRefereeCount]),
      [
        [1, 2],
        [2, 0],
        [0, 0],
      ],
    );
    const referral = get("Referral", carol)!;
    assert.deepEqual([referral.user, referral.referrer, referral.level2], [carol, bob, alice]);
    assert.equal(get("Referral", bob)!.level2, undefined);
    assert.equal(get("Account", carol)!.referral, carol);
    assert.equal(protocol().referralCount, 3n);
  });
});

describe("bookings", () => {
  it("follows a booking through paid, settled and rewarded, with volumes and status counts", () => {
    escrow("PaymentTokenSet", { token: usd, allowed: true });
    pay(1, alice);
    assert.deepEqual([protocol().paidCount, protocol().bookingCount], [1n, 1n]);
    settle(1, alice);
    distributor("TreasurySet", { previousTreasury: ZERO, newTreasury: treasury });
    reward(1, alice, bob, carol, [700n * E18, 70n * E18, 30n * E18, 200n * E18]);

    const booking = get("Booking", bookingId(1))!;
    assert.deepEqual(
      [booking.status, booking.traveller, booking.amount, booking.commission, booking.supplierAmount, booking.reward],
      ["REWARDED", alice, 1_000_000_000n, 100_000_000n, 900_000_000n, bookingId(1)],
    );
    const history = Object.values(indexer.store.plainAll("BookingStatusChange")).map((c) => c.status);
    assert.deepEqual(history, ["PAID", "SETTLED", "REWARDED"]);
    const p = protocol();
    assert.deepEqual(
      [p.paidCount, p.settledCount, p.rewardedCount, p.refundedCount, p.travellerCount],
      [0n, 0n, 1n, 0n, 1n],
    );
    const paymentToken = get("PaymentToken", usd)!;
    assert.deepEqual(
      [
        paymentToken.allowed,
        paymentToken.isNative,
        paymentToken.paidVolume,
        paymentToken.settledVolume,
        paymentToken.commissionVolume,
      ],
      [true, false, 1_000_000_000n, 1_000_000_000n, 100_000_000n],
    );
  });

  it("refunds, and records settlements skipped", () => {
    pay(2, alice, NATIVE, E18);
    escrow("BookingRefunded", { bookingId: bookingId(2), traveller: alice, by: alice, token: NATIVE, amount: E18 });
    escrow("SettlementSkipped", { bookingId: bookingId(2), status: 3 });
    const booking = get("Booking", bookingId(2))!;
    assert.deepEqual([booking.status, booking.refundedBy, booking.token], ["REFUNDED", alice, NATIVE]);
    assert.equal(get("PaymentToken", NATIVE)!.isNative, true);
    assert.equal(get("PaymentToken", NATIVE)!.refundedVolume, E18);
    assert.deepEqual([protocol().paidCount, protocol().refundedCount], [0n, 1n]);
    const [skip] = Object.values(indexer.store.plainAll("SettlementSkip"));
    assert.deepEqual([skip.bookingId, skip.status], [bookingId(2), 3]);
  });

  it("records a cancellation on the supplier's terms: the part given back, then the kept part settled", () => {
    pay(3, alice);
    escrow("BookingPartiallyRefunded", {
      bookingId: bookingId(3),
      traveller: alice,
      token: usd,
      refunded: 700_000_000n,
      kept: 300_000_000n,
    });
    settle(3, alice, usd, 300_000_000n);
    const booking = get("Booking", bookingId(3))!;
    assert.deepEqual(
      [booking.status, booking.amount, booking.partiallyRefunded, booking.supplierAmount, booking.commission],
      ["SETTLED", 1_000_000_000n, 700_000_000n, 270_000_000n, 30_000_000n],
    );
    const paymentToken = get("PaymentToken", usd)!;
    assert.deepEqual([paymentToken.refundedVolume, paymentToken.settledVolume], [700_000_000n, 300_000_000n]);
  });

  it("keeps daily statistics: distinct active travellers and volume per token per day", () => {
    pay(1, alice);
    pay(2, alice, NATIVE, E18);
    pay(3, bob);
    settle(3, bob);
    chain.mine(chain.now + DAY);
    pay(4, alice);
    const days = Object.values(indexer.store.plainAll("DailyStat"));
    assert.deepEqual(
      days.map((d) => [d.bookingsPaid, d.bookingsSettled, d.activeTravellers]),
      [
        [3, 1, 2],
        [1, 0, 1],
      ],
    );
    const firstDay = Object.values(indexer.store.plainAll("DailyTokenVolume")).filter((v) => v.day === days[0].id);
    assert.deepEqual(
      firstDay.map((v) => [v.token, v.bookingsPaid, v.paidVolume, v.settledVolume, v.commission]),
      [
        [usd, 2, 2_000_000_000n, 1_000_000_000n, 100_000_000n],
        [NATIVE, 1, E18, 0n, 0n],
      ],
    );
  });
});

describe("rewards", () => {
  it("credits each recipient per role, skipping zero parts and crediting the treasury", () => {
    distributor("TreasurySet", { previousTreasury: ZERO, newTreasury: treasury });
    distributor("SplitSet", { traveller: 7000, level1: 700, level2: 300, treasury: 2000 });
    pay(1, alice);
    settle(1, alice);
    reward(1, alice, bob, carol, [770n * E18, 70n * E18, 30n * E18, 130n * E18]);
    pay(2, bob);
    settle(2, bob);
    reward(2, bob, ZERO, ZERO, [700n * E18, 0n, 0n, 300n * E18]);

    const r = get("Reward", bookingId(1))!;
    assert.deepEqual(
      [r.total, r.level1, r.level2, r.treasury, r.boostBps, r.tokenUsdPrice, r.trvlUsdPrice],
      [1000n * E18, bob, carol, treasury, 1_000n, 100_000_000n, 10_000_000n],
    );
    const payments = Object.values(indexer.store.plainAll("RewardPayment")).map((p) => [p.recipient, p.role, p.amount]);
    assert.deepEqual(payments, [
      [alice, "TRAVELLER", 770n * E18],
      [bob, "LEVEL1", 70n * E18],
      [carol, "LEVEL2", 30n * E18],
      [treasury, "TREASURY", 130n * E18],
      [bob, "TRAVELLER", 700n * E18],
      [treasury, "TREASURY", 300n * E18],
    ]);
    const b = get("Account", bob)!;
    assert.deepEqual([b.rewardsTotal, b.rewardsAsTraveller, b.rewardsAsLevel1], [770n * E18, 700n * E18, 70n * E18]);
    assert.equal(get("Account", treasury)!.rewardsAsTreasury, 430n * E18);
    assert.equal(get("Account", carol)!.rewardsAsLevel2, 30n * E18);
    assert.equal(protocol().rewardsMinted, 2000n * E18);
    assert.deepEqual([protocol().splitTraveller, protocol().splitTreasury], [7000, 2000]);
    const day = Object.values(indexer.store.plainAll("DailyStat"))[0];
    assert.deepEqual([day.bookingsRewarded, day.rewardsMinted], [2, 2000n * E18]);
  });

  it("names the reason of each skipped reward, linking known bookings", () => {
    pay(1, alice);
    distributor("RewardSkipped", { bookingId: bookingId(1), reason: 1 });
    distributor("RewardSkipped", { bookingId: bookingId(9), reason: 6 });
    distributor("RewardSkipped", { bookingId: bookingId(1), reason: 8 });
    distributor("RewardSkipped", { bookingId: bookingId(1), reason: 9 });
    const skips = Object.values(indexer.store.plainAll("RewardSkip")).map((s) => [s.booking, s.reason]);
    assert.deepEqual(skips, [
      [bookingId(1), "NOT_SETTLED"],
      [undefined, "SUPPLY_CAP_REACHED"],
      [bookingId(1), "QUEUED"],
      [bookingId(1), "SEQUENCER_DOWN"],
    ]);
  });
});

describe("staking", () => {
  it("keeps positions, cooldowns, fees, claims and tiers, and the protocol's totals", () => {
    staking("Staked", { account: alice, amount: 1000n * E18 });
    staking("TierChanged", { account: alice, previousTier: 0n, newTier: 1n });
    staking("Staked", { account: alice, amount: 9000n * E18 });
    staking("TierChanged", { account: alice, previousTier: 1n, newTier: 2n });
    staking("UnstakeRequested", {
      account: alice,
      amount: 500n * E18,
      pendingTotal: 500n * E18,
      unlockAt: 1_800_000_000n,
    });
    staking("UnstakeRequested", {
      account: alice,
      amount: 500n * E18,
      pendingTotal: E18 * 1000n,
      unlockAt: 1_800_000_100n,
    });
    let position = get("StakePosition", alice)!;
    assert.deepEqual(
      [position.staked, position.pendingUnstake, position.unlockAt, position.tier],
      [9000n * E18, 1000n * E18, 1_800_000_100n, 2],
    );
    assert.equal(protocol().totalPendingUnstake, 1000n * E18);
    staking("UnstakeCancelled", { account: alice, amount: 1000n * E18 });
    staking("InstantUnstaked", { account: alice, amount: 100n * E18, fee: 2n * E18 });
    staking("RewardClaimed", { account: alice, amount: 5n * E18 });
    staking("Staked", { account: bob, amount: 50n * E18 });
    staking("UnstakeRequested", { account: bob, amount: 50n * E18, pendingTotal: 50n * E18, unlockAt: 1_800_000_000n });
    staking("Withdrawn", { account: bob, amount: 50n * E18 });

    position = get("StakePosition", alice)!;
    assert.deepEqual(
      [position.staked, position.pendingUnstake, position.unlockAt, position.totalFeesPaid, position.totalClaimed],
      [9900n * E18, 0n, undefined, 2n * E18, 5n * E18],
    );
    const p = protocol();
    assert.deepEqual(
      [p.totalStaked, p.totalPendingUnstake, p.stakerCount, p.instantUnstakeFees, p.stakingRewardsPaid],
      [9900n * E18, 0n, 1n, 2n * E18, 5n * E18],
    );
    assert.equal(get("Account", alice)!.stake, alice);
    const kinds = Object.values(indexer.store.plainAll("StakeAction"))
      .filter((a) => a.account === alice)
      .map((a) => a.kind);
    assert.deepEqual(kinds, [
      "STAKE",
      "STAKE",
      "UNSTAKE_REQUEST",
      "UNSTAKE_REQUEST",
      "UNSTAKE_CANCEL",
      "INSTANT_UNSTAKE",
      "CLAIM",
    ]);
    const changes = Object.values(indexer.store.plainAll("TierChange")).map((c) => [c.previousTier, c.newTier]);
    assert.deepEqual(changes, [
      [0, 1],
      [1, 2],
    ]);
  });

  it("records tiers, retiring those a shorter list drops, and reward funding", () => {
    const tier = (minStake: bigint, boostBps: number, discountBps: number) => ({ minStake, boostBps, discountBps });
    staking("TiersSet", { tiers: [tier(0n, 0, 0), tier(1000n * E18, 1000, 200), tier(10_000n * E18, 2500, 300)] });
    staking("TiersSet", { tiers: [tier(0n, 0, 0), tier(500n * E18, 500, 100)] });
    const tiers = Object.values(indexer.store.plainAll("Tier")).map((t) => [t.index, t.minStake, t.boostBps, t.active]);
    assert.deepEqual(tiers, [
      [0, 0n, 0, true],
      [1, 500n * E18, 500, true],
      [2, 10_000n * E18, 2500, false],
    ]);
    staking("RewardFunded", {
      funder: alice,
      amount: 7000n * E18,
      duration: 604_800n,
      rewardRate: 1n,
      periodFinish: 1_800_000_000n,
    });
    assert.equal(protocol().stakingRewardsFunded, 7000n * E18);
  });
});

describe("governance", () => {
  const governor = (event: string, args: Record<string, unknown>, sameTransaction = false) =>
    emit(trvlGovernorAbi, contracts.TRVLGovernor.address, event, args, sameTransaction);
  const timelock = (event: string, args: Record<string, unknown>, sameTransaction = false) =>
    emit(timelockControllerAbi, contracts.Timelock.address, event, args, sameTransaction);
  const create = (proposalId: bigint) =>
    governor("ProposalCreated", {
      proposalId,
      proposer: alice,
      targets: [contracts.RewardDistributor.address],
      values: [0n],
      signatures: [""],
      calldatas: ["0x12345678"],
      voteStart: 1_800_000_000n,
      voteEnd: 1_800_000_600n,
      description: "Reward referrers more",
    });
  const queue = (proposalId: bigint, operation: Hex) => {
    timelock("CallScheduled", {
      id: operation,
      index: 0n,
      target: contracts.RewardDistributor.address,
      value: 0n,
      data: "0x12345678",
      predecessor: keccak256("0x"),
      delay: 60n,
    });
    governor("ProposalQueued", { proposalId, etaSeconds: 1_800_000_700n }, true);
  };

  it("tallies votes with weight, reason and params, then queues and executes through the timelock", () => {
    create(42n);
    governor("VoteCast", { voter: alice, proposalId: 42n, support: 1, weight: 30n * E18, reason: "yes" });
    governor("VoteCast", { voter: bob, proposalId: 42n, support: 0, weight: 10n * E18, reason: "" });
    governor("VoteCastWithParams", {
      voter: carol,
      proposalId: 42n,
      support: 2,
      weight: 5n * E18,
      reason: "meh",
      params: "0xbeef",
    });
    const operation = keccak256(toHex("op 42"));
    queue(42n, operation);
    timelock("CallExecuted", {
      id: operation,
      index: 0n,
      target: contracts.RewardDistributor.address,
      value: 0n,
      data: "0x12345678",
    });
    governor("ProposalExecuted", { proposalId: 42n }, true);

    const proposal = get("Proposal", "42")!;
    assert.deepEqual(
      [proposal.state, proposal.forVotes, proposal.againstVotes, proposal.abstainVotes, proposal.voteCount],
      ["EXECUTED", 30n * E18, 10n * E18, 5n * E18, 3],
    );
    assert.deepEqual(
      [proposal.proposer, proposal.targets, proposal.eta, proposal.timelockOperation],
      [alice, [contracts.RewardDistributor.address.toLowerCase()], 1_800_000_700n, operation],
    );
    const vote = get("Vote", `42-${carol}`)!;
    assert.deepEqual([vote.support, vote.weight, vote.reason, vote.params], ["ABSTAIN", 5n * E18, "meh", "0xbeef"]);
    assert.equal(get("Vote", `42-${bob}`)!.params, undefined);
    const op = get("TimelockOperation", operation)!;
    assert.deepEqual([op.proposal, op.callCount, op.executed, op.cancelled], ["42", 1, true, false]);
    const states = Object.values(indexer.store.plainAll("ProposalStateChange")).map((c) => c.state);
    assert.deepEqual(states, ["PENDING", "QUEUED", "EXECUTED"]);
    assert.equal(Object.values(indexer.store.plainAll("DailyStat"))[0].votesCast, 3);
  });

  it("marks a proposal cancelled by the governor, or vetoed in the timelock", () => {
    create(1n);
    governor("ProposalCanceled", { proposalId: 1n });
    create(2n);
    const operation = keccak256(toHex("op 2"));
    queue(2n, operation);
    timelock("Cancelled", { id: operation });
    assert.equal(get("Proposal", "1")!.state, "CANCELED");
    assert.equal(get("Proposal", "2")!.state, "CANCELED");
    assert.equal(get("TimelockOperation", operation)!.cancelled, true);
    assert.equal(protocol().proposalCount, 2n);
  });

  it("records the governor's and the timelock's settings", () => {
    governor("VotingDelaySet", { oldVotingDelay: 0n, newVotingDelay: 1n });
    governor("VotingPeriodSet", { oldVotingPeriod: 0n, newVotingPeriod: 600n });
    governor("ProposalThresholdSet", { oldProposalThreshold: 0n, newProposalThreshold: E18 });
    governor("QuorumNumeratorUpdated", { oldQuorumNumerator: 0n, newQuorumNumerator: 4n });
    governor("QuorumFloorSet", { oldFloor: 0n, newFloor: 10_000_000n * E18 });
    timelock("MinDelayChange", { oldDuration: 0n, newDuration: 60n });
    let p = protocol();
    assert.deepEqual(
      [p.votingDelay, p.votingPeriod, p.proposalThreshold, p.quorumNumerator, p.quorumFloor, p.timelockMinDelay],
      [1n, 600n, E18, 4n, 10_000_000n * E18, 60n],
    );
    // Governance lowers the floor later: the latest one counts.
    governor("QuorumFloorSet", { oldFloor: 10_000_000n * E18, newFloor: 5_000_000n * E18 });
    p = protocol();
    assert.equal(p.quorumFloor, 5_000_000n * E18);
  });
});
