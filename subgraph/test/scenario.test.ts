/**
 * The cross-check: a scripted run on an in-process chain, its real logs fed through the compiled mappings, and the
 * totals the subgraph computed compared with values read independently from the contracts' state.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import type { NetworkConnection } from "hardhat/types/network";

import { LOCAL_GUARDIAN_GENESIS } from "../../ignition/modules/TRVLLocal.js";
import type { System } from "../../test/helpers/system.js";
import type { Indexer } from "./harness/indexer.js";
import type { SubgraphTotals } from "./harness/totals.js";
import { indexScenario } from "./scenario/index-scenario.js";
import type { ScenarioRun } from "./scenario/scenario.js";

const STATUS = ["NONE", "PAID", "SETTLED", "REFUNDED", "REWARDED"];
const GOVERNOR_STATE = ["PENDING", "ACTIVE", "CANCELED", "DEFEATED", "SUCCEEDED", "QUEUED", "EXPIRED", "EXECUTED"];
const key = (address: string) => address.toLowerCase();

describe("subgraph over a scripted run of the protocol", () => {
  let connection: NetworkConnection<"l1">;
  let system: System;
  let run: ScenarioRun;
  let indexer: Indexer;
  let totals: SubgraphTotals;

  before(async () => {
    let handled: number;
    ({ connection, system, run, indexer, handled, totals } = await indexScenario());
    assert.ok(handled > 50, `only ${handled} events handled`);
  });

  after(async () => {
    await connection?.close();
  });

  it("ran every handler the scenario exercises, with no warnings or errors logged", () => {
    for (const handler of [
      "handleTransfer",
      "handleDelegateChanged",
      "handleTokenDelegateVotesChanged",
      "handleReferralRegistered",
      "handleBookingPaid",
      "handleBookingSettled",
      "handleBookingRefunded",
      "handleSettlementSkipped",
      "handlePaymentTokenSet",
      "handleRewardDistributed",
      "handleRewardSkipped",
      "handleSplitSet",
      "handleRewardTreasurySet",
      "handleStaked",
      "handleUnstakeRequested",
      "handleUnstakeCancelled",
      "handleWithdrawn",
      "handleInstantUnstaked",
      "handleRewardClaimed",
      "handleRewardFunded",
      "handleTierChanged",
      "handleTiersSet",
      "handleStakingDelegateVotesChanged",
      "handleProposalCreated",
      "handleProposalQueued",
      "handleProposalExecuted",
      "handleVoteCast",
      "handleVotingDelaySet",
      "handleVotingPeriodSet",
      "handleProposalThresholdSet",
      "handleQuorumNumeratorUpdated",
      "handleCallScheduled",
      "handleCallExecuted",
      "handleCancelled",
      "handleMinDelayChange",
    ]) {
      assert.ok(indexer.handled.get(handler), `${handler} never ran`);
    }
    assert.deepEqual(
      indexer.logs.filter((entry) => entry.level <= 2),
      [],
    );
  });

  it("counts bookings by status as the escrow records them", async () => {
    const expected = { PAID: 0, SETTLED: 0, REFUNDED: 0, REWARDED: 0 };
    const statusOf: SubgraphTotals["bookings"]["statusOf"] = {};
    for (const bookingId of run.bookingIds) {
      const status = STATUS[Number((await system.escrow.bookingOf(bookingId)).status)] as keyof typeof expected;
      expected[status] += 1;
      statusOf[bookingId.toLowerCase()] = status;
    }
    assert.deepEqual(totals.bookings, { total: run.bookingIds.length, byStatus: expected, statusOf });
    assert.deepEqual(expected, { PAID: 1, SETTLED: 1, REFUNDED: 1, REWARDED: 3 });
  });

  it("credits each address the TRVL its balance shows it earned from rewards", async () => {
    const { token, staking } = system;
    const a = run.accounts;
    // Accounts that never held TRVL otherwise: their balance is their reward.
    for (const address of [a.root, a.referrer, a.ethTraveller, a.loneTraveller]) {
      assert.equal(totals.rewards[key(address)]?.total, String(await token.balanceOf(address)), address);
    }
    // The staker: balance = given − still staked or pending − fees + yield claimed + rewards.
    const pending = (await staking.pendingUnstakeOf(a.traveller)).amount;
    const travellerRewards =
      (await token.balanceOf(a.traveller)) -
      run.given[a.traveller] +
      (await staking.stakedOf(a.traveller)) +
      pending +
      run.fees[a.traveller] -
      (await staking.rewardsPaid());
    assert.equal(totals.rewards[key(a.traveller)].total, String(travellerRewards));
    // The treasury (the timelock): its balance is the treasury shares plus the instant-unstake fees.
    const treasury = key(await system.timelock.getAddress());
    const feesTotal = Object.values(run.fees).reduce((sum, fee) => sum + fee, 0n);
    assert.equal(totals.rewards[treasury].total, String((await token.balanceOf(treasury)) - feesTotal));
    assert.equal(totals.protocol.rewardsMinted, String((await token.totalSupply()) - LOCAL_GUARDIAN_GENESIS));

    // Roles: the root only ever earned as level 2, the referrer as level 1, the lone traveller as traveller.
    assert.equal(totals.rewards[key(a.root)].level2, totals.rewards[key(a.root)].total);
    assert.equal(totals.rewards[key(a.referrer)].level1, totals.rewards[key(a.referrer)].total);
    assert.equal(totals.rewards[key(a.loneTraveller)].traveller, totals.rewards[key(a.loneTraveller)].total);
    const sum = Object.values(totals.rewards).reduce((s, r) => s + BigInt(r.total), 0n);
    assert.equal(String(sum), totals.protocol.rewardsMinted);
  });

  it("counts referees on two levels as the registry does", async () => {
    const expected: SubgraphTotals["referrals"] = {};
    for (const address of Object.values(run.accounts)) {
      const [direct, indirect] = await system.referrals.refereeCounts(address);
      if (direct !== 0n || indirect !== 0n)
        expected[key(address)] = { direct: Number(direct), indirect: Number(indirect) };
    }
    assert.deepEqual(totals.referrals, expected);
    assert.deepEqual(totals.referrals[key(run.accounts.root)], { direct: 1, indirect: 2 });
    assert.equal(totals.protocol.referralCount, run.referralCount);
  });

  it("holds each stake, cooldown and tier the staking contract holds", async () => {
    const { staking } = system;
    const expected: SubgraphTotals["stakes"] = {};
    for (const address of [run.accounts.traveller, run.accounts.whale]) {
      expected[key(address)] = {
        staked: String(await staking.stakedOf(address)),
        pendingUnstake: String((await staking.pendingUnstakeOf(address)).amount),
        tier: Number(await staking.tierOf(address)),
      };
    }
    assert.deepEqual(totals.stakes, expected);
    assert.equal(totals.protocol.totalStaked, String(await staking.totalStaked()));
    const position = indexer.store.plain("StakePosition", key(run.accounts.traveller))!;
    assert.equal(position.totalClaimed, await staking.rewardsPaid());
    assert.equal(position.unlockAt, (await staking.pendingUnstakeOf(run.accounts.traveller)).unlockAt);
    // Explorer → Voyager → Globetrotter → Voyager.
    const tiers = Object.values(indexer.store.plainAll("TierChange"))
      .filter((change) => change.position === key(run.accounts.traveller))
      .map((change) => [change.previousTier, change.newTier]);
    assert.deepEqual(tiers, [
      [0, 1],
      [1, 2],
      [2, 1],
    ]);
  });

  it("follows both proposals to the governor's state, with its tallies", async () => {
    const { governor } = system;
    for (const proposalId of Object.values(run.proposalIds)) {
      const proposal = indexer.store.plain("Proposal", proposalId.toString())!;
      const state = GOVERNOR_STATE[Number(await governor.state(proposalId))];
      assert.equal(proposal.state, state);
      const [against, forVotes, abstain] = await governor.proposalVotes(proposalId);
      assert.deepEqual(
        [proposal.againstVotes, proposal.forVotes, proposal.abstainVotes, proposal.voteCount],
        [against, forVotes, abstain, 2],
      );
      assert.deepEqual(totals.proposals[proposalId.toString()], {
        state,
        forVotes: String(forVotes),
        againstVotes: String(against),
        abstainVotes: String(abstain),
        voteCount: 2,
      });
    }
    const vetoed = indexer.store.plain("Proposal", run.proposalIds.vetoed.toString())!;
    assert.equal(vetoed.timelockOperation, run.vetoedOperation);
    assert.equal(indexer.store.plain("Protocol", "trvl")!.splitLevel1, 1_500);
    assert.equal(totals.protocol.proposalCount, 2);
    assert.deepEqual(Object.keys(totals.proposals).sort(), Object.values(run.proposalIds).map(String).sort());
  });
});
