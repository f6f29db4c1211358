// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/**
 * @title IRewardBoost
 * @notice A source of per-traveller reward boosts (the staking contract's tiers), earned by what the traveller held
 * before paying rather than at the moment of the reward.
 */
interface IRewardBoost {
    /// @notice Extra reward for a booking `traveller` pays now, in basis points of the traveller share (1,000 = +10%).
    function boostBpsOf(address traveller) external view returns (uint256);

    /// @notice The least each of `accounts` had staked over the holding period ending at `times[i]`.
    function heldStakeAtMany(
        address[] calldata accounts,
        uint256[] calldata times
    ) external view returns (uint256[] memory);

    /// @notice Extra reward of each booking, paid by `travellers[i]` at `paidAt[i]`, in basis points.
    function boostBpsAtMany(
        address[] calldata travellers,
        uint256[] calldata paidAt
    ) external view returns (uint256[] memory);
}
