// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "./utils/Test.sol";
import {Vm} from "forge-std/Vm.sol";
import {MockV3Aggregator} from "@chainlink/contracts/src/v0.8/tests/MockV3Aggregator.sol";

import {BookingEscrow} from "../../contracts/booking/BookingEscrow.sol";
import {IBookingEscrow} from "../../contracts/booking/IBookingEscrow.sol";
import {MockStablecoin} from "../../contracts/mocks/MockStablecoin.sol";
import {ReferralRegistry} from "../../contracts/referral/ReferralRegistry.sol";
import {RewardDistributor} from "../../contracts/rewards/RewardDistributor.sol";
import {TRVLTestBase} from "./TRVLTestBase.sol";

/// @dev Drives the money path with random sequences of payments, settlements, refunds, distributions, referrals and
/// time, keeping its own books of what should be true.
contract MoneyPathHandler is Test {
    bytes32 private constant REWARD_DISTRIBUTED = keccak256(
        "RewardDistributed(bytes32,address,address,address,uint256,uint256,uint256,uint256,uint256,uint256,uint256)"
    );

    BookingEscrow private immutable escrow;
    RewardDistributor private immutable distributor;
    ReferralRegistry private immutable referrals;
    MockStablecoin private immutable usd;
    uint256 private immutable signerKey;
    address private immutable keeper;

    address[] private actors;
    bytes32[] public bookings;
    mapping(bytes32 bookingId => IBookingEscrow.Status) public expectedStatus;
    mapping(bytes32 bookingId => uint256) public rewardEvents;

    uint256 public ghostUnsettledUsd;
    uint256 public ghostUnsettledEth;
    uint256 public ghostRecordedRewards;
    uint256 public ghostDoubleRewards;
    /// Rewards whose traveller got more than the reward, or whose parts do not sum to it.
    uint256 public ghostBadSplits;
    /// Calls after a full refill of the mint limit that left the queue's debt where it was.
    uint256 public ghostStalledQueue;
    uint256 private nonce;
    MockV3Aggregator[3] private feeds;

    constructor(
        BookingEscrow escrow_,
        RewardDistributor distributor_,
        ReferralRegistry referrals_,
        MockStablecoin usd_,
        uint256 signerKey_,
        address keeper_,
        MockV3Aggregator[3] memory feeds_ // ETH/USD, stablecoin/USD, TRVL/USD: `movePrices` changes their answers
    ) {
        feeds = feeds_;
        escrow = escrow_;
        distributor = distributor_;
        referrals = referrals_;
        usd = usd_;
        signerKey = signerKey_;
        keeper = keeper_;
        for (uint256 i = 0; i < 6; ++i) actors.push(makeAddr(string(abi.encode("actor", i))));
    }

    /// New answers, within each feed's trusted bounds, reported now.
    function movePrices(uint256 seed) public {
        feeds[0].updateAnswer(int256(bound(uint64(seed), 1e8, 1e14)));
        feeds[1].updateAnswer(int256(bound(uint64(seed >> 64), 0.5e8, 2e8)));
        feeds[2].updateAnswer(int256(bound(uint64(seed >> 128), 1e6, 1e10)));
    }

    /// After a whole window the limit is full again: any call must then mint some of what the queue owes.
    function refillAndDrain(uint256 seed) external {
        (bytes32[] memory queued, uint256 owedBefore) = distributor.rewardQueue();
        if (queued.length == 0) return;
        vm.warp(block.timestamp + 1 days);
        movePrices(seed);
        _distribute(new bytes32[](0));
        (, uint256 owedAfter) = distributor.rewardQueue();
        if (owedAfter >= owedBefore) ++ghostStalledQueue;
    }

    function bookingCount() external view returns (uint256) {
        return bookings.length;
    }

    function pay(uint256 actorSeed, uint256 amount, uint16 commissionBps, bool native) external {
        address traveller = actors[actorSeed % actors.length];
        amount = bound(amount, 1, native ? 100 ether : 1_000_000e6);
        BookingEscrow.Quote memory q = BookingEscrow.Quote({
            bookingId: keccak256(abi.encode("invariant", ++nonce)),
            traveller: traveller,
            token: native ? address(0) : address(usd),
            amount: amount,
            commissionBps: uint16(bound(commissionBps, 0, 5_000)),
            supplier: makeAddr("supplier"),
            expiresAt: uint64(block.timestamp + 1 hours)
        });
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(signerKey, escrow.hashQuote(q));
        if (native) {
            vm.deal(traveller, amount);
            vm.prank(traveller);
            escrow.pay{value: amount}(q, abi.encodePacked(r, s, v));
            ghostUnsettledEth += amount;
        } else {
            usd.mint(traveller, amount);
            vm.startPrank(traveller);
            usd.approve(address(escrow), amount);
            escrow.pay(q, abi.encodePacked(r, s, v));
            vm.stopPrank();
            ghostUnsettledUsd += amount;
        }
        bookings.push(q.bookingId);
        expectedStatus[q.bookingId] = IBookingEscrow.Status.Paid;
    }

    function settle(uint256 seed, uint8 count) external {
        bytes32[] memory ids = _pick(seed, count);
        vm.prank(keeper);
        escrow.settle(ids);
        for (uint256 i = 0; i < ids.length; ++i) {
            if (expectedStatus[ids[i]] == IBookingEscrow.Status.Paid) {
                expectedStatus[ids[i]] = IBookingEscrow.Status.Settled;
                _release(ids[i]);
            }
        }
    }

    function refund(uint256 seed, bool byTraveller) external {
        if (bookings.length == 0) return;
        bytes32 id = bookings[seed % bookings.length];
        if (expectedStatus[id] != IBookingEscrow.Status.Paid) return;
        BookingEscrow.Booking memory booking = escrow.bookingOf(id);
        if (byTraveller) {
            if (block.timestamp < booking.refundableAt) vm.warp(booking.refundableAt);
            vm.prank(booking.traveller);
        } else {
            vm.prank(keeper);
        }
        escrow.refund(id);
        expectedStatus[id] = IBookingEscrow.Status.Refunded;
        _release(id);
    }

    /// A cancellation on the supplier's terms: part back to the traveller, the rest settled.
    function refundPartially(uint256 seed, uint256 part) external {
        if (bookings.length == 0) return;
        bytes32 id = bookings[seed % bookings.length];
        if (expectedStatus[id] != IBookingEscrow.Status.Paid) return;
        uint256 amount = escrow.bookingOf(id).amount;
        if (amount < 2) return;
        _release(id);
        vm.prank(keeper);
        escrow.refundPartially(id, bound(part, 1, amount - 1));
        expectedStatus[id] = IBookingEscrow.Status.Settled;
    }

    function distribute(uint256 seed, uint8 count) external {
        _distribute(_pick(seed, count));
    }

    function _distribute(bytes32[] memory ids) private {
        vm.recordLogs();
        distributor.distribute(ids);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].topics[0] != REWARD_DISTRIBUTED) continue;
            bytes32 id = logs[i].topics[1];
            (, uint256 traveller, uint256 level1, uint256 level2, uint256 treasury, , , ) = abi.decode(
                logs[i].data,
                (address, uint256, uint256, uint256, uint256, uint256, uint256, uint256)
            );
            uint256 reward = traveller + level1 + level2 + treasury;
            ghostRecordedRewards += reward;
            // The traveller gets at least the split's 70% (rounded down) and at most the whole reward.
            if (traveller > reward || traveller * 10_000 + 10_000 <= reward * 7_000) ++ghostBadSplits;
            if (++rewardEvents[id] > 1) ++ghostDoubleRewards;
            if (expectedStatus[id] != IBookingEscrow.Status.Settled) ++ghostDoubleRewards;
            expectedStatus[id] = IBookingEscrow.Status.Rewarded;
        }
    }

    function refer(uint256 userSeed, uint256 referrerSeed) external {
        address user = actors[userSeed % actors.length];
        address referrer = actors[referrerSeed % actors.length];
        vm.prank(user);
        try referrals.register(referrer) {} catch {}
    }

    function wait(uint32 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 3 days));
    }

    function _pick(uint256 seed, uint8 count) private view returns (bytes32[] memory ids) {
        ids = new bytes32[](bound(count, 1, 8));
        for (uint256 i = 0; i < ids.length; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            // Now and then an id the escrow has never seen.
            ids[i] = bookings.length == 0 || r % 10 == 0 ? bytes32(r) : bookings[r % bookings.length];
        }
    }

    function _release(bytes32 id) private {
        BookingEscrow.Booking memory booking = escrow.bookingOf(id);
        if (booking.token == address(0)) ghostUnsettledEth -= booking.amount;
        else ghostUnsettledUsd -= booking.amount;
    }
}

