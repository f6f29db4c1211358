import { permitDomain, permitTypes } from "@trvl/abi";
import { expect } from "chai";
import { Signature, ZeroAddress, parseEther } from "ethers";

import { DEFAULT_TIERS, ROLES } from "../ignition/modules/protocol.js";
import { ethersTypes } from "../scripts/lib/ethers-types.js";
import { TRVLStaking__factory } from "../types/ethers-contracts/index.js";
import { useSystem } from "./helpers/fixture.js";
import { DAY, type System } from "./helpers/system.js";

const { fresh } = await useSystem();

const TRVL = (n: string) => parseEther(n);
const Tier = { Explorer: 0n, Voyager: 1n, Globetrotter: 2n, Jetsetter: 3n };
const HOLDING_PERIOD = 7n * DAY;

/** Lets `seconds` pass on the chain (a new block at the end). */
async function wait(system: System, seconds: bigint) {
  await system.connection.networkHelpers.time.increase(seconds);
}

/** Funds the reward pool with `amount` TRVL streamed over `duration` seconds, as the guardian does; `at` pins the
 * funding transaction's timestamp. */
async function fundRewards(system: System, amount: bigint, duration: bigint, at?: bigint) {
  const { staking, token, guardian, connection } = system;
  await token.connect(guardian).approve(await staking.getAddress(), amount);
  if (at !== undefined) await connection.networkHelpers.time.setNextBlockTimestamp(at);
  return staking.connect(guardian).notifyRewardAmount(amount, duration);
}

