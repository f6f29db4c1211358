// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "./utils/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {TRVLStaking} from "../../contracts/staking/TRVLStaking.sol";
import {TRVLToken} from "../../contracts/token/TRVLToken.sol";

/// @dev A token and a staking contract with the default tiers; this test contract mints, funds and administers.
abstract contract StakingTestBase is Test {
    TRVLToken internal trvl;
    TRVLStaking internal staking;
    address internal treasury = makeAddr("treasury");

    function setUp() public virtual {
        vm.warp(1_700_000_000);
        trvl = new TRVLToken(address(this));
        trvl.grantRole(trvl.MINTER_ROLE(), address(this));
        TRVLStaking.Tier[] memory tiers = new TRVLStaking.Tier[](4);
        tiers[0] = TRVLStaking.Tier(0, 0, 0);
        tiers[1] = TRVLStaking.Tier(1_000 ether, 1_000, 200);
        tiers[2] = TRVLStaking.Tier(10_000 ether, 2_500, 300);
        tiers[3] = TRVLStaking.Tier(50_000 ether, 5_000, 500);
        staking = new TRVLStaking(address(this), IERC20(address(trvl)), treasury, tiers);
        staking.grantRole(staking.REWARDS_FUNDER_ROLE(), address(this));
        trvl.approve(address(staking), type(uint256).max);
    }

    function _stake(address account, uint256 amount) internal {
        trvl.mint(account, amount);
        vm.startPrank(account);
        trvl.approve(address(staking), amount);
        staking.stake(amount);
        vm.stopPrank();
    }

    function _fund(uint256 amount, uint256 duration) internal {
        trvl.mint(address(this), amount);
        staking.notifyRewardAmount(amount, duration);
    }
}