contract MoneyPathInvariantTest is TRVLTestBase {
    MoneyPathHandler internal handler;
    uint256 internal startedAt;
    uint256 internal constant MINT_CAPACITY = 50_000 ether;

    function setUp() public override {
        super.setUp();
        distributor.setMintLimit(MINT_CAPACITY, 1 days);
        // A stale TRVL/USD answer reverts a whole call: that feed never goes stale here; the handler moves its answer.
        distributor.setTrvlPriceFeed(trvlFeed, type(uint32).max, 1, type(uint128).max);
        handler = new MoneyPathHandler(
            escrow,
            distributor,
            referrals,
            usd,
            SIGNER_KEY,
            keeper,
            [ethFeed, usdFeed, trvlFeed]
        );
        // The payment tokens' answers age with the handler's waits: now and then a token's bookings wait for a price.
        distributor.setPriceFeed(address(0), ethFeed, 2 days, 1e8, 1e14);
        distributor.setPriceFeed(address(usd), usdFeed, 2 days, 0.5e8, 2e8);
        startedAt = block.timestamp;
        targetContract(address(handler));
    }

    /// The escrow holds exactly the payments of bookings that are paid and neither settled nor refunded.
    function invariant_EscrowHoldsExactlyUnsettledPayments() public view {
        assertEq(usd.balanceOf(address(escrow)), handler.ghostUnsettledUsd() + escrow.totalCredits(address(usd)));
        assertEq(address(escrow).balance, handler.ghostUnsettledEth() + escrow.totalCredits(address(0)));
    }

    /// Every TRVL in existence was minted by a recorded reward or is a part of a queued one, and never beyond the
    /// refilling mint limit; the queue owes exactly what its rewards have still to mint.
    function invariant_MintedEqualsRecordedRewardsWithinTheLimit() public view {
        (bytes32[] memory queued, uint256 owed) = distributor.rewardQueue();
        uint256 partsMinted = 0;
        uint256 stillOwed = 0;
        for (uint256 i = 0; i < queued.length; ++i) {
            RewardDistributor.QueuedReward memory entry = distributor.queuedReward(queued[i]);
            uint256 total =
                uint256(entry.travellerAmount) + entry.level1Amount + entry.level2Amount + entry.treasuryAmount;
            partsMinted += entry.minted;
            stillOwed += total - entry.minted;
            assertEq(uint8(escrow.bookingOf(queued[i]).status), uint8(IBookingEscrow.Status.Settled));
        }
        assertEq(owed, stillOwed);
        assertEq(trvl.totalSupply(), handler.ghostRecordedRewards() + partsMinted);
        uint256 refill = (MINT_CAPACITY * (block.timestamp - startedAt)) / 1 days;
        assertLe(trvl.totalSupply(), MINT_CAPACITY + refill);
        assertLe(trvl.totalSupply(), trvl.cap());
    }

    /// Each booking is rewarded at most once, and only after settlement.
    function invariant_RewardedOnceAfterSettlement() public view {
        assertEq(handler.ghostDoubleRewards(), 0);
    }

    /// Whatever the prices, no traveller share exceeds its reward.
    function invariant_TravellerShareWithinReward() public view {
        assertEq(handler.ghostBadSplits(), 0);
    }

    /// Liveness: once the mint limit has refilled, the queue always moves, so every queued reward is minted in the end.
    function invariant_QueueMovesWhenTheLimitRefills() public view {
        assertEq(handler.ghostStalledQueue(), 0);
    }

    /// The escrow's state machine matches the handler's books for every booking.
    function invariant_StatusesMatch() public view {
        uint256 count = handler.bookingCount();
        for (uint256 i = 0; i < count; ++i) {
            bytes32 id = handler.bookings(i);
            assertEq(uint8(escrow.bookingOf(id).status), uint8(handler.expectedStatus(id)));
        }
    }
}
