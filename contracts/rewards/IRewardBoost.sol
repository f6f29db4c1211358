// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/**
 * @title IRewardBoost
 * @notice A source of per-traveller reward boosts (the staking contract's tiers).
 */
interface IRewardBoost {
    /// @notice Extra reward for `traveller`, in basis points of the traveller share (1,000 = +10%).
    function boostBpsOf(address traveller) external view returns (uint256);

    /// @notice `boostBpsOf` of each of `travellers`, in one call.
    function boostBpsOfMany(address[] calldata travellers) external view returns (uint256[] memory);
}
