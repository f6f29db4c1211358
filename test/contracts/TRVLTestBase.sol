// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "./utils/Test.sol";
import {MockV3Aggregator} from "@chainlink/contracts/src/v0.8/tests/MockV3Aggregator.sol";

import {BookingEscrow} from "../../contracts/booking/BookingEscrow.sol";
import {MockStablecoin} from "../../contracts/mocks/MockStablecoin.sol";
import {ReferralRegistry} from "../../contracts/referral/ReferralRegistry.sol";
import {RewardDistributor} from "../../contracts/rewards/RewardDistributor.sol";
import {TRVLToken} from "../../contracts/token/TRVLToken.sol";

/// @dev The whole core, wired as the Ignition module wires it, with this test contract as admin.
abstract contract TRVLTestBase is Test {
    uint256 internal constant SIGNER_KEY = 0xA11CE;
    address internal treasury = makeAddr("treasury");
    address internal supplier = makeAddr("supplier");
    address internal keeper = makeAddr("keeper");
    address internal quoteSigner;

    TRVLToken internal trvl;
    ReferralRegistry internal referrals;
    BookingEscrow internal escrow;
    RewardDistributor internal distributor;
    MockStablecoin internal usd;
    MockV3Aggregator internal ethFeed;
    MockV3Aggregator internal usdFeed;
    MockV3Aggregator internal trvlFeed;

    uint256 internal nextBooking;

    function setUp() public virtual {
        vm.warp(1_700_000_000);
        quoteSigner = vm.addr(SIGNER_KEY);
        trvl = new TRVLToken(address(this));
        referrals = new ReferralRegistry();
        escrow = new BookingEscrow(address(this), treasury, 1 days);
        distributor = new RewardDistributor(address(this), trvl, escrow, referrals, treasury, 10_000_000 ether, 1 days);
        usd = new MockStablecoin();
        ethFeed = new MockV3Aggregator(8, 3_000e8);
        usdFeed = new MockV3Aggregator(8, 1e8);
        trvlFeed = new MockV3Aggregator(8, 0.1e8);

        trvl.grantRole(trvl.MINTER_ROLE(), address(distributor));
        escrow.grantRole(escrow.REWARDER_ROLE(), address(distributor));
        escrow.grantRole(escrow.OPERATOR_ROLE(), address(this));
        escrow.grantRole(escrow.SETTLER_ROLE(), keeper);
        escrow.grantRole(escrow.QUOTE_SIGNER_ROLE(), quoteSigner);
        escrow.setPaymentToken(address(0), true);
        escrow.setPaymentToken(address(usd), true);
        distributor.setPriceFeed(address(0), ethFeed, 1 days, 1e8, 1e14);
        distributor.setPriceFeed(address(usd), usdFeed, 1 days, 0.5e8, 2e8);
        distributor.setTrvlPriceFeed(trvlFeed, 1 days, 1, type(uint128).max);
    }

    function _quote(
        address traveller,
        address token,
        uint256 amount,
        uint16 bps
    ) internal returns (BookingEscrow.Quote memory q) {
        q = BookingEscrow.Quote({
            bookingId: keccak256(abi.encode("booking", ++nextBooking)),
            traveller: traveller,
            token: token,
            amount: amount,
            commissionBps: bps,
            supplier: supplier,
            expiresAt: uint64(block.timestamp + 1 hours)
        });
    }

    function _sign(BookingEscrow.Quote memory q) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(SIGNER_KEY, escrow.hashQuote(q));
        return abi.encodePacked(r, s, v);
    }

    /// @dev Pays `q` as its traveller, funding them first.
    function _pay(BookingEscrow.Quote memory q) internal {
        bytes memory signature = _sign(q);
        if (q.token == address(0)) {
            vm.deal(q.traveller, q.amount);
            vm.prank(q.traveller);
            escrow.pay{value: q.amount}(q, signature);
        } else {
            usd.mint(q.traveller, q.amount);
            vm.startPrank(q.traveller);
            usd.approve(address(escrow), q.amount);
            escrow.pay(q, signature);
            vm.stopPrank();
        }
    }

    function _settle(bytes32 bookingId) internal {
        bytes32[] memory ids = new bytes32[](1);
        ids[0] = bookingId;
        vm.prank(keeper);
        escrow.settle(ids);
    }

    function _distribute(bytes32 bookingId) internal returns (uint256) {
        bytes32[] memory ids = new bytes32[](1);
        ids[0] = bookingId;
        return distributor.distribute(ids);
    }
}
