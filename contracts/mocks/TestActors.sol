// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

import {BookingEscrow} from "../booking/BookingEscrow.sol";
import {IRewardBoost} from "../rewards/IRewardBoost.sol";

/// @notice Test-only: a smart-contract wallet (ERC-1271) that accepts signatures of its owner key.
contract MockSmartWallet is IERC1271 {
    address public immutable owner;

    constructor(address owner_) {
        owner = owner_;
    }

    /// @notice ERC-1271: valid when `signature` is the owner's over `hash`.
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address signer, , ) = ECDSA.tryRecover(hash, signature);
        return signer == owner ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }

    /// @notice Forwards a call, so the wallet can act as a traveller or a referrer.
    function execute(address target, uint256 value, bytes calldata data) external payable returns (bytes memory) {
        (bool ok, bytes memory result) = target.call{value: value}(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 32), mload(result))
            }
        }
        return result;
    }

    receive() external payable {}
}

/// @notice Test-only: a traveller contract that tries to re-enter the escrow when it receives a refund.
contract ReentrantTraveller {
    BookingEscrow public immutable escrow;
    bytes32 public targetBooking;
    bool public reentered;
    bytes public reentryError;

    constructor(BookingEscrow escrow_) {
        escrow = escrow_;
    }

    /// @notice Pays the escrow as this contract (the quote must name it as traveller).
    function pay(BookingEscrow.Quote calldata quote, bytes calldata signature) external payable {
        escrow.pay{value: msg.value}(quote, signature);
    }

    /// @notice Asks for a refund of `bookingId`; on receiving the ETH it tries to refund it again.
    function refund(bytes32 bookingId) external {
        targetBooking = bookingId;
        escrow.refund(bookingId);
    }

    receive() external payable {
        if (reentered) return;
        reentered = true;
        try escrow.refund(targetBooking) {} catch (bytes memory reason) {
            reentryError = reason;
        }
    }
}

/// @notice Test-only: an account that refuses ETH.
contract RejectingReceiver {
    error NoEther();

    receive() external payable {
        revert NoEther();
    }
}

/// @notice Test-only: a boost source with boosts set by hand.
contract MockRewardBoost is IRewardBoost {
    mapping(address traveller => uint256) public boostBpsOf;

    /// @inheritdoc IRewardBoost
    function boostBpsAtMany(
        address[] calldata travellers,
        uint256[] calldata
    ) external view returns (uint256[] memory boosts) {
        boosts = new uint256[](travellers.length);
        for (uint256 i = 0; i < travellers.length; ++i) boosts[i] = boostBpsOf[travellers[i]];
    }

    /// @notice Held stakes are not modelled: none.
    function heldStakeAtMany(address[] calldata accounts, uint256[] calldata) external pure returns (uint256[] memory) {
        return new uint256[](accounts.length);
    }

    /// @notice Sets `traveller`'s boost.
    function setBoost(address traveller, uint256 bps) external {
        boostBpsOf[traveller] = bps;
    }
}

/// @notice Test-only: votes on OpenZeppelin's default block-number clock, unlike TRVL's timestamp clock.
contract MockBlockClockVotes is ERC20, ERC20Permit, ERC20Votes {
    constructor() ERC20("Block Votes", "BV") ERC20Permit("Block Votes") {}

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }

    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }
}
