// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/**
 * @title ITRVLMinter
 * @notice What the reward distributor needs from the TRVL token: capped minting.
 */
interface ITRVLMinter {
    /// @notice Mints `amount` TRVL to `to`. Reverts above the cap or without `MINTER_ROLE`.
    function mint(address to, uint256 amount) external;

    /// @notice Mints `amounts[i]` TRVL to `recipients[i]` for every `i`, in one call.
    function mintBatch(address[] calldata recipients, uint256[] calldata amounts) external;

    /// @notice The maximum total supply.
    function cap() external view returns (uint256);

    /// @notice The current total supply.
    function totalSupply() external view returns (uint256);
}
