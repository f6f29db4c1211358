// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {MockRewardBoost} from "../../contracts/mocks/TestActors.sol";
import {BookingEscrow} from "../../contracts/booking/BookingEscrow.sol";
import {IBookingEscrow} from "../../contracts/booking/IBookingEscrow.sol";
import {TRVLTestBase} from "./TRVLTestBase.sol";

/// @dev Fuzzes the money path: whatever the amount, commission, prices, referrers and boost, a booking mints exactly
/// its commission's TRVL value, split as configured, with the boost never taken from anyone but the treasury.
contract RewardSplitFuzzTest is TRVLTestBase {
    MockRewardBoost internal boost;
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal carol = makeAddr("carol");

    function setUp() public override {
        super.setUp();
        boost = new MockRewardBoost();
        distributor.setBoostSource(boost);
        distributor.setMintLimit(type(uint208).max, 1 days);
    }

    function testFuzz_MintsExactlyTheCommissionValue(
        uint96 amount,
        uint16 commissionBps,
        uint64 usdPrice,
        uint64 trvlPrice,
        uint8 levels,
        uint16 boostBps,
        bool referrersTravelled
    ) public {
        amount = uint96(bound(amount, 1, 1e15)); // up to a billion tUSD
        commissionBps = uint16(bound(commissionBps, 0, escrow.MAX_COMMISSION_BPS()));
        usdPrice = uint64(bound(usdPrice, 0.5e8, 2e8));
        trvlPrice = uint64(bound(trvlPrice, 1e4, 1e12)); // $0.0001 to $10,000
        levels = uint8(bound(levels, 0, 2));
        boostBps = uint16(bound(boostBps, 0, 10_000));
        usdFeed.updateAnswer(int256(uint256(usdPrice)));
        trvlFeed.updateAnswer(int256(uint256(trvlPrice)));
        if (levels >= 1) {
            vm.prank(carol);
            referrals.register(bob);
        }
        if (levels == 2) {
            vm.prank(bob);
            referrals.register(alice);
        }
        boost.setBoost(carol, boostBps);
        // Referrers earn only when active: here, when they have a settled booking of their own.
        if (referrersTravelled) _travel(bob, alice);

        BookingEscrow.Quote memory q = _quote(carol, address(usd), amount, commissionBps);
        _pay(q);
        _settle(q.bookingId);

        uint256 commission = (uint256(amount) * commissionBps) / 10_000;
        // commission (6 decimals) × usdPrice / trvlPrice, in 18-decimal TRVL.
        uint256 value = Math.mulDiv(commission * usdPrice, 1e18, 1e6 * uint256(trvlPrice));
        if (value > trvl.cap()) {
            assertEq(_distribute(q.bookingId), 0, "a reward above the cap is skipped");
            assertEq(trvl.totalSupply(), 0);
            return;
        }
        assertEq(_distribute(q.bookingId), 1);
        uint256 travellerBase = (value * 7_000) / 10_000;
        uint256 level1 = levels >= 1 && referrersTravelled ? (value * 700) / 10_000 : 0;
        uint256 level2 = levels == 2 && referrersTravelled ? (value * 300) / 10_000 : 0;
        uint256 treasuryBase = value - travellerBase - level1 - level2;
        uint256 extra = Math.min((travellerBase * boostBps) / 10_000, treasuryBase);

        assertEq(trvl.totalSupply(), value, "mints exactly the commission's value");
        assertEq(trvl.balanceOf(carol), travellerBase + extra, "traveller share plus boost");
        assertEq(trvl.balanceOf(bob), level1, "level 1");
        assertEq(trvl.balanceOf(alice), level2, "level 2");
        assertEq(trvl.balanceOf(treasury), treasuryBase - extra, "treasury keeps the rest");
        assertEq(uint8(escrow.bookingOf(q.bookingId).status), uint8(IBookingEscrow.Status.Rewarded));
        assertEq(_distribute(q.bookingId), 0, "never twice");
    }

    function testFuzz_NativeCommissionValue(uint96 amount, uint16 commissionBps, uint64 ethPrice) public {
        amount = uint96(bound(amount, 1, 1_000 ether));
        commissionBps = uint16(bound(commissionBps, 0, escrow.MAX_COMMISSION_BPS()));
        ethPrice = uint64(bound(ethPrice, 1e8, 1e13)); // $1 to $100,000: at most 500 million TRVL
        ethFeed.updateAnswer(int256(uint256(ethPrice)));
        BookingEscrow.Quote memory q = _quote(carol, address(0), amount, commissionBps);
        _pay(q);
        _settle(q.bookingId);
        _distribute(q.bookingId);
        uint256 commission = (uint256(amount) * commissionBps) / 10_000;
        assertEq(trvl.totalSupply(), Math.mulDiv(commission * ethPrice, 1e18, 1e18 * uint256(0.1e8)));
    }

    function testFuzz_SettlementPaysEveryUnit(uint96 amount, uint16 commissionBps) public {
        amount = uint96(bound(amount, 1, type(uint96).max));
        commissionBps = uint16(bound(commissionBps, 0, escrow.MAX_COMMISSION_BPS()));
        BookingEscrow.Quote memory q = _quote(carol, address(usd), amount, commissionBps);
        _pay(q);
        _settle(q.bookingId);
        uint256 commission = (uint256(amount) * commissionBps) / 10_000;
        assertEq(usd.balanceOf(treasury), commission);
        assertEq(usd.balanceOf(supplier), amount - commission);
        assertEq(usd.balanceOf(address(escrow)), 0);
    }

    function testFuzz_MintLimitHoldsWithinAWindow(uint128 capacity, uint8 bookings) public {
        capacity = uint128(bound(capacity, 1 ether, 100_000 ether));
        bookings = uint8(bound(bookings, 1, 20));
        distributor.setMintLimit(capacity, 1 days);
        for (uint256 i = 0; i < bookings; ++i) {
            BookingEscrow.Quote memory q = _quote(carol, address(usd), 1_000e6, 1_000); // 1,000 TRVL each
            _pay(q);
            _settle(q.bookingId);
            _distribute(q.bookingId);
        }
        // What does not fit is queued and minted in parts: within the window, exactly the capacity, never more.
        assertEq(trvl.totalSupply(), Math.min(uint256(bookings) * 1_000 ether, capacity));
    }

    /// The escrow marks rewarded bookings in a bitmap of 256 per word, read and written once per run of a batch's
    /// bookings in one word: a batch that crosses words, goes back to an earlier word and repeats an id rewards each
    /// booking exactly once.
    function test_RewardsEachBookingOnceAcrossBitmapWords() public {
        bytes32[] memory all = new bytes32[](260);
        for (uint256 i = 0; i < all.length; ++i) {
            BookingEscrow.Quote memory q = _quote(carol, address(usd), 10e6, 1_000);
            _pay(q);
            all[i] = q.bookingId;
        }
        vm.prank(keeper);
        escrow.settle(all);
        // Serials 250..260 (words 0 and 1), then serial 1 (word 0 again), then serial 256 once more.
        bytes32[] memory batch = new bytes32[](13);
        for (uint256 i = 0; i < 11; ++i) batch[i] = all[249 + i];
        (batch[11], batch[12]) = (all[0], all[255]);
        assertEq(distributor.distribute(batch), 12);
        for (uint256 i = 0; i < all.length; ++i) {
            bool inBatch = i == 0 || (i >= 249 && i <= 259);
            assertEq(
                uint8(escrow.bookingOf(all[i]).status),
                uint8(inBatch ? IBookingEscrow.Status.Rewarded : IBookingEscrow.Status.Settled)
            );
        }
        assertEq(distributor.distribute(batch), 0, "never twice");
        // The rest, in one batch across both words.
        assertEq(distributor.distribute(all), 260 - 12);
        assertEq(trvl.totalSupply(), 260 * 10 ether);
    }

    function _travel(address first, address second) private {
        BookingEscrow.Quote memory a = _quote(first, address(usd), 1e6, 1_000);
        BookingEscrow.Quote memory b = _quote(second, address(usd), 1e6, 1_000);
        _pay(a);
        _pay(b);
        _settle(a.bookingId);
        _settle(b.bookingId);
    }
}
