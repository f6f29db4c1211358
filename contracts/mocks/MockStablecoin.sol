// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/**
 * @title MockStablecoin
 * @notice A 6-decimal USD stablecoin with permit, for the local chain and tests only. Anyone may mint: it is a faucet.
 */
contract MockStablecoin is ERC20, ERC20Permit {
    constructor() ERC20("Test USD", "tUSD") ERC20Permit("Test USD") {}

    /// @notice Mints `amount` (6 decimals) to `to`. Local chain and tests only.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice USD stablecoins use 6 decimals.
    function decimals() public pure override returns (uint8) {
        return 6;
    }
}
