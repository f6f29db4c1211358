// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Test-only: a 6-decimal token that burns 1% of every transfer, so a recipient gets less than was sent.
contract MockFeeOnTransferToken is ERC20 {
    constructor() ERC20("Fee USD", "fUSD") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from == address(0) || to == address(0)) return super._update(from, to, value);
        uint256 fee = value / 100;
        super._update(from, address(0), fee);
        super._update(from, to, value - fee);
    }
}

/// @notice Test-only: a 6-decimal token whose balances can shrink at any moment (a negative rebase), here by a
/// haircut the token takes from each transfer's recipient.
contract MockRebasingToken is ERC20 {
    uint256 public haircutBps;

    constructor() ERC20("Rebasing USD", "rUSD") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice From now on, each transfer's recipient loses `bps` of what it received.
    function setHaircut(uint256 bps) external {
        haircutBps = bps;
    }

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (from != address(0) && to != address(0) && haircutBps != 0) {
            super._update(to, address(0), (value * haircutBps) / 10_000);
        }
    }
}
