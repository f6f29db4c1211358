import { expect } from "chai";
import { id, parseEther } from "ethers";

import { ROLES } from "../ignition/modules/protocol.js";
import { LAUNCH_DEFAULTS } from "../ignition/modules/TRVL.js";
import { LOCAL_GOVERNANCE } from "../ignition/modules/TRVLLocal.js";
import {
  MockBlockClockVotes__factory,
  TRVLGovernor__factory,
  TeamVesting__factory,
} from "../types/ethers-contracts/index.js";
import { useSystem } from "./helpers/fixture.js";
import type { System } from "./helpers/system.js";

const { fresh } = await useSystem();

const TRVL = (n: string) => parseEther(n);
const State = {
  Pending: 0n,
  Active: 1n,
  Canceled: 2n,
  Defeated: 3n,
  Succeeded: 4n,
  Queued: 5n,
  Expired: 6n,
  Executed: 7n,
};
const Vote = { Against: 0, For: 1, Abstain: 2 };

/** A proposal to change the reward split to 60 / 15 / 5 / 20. */
async function splitProposal(system: System) {
  const target = await system.distributor.getAddress();
  const calldata = system.distributor.interface.encodeFunctionData("setSplit", [
    { traveller: 6_000, level1: 1_500, level2: 500, treasury: 2_000 },
  ]);
  const description = "Reward referrers more: 60 / 15 / 5 / 20";
  return { targets: [target], values: [0n], calldatas: [calldata], description, descriptionHash: id(description) };
}

