// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "./utils/Test.sol";

import {TRVLStaking} from "../../contracts/staking/TRVLStaking.sol";
import {TRVLToken} from "../../contracts/token/TRVLToken.sol";
import {StakingTestBase} from "./StakingTestBase.sol";

/// @dev Random sequences of staking actions by a few accounts, with the reward pool funded now and then.
contract StakingHandler is Test {
    TRVLStaking private immutable staking;
    TRVLToken private immutable trvl;
    address[] public actors;
    uint256 public ghostEarlyWithdrawals;
    uint256 public ghostFunded;
    uint256 public ghostThinnedStreams;
    /// Times `syncDelegate` left a staker's staked votes with another delegate than its token votes.
    uint256 public ghostUnsyncedDelegates;

    constructor(TRVLStaking staking_, TRVLToken trvl_) {
        staking = staking_;
        trvl = trvl_;
        for (uint256 i = 0; i < 4; ++i) actors.push(makeAddr(string(abi.encode("staker", i))));
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function stake(uint256 seed, uint256 amount) external {
        address actor = actors[seed % actors.length];
        amount = bound(amount, 1, 100_000 ether);
        trvl.mint(actor, amount);
        vm.startPrank(actor);
        trvl.approve(address(staking), amount);
        staking.stake(amount);
        vm.stopPrank();
    }

    function requestUnstake(uint256 seed, uint256 amount) external {
        address actor = actors[seed % actors.length];
        uint256 staked = staking.stakedOf(actor);
        if (staked == 0) return;
        vm.prank(actor);
        staking.requestUnstake(bound(amount, 1, staked));
    }

    function instantUnstake(uint256 seed, uint256 amount) external {
        address actor = actors[seed % actors.length];
        uint256 staked = staking.stakedOf(actor);
        if (staked == 0) return;
        vm.prank(actor);
        staking.instantUnstake(bound(amount, 1, staked));
    }

    function cancelUnstake(uint256 seed) external {
        address actor = actors[seed % actors.length];
        if (staking.pendingUnstakeOf(actor).amount == 0) return;
        vm.prank(actor);
        staking.cancelUnstake();
    }

    function withdraw(uint256 seed) external {
        address actor = actors[seed % actors.length];
        TRVLStaking.PendingUnstake memory pending = staking.pendingUnstakeOf(actor);
        if (pending.amount == 0) return;
        vm.prank(actor);
        try staking.withdraw() {
            if (block.timestamp < pending.unlockAt) ++ghostEarlyWithdrawals;
        } catch {}
    }

    function claim(uint256 seed) external {
        vm.prank(actors[seed % actors.length]);
        staking.claim();
    }

    /// Funds now and then, including top-ups that would spread a running stream thinner: those must be refused.
    function fund(uint256 amount, uint256 duration) external {
        amount = bound(amount, 1 ether, 1_000_000 ether);
        duration = bound(duration, 1 hours, 30 days);
        trvl.mint(address(this), amount);
        trvl.approve(address(staking), amount);
        uint256 rateBefore = staking.rewardRate();
        bool running = block.timestamp < staking.periodFinish();
        try staking.notifyRewardAmount(amount, duration) {
            ghostFunded += amount;
            if (running && staking.rewardRate() < rateBefore) ++ghostThinnedStreams;
        } catch (bytes memory reason) {
            // Only a top-up of a running stream may be refused, and only for lowering its rate.
            if (!running || bytes4(reason) != TRVLStaking.StakingRateWouldDrop.selector) ++ghostThinnedStreams;
        }
    }

    function wait(uint32 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 10 days));
    }

    /// A staker delegates its TRVL votes (to another staker or to itself), and re-aligns its staked votes or not.
    function delegate(uint256 seed, uint256 toSeed, bool sync) external {
        address actor = actors[seed % actors.length];
        vm.prank(actor);
        trvl.delegate(actors[toSeed % actors.length]);
        if (sync) syncDelegate(seed);
    }

    /// Anyone may re-align a staker's staked votes with its token delegate.
    function syncDelegate(uint256 seed) public {
        address actor = actors[seed % actors.length];
        staking.syncDelegate(actor);
        if (staking.delegates(actor) != trvl.delegates(actor)) ++ghostUnsyncedDelegates;
    }

    function transfer(uint256 seed, uint256 toSeed, uint256 amount) external {
        address actor = actors[seed % actors.length];
        uint256 balance = trvl.balanceOf(actor);
        if (balance == 0) return;
        vm.prank(actor);
        trvl.transfer(actors[toSeed % actors.length], bound(amount, 1, balance));
    }
}

