import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { expect } from "chai";
import { ZeroAddress, parseEther, parseUnits } from "ethers";

import { ROLES } from "../ignition/modules/protocol.js";
import {
  MockRewardBoost__factory,
  MockV3Aggregator__factory,
  RewardDistributor__factory,
} from "../types/ethers-contracts/index.js";
import { useSystem } from "./helpers/fixture.js";
import { NATIVE, type System } from "./helpers/system.js";

const { fresh } = await useSystem();

const TRVL = (n: string) => parseEther(n);
const USD8 = (n: string) => parseUnits(n, 8);
const Skip = {
  Unknown: 0,
  NotSettled: 1,
  Refunded: 2,
  AlreadyRewarded: 3,
  NoPriceFeed: 4,
  MintLimitReached: 5,
  SupplyCapReached: 6,
  PriceUnavailable: 7,
  Queued: 8,
  SequencerDown: 9,
};

/** carol was referred by bob, who was referred by alice; alice and bob have travelled (a settled booking of their
 * own), so both are active referrers. */
async function referralChain(system: System): Promise<[HardhatEthersSigner, HardhatEthersSigner, HardhatEthersSigner]> {
  const [alice, bob, carol] = system.travellers;
  await system.referrals.connect(bob).register(alice.address);
  await system.referrals.connect(carol).register(bob.address);
  await system.settledBooking(alice);
  await system.settledBooking(bob);
  return [alice, bob, carol];
}

