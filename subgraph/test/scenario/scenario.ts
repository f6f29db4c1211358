/**
 * One scripted run of the whole protocol on a local chain: referrals on two levels, bookings through
 * pay/settle/distribute (and a refund, a skipped settlement, a skipped reward), stakes crossing tiers with a
 * cooldown, a cancelled and a completed unstake, an instant unstake and a yield claim, and two proposals with votes
 * (one executed, one vetoed by the guardian in the timelock). It returns what it did, so tests can check the
 * subgraph's totals against the contracts' state.
 */
import { ZeroHash, id, parseEther } from "ethers";

import { LOCAL_GOVERNANCE } from "../../../ignition/modules/TRVLLocal.js";
import { NATIVE, type System } from "../../../test/helpers/system.js";

const TRVL = (n: string) => parseEther(n);
const Vote = { Against: 0, For: 1, Abstain: 2 } as const;

export interface ScenarioRun {
  /** Every booking id the scenario paid for. */
  bookingIds: string[];
  /** Accounts by role in the story. */
  accounts: {
    root: string;
    referrer: string;
    traveller: string;
    ethTraveller: string;
    loneTraveller: string;
    whale: string;
    proposer: string;
  };
  /** TRVL handed to each account from the guardian's genesis budget. */
  given: Record<string, bigint>;
  /** Instant-unstake fees paid, by account. */
  fees: Record<string, bigint>;
  referralCount: number;
  proposalIds: { executed: bigint; vetoed: bigint };
  /** The timelock operation the guardian cancelled. */
  vetoedOperation: string;
}