describe("Governance (TRVLGovernor + timelock)", () => {
  it("walks a proposal from vote to execution, and the distributor uses the new split", async () => {
    const system = await fresh();
    const { governor, token, staking, distributor, referrals, travellers, giveTrvl, connection } = system;
    const { time, mine } = connection.networkHelpers;
    const [proposer, staker, alice, bob] = travellers;

    // The proposer votes with TRVL in hand, the staker with TRVL all staked.
    await giveTrvl(proposer, TRVL("30000"));
    await token.connect(proposer).delegate(proposer.address);
    await system.stakeFor(staker, TRVL("20000"));
    await token.connect(staker).delegate(staker.address);
    await staking.syncDelegate(staker.address);
    await mine();

    const p = await splitProposal(system);
    const proposalId = await governor.hashProposal(p.targets, p.values, p.calldatas, p.descriptionHash);
    await expect(governor.connect(proposer).propose(p.targets, p.values, p.calldatas, p.description)).to.emit(
      governor,
      "ProposalCreated",
    );
    expect(await governor.state(proposalId)).to.equal(State.Pending);
    await time.increase(LOCAL_GOVERNANCE.votingDelay + 1);
    expect(await governor.state(proposalId)).to.equal(State.Active);

    const snapshot = await governor.proposalSnapshot(proposalId);
    expect(await governor.getVotes(staker.address, snapshot)).to.equal(TRVL("20000"));
    await expect(governor.connect(staker).castVoteWithReason(proposalId, Vote.For, "more for referrers"))
      .to.emit(governor, "VoteCast")
      .withArgs(staker.address, proposalId, Vote.For, TRVL("20000"), "more for referrers");
    await governor.connect(proposer).castVote(proposalId, Vote.Against);
    const [against, forVotes] = await governor.proposalVotes(proposalId);
    expect([against, forVotes]).to.deep.equal([TRVL("30000"), TRVL("20000")]);
    await expect(governor.connect(staker).castVote(proposalId, Vote.For)).to.be.revertedWithCustomError(
      governor,
      "GovernorAlreadyCastVote",
    );

    // 30,000 against outweighs 20,000 for: defeated. Run it again with the proposer abstaining.
    await time.increase(LOCAL_GOVERNANCE.votingPeriod + 1);
    expect(await governor.state(proposalId)).to.equal(State.Defeated);

    const again = { ...p, description: `${p.description} (again)`, descriptionHash: id(`${p.description} (again)`) };
    await governor.connect(proposer).propose(again.targets, again.values, again.calldatas, again.description);
    const againId = await governor.hashProposal(again.targets, again.values, again.calldatas, again.descriptionHash);
    await time.increase(LOCAL_GOVERNANCE.votingDelay + 1);
    await governor.connect(staker).castVote(againId, Vote.For);
    await governor.connect(proposer).castVote(againId, Vote.Abstain);
    await time.increase(LOCAL_GOVERNANCE.votingPeriod + 1);
    expect(await governor.state(againId)).to.equal(State.Succeeded);

    await governor.queue(again.targets, again.values, again.calldatas, again.descriptionHash);
    expect(await governor.state(againId)).to.equal(State.Queued);
    await expect(
      governor.execute(again.targets, again.values, again.calldatas, again.descriptionHash),
    ).to.be.revertedWithCustomError(system.timelock, "TimelockUnexpectedOperationState");
    await time.increase(LOCAL_GOVERNANCE.timelockDelay + 1);
    await governor.execute(again.targets, again.values, again.calldatas, again.descriptionHash);
    expect(await governor.state(againId)).to.equal(State.Executed);
    expect(await distributor.split()).to.deep.equal([6_000n, 1_500n, 500n, 2_000n]);

    // A booking rewarded now follows the new split: carol → bob → alice.
    const carol = travellers[4];
    await referrals.connect(bob).register(alice.address);
    await referrals.connect(carol).register(bob.address);
    // Both referrers have travelled, so both are active and earn.
    await system.settledBooking(alice);
    await system.settledBooking(bob);
    const q = await system.settledBooking(carol);
    await distributor.distribute([q.bookingId]);
    expect(await token.balanceOf(carol.address)).to.equal(TRVL("600"));
    expect(await token.balanceOf(bob.address)).to.equal(TRVL("150"));
    expect(await token.balanceOf(alice.address)).to.equal(TRVL("50"));
  });

  it("needs a quorum of 4% of the TRVL supply", async () => {
    const system = await fresh();
    const { governor, token, travellers, giveTrvl, connection } = system;
    const { time, mine } = connection.networkHelpers;
    const [proposer] = travellers;
    await giveTrvl(proposer, TRVL("1000"));
    await token.connect(proposer).delegate(proposer.address);
    await mine();
    const p = await splitProposal(system);
    await governor.connect(proposer).propose(p.targets, p.values, p.calldatas, p.description);
    const proposalId = await governor.hashProposal(p.targets, p.values, p.calldatas, p.descriptionHash);
    await time.increase(LOCAL_GOVERNANCE.votingDelay + 1);
    const snapshot = await governor.proposalSnapshot(proposalId);
    expect(await governor.quorum(snapshot)).to.equal(((await token.getPastTotalSupply(snapshot)) * 4n) / 100n);
    await governor.connect(proposer).castVote(proposalId, Vote.For); // 1,000 of 1,000,000: 0.1%
    await time.increase(LOCAL_GOVERNANCE.votingPeriod + 1);
    expect(await governor.state(proposalId)).to.equal(State.Defeated);
  });

  it("needs at least the quorum floor, and a floor set by governance applies only to later proposals", async () => {
    const system = await fresh();
    const { governor, token, travellers, giveTrvl, connection } = system;
    const { time, mine } = connection.networkHelpers;
    const [proposer] = travellers;
    expect(await governor["quorumFloor()"]()).to.equal(LOCAL_GOVERNANCE.quorumFloor);
    await expect(governor.setQuorumFloor(TRVL("1"))).to.be.revertedWithCustomError(governor, "GovernorOnlyExecutor");

    // 45,000 TRVL: over 4% of the supply (about 1,000,000) and the local floor (10,000).
    await giveTrvl(proposer, TRVL("45000"));
    await token.connect(proposer).delegate(proposer.address);
    await mine();
    const raise = {
      targets: [governor.target as string],
      values: [0n],
      calldatas: [governor.interface.encodeFunctionData("setQuorumFloor", [TRVL("50000")])],
      description: "Quorum floor to 50,000 TRVL",
    };
    const running = await splitProposal(system);
    const propose = async (p: typeof raise) => {
      await governor.connect(proposer).propose(p.targets, p.values, p.calldatas, p.description);
      return governor.hashProposal(p.targets, p.values, p.calldatas, id(p.description));
    };
    const raiseId = await propose(raise);
    const runningId = await propose(running);
    await time.increase(LOCAL_GOVERNANCE.votingDelay + 1);
    const supplyQuorum = ((await token.getPastTotalSupply(await governor.proposalSnapshot(runningId))) * 4n) / 100n;
    expect(await governor.quorum(await governor.proposalSnapshot(runningId))).to.equal(supplyQuorum);
    await governor.connect(proposer).castVote(raiseId, Vote.For);
    await governor.connect(proposer).castVote(runningId, Vote.For);
    await time.increase(LOCAL_GOVERNANCE.votingPeriod + 1);
    await governor.queue(raise.targets, raise.values, raise.calldatas, id(raise.description));
    await time.increase(LOCAL_GOVERNANCE.timelockDelay + 1);
    await expect(governor.execute(raise.targets, raise.values, raise.calldatas, id(raise.description)))
      .to.emit(governor, "QuorumFloorSet")
      .withArgs(LOCAL_GOVERNANCE.quorumFloor, TRVL("50000"));

    // The proposal voted under the old floor keeps its quorum; a new one needs the new floor.
    expect(await governor.quorum(await governor.proposalSnapshot(runningId))).to.equal(supplyQuorum);
    expect(await governor.state(runningId)).to.equal(State.Succeeded);
    const later = { ...running, description: "Again, under the new floor" };
    const laterId = await propose(later);
    await time.increase(LOCAL_GOVERNANCE.votingDelay + 1);
    expect(await governor.quorum(await governor.proposalSnapshot(laterId))).to.equal(TRVL("50000"));
    await governor.connect(proposer).castVote(laterId, Vote.For);
    await time.increase(LOCAL_GOVERNANCE.votingPeriod + 1);
    expect(await governor.state(laterId)).to.equal(State.Defeated); // 45,000 < 50,000
  });

  it("keeps a reward farmer from capturing governance at launch: alone, they pass nothing", async () => {
    const system = await fresh();
    const { governor, token, staking, timelock, distributor, feeds, travellers, deployer, connection } = system;
    const { time, mine } = connection.networkHelpers;
    const farmer = travellers[5];
    // TRVL cheap at launch ($0.001): each $100 commission earns the traveller 70,000 TRVL. Two bookings give the
    // farmer 140,000 TRVL: all the TRVL that votes, over the launch proposal threshold and far above 4% of supply.
    await feeds.trvl.updateAnswer(100_000n);
    for (let i = 0; i < 2; i++) {
      const { bookingId } = await system.settledBooking(farmer);
      await distributor.distribute([bookingId]);
    }
    expect(await token.balanceOf(farmer.address)).to.equal(TRVL("140000"));
    await token.connect(farmer).delegate(farmer.address);
    await mine();

    // The proposal: make the farmer the distributor's treasury.
    const calldata = distributor.interface.encodeFunctionData("setTreasury", [farmer.address]);
    const steal = (governorName: string) => ({
      targets: [distributor.target as string],
      values: [0n],
      calldatas: [calldata],
      description: `Treasury to the farmer (${governorName})`,
    });
    const voteAlone = async (g: typeof governor, p: ReturnType<typeof steal>) => {
      await g.connect(farmer).propose(p.targets, p.values, p.calldatas, p.description);
      const proposalId = await g.hashProposal(p.targets, p.values, p.calldatas, id(p.description));
      await time.increase(LOCAL_GOVERNANCE.votingDelay + 1);
      await g.connect(farmer).castVote(proposalId, Vote.For);
      await time.increase(LOCAL_GOVERNANCE.votingPeriod + 1);
      return { state: await g.state(proposalId), quorum: await g.quorum(await g.proposalSnapshot(proposalId)) };
    };

    // With only the 4% fraction (the local chain's settings), the farmer's votes alone would carry it.
    const local = await voteAlone(governor, steal("local"));
    expect(local.quorum).to.be.lessThan(TRVL("140000"));
    expect(local.state).to.equal(State.Succeeded);

    // With the launch settings, the quorum floor stands far above anything rewards alone have minted.
    const launch = await new TRVLGovernor__factory(deployer).deploy(
      token,
      staking,
      timelock,
      LOCAL_GOVERNANCE.votingDelay,
      LOCAL_GOVERNANCE.votingPeriod,
      LAUNCH_DEFAULTS.proposalThreshold,
      LAUNCH_DEFAULTS.quorumFloor,
    );
    const atLaunch = await voteAlone(launch, steal("launch"));
    expect(atLaunch.quorum).to.equal(LAUNCH_DEFAULTS.quorumFloor);
    expect(atLaunch.state).to.equal(State.Defeated);
    // And with rewards of one booking (70,000 TRVL) the farmer could not even propose.
    const small = travellers[6];
    await token.connect(farmer).transfer(small.address, TRVL("70000"));
    await token.connect(small).delegate(small.address);
    await mine();
    const p = steal("small");
    await expect(launch.connect(small).propose(p.targets, p.values, p.calldatas, p.description))
      .to.be.revertedWithCustomError(launch, "GovernorInsufficientProposerVotes")
      .withArgs(small.address, TRVL("70000"), LAUNCH_DEFAULTS.proposalThreshold);
  });

  it("vests the team's allocation through OpenZeppelin's vesting wallet, nothing before the cliff", async () => {
    const { deployer, token, guardian, travellers, connection } = await fresh();
    const { time } = connection.networkHelpers;
    const beneficiary = travellers[0];
    const year = 365 * 24 * 3600;
    const start = (await time.latest()) + 100;
    const vesting = await new TeamVesting__factory(deployer).deploy(beneficiary.address, start, 4 * year, year);
    await token.connect(guardian).transfer(vesting, TRVL("4000"));
    const releasable = () => vesting["releasable(address)"](token);

    await time.increaseTo(start + year - 1);
    expect(await releasable()).to.equal(0n);
    await time.increaseTo(start + year);
    expect(await releasable()).to.equal(TRVL("1000"));
    await time.setNextBlockTimestamp(start + 2 * year);
    await vesting["release(address)"](token);
    expect(await token.balanceOf(beneficiary.address)).to.equal(TRVL("2000"));
    await time.increaseTo(start + 4 * year);
    await vesting["release(address)"](token);
    expect(await token.balanceOf(beneficiary.address)).to.equal(TRVL("4000"));
    expect(await vesting.owner()).to.equal(beneficiary.address);
  });

  it("refuses a staking contract on another clock than the token's", async () => {
    const { deployer, token, timelock } = await fresh();
    const blockClock = await new MockBlockClockVotes__factory(deployer).deploy();
    const factory = new TRVLGovernor__factory(deployer);
    await expect(
      factory.deploy(await token.getAddress(), await blockClock.getAddress(), await timelock.getAddress(), 1, 60, 0, 0),
    ).to.be.revertedWithCustomError(factory, "GovernorClockMismatch");
  });

  it("lets a proposer withdraw a proposal before its vote starts", async () => {
    const system = await fresh();
    const { governor, token, travellers, giveTrvl, connection } = system;
    const [proposer, other] = travellers;
    await giveTrvl(proposer, TRVL("10"));
    await token.connect(proposer).delegate(proposer.address);
    await connection.networkHelpers.mine();
    const p = await splitProposal(system);
    await governor.connect(proposer).propose(p.targets, p.values, p.calldatas, p.description);
    const proposalId = await governor.hashProposal(p.targets, p.values, p.calldatas, p.descriptionHash);
    await expect(
      governor.connect(other).cancel(p.targets, p.values, p.calldatas, p.descriptionHash),
    ).to.be.revertedWithCustomError(governor, "GovernorUnableToCancel");
    await governor.connect(proposer).cancel(p.targets, p.values, p.calldatas, p.descriptionHash);
    expect(await governor.state(proposalId)).to.equal(State.Canceled);
  });

  it("lets only holders above the threshold propose", async () => {
    const system = await fresh();
    const p = await splitProposal(system);
    const [nobody] = system.travellers;
    await expect(system.governor.connect(nobody).propose(p.targets, p.values, p.calldatas, p.description))
      .to.be.revertedWithCustomError(system.governor, "GovernorInsufficientProposerVotes")
      .withArgs(nobody.address, 0n, LOCAL_GOVERNANCE.proposalThreshold);
  });

  it("lets the guardian cancel a queued operation, and nothing beyond its powers", async () => {
    const system = await fresh();
    const { timelock, guardian, guardianCanceller, distributor, escrow, token, admin } = system;
    const target = await distributor.getAddress();
    const data = distributor.interface.encodeFunctionData("setTreasury", [await guardian.getAddress()]);
    const salt = id("cancel me");
    // The governor queues through the timelock; here the timelock's own admin path stands in for it.
    await timelock.connect(admin).grantRole(ROLES.TIMELOCK_PROPOSER, await admin.getAddress());
    await timelock.connect(admin).schedule(target, 0, data, id(""), salt, LOCAL_GOVERNANCE.timelockDelay);
    const operation = await timelock.hashOperation(target, 0, data, id(""), salt);
    expect(await timelock.isOperationPending(operation)).to.equal(true);
    // Through its canceller only: the deployment gives the guardian no cancel role of its own.
    await expect(timelock.connect(guardian).cancel(operation)).to.be.revertedWithCustomError(
      timelock,
      "AccessControlUnauthorizedAccount",
    );
    await expect(guardianCanceller.connect(guardian).cancel(target, 0, data, id(""), salt))
      .to.emit(timelock, "Cancelled")
      .withArgs(operation);
    expect(await timelock.isOperation(operation)).to.equal(false);

    const guardianAddress = await guardian.getAddress();
    await expect(distributor.connect(guardian).setSplit({ traveller: 10_000, level1: 0, level2: 0, treasury: 0 }))
      .to.be.revertedWithCustomError(distributor, "AccessControlUnauthorizedAccount")
      .withArgs(guardianAddress, ROLES.DEFAULT_ADMIN);
    await expect(token.connect(guardian).mint(guardianAddress, 1n)).to.be.revertedWithCustomError(
      token,
      "AccessControlUnauthorizedAccount",
    );
    await expect(
      timelock.connect(guardian).schedule(target, 0, data, id(""), salt, LOCAL_GOVERNANCE.timelockDelay),
    ).to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount");
    // It may rotate the hot keys: it holds the operator role.
    await escrow.connect(guardian).grantRole(ROLES.SETTLER, guardianAddress);
    await escrow.connect(guardian).revokeRole(ROLES.SETTLER, guardianAddress);
    await expect(escrow.connect(guardian).grantRole(ROLES.REWARDER, guardianAddress)).to.be.revertedWithCustomError(
      escrow,
      "AccessControlUnauthorizedAccount",
    );
  });
});