describe("RewardDistributor", () => {
  describe("the 70/10/20 split", () => {
    it("mints 700/70/30/200 TRVL for a $100 commission at $0.10 with two referrer levels", async () => {
      const system = await fresh();
      const { distributor, token, treasury, settledBooking, travellers, rewardsMinted } = system;
      const [alice, bob, carol] = await referralChain(system);
      const q = await settledBooking(carol); // 1,000 tUSD at 10% = $100 = 1,000 TRVL
      await expect(distributor.connect(travellers[5]).distribute([q.bookingId]))
        .to.emit(distributor, "RewardDistributed")
        .withArgs(
          q.bookingId,
          carol.address,
          bob.address,
          alice.address,
          TRVL("700"),
          TRVL("70"),
          TRVL("30"),
          TRVL("200"),
          0,
          USD8("1"),
          USD8("0.1"),
        );
      expect(await token.balanceOf(carol.address)).to.equal(TRVL("700"));
      expect(await token.balanceOf(bob.address)).to.equal(TRVL("70"));
      expect(await token.balanceOf(alice.address)).to.equal(TRVL("30"));
      expect(await token.balanceOf(treasury.address)).to.equal(TRVL("200"));
      expect(await rewardsMinted()).to.equal(TRVL("1000"));
    });

    it("gives a missing level-2 referrer's share to the treasury", async () => {
      const { distributor, token, treasury, referrals, settledBooking, travellers } = await fresh();
      const [bob, carol] = travellers;
      await referrals.connect(carol).register(bob.address);
      await settledBooking(bob);
      const q = await settledBooking(carol);
      await distributor.distribute([q.bookingId]);
      expect(await token.balanceOf(carol.address)).to.equal(TRVL("700"));
      expect(await token.balanceOf(bob.address)).to.equal(TRVL("70"));
      expect(await token.balanceOf(treasury.address)).to.equal(TRVL("230"));
    });

    it("gives both referrer shares to the treasury when there is no referrer", async () => {
      const { distributor, token, treasury, settledBooking, travellers } = await fresh();
      const [carol] = travellers;
      const q = await settledBooking(carol);
      await expect(distributor.distribute([q.bookingId]))
        .to.emit(distributor, "RewardDistributed")
        .withArgs(
          q.bookingId,
          carol.address,
          ZeroAddress,
          ZeroAddress,
          TRVL("700"),
          0,
          0,
          TRVL("300"),
          0,
          USD8("1"),
          USD8("0.1"),
        );
      expect(await token.balanceOf(treasury.address)).to.equal(TRVL("300"));
    });

    it("values ETH commissions at the ETH/USD feed", async () => {
      const system = await fresh();
      const [, , carol] = await referralChain(system);
      // 0.5 ETH at 10% = 0.05 ETH = $150 at $3,000 = 1,500 TRVL at $0.10.
      const q = await system.settledBooking(carol, { token: NATIVE, amount: parseEther("0.5") });
      await expect(system.distributor.distribute([q.bookingId]))
        .to.emit(system.distributor, "RewardDistributed")
        .withArgs(
          q.bookingId,
          carol.address,
          system.travellers[1].address,
          system.travellers[0].address,
          TRVL("1050"),
          TRVL("105"),
          TRVL("45"),
          TRVL("300"),
          0,
          USD8("3000"),
          USD8("0.1"),
        );
    });

    it("loses no dust: the parts sum exactly to the commission's TRVL value, rounding going to the treasury", async () => {
      const system = await fresh();
      const { distributor, token, feeds, treasury, rewardsMinted } = system;
      const [alice, bob, carol] = await referralChain(system);
      await feeds.trvl.updateAnswer(USD8("0.07"));
      const q = await system.settledBooking(carol, { amount: 1_234_567n, commissionBps: 1_000 });
      await distributor.distribute([q.bookingId]);
      // 0.123456 tUSD = $0.123456, at $0.07 per TRVL.
      const value = (123_456n * 10n ** 18n * 100n) / (10n ** 6n * 7n);
      expect(value).to.equal(1_763_657_142_857_142_857n);
      const traveller = (value * 7_000n) / 10_000n;
      const level1 = (value * 700n) / 10_000n;
      const level2 = (value * 300n) / 10_000n;
      expect(await token.balanceOf(carol.address)).to.equal(traveller);
      expect(await token.balanceOf(bob.address)).to.equal(level1);
      expect(await token.balanceOf(alice.address)).to.equal(level2);
      expect(await token.balanceOf(treasury.address)).to.equal(value - traveller - level1 - level2);
      expect(await rewardsMinted()).to.equal(value);
    });

    it("marks a zero-commission booking rewarded without minting anything", async () => {
      const { distributor, escrow, token, settledBooking, travellers, rewardsMinted } = await fresh();
      const q = await settledBooking(travellers[0], { commissionBps: 0 });
      await expect(distributor.distribute([q.bookingId]))
        .to.emit(distributor, "RewardDistributed")
        .withArgs(q.bookingId, travellers[0].address, ZeroAddress, ZeroAddress, 0, 0, 0, 0, 0, USD8("1"), USD8("0.1"))
        .and.not.to.emit(token, "Transfer");
      expect((await escrow.bookingOf(q.bookingId)).status).to.equal(4n);
      expect(await rewardsMinted()).to.equal(0n);
    });
  });

  describe("exactly once", () => {
    it("skips unknown, unsettled, refunded and already-rewarded ids without blocking the batch", async () => {
      const { distributor, escrow, token, quote, pay, keeper, settledBooking, travellers, rewardsMinted } =
        await fresh();
      const [alice] = travellers;
      const good = await settledBooking(alice);
      const good2 = await settledBooking(alice);
      const unsettled = await quote(alice);
      await pay(unsettled, alice);
      const refunded = await quote(alice);
      await pay(refunded, alice);
      await escrow.connect(keeper).refund(refunded.bookingId);
      const unknown = `0x${"12".repeat(32)}`;

      const batch = [unknown, good.bookingId, unsettled.bookingId, refunded.bookingId, good.bookingId, good2.bookingId];
      expect(await distributor.distribute.staticCall(batch)).to.equal(2n);
      const tx = distributor.distribute(batch);
      await expect(tx).to.emit(distributor, "RewardSkipped").withArgs(unknown, Skip.Unknown);
      await expect(tx).to.emit(distributor, "RewardSkipped").withArgs(unsettled.bookingId, Skip.NotSettled);
      await expect(tx).to.emit(distributor, "RewardSkipped").withArgs(refunded.bookingId, Skip.Refunded);
      await expect(tx).to.emit(distributor, "RewardSkipped").withArgs(good.bookingId, Skip.AlreadyRewarded);
      expect(await token.balanceOf(alice.address)).to.equal(TRVL("1400"));

      await expect(distributor.distribute([good.bookingId, good2.bookingId]))
        .to.emit(distributor, "RewardSkipped")
        .withArgs(good2.bookingId, Skip.AlreadyRewarded);
      expect(await rewardsMinted()).to.equal(TRVL("2000"));
    });
  });

  describe("prices", () => {
    it("rejects a stale TRVL price, and skips bookings in a token whose price is stale or from the future", async () => {
      const { distributor, feeds, settledBooking, travellers, admin, connection } = await fresh();
      const q = await settledBooking(travellers[0]);
      const feed = await feeds.trvl.getAddress();
      await distributor.connect(admin).setTrvlPriceFeed(feed, 3600, USD8("0.0001"), USD8("10000"));
      await connection.networkHelpers.time.increase(3601);
      const [, , , updatedAt] = await feeds.trvl.latestRoundData();
      await expect(distributor.distribute([q.bookingId]))
        .to.be.revertedWithCustomError(distributor, "DistributorStalePrice")
        .withArgs(feed, updatedAt, 3600);
      await feeds.trvl.updateAnswer(USD8("0.1"));
      const stable = await feeds.stablecoin.getAddress();
      await distributor.connect(admin).setPriceFeed(q.token, stable, 60, USD8("0.9"), USD8("1.1"));
      await expect(distributor.distribute([q.bookingId]))
        .to.emit(distributor, "RewardSkipped")
        .withArgs(q.bookingId, Skip.PriceUnavailable);
      await expect(distributor.previewReward(q.traveller, q.token, 1n)).to.be.revertedWithCustomError(
        distributor,
        "DistributorStalePrice",
      );

      const now = BigInt(await connection.networkHelpers.time.latest());
      await feeds.stablecoin.updateRoundData(2, USD8("1"), now + 1000n, now + 1000n);
      await expect(distributor.distribute([q.bookingId]))
        .to.emit(distributor, "RewardSkipped")
        .withArgs(q.bookingId, Skip.PriceUnavailable);
      await expect(distributor.previewReward(q.traveller, q.token, 1n))
        .to.be.revertedWithCustomError(distributor, "DistributorStalePrice")
        .withArgs(stable, now + 1000n, 60);
    });

    it("skips only the bookings of a token whose feed is stale: the rest of the batch is rewarded", async () => {
      const { distributor, feeds, settledBooking, travellers, connection, token } = await fresh();
      const [alice, bob] = travellers;
      const inDollars = await settledBooking(alice);
      const inEth = await settledBooking(bob, { token: NATIVE, amount: parseEther("0.5") });
      const alsoDollars = await settledBooking(alice);
      const now = BigInt(await connection.networkHelpers.time.latest());
      // The ETH/USD feed last answered 11 years ago: beyond any max age.
      await feeds.eth.updateRoundData(2, USD8("3000"), now - 11n * 365n * 86_400n, now - 11n * 365n * 86_400n);
      const tx = distributor.distribute([inDollars.bookingId, inEth.bookingId, alsoDollars.bookingId]);
      await expect(tx).to.emit(distributor, "RewardSkipped").withArgs(inEth.bookingId, Skip.PriceUnavailable);
      await expect(tx)
        .to.emit(distributor, "RewardDistributed")
        .withArgs(inDollars.bookingId, ...Array(10).fill(anyValue));
      expect(await token.balanceOf(alice.address)).to.equal(TRVL("1400"));
      expect(await token.balanceOf(bob.address)).to.equal(0n);
      // Once the feed answers again, the skipped booking is rewarded.
      await feeds.eth.updateAnswer(USD8("3000"));
      await distributor.distribute([inEth.bookingId]);
      expect(await token.balanceOf(bob.address)).to.equal(TRVL("1050"));
    });

    it("rejects zero and negative prices", async () => {
      const { distributor, feeds, settledBooking, travellers } = await fresh();
      const q = await settledBooking(travellers[0]);
      await feeds.trvl.updateAnswer(0);
      await expect(distributor.distribute([q.bookingId]))
        .to.be.revertedWithCustomError(distributor, "DistributorInvalidPrice")
        .withArgs(await feeds.trvl.getAddress(), 0);
      await feeds.trvl.updateAnswer(USD8("0.1"));
      await feeds.stablecoin.updateAnswer(-1);
      await expect(distributor.distribute([q.bookingId]))
        .to.emit(distributor, "RewardSkipped")
        .withArgs(q.bookingId, Skip.PriceUnavailable);
      await expect(distributor.previewReward(q.traveller, q.token, 1n))
        .to.be.revertedWithCustomError(distributor, "DistributorInvalidPrice")
        .withArgs(await feeds.stablecoin.getAddress(), -1);
    });

    it("rejects prices outside the configured bounds", async () => {
      const { distributor, feeds, settledBooking, travellers } = await fresh();
      const q = await settledBooking(travellers[0]);
      await feeds.stablecoin.updateAnswer(USD8("0.5")); // a depeg below $0.90
      await expect(distributor.distribute([q.bookingId]))
        .to.emit(distributor, "RewardSkipped")
        .withArgs(q.bookingId, Skip.PriceUnavailable);
      await expect(distributor.previewReward(q.traveller, q.token, 1n))
        .to.be.revertedWithCustomError(distributor, "DistributorPriceOutOfBounds")
        .withArgs(await feeds.stablecoin.getAddress(), USD8("0.5"), USD8("0.9"), USD8("1.1"));
      await feeds.stablecoin.updateAnswer(USD8("1"));
      await feeds.trvl.updateAnswer(USD8("20000"));
      await expect(distributor.distribute([q.bookingId])).to.be.revertedWithCustomError(
        distributor,
        "DistributorPriceOutOfBounds",
      );
    });

    it("skips bookings whose token has no feed, and reverts without a TRVL feed", async () => {
      const { distributor, settledBooking, travellers, admin, deployer, token, referrals, escrow } = await fresh();
      const q = await settledBooking(travellers[0]);
      await distributor.connect(admin).setPriceFeed(q.token, ZeroAddress, 0, 0, 0);
      await expect(distributor.distribute([q.bookingId]))
        .to.emit(distributor, "RewardSkipped")
        .withArgs(q.bookingId, Skip.NoPriceFeed);
      await expect(distributor.previewReward(q.traveller, q.token, 1n))
        .to.be.revertedWithCustomError(distributor, "DistributorNoPriceFeed")
        .withArgs(q.token);

      const bare = await new RewardDistributor__factory(deployer).deploy(
        admin.address,
        await token.getAddress(),
        await escrow.getAddress(),
        await referrals.getAddress(),
        admin.address,
        TRVL("1"),
        3600,
      );
      await expect(bare.distribute([q.bookingId])).to.be.revertedWithCustomError(bare, "DistributorNoTrvlPriceFeed");
    });

    it("validates feed settings", async () => {
      const { distributor, feeds, admin, travellers, deployer } = await fresh();
      const feed = await feeds.trvl.getAddress();
      const bad = (maxAge: number, min: bigint, max: bigint) =>
        distributor.connect(admin).setTrvlPriceFeed(feed, maxAge, min, max);
      await expect(bad(0, 1n, 2n))
        .to.be.revertedWithCustomError(distributor, "DistributorInvalidFeedConfig")
        .withArgs(feed);
      await expect(bad(60, 0n, 2n)).to.be.revertedWithCustomError(distributor, "DistributorInvalidFeedConfig");
      await expect(bad(60, 3n, 2n)).to.be.revertedWithCustomError(distributor, "DistributorInvalidFeedConfig");
      const precise = await new MockV3Aggregator__factory(deployer).deploy(19, 1n);
      await expect(
        distributor.connect(admin).setPriceFeed(NATIVE, await precise.getAddress(), 60, 1n, 2n),
      ).to.be.revertedWithCustomError(distributor, "DistributorInvalidFeedConfig");
      await expect(distributor.connect(travellers[0]).setTrvlPriceFeed(feed, 60, 1n, 2n)).to.be.revertedWithCustomError(
        distributor,
        "AccessControlUnauthorizedAccount",
      );
      await expect(distributor.connect(admin).setTrvlPriceFeed(feed, 60, 1n, 2n))
        .to.emit(distributor, "TrvlPriceFeedSet")
        .withArgs(feed, 60, 1n, 2n);
      const config = await distributor.trvlPriceFeed();
      expect([config.feed, config.maxAge, config.feedDecimals, config.tokenDecimals]).to.deep.equal([
        feed,
        60n,
        8n,
        18n,
      ]);
      expect((await distributor.priceFeedOf(NATIVE)).feed).to.equal(await feeds.eth.getAddress());
    });
  });

  describe("mint limit", () => {
    it("queues a reward the limit has no room for, and mints the queue first, in order, as the limit refills", async () => {
      const { distributor, admin, escrow, settledBooking, travellers, connection, rewardsMinted } = await fresh();
      await distributor.connect(admin).setMintLimit(TRVL("1500"), 24 * 3600);
      const first = await settledBooking(travellers[0]); // 1,000 TRVL
      const second = await settledBooking(travellers[1]); // 1,000 TRVL: 500 of it fits now
      const tx = distributor.distribute([first.bookingId, second.bookingId]);
      await expect(tx)
        .to.emit(distributor, "RewardDistributed")
        .withArgs(first.bookingId, ...Array(10).fill(anyValue));
      await expect(tx).to.emit(distributor, "RewardQueued").withArgs(second.bookingId, TRVL("1000"));
      await expect(tx).to.emit(distributor, "RewardSkipped").withArgs(second.bookingId, Skip.Queued);
      await expect(tx).to.emit(distributor, "RewardPartMinted").withArgs(second.bookingId, anyValue, anyValue);
      expect(await rewardsMinted()).to.be.closeTo(TRVL("1500"), TRVL("1"));
      const [queued, owed] = await distributor.rewardQueue();
      expect(queued).to.deep.equal([second.bookingId]);
      expect(owed).to.be.closeTo(TRVL("500"), TRVL("1"));
      expect((await escrow.settlementsOf([second.bookingId]))[0].status).to.equal(2n); // still settled

      // A later, smaller reward waits behind the queued one even though the refill would cover it alone.
      await connection.networkHelpers.time.increase(8 * 3600); // refills 500
      const small = await settledBooking(travellers[2], { amount: 100_000_000n }); // 100 TRVL
      const later = distributor.distribute([small.bookingId, second.bookingId]);
      await expect(later)
        .to.emit(distributor, "RewardDistributed")
        .withArgs(second.bookingId, ...Array(10).fill(anyValue));
      await expect(later).to.emit(distributor, "RewardSkipped").withArgs(small.bookingId, Skip.Queued);
      // Finished by the queue before the batch's ids are read: the id itself is then already rewarded.
      await expect(later).to.emit(distributor, "RewardSkipped").withArgs(second.bookingId, Skip.AlreadyRewarded);
      expect((await escrow.settlementsOf([second.bookingId]))[0].status).to.equal(4n); // rewarded
      expect((await distributor.rewardQueue())[0]).to.deep.equal([small.bookingId]);

      // The queue moves whoever calls, with any ids.
      await connection.networkHelpers.time.increase(4 * 3600);
      await expect(distributor.distribute([]))
        .to.emit(distributor, "RewardDistributed")
        .withArgs(small.bookingId, ...Array(10).fill(anyValue));
      expect(await rewardsMinted()).to.equal(TRVL("2100"));
      expect(await distributor.rewardQueue()).to.deep.equal([[], 0n]);
    });

    it("mints a reward larger than the limit's whole capacity in parts, traveller first, never skipping it", async () => {
      const system = await fresh();
      const { distributor, admin, token, treasury, settledBooking, connection, rewardsMinted } = system;
      const [alice, bob, carol] = await referralChain(system);
      await distributor.connect(admin).setMintLimit(TRVL("1000"), 24 * 3600);
      await connection.networkHelpers.time.increase(24 * 3600); // the limit is full again after the chain's bookings
      const recipients = [carol, bob, alice, treasury];
      const before = await Promise.all(recipients.map((a) => token.balanceOf(a.address)));
      const big = await settledBooking(carol, { amount: 2_500_000_000n }); // 2,500 TRVL: 1,750 / 175 / 75 / 500
      const gained = async () =>
        (await Promise.all(recipients.map((a) => token.balanceOf(a.address)))).map((b, i) => b - before[i]);

      await expect(distributor.distribute([big.bookingId]))
        .to.emit(distributor, "RewardQueued")
        .withArgs(big.bookingId, TRVL("2500"));
      const [travellerPart, ...others] = await gained();
      expect(travellerPart).to.be.closeTo(TRVL("1000"), TRVL("1")); // the first part is all the traveller's
      expect(others).to.deep.equal([0n, 0n, 0n]);

      await connection.networkHelpers.time.increase(24 * 3600);
      await expect(distributor.distribute([big.bookingId]))
        .to.emit(distributor, "RewardSkipped")
        .withArgs(big.bookingId, Skip.Queued);
      expect(await rewardsMinted()).to.be.closeTo(TRVL("2000"), TRVL("2")); // two parts of 1,000

      await connection.networkHelpers.time.increase(24 * 3600);
      await expect(distributor.distribute([big.bookingId]))
        .to.emit(distributor, "RewardDistributed")
        .withArgs(
          big.bookingId,
          carol.address,
          bob.address,
          alice.address,
          TRVL("1750"),
          TRVL("175"),
          TRVL("75"),
          TRVL("500"),
          0n,
          anyValue,
          anyValue,
        );
      expect(await gained()).to.deep.equal([TRVL("1750"), TRVL("175"), TRVL("75"), TRVL("500")]);
      await expect(distributor.distribute([big.bookingId]))
        .to.emit(distributor, "RewardSkipped")
        .withArgs(big.bookingId, Skip.AlreadyRewarded);
      expect(await distributor.rewardQueue()).to.deep.equal([[], 0n]);
    });

    it("queues a booking once, and never one rewarded in the same batch, when its id comes twice", async () => {
      const { distributor, admin, settledBooking, travellers, connection, rewardsMinted } = await fresh();
      await distributor.connect(admin).setMintLimit(TRVL("600"), 24 * 3600);
      const booking = await settledBooking(travellers[0]); // 1,000 TRVL
      await expect(distributor.distribute([booking.bookingId, booking.bookingId]))
        .to.emit(distributor, "RewardSkipped")
        .withArgs(booking.bookingId, Skip.Queued);
      expect((await distributor.rewardQueue())[0]).to.deep.equal([booking.bookingId]);
      await connection.networkHelpers.time.increase(24 * 3600);
      await distributor.distribute([booking.bookingId, booking.bookingId]);
      expect(await rewardsMinted()).to.equal(TRVL("1000"));
      expect(await distributor.rewardQueue()).to.deep.equal([[], 0n]);

      await distributor.connect(admin).setMintLimit(TRVL("1500"), 24 * 3600);
      await connection.networkHelpers.time.increase(24 * 3600);
      const twice = await settledBooking(travellers[1]); // fits once, not twice
      await expect(distributor.distribute([twice.bookingId, twice.bookingId]))
        .to.emit(distributor, "RewardSkipped")
        .withArgs(twice.bookingId, Skip.AlreadyRewarded);
      expect(await rewardsMinted()).to.equal(TRVL("2000"));
      expect(await distributor.rewardQueue()).to.deep.equal([[], 0n]);
    });

    it("never mints past the token's cap", async () => {
      const { distributor, admin, settledBooking, travellers, rewardsMinted } = await fresh();
      await distributor.connect(admin).setMintLimit(TRVL("10000000000"), 3600);
      // $150M of commission at $0.10 would be 1.5 billion TRVL: above the cap.
      const huge = await settledBooking(travellers[0], { amount: 300_000_000n * 10n ** 6n, commissionBps: 5_000 });
      await expect(distributor.distribute([huge.bookingId]))
        .to.emit(distributor, "RewardSkipped")
        .withArgs(huge.bookingId, Skip.SupplyCapReached);
      expect(await rewardsMinted()).to.equal(0n);
    });

    it("rejects a zero window", async () => {
      const { distributor, admin } = await fresh();
      await expect(distributor.connect(admin).setMintLimit(1n, 0)).to.be.revertedWithCustomError(
        distributor,
        "DistributorInvalidMintLimit",
      );
    });
  });

  describe("L2 sequencer", () => {
    it("prices nothing while the sequencer is down or within the grace period after it restarts", async () => {
      const { distributor, admin, deployer, settledBooking, travellers, connection, rewardsMinted } = await fresh();
      const sequencer = await new MockV3Aggregator__factory(deployer).deploy(0, 1); // down
      await expect(distributor.connect(admin).setSequencerUptimeFeed(sequencer, 3600))
        .to.emit(distributor, "SequencerUptimeFeedSet")
        .withArgs(await sequencer.getAddress(), 3600);
      const booking = await settledBooking(travellers[0]);

      await expect(distributor.distribute([booking.bookingId]))
        .to.emit(distributor, "RewardSkipped")
        .withArgs(booking.bookingId, Skip.SequencerDown);
      expect(await distributor.sequencerStatus()).to.deep.equal([false, 0n]);
      await expect(distributor.previewReward(travellers[0].address, booking.token, 1n))
        .to.be.revertedWithCustomError(distributor, "DistributorSequencerDown")
        .withArgs(0n);

      await sequencer.updateAnswer(0); // back up now: the grace period starts
      const restartedAt = BigInt((await connection.ethers.provider.getBlock("latest"))!.timestamp);
      expect(await distributor.sequencerStatus()).to.deep.equal([false, restartedAt + 3600n]);
      await expect(distributor.distribute([booking.bookingId]))
        .to.emit(distributor, "RewardSkipped")
        .withArgs(booking.bookingId, Skip.SequencerDown);
      expect(await rewardsMinted()).to.equal(0n);

      await connection.networkHelpers.time.increaseTo(restartedAt + 3600n);
      await expect(distributor.distribute([booking.bookingId]))
        .to.emit(distributor, "RewardDistributed")
        .withArgs(booking.bookingId, ...Array(10).fill(anyValue));
      expect(await rewardsMinted()).to.equal(TRVL("1000"));
      expect(await distributor.sequencerStatus()).to.deep.equal([true, restartedAt + 3600n]);
    });

    it("counts a sequencer feed that reverts or has no round yet as down, and runs without one when it is removed", async () => {
      const { distributor, admin, deployer, travellers, settledBooking, stablecoin } = await fresh();
      const sequencer = await new MockV3Aggregator__factory(deployer).deploy(0, 0);
      await sequencer.updateRoundData(1, 0, 0, 0); // no start time: not a usable round
      await distributor.connect(admin).setSequencerUptimeFeed(sequencer, 60);
      expect(await distributor.sequencerStatus()).to.deep.equal([false, 0n]);
      await distributor.connect(admin).setSequencerUptimeFeed(stablecoin, 60); // not a feed: its call reverts
      expect(await distributor.sequencerStatus()).to.deep.equal([false, 0n]);
      await expect(
        distributor.connect(travellers[0]).setSequencerUptimeFeed(ZeroAddress, 0),
      ).to.be.revertedWithCustomError(distributor, "AccessControlUnauthorizedAccount");
      await distributor.connect(admin).setSequencerUptimeFeed(ZeroAddress, 0);
      expect(await distributor.sequencerStatus()).to.deep.equal([true, 0n]);
      const booking = await settledBooking(travellers[0]);
      await expect(distributor.distribute([booking.bookingId])).to.emit(distributor, "RewardDistributed");
    });
  });

  describe("active referrers", () => {
    it("pays no referral share to a sybil pair of the traveller's own wallets until they are active", async () => {
      const system = await fresh();
      const { distributor, referrals, token, treasury, settledBooking, stakeFor } = system;
      // The traveller names their own fresh wallet w1 as referrer, and w1 names w2.
      const [w2, w1, traveller] = [await system.newAccount(), await system.newAccount(), await system.newAccount()];
      await referrals.connect(w1).register(w2.address);
      await referrals.connect(traveller).register(w1.address);
      const first = await settledBooking(traveller);
      await expect(distributor.distribute([first.bookingId]))
        .to.emit(distributor, "RewardDistributed")
        .withArgs(
          first.bookingId,
          traveller.address,
          ZeroAddress,
          ZeroAddress,
          TRVL("700"),
          0,
          0,
          TRVL("300"),
          0,
          USD8("1"),
          USD8("0.1"),
        );
      // The wallets together got 700 of 1,000, the treasury 300 (with the exploit: 800 and 200).
      expect(await token.balanceOf(w1.address)).to.equal(0n);
      expect(await token.balanceOf(w2.address)).to.equal(0n);
      expect(await token.balanceOf(treasury.address)).to.equal(TRVL("300"));

      // w1 becomes active by travelling itself; w2 by holding 1,000 TRVL staked over the holding period before the
      // referee paid. A stake made after paying does not count.
      await settledBooking(w1);
      await stakeFor(w2, TRVL("1000"));
      const second = await settledBooking(traveller);
      await distributor.distribute([second.bookingId]);
      expect(await token.balanceOf(w1.address)).to.equal(TRVL("70"));
      expect(await token.balanceOf(w2.address)).to.equal(0n);
      await system.connection.networkHelpers.time.increase(7n * 24n * 3600n);
      const third = await settledBooking(traveller);
      await distributor.distribute([third.bookingId]);
      expect(await token.balanceOf(w1.address)).to.equal(TRVL("140"));
      expect(await token.balanceOf(w2.address)).to.equal(TRVL("30"));
      // The preview applies the same rule.
      const [allocation, level1, level2] = await distributor.previewReward(traveller.address, first.token, TRVL("1"));
      expect([level1, level2]).to.deep.equal([w1.address, w2.address]);
      expect(allocation.level2).to.be.greaterThan(0n);
    });

    it("lets governance set the rule: bookings only, stake only, or every referrer", async () => {
      const system = await fresh();
      const { distributor, admin, referrals, token, settledBooking, stakeFor, travellers } = system;
      const [referrer, traveller] = [await system.newAccount(), await system.newAccount()];
      await referrals.connect(traveller).register(referrer.address);
      expect(await distributor.referrerRule()).to.deep.equal([true, TRVL("1000")]);
      await expect(
        distributor.connect(travellers[0]).setReferrerRule({ ownBooking: false, minHeldStake: 0 }),
      ).to.be.revertedWithCustomError(distributor, "AccessControlUnauthorizedAccount");

      // Stake only, at 5,000 TRVL: a referrer holding 1,000 is not active, nor is one that travelled.
      await expect(distributor.connect(admin).setReferrerRule({ ownBooking: false, minHeldStake: TRVL("5000") }))
        .to.emit(distributor, "ReferrerRuleSet")
        .withArgs(false, TRVL("5000"));
      await stakeFor(referrer, TRVL("1000"));
      await settledBooking(referrer);
      await system.connection.networkHelpers.time.increase(7n * 24n * 3600n);
      const a = await settledBooking(traveller);
      await distributor.distribute([a.bookingId]);
      expect(await token.balanceOf(referrer.address)).to.equal(0n);

      // Without a boost source there is no stake to read: the stake path pays nobody.
      await distributor.connect(admin).setReferrerRule({ ownBooking: false, minHeldStake: TRVL("1000") });
      await distributor.connect(admin).setBoostSource(ZeroAddress);
      const b = await settledBooking(traveller);
      await distributor.distribute([b.bookingId]);
      expect(await token.balanceOf(referrer.address)).to.equal(0n);

      // Every referrer: the rule is off.
      await distributor.connect(admin).setReferrerRule({ ownBooking: false, minHeldStake: 0 });
      const c = await settledBooking(traveller);
      await distributor.distribute([c.bookingId]);
      expect(await token.balanceOf(referrer.address)).to.equal(TRVL("70"));
    });
  });

  describe("traveller boost", () => {
    it("pays the boost out of the treasury share, never beyond it", async () => {
      const system = await fresh();
      const { distributor, admin, deployer, token, treasury, settledBooking, rewardsMinted } = system;
      const [, , carol] = await referralChain(system);
      const dave = system.travellers[3];
      const boost = await new MockRewardBoost__factory(deployer).deploy();
      await distributor.connect(admin).setBoostSource(await boost.getAddress());

      await boost.setBoost(carol.address, 2_500); // +25% of 700 = 175 out of the treasury's 200
      const a = await settledBooking(carol);
      await expect(distributor.distribute([a.bookingId]))
        .to.emit(distributor, "RewardDistributed")
        .withArgs(
          a.bookingId,
          carol.address,
          system.travellers[1].address,
          system.travellers[0].address,
          TRVL("875"),
          TRVL("70"),
          TRVL("30"),
          TRVL("25"),
          2_500,
          USD8("1"),
          USD8("0.1"),
        );

      await boost.setBoost(carol.address, 5_000); // +50% of 700 = 350, capped at the treasury's 200
      const b = await settledBooking(carol);
      await distributor.distribute([b.bookingId]);
      expect(await token.balanceOf(carol.address)).to.equal(TRVL("875") + TRVL("900"));
      expect(await token.balanceOf(treasury.address)).to.equal(TRVL("25"));

      await boost.setBoost(dave.address, 5_000); // no referrers: treasury 300 covers the 350 only up to 300
      const c = await settledBooking(dave);
      await distributor.distribute([c.bookingId]);
      expect(await token.balanceOf(dave.address)).to.equal(TRVL("1000"));

      // A boost source can never push a boost above +100% (it is a hook any contract may fill).
      const erin = system.travellers[4];
      await boost.setBoost(erin.address, 1_000_000);
      await distributor.connect(admin).setSplit({ traveller: 3_000, level1: 0, level2: 0, treasury: 7_000 });
      const d = await settledBooking(erin);
      await expect(distributor.distribute([d.bookingId]))
        .to.emit(distributor, "RewardDistributed")
        .withArgs(
          d.bookingId,
          erin.address,
          ZeroAddress,
          ZeroAddress,
          TRVL("600"),
          0,
          0,
          TRVL("400"),
          10_000,
          USD8("1"),
          USD8("0.1"),
        );
      expect(await rewardsMinted()).to.equal(TRVL("4000"));
    });
  });

  describe("governance of the parameters", () => {
    it("uses a new split once the admin sets one, and only one summing to 100%", async () => {
      const system = await fresh();
      const { distributor, admin, token } = system;
      const [, , carol] = await referralChain(system);
      await expect(
        distributor.connect(admin).setSplit({ traveller: 6_000, level1: 1_000, level2: 500, treasury: 2_000 }),
      )
        .to.be.revertedWithCustomError(distributor, "DistributorInvalidSplit")
        .withArgs(9_500);
      await expect(
        distributor.connect(carol).setSplit({ traveller: 6_000, level1: 1_500, level2: 500, treasury: 2_000 }),
      ).to.be.revertedWithCustomError(distributor, "AccessControlUnauthorizedAccount");
      await expect(
        distributor.connect(admin).setSplit({ traveller: 6_000, level1: 1_500, level2: 500, treasury: 2_000 }),
      )
        .to.emit(distributor, "SplitSet")
        .withArgs(6_000, 1_500, 500, 2_000);
      expect(await distributor.split()).to.deep.equal([6_000n, 1_500n, 500n, 2_000n]);
      const q = await system.settledBooking(carol);
      await distributor.distribute([q.bookingId]);
      expect(await token.balanceOf(carol.address)).to.equal(TRVL("600"));
    });

    it("previews exactly what distribute mints", async () => {
      const system = await fresh();
      const [, , carol] = await referralChain(system);
      const q = await system.settledBooking(carol, { amount: 777_777_777n, commissionBps: 333 });
      const [{ commission }] = await system.escrow.settlementsOf([q.bookingId]);
      const [allocation, level1, level2] = await system.distributor.previewReward(carol.address, q.token, commission);
      await system.distributor.distribute([q.bookingId]);
      expect(await system.token.balanceOf(carol.address)).to.equal(allocation.traveller);
      expect(await system.token.balanceOf(level1)).to.equal(allocation.level1);
      expect(await system.token.balanceOf(level2)).to.equal(allocation.level2);
      expect(await system.token.balanceOf(system.treasury.address)).to.equal(allocation.treasury);
    });

    it("pauses distribution for pausers only; settled bookings wait", async () => {
      const { distributor, guardian, settledBooking, travellers, token } = await fresh();
      const q = await settledBooking(travellers[0]);
      await expect(distributor.connect(travellers[0]).pause())
        .to.be.revertedWithCustomError(distributor, "AccessControlUnauthorizedAccount")
        .withArgs(travellers[0].address, ROLES.PAUSER);
      await distributor.connect(guardian).pause();
      await expect(distributor.distribute([q.bookingId])).to.be.revertedWithCustomError(distributor, "EnforcedPause");
      await distributor.connect(guardian).unpause();
      await distributor.distribute([q.bookingId]);
      expect(await token.balanceOf(travellers[0].address)).to.equal(TRVL("700"));
    });

    it("ends the guardian's pause by itself; only governance keeps it longer, and it can always unpause", async () => {
      const { distributor, admin, guardian, settledBooking, travellers, connection } = await fresh();
      const { time } = connection.networkHelpers;
      const DAY = 24n * 3600n;
      expect(await distributor.pauseBounds()).to.deep.equal([3n * DAY, DAY]);
      await distributor.connect(guardian).pause();
      const pausedAt = BigInt(await time.latest());
      expect(await distributor.pausedUntil()).to.equal(pausedAt + 3n * DAY);
      const q = await settledBooking(travellers[0]);
      await expect(distributor.distribute([q.bookingId])).to.be.revertedWithCustomError(distributor, "EnforcedPause");

      await time.increaseTo(pausedAt + 3n * DAY);
      expect(await distributor.paused()).to.equal(false);
      await expect(distributor.distribute([q.bookingId])).to.emit(distributor, "RewardDistributed");
      // Paused again at once, the protocol would never run: the guardian waits out the cooldown first.
      await expect(distributor.connect(guardian).pause())
        .to.be.revertedWithCustomError(distributor, "PauseCoolingDown")
        .withArgs(pausedAt + 4n * DAY);
      await time.increaseTo(pausedAt + 4n * DAY);
      await distributor.connect(guardian).pause();
      await expect(distributor.connect(guardian).pause()).to.be.revertedWithCustomError(distributor, "EnforcedPause");

      // Governance keeps the pause, and lifts it when it chooses; nobody else can lift it.
      const until = BigInt(await time.latest()) + 10n * DAY;
      await expect(distributor.connect(guardian).extendPause(until)).to.be.revertedWithCustomError(
        distributor,
        "AccessControlUnauthorizedAccount",
      );
      await expect(distributor.connect(admin).extendPause(until)).to.emit(distributor, "PauseExtended").withArgs(until);
      await time.increase(5n * DAY);
      expect(await distributor.paused()).to.equal(true);
      await expect(distributor.connect(travellers[0]).unpause())
        .to.be.revertedWithCustomError(distributor, "PauseUnauthorized")
        .withArgs(travellers[0].address);
      await distributor.connect(admin).unpause();
      expect(await distributor.paused()).to.equal(false);
      await expect(distributor.connect(guardian).unpause()).to.be.revertedWithCustomError(distributor, "ExpectedPause");
      expect(await distributor.pausedUntil()).to.equal(0n);
      await expect(distributor.connect(admin).extendPause(until)).to.be.revertedWithCustomError(
        distributor,
        "PauseInvalidExtension",
      );

      await expect(distributor.connect(admin).setPauseBounds(3600, 60))
        .to.emit(distributor, "PauseBoundsSet")
        .withArgs(3600, 60);
      for (const [duration, cooldown] of [
        [0, 60],
        [3600, 0],
        [31 * 86_400, 60],
      ]) {
        await expect(distributor.connect(admin).setPauseBounds(duration, cooldown)).to.be.revertedWithCustomError(
          distributor,
          "PauseInvalidBounds",
        );
      }
    });

    it("moves the treasury and the boost source, rejecting zero addresses", async () => {
      const system = await fresh();
      const { distributor, admin, travellers, deployer, token, escrow, referrals } = system;
      const previous = await distributor.treasury();
      await expect(distributor.connect(admin).setTreasury(travellers[0].address))
        .to.emit(distributor, "TreasurySet")
        .withArgs(previous, travellers[0].address);
      await expect(distributor.connect(admin).setTreasury(ZeroAddress)).to.be.revertedWithCustomError(
        distributor,
        "DistributorZeroAddress",
      );
      await expect(distributor.connect(admin).setBoostSource(travellers[1].address))
        .to.emit(distributor, "BoostSourceSet")
        .withArgs(await system.staking.getAddress(), travellers[1].address);
      const factory = new RewardDistributor__factory(deployer);
      const args = [
        await token.getAddress(),
        await escrow.getAddress(),
        await referrals.getAddress(),
        admin.address,
        1n,
        1,
      ] as const;
      await expect(factory.deploy(ZeroAddress, ...args)).to.be.revertedWithCustomError(
        factory,
        "DistributorZeroAddress",
      );
      await expect(
        factory.deploy(admin.address, ZeroAddress, args[1], args[2], args[3], 1n, 1),
      ).to.be.revertedWithCustomError(factory, "DistributorZeroAddress");
    });
  });
});
