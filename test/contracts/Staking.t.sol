// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {StakingTestBase} from "./StakingTestBase.sol";

contract StakingFuzzTest is StakingTestBase {
    function testFuzz_YieldIsProRataAndNeverAboveFunding(
        uint96 stakeA,
        uint96 stakeB,
        uint96 amount,
        uint32 duration,
        uint32 elapsed
    ) public {
        stakeA = uint96(bound(stakeA, 1 ether, 10_000_000 ether));
        stakeB = uint96(bound(stakeB, 1 ether, 10_000_000 ether));
        amount = uint96(bound(amount, 1 ether, 100_000_000 ether));
        duration = uint32(bound(duration, 1 hours, 365 days));
        elapsed = uint32(bound(elapsed, 0, 2 * uint256(duration)));
        address a = makeAddr("a");
        address b = makeAddr("b");
        _stake(a, stakeA);
        _stake(b, stakeB);
        _fund(amount, duration);
        vm.warp(block.timestamp + elapsed);

        uint256 released = (uint256(amount) * (elapsed < duration ? elapsed : duration)) / duration;
        uint256 earnedA = staking.earned(a);
        uint256 earnedB = staking.earned(b);
        assertLe(earnedA + earnedB, released, "never more than released");
        // Rounding loses at most a few wei per staked token unit of precision.
        assertApproxEqAbs(earnedA + earnedB, released, 1e9, "everything released is owed");
        assertApproxEqAbs(earnedA * stakeB, earnedB * uint256(stakeA), (uint256(stakeA) + stakeB) * 1e9, "pro rata");

        vm.prank(a);
        staking.claim();
        assertEq(trvl.balanceOf(a), earnedA);
        assertLe(staking.rewardsPaid(), staking.rewardsFunded());
    }

    function testFuzz_InstantUnstakeFee(uint96 staked, uint96 amount) public {
        staked = uint96(bound(staked, 1, 1_000_000_000 ether));
        amount = uint96(bound(amount, 1, staked));
        address a = makeAddr("a");
        _stake(a, staked);
        vm.prank(a);
        staking.instantUnstake(amount);
        uint256 fee = (uint256(amount) * 200) / 10_000;
        assertEq(trvl.balanceOf(treasury), fee);
        assertEq(trvl.balanceOf(a), amount - fee);
        assertEq(staking.stakedOf(a), staked - amount);
        assertEq(staking.totalStaked(), staked - amount);
    }

    function testFuzz_TierFollowsThresholds(uint96 amount, uint32 held) public {
        amount = uint96(bound(amount, 1, 1_000_000 ether));
        address a = makeAddr("a");
        _stake(a, amount);
        uint256 expected =
            amount >= 50_000 ether
                ? 3
                : amount >= 10_000 ether
                    ? 2
                    : amount >= 1_000 ether
                        ? 1
                        : 0;
        assertEq(staking.tierOf(a), expected);
        uint16[4] memory boosts = [uint16(0), 1_000, 2_500, 5_000];
        uint16[4] memory discounts = [uint16(0), 200, 300, 500];
        // The boost and discount come with the tier only once the stake has been held for the holding period.
        held = uint32(bound(held, 0, 14 days));
        vm.warp(block.timestamp + held);
        uint256 earned = held >= staking.holdingPeriod() ? expected : 0;
        assertEq(staking.heldTierOf(a), earned);
        assertEq(staking.boostBpsOf(a), boosts[earned]);
        assertEq(staking.discountBpsOf(a), discounts[earned]);
    }

    function testFuzz_CooldownCannotBeBypassed(uint96 amount, uint32 wait) public {
        amount = uint96(bound(amount, 1, 1_000_000 ether));
        wait = uint32(bound(wait, 0, 7 days - 1));
        address a = makeAddr("a");
        _stake(a, amount);
        vm.prank(a);
        staking.requestUnstake(amount);
        vm.warp(block.timestamp + wait);
        vm.prank(a);
        vm.expectRevert();
        staking.withdraw();
        assertEq(trvl.balanceOf(a), 0);
    }
}