describe("TRVLStaking", () => {
  describe("tiers", () => {
    it("places stakers in Explorer, Voyager, Globetrotter and Jetsetter with their boosts and discounts", async () => {
      const system = await fresh();
      const { staking, travellers, stakeFor } = system;
      expect((await staking.tiers()).map((t) => [t.minStake, t.boostBps, t.discountBps])).to.deep.equal(
        DEFAULT_TIERS.map((t) => [t.minStake, BigInt(t.boostBps), BigInt(t.discountBps)]),
      );
      const cases: [string, bigint, bigint, bigint][] = [
        ["0", Tier.Explorer, 0n, 0n],
        ["999.999", Tier.Explorer, 0n, 0n],
        ["1000", Tier.Voyager, 1_000n, 200n],
        ["9999", Tier.Voyager, 1_000n, 200n],
        ["10000", Tier.Globetrotter, 2_500n, 300n],
        ["50000", Tier.Jetsetter, 5_000n, 500n],
        ["250000", Tier.Jetsetter, 5_000n, 500n],
      ];
      const accounts = [];
      for (const [amount, tier] of cases) {
        const account = await system.newAccount();
        accounts.push(account);
        if (amount !== "0") await stakeFor(account, TRVL(amount));
        expect(await staking.tierOf(account.address), amount).to.equal(tier);
        // Not held for the holding period yet: no boost, no discount.
        expect(await staking.heldTierOf(account.address), amount).to.equal(Tier.Explorer);
        expect(await staking.boostBpsOf(account.address)).to.equal(0n);
        expect(await staking.discountBpsOf(account.address)).to.equal(0n);
      }
      await wait(system, HOLDING_PERIOD);
      for (const [i, [amount, tier, boost, discount]] of cases.entries()) {
        expect(await staking.heldTierOf(accounts[i].address), amount).to.equal(tier);
        expect(await staking.boostBpsOf(accounts[i].address), amount).to.equal(boost);
        expect(await staking.discountBpsOf(accounts[i].address), amount).to.equal(discount);
      }
      const now = BigInt(await system.connection.networkHelpers.time.latest());
      const many = await staking.boostBpsAtMany(
        [accounts[2].address, accounts[5].address, travellers[0].address],
        [now, now, now],
      );
      expect(many).to.deep.equal([1_000n, 5_000n, 0n]);
      await expect(staking.boostBpsAtMany([accounts[2].address], []))
        .to.be.revertedWithCustomError(staking, "StakingLengthMismatch")
        .withArgs(1, 0);
      await expect(staking.heldStakeAtMany([], [now]))
        .to.be.revertedWithCustomError(staking, "StakingLengthMismatch")
        .withArgs(0, 1);
      expect(await staking.heldStakeAtMany([accounts[2].address, accounts[5].address], [now, now])).to.deep.equal([
        TRVL("1000"),
        TRVL("50000"),
      ]);
    });

    it("lets governance replace the tiers, only with sound ones", async () => {
      const { staking, admin, travellers } = await fresh();
      const valid = [
        { minStake: 0n, boostBps: 0, discountBps: 0 },
        { minStake: TRVL("500"), boostBps: 2_000, discountBps: 400 },
      ];
      const invalid: [string, typeof valid][] = [
        ["count", []],
        ["first tier must start at 0", [{ minStake: 1n, boostBps: 0, discountBps: 0 }]],
        ["thresholds must ascend", [valid[0], { ...valid[1], minStake: 0n }]],
        ["benefits must not decrease", [{ ...valid[0], boostBps: 3_000 }, valid[1]]],
        ["boost too high", [valid[0], { ...valid[1], boostBps: 10_001 }]],
        ["discount too high", [valid[0], { ...valid[1], discountBps: 2_001 }]],
        ["count", Array.from({ length: 9 }, (_, i) => ({ minStake: BigInt(i), boostBps: 0, discountBps: 0 }))],
      ];
      for (const [reason, tiers] of invalid) {
        await expect(staking.connect(admin).setTiers(tiers))
          .to.be.revertedWithCustomError(staking, "StakingInvalidTiers")
          .withArgs(reason);
      }
      await expect(staking.connect(travellers[0]).setTiers(valid))
        .to.be.revertedWithCustomError(staking, "AccessControlUnauthorizedAccount")
        .withArgs(travellers[0].address, ROLES.DEFAULT_ADMIN);
      await expect(staking.connect(admin).setTiers(valid)).to.emit(staking, "TiersSet");
      expect(await staking.tiers()).to.have.length(2);
    });
  });

  describe("staking and unstaking", () => {
    it("stakes with an approval or a permit, and reports tier changes", async () => {
      const system = await fresh();
      const { staking, token, travellers, giveTrvl, chainId } = system;
      const [alice, bob] = travellers;
      await giveTrvl(alice, TRVL("1500"));
      await expect(staking.connect(alice).stake(TRVL("100"))).to.be.revertedWithCustomError(
        token,
        "ERC20InsufficientAllowance",
      );
      await token.connect(alice).approve(await staking.getAddress(), TRVL("1500"));
      await expect(staking.connect(alice).stake(TRVL("500")))
        .to.emit(staking, "Staked")
        .withArgs(alice.address, TRVL("500"));
      await expect(staking.connect(alice).stake(TRVL("500")))
        .to.emit(staking, "TierChanged")
        .withArgs(alice.address, Tier.Explorer, Tier.Voyager);
      expect(await staking.stakedOf(alice.address)).to.equal(TRVL("1000"));
      expect(await staking.totalStaked()).to.equal(TRVL("1000"));
      await expect(staking.connect(alice).stake(0)).to.be.revertedWithCustomError(staking, "StakingZeroAmount");

      await giveTrvl(bob, TRVL("10000"));
      const deadline = BigInt((await system.ethers.provider.getBlock("latest"))!.timestamp) + 600n;
      const sig = Signature.from(
        await bob.signTypedData(
          permitDomain("Travel Token", chainId, (await token.getAddress()) as `0x${string}`),
          ethersTypes(permitTypes),
          {
            owner: bob.address,
            spender: await staking.getAddress(),
            value: TRVL("10000"),
            nonce: 0n,
            deadline,
          },
        ),
      );
      await expect(staking.connect(bob).stakeWithPermit(TRVL("10000"), deadline, sig.v, sig.r, sig.s))
        .to.emit(staking, "TierChanged")
        .withArgs(bob.address, Tier.Explorer, Tier.Globetrotter);
      expect(await token.balanceOf(await staking.getAddress())).to.equal(TRVL("11000"));
    });

    it("unstakes after a 7-day cooldown, during which the amount stops counting", async () => {
      const { staking, token, travellers, stakeFor, connection } = await fresh();
      const [alice] = travellers;
      await stakeFor(alice, TRVL("1200"));
      await expect(staking.connect(alice).requestUnstake(TRVL("1300")))
        .to.be.revertedWithCustomError(staking, "StakingInsufficientStake")
        .withArgs(TRVL("1300"), TRVL("1200"));
      const tx = await staking.connect(alice).requestUnstake(TRVL("300"));
      const unlockAt = BigInt((await tx.getBlock())!.timestamp) + 7n * DAY;
      await expect(tx).to.emit(staking, "UnstakeRequested").withArgs(alice.address, TRVL("300"), TRVL("300"), unlockAt);
      await expect(tx).to.emit(staking, "TierChanged").withArgs(alice.address, Tier.Voyager, Tier.Explorer);
      expect(await staking.stakedOf(alice.address)).to.equal(TRVL("900"));
      expect(await staking.pendingUnstakeOf(alice.address)).to.deep.equal([TRVL("300"), unlockAt]);

      await expect(staking.connect(alice).withdraw())
        .to.be.revertedWithCustomError(staking, "StakingCooldownActive")
        .withArgs(unlockAt);
      await connection.networkHelpers.time.increaseTo(unlockAt - 2n);
      await expect(staking.connect(alice).withdraw()).to.be.revertedWithCustomError(staking, "StakingCooldownActive");
      await connection.networkHelpers.time.increaseTo(unlockAt);
      await expect(staking.connect(alice).withdraw()).to.changeTokenBalances(
        connection.ethers,
        token,
        [alice, staking],
        [TRVL("300"), -TRVL("300")],
      );
      await expect(staking.connect(alice).withdraw()).to.be.revertedWithCustomError(staking, "StakingNothingPending");
    });

    it("restarts the cooldown on a new request, and cancels back into the stake", async () => {
      const { staking, travellers, stakeFor, connection } = await fresh();
      const [alice] = travellers;
      await stakeFor(alice, TRVL("1000"));
      await staking.connect(alice).requestUnstake(TRVL("100"));
      await connection.networkHelpers.time.increase(5n * DAY);
      const second = await staking.connect(alice).requestUnstake(TRVL("100"));
      const unlockAt = BigInt((await second.getBlock())!.timestamp) + 7n * DAY;
      expect(await staking.pendingUnstakeOf(alice.address)).to.deep.equal([TRVL("200"), unlockAt]);
      await expect(staking.connect(alice).cancelUnstake())
        .to.emit(staking, "UnstakeCancelled")
        .withArgs(alice.address, TRVL("200"))
        .and.to.emit(staking, "TierChanged")
        .withArgs(alice.address, Tier.Explorer, Tier.Voyager);
      expect(await staking.stakedOf(alice.address)).to.equal(TRVL("1000"));
      expect(await staking.totalPendingUnstake()).to.equal(0n);
      await expect(staking.connect(alice).cancelUnstake()).to.be.revertedWithCustomError(
        staking,
        "StakingNothingPending",
      );
    });

    it("unstakes at once for a 2% fee to the treasury", async () => {
      const { staking, token, travellers, stakeFor, treasury, connection } = await fresh();
      const [alice] = travellers;
      await stakeFor(alice, TRVL("1000"));
      const tx = staking.connect(alice).instantUnstake(TRVL("500"));
      await expect(tx).to.emit(staking, "InstantUnstaked").withArgs(alice.address, TRVL("500"), TRVL("10"));
      await expect(tx).to.changeTokenBalances(
        connection.ethers,
        token,
        [alice, treasury, staking],
        [TRVL("490"), TRVL("10"), -TRVL("500")],
      );
      await expect(staking.connect(alice).instantUnstake(0)).to.be.revertedWithCustomError(
        staking,
        "StakingZeroAmount",
      );
    });

    it("pauses staking, claims and funding, never unstaking", async () => {
      const system = await fresh();
      const { staking, travellers, stakeFor, guardian, token, connection } = system;
      const [alice] = travellers;
      await stakeFor(alice, TRVL("1000"));
      await expect(staking.connect(alice).pause()).to.be.revertedWithCustomError(
        staking,
        "AccessControlUnauthorizedAccount",
      );
      await staking.connect(guardian).pause();
      await token.connect(alice).approve(await staking.getAddress(), TRVL("1"));
      await expect(staking.connect(alice).stake(1n)).to.be.revertedWithCustomError(staking, "EnforcedPause");
      await expect(staking.connect(alice).claim()).to.be.revertedWithCustomError(staking, "EnforcedPause");
      await expect(fundRewards(system, TRVL("1"), DAY)).to.be.revertedWithCustomError(staking, "EnforcedPause");
      await staking.connect(alice).requestUnstake(TRVL("100"));
      await staking.connect(alice).instantUnstake(TRVL("100"));
      await connection.networkHelpers.time.increase(7n * DAY);
      await staking.connect(alice).withdraw();
      // The guardian's pause ran out after 3 days: staking works again without anyone unpausing.
      expect(await staking.paused()).to.equal(false);
      await staking.connect(alice).stake(1n);
    });
  });

  describe("yield", () => {
    it("streams funded rewards pro rata to stake, second by second", async () => {
      const system = await fresh();
      const { staking, token, travellers, stakeFor, connection } = system;
      const { time } = connection.networkHelpers;
      const [alice, bob] = travellers;
      await stakeFor(alice, TRVL("1000"));
      await stakeFor(bob, TRVL("3000"));
      const start = BigInt(await time.latest()) + 10n;
      await fundRewards(system, TRVL("7000"), 7n * DAY, start); // 1,000 TRVL a day
      await time.increaseTo(start + DAY);
      // A quarter and three quarters of the day's 1,000 TRVL; the accumulator rounds down by a few thousand wei at most.
      expect(await staking.earned(alice.address)).to.be.closeTo(TRVL("250"), 10n ** 6n);
      expect(await staking.earned(bob.address)).to.be.closeTo(TRVL("750"), 10n ** 6n);

      await time.setNextBlockTimestamp(start + DAY + 1n);
      const claimed = await staking.connect(alice).claim.staticCall();
      await expect(staking.connect(alice).claim()).to.emit(staking, "RewardClaimed");
      expect(await token.balanceOf(alice.address)).to.be.closeTo(TRVL("250") + TRVL("250") / 86_400n, 10n ** 6n);
      expect(await staking.earned(alice.address)).to.equal(0n);
      expect(await staking.rewardsPaid()).to.be.greaterThanOrEqual(claimed);
      expect(await staking.connect(alice).claim.staticCall()).to.equal(0n);

      // Long after the stream ended, everything funded is either paid or claimable, and never more.
      await time.increase(30n * DAY);
      const owed = (await staking.earned(alice.address)) + (await staking.earned(bob.address));
      expect(owed + (await staking.rewardsPaid())).to.be.lessThanOrEqual(await staking.rewardsFunded());
      expect(owed + (await staking.rewardsPaid())).to.be.closeTo(TRVL("7000"), 10n ** 6n);
    });

    it("adds new funding to what is left of the current stream", async () => {
      const system = await fresh();
      const { staking, travellers, stakeFor, connection } = system;
      const { time } = connection.networkHelpers;
      await stakeFor(travellers[0], TRVL("100"));
      const start = BigInt(await time.latest()) + 10n;
      await fundRewards(system, TRVL("1000"), 10n * DAY, start);
      const tx = await fundRewards(system, TRVL("500"), 10n * DAY, start + 5n * DAY);
      // 500 left of the first stream plus 500 new, over 10 days.
      const rate = (TRVL("1000") * 10n ** 18n) / (10n * DAY);
      await expect(tx).to.emit(staking, "RewardFunded");
      expect(await staking.rewardRate()).to.be.closeTo(rate, 10n ** 18n);
      expect(await staking.periodFinish()).to.equal(start + 15n * DAY);
      expect(await staking.rewardsFunded()).to.equal(TRVL("1500"));
    });

    it("strands no yield: what streams while nothing is staked is streamed again by the next funding", async () => {
      const system = await fresh();
      const { staking, travellers, stakeFor, connection } = system;
      const { time } = connection.networkHelpers;
      const [alice] = travellers;
      const start = BigInt(await time.latest()) + 10n;
      await fundRewards(system, TRVL("1000"), 10n * DAY, start);
      // Nobody stakes for the first half of the stream: 500 TRVL streams to nobody.
      await time.setNextBlockTimestamp(start + 5n * DAY);
      await stakeFor(alice, TRVL("100"));
      // (stakeFor's approval takes a block first: the stake lands a second later, 1/864,000 of the stream.)
      expect(await staking.unallocatedRewards()).to.be.closeTo(TRVL("500"), TRVL("0.01"));
      await time.increaseTo(start + 20n * DAY);
      expect(await staking.earned(alice.address)).to.be.closeTo(TRVL("500"), TRVL("0.01"));
      // Paid + owed + unallocated = funded.
      expect((await staking.earned(alice.address)) + (await staking.unallocatedRewards())).to.be.closeTo(
        TRVL("1000"),
        TRVL("0.001"),
      );
      // The next funding streams the stranded 500 with its own 100: alice, alone, earns all 600.
      await fundRewards(system, TRVL("100"), DAY);
      expect(await staking.unallocatedRewards()).to.equal(0n);
      await time.increase(2n * DAY);
      expect(await staking.earned(alice.address)).to.be.closeTo(TRVL("1100"), TRVL("0.001"));
    });

    it("refuses a top-up that would spread a running stream thinner (a 1-wei top-up over a year)", async () => {
      const system = await fresh();
      const { staking, travellers, stakeFor } = system;
      await stakeFor(travellers[0], TRVL("100"));
      await fundRewards(system, TRVL("1000"), 10n * DAY);
      const rate = await staking.rewardRate();
      await expect(fundRewards(system, 1n, 365n * DAY)).to.be.revertedWithCustomError(staking, "StakingRateWouldDrop");
      expect(await staking.rewardRate()).to.equal(rate);
      // Once the stream has ended, any new stream may start at any rate.
      await system.connection.networkHelpers.time.increase(10n * DAY);
      await fundRewards(system, 1n, 365n * DAY);
    });

    it("lets only the rewards funder fund, for a sane duration", async () => {
      const system = await fresh();
      const { staking, travellers } = system;
      await expect(staking.connect(travellers[0]).notifyRewardAmount(1n, DAY))
        .to.be.revertedWithCustomError(staking, "AccessControlUnauthorizedAccount")
        .withArgs(travellers[0].address, ROLES.REWARDS_FUNDER);
      await expect(fundRewards(system, 0n, DAY)).to.be.revertedWithCustomError(staking, "StakingZeroAmount");
      await expect(fundRewards(system, 1n, 60n))
        .to.be.revertedWithCustomError(staking, "StakingInvalidDuration")
        .withArgs(60n);
      await expect(fundRewards(system, 1n, 366n * DAY)).to.be.revertedWithCustomError(
        staking,
        "StakingInvalidDuration",
      );
    });
  });

  describe("voting power", () => {
    it("keeps staked TRVL's votes with the token's delegate, never counting a token twice", async () => {
      const { staking, token, governor, travellers, giveTrvl, connection } = await fresh();
      const { time } = connection.networkHelpers;
      const [alice, bob] = travellers;
      const votes = async (who: string) => {
        await time.increase(1);
        const at = BigInt(await time.latest()) - 1n;
        return [
          await token.getPastVotes(who, at),
          await staking.getPastVotes(who, at),
          await governor.getVotes(who, at),
        ];
      };
      await giveTrvl(alice, TRVL("1000"));
      await token.connect(alice).delegate(alice.address);
      expect(await votes(alice.address)).to.deep.equal([TRVL("1000"), 0n, TRVL("1000")]);

      await token.connect(alice).approve(await staking.getAddress(), TRVL("1000"));
      await staking.connect(alice).stake(TRVL("600"));
      expect(await votes(alice.address)).to.deep.equal([TRVL("400"), TRVL("600"), TRVL("1000")]);

      await staking.connect(alice).instantUnstake(TRVL("100")); // 98 back, 2 to the treasury
      expect(await votes(alice.address)).to.deep.equal([TRVL("498"), TRVL("500"), TRVL("998")]);
      await staking.connect(alice).requestUnstake(TRVL("200")); // in cooldown: counts nowhere
      expect(await votes(alice.address)).to.deep.equal([TRVL("498"), TRVL("300"), TRVL("798")]);

      // Re-delegating in the token moves the token votes at once and the staked votes on sync.
      await token.connect(alice).delegate(bob.address);
      await expect(staking.syncDelegate(alice.address))
        .to.emit(staking, "DelegateChanged")
        .withArgs(alice.address, alice.address, bob.address);
      expect(await votes(bob.address)).to.deep.equal([TRVL("498"), TRVL("300"), TRVL("798")]);
      expect(await votes(alice.address)).to.deep.equal([0n, 0n, 0n]);
      expect(await staking.delegates(alice.address)).to.equal(bob.address);

      await expect(staking.connect(alice).delegate(bob.address)).to.be.revertedWithCustomError(
        staking,
        "StakingDelegationFollowsToken",
      );
      await expect(
        staking
          .connect(alice)
          .delegateBySig(bob.address, 0, 0, 0, ZeroAddress.padEnd(66, "0"), ZeroAddress.padEnd(66, "0")),
      ).to.be.revertedWithCustomError(staking, "StakingDelegationFollowsToken");
      expect(await staking.CLOCK_MODE()).to.equal("mode=timestamp");
    });
  });

  describe("booking reward boost", () => {
    it("boosts the traveller share by tier, out of the treasury share", async () => {
      const system = await fresh();
      const { distributor, referrals, token, travellers, stakeFor, settledBooking, treasury } = system;
      const [alice, bob] = travellers;
      // $100 commission = 1,000 TRVL: 700 traveller, 70 + 30 referrers, 200 treasury before any boost.
      const expected: [string, bigint, bigint][] = [
        ["0", TRVL("700"), TRVL("200")], // Explorer
        ["1000", TRVL("770"), TRVL("130")], // Voyager +10%
        ["10000", TRVL("875"), TRVL("25")], // Globetrotter +25%
        ["50000", TRVL("900"), 0n], // Jetsetter +50% = 350, capped at the treasury's 200
      ];
      await referrals.connect(bob).register(alice.address);
      // Both referrers have travelled: they are active and earn their shares.
      await settledBooking(alice);
      await settledBooking(bob);
      for (const [stake, travellerShare, treasuryShare] of expected) {
        const traveller = await system.newAccount();
        await referrals.connect(traveller).register(bob.address);
        if (stake !== "0") await stakeFor(traveller, TRVL(stake));
        await wait(system, HOLDING_PERIOD);
        const q = await settledBooking(traveller);
        const before = [await token.balanceOf(traveller.address), await token.balanceOf(treasury.address)];
        await distributor.distribute([q.bookingId]);
        expect((await token.balanceOf(traveller.address)) - before[0], `traveller with ${stake} staked`).to.equal(
          travellerShare,
        );
        expect((await token.balanceOf(treasury.address)) - before[1], `treasury with ${stake} staked`).to.equal(
          treasuryShare,
        );
      }
      expect(await token.balanceOf(bob.address)).to.equal(TRVL("280"));
      expect(await token.balanceOf(alice.address)).to.equal(TRVL("120"));
    });

    it("pays no boost once governance removes the boost source", async () => {
      const system = await fresh();
      const { distributor, admin, token, stakeFor, settledBooking } = system;
      const traveller = await system.newAccount();
      await stakeFor(traveller, TRVL("50000"));
      await wait(system, HOLDING_PERIOD);
      await distributor.connect(admin).setBoostSource(ZeroAddress);
      const q = await settledBooking(traveller);
      await distributor.distribute([q.bookingId]);
      expect(await token.balanceOf(traveller.address)).to.equal(TRVL("700"));
    });

    it("gives no boost to a stake made for the moment of the reward (stake, distribute, unstake)", async () => {
      const system = await fresh();
      const { distributor, staking, token, stakeFor, settledBooking, treasury } = system;
      const traveller = await system.newAccount();
      const q = await settledBooking(traveller);
      // The traveller stakes 50,000 TRVL just before calling distribute on their own booking, then leaves.
      await stakeFor(traveller, TRVL("50000"));
      expect(await staking.tierOf(traveller.address)).to.equal(Tier.Jetsetter);
      const treasuryBefore = await token.balanceOf(treasury.address);
      await expect(distributor.connect(traveller).distribute([q.bookingId])).to.emit(distributor, "RewardDistributed");
      await staking.connect(traveller).instantUnstake(TRVL("50000"));
      expect(await token.balanceOf(traveller.address)).to.equal(TRVL("700") + TRVL("49000"));
      expect((await token.balanceOf(treasury.address)) - treasuryBefore).to.equal(TRVL("300") + TRVL("1000"));
    });

    it("counts what was held over the whole period before paying: later stake, short stake or a dip earn less", async () => {
      const system = await fresh();
      const { distributor, staking, token, stakeFor, settledBooking } = system;
      const reward = async (traveller: Awaited<ReturnType<typeof system.newAccount>>) => {
        const q = await settledBooking(traveller);
        const before = await token.balanceOf(traveller.address);
        return { q, minted: async () => (await token.balanceOf(traveller.address)) - before };
      };

      // Day 0: three accounts stake.
      const [topUp, short, dip, leaver] = [
        await system.newAccount(),
        await system.newAccount(),
        await system.newAccount(),
        await system.newAccount(),
      ];
      await stakeFor(topUp, TRVL("1000"));
      await stakeFor(dip, TRVL("50000"));
      await stakeFor(leaver, TRVL("10000"));
      // Day 6: one tops 1,000 up to 50,000, one stakes 50,000 for the first time, one dips to 0 for a moment.
      await wait(system, 6n * DAY);
      await stakeFor(topUp, TRVL("49000"));
      await stakeFor(short, TRVL("50000"));
      await staking.connect(dip).requestUnstake(TRVL("50000"));
      await staking.connect(dip).cancelUnstake();
      // Day 7 and a minute: all pay. Held over the 7 days: 1,000 (Voyager), none, none, 10,000 (Globetrotter).
      await wait(system, DAY + 60n);
      const bookings = [await reward(topUp), await reward(short), await reward(dip), await reward(leaver)];
      await staking.connect(leaver).instantUnstake(TRVL("10000"));
      await wait(system, 30n * DAY);
      await distributor.distribute(bookings.map((b) => b.q.bookingId));
      expect(await Promise.all(bookings.map((b) => b.minted()))).to.deep.equal([
        TRVL("770"),
        TRVL("700"),
        TRVL("700"),
        TRVL("875") + TRVL("9800"), // the boosted share, and the stake it took back (less the 2% fee)
      ]);
    });

    it("reads at most MAX_HOLDING_CHANGES stake changes back: a longer history in the period counts as nothing", async () => {
      const system = await fresh();
      const { staking, stakeFor } = system;
      const busy = await system.newAccount();
      await stakeFor(busy, TRVL("1000"));
      await wait(system, HOLDING_PERIOD);
      expect(
        await staking.heldStakeAt(busy.address, BigInt(await system.connection.networkHelpers.time.latest())),
      ).to.equal(TRVL("1000"));
      const limit = await staking.MAX_HOLDING_CHANGES();
      for (let i = 1n; i < limit; i++) await stakeFor(busy, 1n);
      const now = async () => BigInt(await system.connection.networkHelpers.time.latest());
      expect(await staking.heldStakeAt(busy.address, await now())).to.equal(TRVL("1000"));
      await stakeFor(busy, 1n);
      expect(await staking.heldStakeAt(busy.address, await now())).to.equal(0n);
      // Before any stake, and at a time before the history, nothing was held.
      expect(await staking.heldStakeAt(busy.address, 0n)).to.equal(0n);
    });

    it("lets governance set the holding period (zero: the stake at payment counts), up to 90 days", async () => {
      const system = await fresh();
      const { staking, admin, stakeFor, travellers } = system;
      await expect(staking.connect(admin).setHoldingPeriod(0))
        .to.emit(staking, "HoldingPeriodSet")
        .withArgs(HOLDING_PERIOD, 0);
      const account = await system.newAccount();
      await stakeFor(account, TRVL("1000"));
      expect(await staking.heldTierOf(account.address)).to.equal(Tier.Voyager);
      await expect(staking.connect(admin).setHoldingPeriod(90n * DAY + 1n))
        .to.be.revertedWithCustomError(staking, "StakingInvalidHoldingPeriod")
        .withArgs(90n * DAY + 1n);
      await expect(staking.connect(travellers[0]).setHoldingPeriod(DAY)).to.be.revertedWithCustomError(
        staking,
        "AccessControlUnauthorizedAccount",
      );
      expect(await staking.holdingPeriod()).to.equal(0n);
    });

    it("rejects a zero admin or token at deployment", async () => {
      const { deployer, token, treasury } = await fresh();
      const factory = new TRVLStaking__factory(deployer);
      await expect(
        factory.deploy(ZeroAddress, await token.getAddress(), treasury.address, DEFAULT_TIERS),
      ).to.be.revertedWithCustomError(factory, "StakingZeroAddress");
      await expect(
        factory.deploy(deployer.address, await token.getAddress(), ZeroAddress, DEFAULT_TIERS),
      ).to.be.revertedWithCustomError(factory, "StakingZeroAddress");
    });

    it("moves the fee treasury for governance only", async () => {
      const { staking, admin, travellers } = await fresh();
      await expect(staking.connect(admin).setTreasury(travellers[0].address))
        .to.emit(staking, "TreasurySet")
        .withArgs(await admin.getAddress(), travellers[0].address);
      await expect(staking.connect(travellers[0]).setTreasury(travellers[0].address)).to.be.revertedWithCustomError(
        staking,
        "AccessControlUnauthorizedAccount",
      );
    });
  });
});
