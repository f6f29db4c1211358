// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {ERC20Capped} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Capped.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";

import {ITRVLMinter} from "./ITRVLMinter.sol";

/**
 * @title TRVLToken
 * @notice The Travel Token (TRVL): the reward and governance token of the TRVL protocol.
 * @dev ERC-20 with permit (ERC-2612), vote delegation on a timestamp clock (ERC-5805/ERC-6372), burning and a hard
 * cap of one billion tokens. New tokens only come from holders of `MINTER_ROLE` (the RewardDistributor). Transfers
 * can never be paused.
 */
contract TRVLToken is ERC20, ERC20Burnable, ERC20Capped, ERC20Permit, ERC20Votes, AccessControl, ITRVLMinter {
    /// @notice Role allowed to mint new TRVL, up to the cap.
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");

    /// @notice Hard cap on the total supply: 1,000,000,000 TRVL.
    uint256 public constant MAX_SUPPLY = 1_000_000_000 ether;

    /// @dev `recipients` and `amounts` of a batch mint differ in length.
    error TRVLBatchLengthMismatch(uint256 recipients, uint256 amounts);

    /// @dev The admin given to the constructor is the zero address.
    error TRVLZeroAdmin();

    /// @param admin Receives `DEFAULT_ADMIN_ROLE`, which grants and revokes `MINTER_ROLE`.
    constructor(address admin) ERC20("Travel Token", "TRVL") ERC20Capped(MAX_SUPPLY) ERC20Permit("Travel Token") {
        if (admin == address(0)) revert TRVLZeroAdmin();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @inheritdoc ITRVLMinter
    function mint(address to, uint256 amount) external onlyRole(MINTER_ROLE) {
        _mint(to, amount);
    }

    /**
     * @inheritdoc ITRVLMinter
     * @dev Has exactly the effects of `mint` for each recipient in turn (balances, Transfer events, the recipients'
     * delegates' votes), but writes the total supply's vote checkpoint and checks the cap once per batch rather
     * than once per recipient: the reward distributor mints three to four times per booking.
     */
    function mintBatch(address[] calldata recipients, uint256[] calldata amounts) external onlyRole(MINTER_ROLE) {
        if (recipients.length != amounts.length) revert TRVLBatchLengthMismatch(recipients.length, amounts.length);
        uint256 total = 0;
        for (uint256 i = 0; i < recipients.length; ++i) {
            (address to, uint256 amount) = (recipients[i], amounts[i]);
            if (to == address(0)) revert ERC20InvalidReceiver(address(0));
            ERC20._update(address(0), to, amount);
            _moveDelegateVotes(address(0), delegates(to), amount);
            // Cannot overflow: `ERC20._update` already added `amount` to the (checked) total supply.
            unchecked {
                total += amount;
            }
        }
        // Checkpoints the total supply: the token contract never has a delegate (it cannot call `delegate`, nor sign
        // for `delegateBySig`), so no account's votes move here.
        _transferVotingUnits(address(0), address(this), total);
        uint256 supply = totalSupply();
        if (supply > cap()) revert ERC20ExceededCap(supply, cap());
    }

    /// @notice The clock used for vote checkpoints: the block timestamp (ERC-6372).
    function clock() public view override returns (uint48) {
        return Time.timestamp();
    }

    /// @notice Describes the clock: checkpoints are keyed by timestamp (ERC-6372).
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    /// @inheritdoc ERC20Capped
    function cap() public view override(ERC20Capped, ITRVLMinter) returns (uint256) {
        return super.cap();
    }

    /// @inheritdoc ERC20
    function totalSupply() public view override(ERC20, ITRVLMinter) returns (uint256) {
        return super.totalSupply();
    }

    /// @inheritdoc ERC20Permit
    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Capped, ERC20Votes) {
        super._update(from, to, value);
    }
}
