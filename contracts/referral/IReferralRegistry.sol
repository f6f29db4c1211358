// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/**
 * @title IReferralRegistry
 * @notice Read side of the referral graph, as the reward distributor uses it.
 */
interface IReferralRegistry {
    /// @notice The referrer of `user` (level 1) and that referrer's referrer (level 2); zero where there is none.
    function uplines(address user) external view returns (address level1, address level2);

    /// @notice `uplines` of each of `users`, in one call.
    function uplinesOf(
        address[] calldata users
    ) external view returns (address[] memory level1, address[] memory level2);
}