contract StakingInvariantTest is StakingTestBase {
    StakingHandler internal handler;

    function setUp() public override {
        super.setUp();
        handler = new StakingHandler(staking, trvl);
        trvl.grantRole(trvl.MINTER_ROLE(), address(handler));
        staking.grantRole(staking.REWARDS_FUNDER_ROLE(), address(handler));
        targetContract(address(handler));
    }

    /// Total staked equals the sum of the positions; likewise what is in cooldown.
    function invariant_TotalsEqualPositions() public view {
        uint256 staked;
        uint256 pending;
        for (uint256 i = 0; i < handler.actorCount(); ++i) {
            staked += staking.stakedOf(handler.actors(i));
            pending += staking.pendingUnstakeOf(handler.actors(i)).amount;
        }
        assertEq(staking.totalStaked(), staked);
        assertEq(staking.totalPendingUnstake(), pending);
    }

    /// Rewards paid never exceed rewards funded, and the pool always holds what it owes.
    function invariant_RewardsNeverExceedFunding() public view {
        assertEq(staking.rewardsFunded(), handler.ghostFunded());
        assertLe(staking.rewardsPaid(), staking.rewardsFunded());
        uint256 owed;
        for (uint256 i = 0; i < handler.actorCount(); ++i) owed += staking.earned(handler.actors(i));
        assertLe(staking.rewardsPaid() + owed, staking.rewardsFunded());
        assertEq(
            trvl.balanceOf(address(staking)),
            staking.totalStaked() + staking.totalPendingUnstake() + staking.rewardsFunded() - staking.rewardsPaid()
        );
    }

    /// Yield is never lost: paid + owed + streamed to nobody (and not yet streamed again) + still to stream = funded,
    /// to within rounding; and no top-up ever lowered a running stream's rate.
    function invariant_NoYieldIsStranded() public view {
        uint256 owed;
        for (uint256 i = 0; i < handler.actorCount(); ++i) owed += staking.earned(handler.actors(i));
        uint256 finish = staking.periodFinish();
        uint256 toStream = block.timestamp < finish ? ((finish - block.timestamp) * staking.rewardRate()) / 1e18 : 0;
        uint256 accounted = staking.rewardsPaid() + owed + staking.unallocatedRewards() + toStream;
        assertLe(accounted, staking.rewardsFunded());
        assertApproxEqAbs(accounted, staking.rewardsFunded(), 1e9);
        assertEq(handler.ghostThinnedStreams(), 0);
    }

    /// Votes: every vote is a token held or staked by someone who delegated it, counted once: the actors' token votes
    /// plus staked votes never exceed the supply, staked votes never exceed what is staked, each account's token and
    /// staked votes match its own delegations, and `syncDelegate` always aligns the two.
    function invariant_VotesCountEachTokenOnce() public view {
        uint256 tokenVotes;
        uint256 stakedVotes;
        uint256 stakedDelegated;
        uint256 heldDelegated;
        for (uint256 i = 0; i < handler.actorCount(); ++i) {
            address actor = handler.actors(i);
            tokenVotes += trvl.getVotes(actor);
            stakedVotes += staking.getVotes(actor);
            if (staking.delegates(actor) != address(0)) stakedDelegated += staking.stakedOf(actor);
            if (trvl.delegates(actor) != address(0)) heldDelegated += trvl.balanceOf(actor);
        }
        assertEq(stakedVotes, stakedDelegated);
        assertEq(tokenVotes, heldDelegated);
        assertLe(stakedVotes, staking.totalStaked());
        assertLe(tokenVotes + stakedVotes, trvl.totalSupply());
        assertEq(handler.ghostUnsyncedDelegates(), 0);
    }

    /// Nothing in cooldown was ever withdrawn before its unlock time.
    function invariant_CooldownCannotBeBypassed() public view {
        assertEq(handler.ghostEarlyWithdrawals(), 0);
    }
}