export async function runScenario(system: System): Promise<ScenarioRun> {
  const {
    escrow,
    distributor,
    referrals,
    staking,
    token,
    governor,
    timelock,
    keeper,
    guardian,
    guardianCanceller,
    connection,
  } = system;
  const { time, mine } = connection.networkHelpers;
  const [root, referrer, traveller, ethTraveller, loneTraveller, whale, proposer] = system.travellers;
  const given: Record<string, bigint> = {};
  const fees: Record<string, bigint> = {};
  const give = async (account: typeof root, amount: bigint) => {
    await system.giveTrvl(account, amount);
    given[account.address] = (given[account.address] ?? 0n) + amount;
  };

  // Referrals: root ← referrer ← traveller, and root ← referrer ← ethTraveller (level 2 is root for both).
  await referrals.connect(referrer).register(root.address);
  await referrals.connect(traveller).register(referrer.address);
  await referrals.connect(ethTraveller).register(referrer.address);

  // Staking: the traveller climbs to Voyager, then Globetrotter, steps back down with a cooldown request, and pays
  // the instant-unstake fee once; a whale reaches Jetsetter, cancels one request and completes another.
  const stakingAddress = await staking.getAddress();
  await give(traveller, TRVL("12000"));
  await token.connect(traveller).approve(stakingAddress, TRVL("12000"));
  await staking.connect(traveller).stake(TRVL("1000"));
  await staking.connect(traveller).stake(TRVL("9000"));
  await staking.connect(traveller).requestUnstake(TRVL("500"));
  await staking.connect(traveller).instantUnstake(TRVL("100"));
  fees[traveller.address] = (TRVL("100") * 200n) / 10_000n;

  await give(whale, TRVL("60000"));
  await token.connect(whale).approve(stakingAddress, TRVL("60000"));
  await staking.connect(whale).stake(TRVL("60000"));
  await staking.connect(whale).requestUnstake(TRVL("10000"));
  await staking.connect(whale).cancelUnstake();

  // The guardian funds a week of staking yield; the traveller claims some of it.
  await token.connect(guardian).approve(stakingAddress, TRVL("7000"));
  await staking.connect(guardian).notifyRewardAmount(TRVL("7000"), 7n * 24n * 3600n);
  await time.increase(3600);
  await staking.connect(traveller).claim();

  // Bookings: stablecoin and ETH, rewarded with two referrer levels; one without referrer; one refunded; one
  // settled but not yet rewarded; one still paid. A stale settle and a reward of a refunded booking are skipped.
  const stablecoinBooking = await system.settledBooking(traveller);
  const ethBooking = await system.settledBooking(ethTraveller, { token: NATIVE, amount: TRVL("0.5") });
  const loneBooking = await system.settledBooking(loneTraveller, { amount: 250_000_000n, commissionBps: 1_200 });
  const refunded = await system.quote(root);
  await system.pay(refunded, root);
  await escrow.connect(keeper).refund(refunded.bookingId);
  const unrewarded = await system.settledBooking(referrer);
  const stillPaid = await system.quote(loneTraveller, { amount: 40_000_000n });
  await system.pay(stillPaid, loneTraveller);
  await escrow.connect(keeper).settle([stablecoinBooking.bookingId]); // already settled: SettlementSkipped
  await distributor.distribute([
    stablecoinBooking.bookingId,
    ethBooking.bookingId,
    loneBooking.bookingId,
    refunded.bookingId, // RewardSkipped: refunded
  ]);

  // The whale's last unstake goes through the whole cooldown.
  await staking.connect(whale).requestUnstake(TRVL("60000"));
  await time.increase(7 * 24 * 3600 + 1);
  await staking.connect(whale).withdraw();

  // Governance: the proposer and the traveller (with staked votes) vote on a new split; it passes and is executed.
  await give(proposer, TRVL("50000"));
  await token.connect(proposer).delegate(proposer.address);
  await token.connect(traveller).delegate(traveller.address);
  await staking.syncDelegate(traveller.address);
  await mine();
  const target = await distributor.getAddress();
  const proposal = (description: string, split: [number, number, number, number]) => {
    const [travellerShare, level1, level2, treasury] = split;
    const calldata = distributor.interface.encodeFunctionData("setSplit", [
      { traveller: travellerShare, level1, level2, treasury },
    ]);
    return { targets: [target], values: [0n], calldatas: [calldata], description, descriptionHash: id(description) };
  };
  const executed = proposal("Reward referrers more: 60 / 15 / 5 / 20", [6_000, 1_500, 500, 2_000]);
  const vetoed = proposal("Everything to travellers: 100 / 0 / 0 / 0", [10_000, 0, 0, 0]);
  const ids = { executed: 0n, vetoed: 0n };
  for (const [key, p] of [
    ["executed", executed],
    ["vetoed", vetoed],
  ] as const) {
    await governor.connect(proposer).propose(p.targets, p.values, p.calldatas, p.description);
    ids[key] = await governor.hashProposal(p.targets, p.values, p.calldatas, p.descriptionHash);
  }
  await time.increase(LOCAL_GOVERNANCE.votingDelay + 1);
  await governor.connect(proposer).castVoteWithReason(ids.executed, Vote.For, "referrers bring travellers");
  await governor.connect(traveller).castVote(ids.executed, Vote.Against);
  await governor.connect(proposer).castVote(ids.vetoed, Vote.For);
  await governor.connect(traveller).castVoteWithReason(ids.vetoed, Vote.Abstain, "no opinion");
  await time.increase(LOCAL_GOVERNANCE.votingPeriod + 1);
  for (const p of [executed, vetoed]) await governor.queue(p.targets, p.values, p.calldatas, p.descriptionHash);
  const salt = (BigInt((await governor.getAddress()).toLowerCase()) << 96n) ^ BigInt(vetoed.descriptionHash);
  const saltBytes = `0x${salt.toString(16).padStart(64, "0")}`;
  const vetoedOperation = await timelock.hashOperationBatch(
    vetoed.targets,
    vetoed.values,
    vetoed.calldatas,
    ZeroHash,
    saltBytes,
  );
  // The guardian vetoes through the canceller, which holds the timelock's cancel role.
  await guardianCanceller
    .connect(guardian)
    .cancelBatch(vetoed.targets, vetoed.values, vetoed.calldatas, ZeroHash, saltBytes);
  await time.increase(LOCAL_GOVERNANCE.timelockDelay + 1);
  await governor.execute(executed.targets, executed.values, executed.calldatas, executed.descriptionHash);

  return {
    bookingIds: [stablecoinBooking, ethBooking, loneBooking, refunded, unrewarded, stillPaid].map((q) => q.bookingId),
    accounts: {
      root: root.address,
      referrer: referrer.address,
      traveller: traveller.address,
      ethTraveller: ethTraveller.address,
      loneTraveller: loneTraveller.address,
      whale: whale.address,
      proposer: proposer.address,
    },
    given,
    fees,
    referralCount: 3,
    proposalIds: ids,
    vetoedOperation,
  };
}
