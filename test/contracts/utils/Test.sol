// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TestBase} from "forge-std/Base.sol";
import {StdAssertions} from "forge-std/StdAssertions.sol";
import {StdChains} from "forge-std/StdChains.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdInvariant} from "forge-std/StdInvariant.sol";
import {StdUtils} from "forge-std/StdUtils.sol";

/// @dev forge-std's `Test` without its console libraries (safeconsole alone is 430 kB of Solidity): the same
/// assertions, cheats and invariant targeting, for a fraction of the compile time with the WebAssembly solc.
abstract contract Test is TestBase, StdAssertions, StdChains, StdCheats, StdInvariant, StdUtils {
    // Note: IS_TEST() must return true.
    bool public IS_TEST = true;
}
