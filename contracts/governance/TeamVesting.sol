// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {VestingWallet} from "@openzeppelin/contracts/finance/VestingWallet.sol";
import {VestingWalletCliff} from "@openzeppelin/contracts/finance/VestingWalletCliff.sol";

/**
 * @title TeamVesting
 * @notice The team's genesis allocation: OpenZeppelin's vesting wallet with a cliff. Nothing is released before
 * `start + cliff`; from then on the allocation vests linearly from `start` to `start + duration`, and the beneficiary
 * (the owner) calls `release(token)` to receive what has vested. Tokens held here do not vote.
 */
contract TeamVesting is VestingWalletCliff {
    /**
     * @param beneficiary Receives the vested tokens (and owns the wallet).
     * @param start When vesting starts (seconds since the epoch).
     * @param duration Seconds from `start` until everything has vested.
     * @param cliff Seconds from `start` before anything is released; at most `duration`.
     */
    constructor(
        address beneficiary,
        uint64 start,
        uint64 duration,
        uint64 cliff
    ) VestingWallet(beneficiary, start, duration) VestingWalletCliff(cliff) {}
}
