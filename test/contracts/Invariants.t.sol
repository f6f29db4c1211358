// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "./utils/Test.sol";
import {Vm} from "forge-std/Vm.sol";
import {MockV3Aggregator} from "@chainlink/contracts/src/v0.8/tests/MockV3Aggregator.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {BookingEscrow} from "../../contracts/booking/BookingEscrow.sol";
import {IBookingEscrow} from "../../contracts/booking/IBookingEscrow.sol";
import {MockStablecoin} from "../../contracts/mocks/MockStablecoin.sol";
import {MockFeeOnTransferToken, MockRebasingToken} from "../../contracts/mocks/AdversarialTokens.sol";
import {RejectingReceiver} from "../../contracts/mocks/TestActors.sol";
import {ReferralRegistry} from "../../contracts/referral/ReferralRegistry.sol";
import {RewardDistributor} from "../../contracts/rewards/RewardDistributor.sol";
import {TRVLTestBase} from "./TRVLTestBase.sol";

/// @dev Drives the money path with random sequences of payments, settlements, refunds, distributions, referrals and
/// time, keeping its own books of what should be true. The escrow also lists adversarial tokens (one that takes a fee
/// on transfer, one that shaves what each recipient receives by a random haircut), and some suppliers refuse ETH.
contract MoneyPathHandler is Test {
    bytes32 private constant REWARD_DISTRIBUTED = keccak256(
        "RewardDistributed(bytes32,address,address,address,uint256,uint256,uint256,uint256,uint256,uint256,uint256)"
    );

    BookingEscrow private immutable escrow;
    RewardDistributor private immutable distributor;
    ReferralRegistry private immutable referrals;
    MockStablecoin private immutable usd;
    MockFeeOnTransferToken private immutable feeToken;
    MockRebasingToken private immutable rebasingToken;
    /// A supplier that refuses ETH: what it is owed in ETH is credited for withdrawal.
    address public immutable rejectingSupplier;
    uint256 private immutable signerKey;
    address private immutable keeper;

    address[] private actors;
    bytes32[] public bookings;
    mapping(bytes32 bookingId => IBookingEscrow.Status) public expectedStatus;
    mapping(bytes32 bookingId => uint256) public rewardEvents;

    /// What the escrow must hold per token: payments of open bookings (paid, neither settled nor refunded).
    mapping(address token => uint256) public ghostOpen;
    /// What the escrow owes per token and account because a transfer to it failed.
    mapping(address token => mapping(address account => uint256)) public ghostCredit;
    mapping(address token => uint256) public ghostCredits;
    /// Payments the escrow accepted although less than the quoted amount arrived.
    uint256 public ghostShortPaymentsAccepted;
    /// Referral registrations accepted, and for each account how many registrations named it as level 2 then.
    address[] private referred;
    mapping(address referrer => uint256) public ghostIndirect;
    uint256 public ghostRecordedRewards;
    uint256 public ghostDoubleRewards;
    /// Rewards whose traveller got more than the reward, or whose parts do not sum to it.
    uint256 public ghostBadSplits;
    /// Calls after a full refill of the mint limit that left the queue's debt where it was.
    uint256 public ghostStalledQueue;
    uint256 private nonce;
    MockV3Aggregator[3] private feeds;

    constructor(
        BookingEscrow escrow_,
        RewardDistributor distributor_,
        ReferralRegistry referrals_,
        MockStablecoin usd_,
        MockFeeOnTransferToken feeToken_,
        MockRebasingToken rebasingToken_,
        uint256 signerKey_,
        address keeper_,
        MockV3Aggregator[3] memory feeds_ // ETH/USD, stablecoin/USD, TRVL/USD: `movePrices` changes their answers
    ) {
        feeds = feeds_;
        escrow = escrow_;
        distributor = distributor_;
        referrals = referrals_;
        usd = usd_;
        feeToken = feeToken_;
        rebasingToken = rebasingToken_;
        rejectingSupplier = address(new RejectingReceiver());
        signerKey = signerKey_;
        keeper = keeper_;
        for (uint256 i = 0; i < 6; ++i) actors.push(makeAddr(string(abi.encode("actor", i))));
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function actor(uint256 i) external view returns (address) {
        return actors[i];
    }

    /// New answers, within each feed's trusted bounds, reported now.
    function movePrices(uint256 seed) public {
        feeds[0].updateAnswer(int256(bound(uint64(seed), 1e8, 1e14)));
        feeds[1].updateAnswer(int256(bound(uint64(seed >> 64), 0.5e8, 2e8)));
        feeds[2].updateAnswer(int256(bound(uint64(seed >> 128), 1e6, 1e10)));
    }

    /// After a whole window the limit is full again: any call must then mint some of what the queue owes.
    function refillAndDrain(uint256 seed) external {
        (bytes32[] memory queued, uint256 owedBefore) = distributor.rewardQueue();
        if (queued.length == 0) return;
        vm.warp(block.timestamp + 1 days);
        movePrices(seed);
        _distribute(new bytes32[](0));
        (, uint256 owedAfter) = distributor.rewardQueue();
        if (owedAfter >= owedBefore) ++ghostStalledQueue;
    }

    function bookingCount() external view returns (uint256) {
        return bookings.length;
    }

    /// Pays in ETH or the stablecoin, to an ordinary supplier or (for ETH) now and then to one that refuses ETH.
    function pay(uint256 actorSeed, uint256 amount, uint16 commissionBps, bool native) external {
        address token = native ? address(0) : address(usd);
        BookingEscrow.Quote memory q = _quote(
            actorSeed,
            token,
            amount,
            commissionBps,
            native ? 100 ether : 1_000_000e6
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(signerKey, escrow.hashQuote(q));
        if (native) {
            vm.deal(q.traveller, q.amount);
            vm.prank(q.traveller);
            escrow.pay{value: q.amount}(q, abi.encodePacked(r, s, v));
        } else {
            usd.mint(q.traveller, q.amount);
            vm.startPrank(q.traveller);
            usd.approve(address(escrow), q.amount);
            escrow.pay(q, abi.encodePacked(r, s, v));
            vm.stopPrank();
        }
        _opened(q);
    }

    /// Pays in a token that delivers less than it is asked to (a fee on transfer, or a random haircut of the
    /// recipient's balance): refused whenever anything is missing, accepted only when the whole amount arrived.
    function payShort(
        uint256 actorSeed,
        uint256 amount,
        uint16 commissionBps,
        bool rebasing,
        uint16 haircutBps
    ) external {
        address token = rebasing ? address(rebasingToken) : address(feeToken);
        BookingEscrow.Quote memory q = _quote(actorSeed, token, amount, commissionBps, 1_000_000e6);
        uint256 shortfall;
        if (rebasing) {
            rebasingToken.setHaircut(bound(haircutBps, 0, 500));
            rebasingToken.mint(q.traveller, q.amount);
            shortfall = (q.amount * rebasingToken.haircutBps()) / 10_000;
        } else {
            feeToken.mint(q.traveller, q.amount);
            shortfall = q.amount / 100;
        }
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(signerKey, escrow.hashQuote(q));
        vm.startPrank(q.traveller);
        IERC20(token).approve(address(escrow), q.amount);
        try escrow.pay(q, abi.encodePacked(r, s, v)) {
            if (shortfall != 0) ++ghostShortPaymentsAccepted;
            _opened(q);
        } catch {
            // Refused: a whole payment would have been accepted, so only a short one may be.
            if (shortfall == 0) ++ghostShortPaymentsAccepted;
        }
        vm.stopPrank();
        if (rebasing) rebasingToken.setHaircut(0);
    }

    /// The ETH-refusing supplier withdraws its credit to an address that accepts it.
    function withdrawCredit() external {
        uint256 owed = ghostCredit[address(0)][rejectingSupplier];
        if (owed == 0) return;
        address payable payout = payable(makeAddr("payout"));
        uint256 before = payout.balance;
        vm.prank(rejectingSupplier);
        escrow.withdrawCredit(address(0), payout);
        assertEq(payout.balance - before, owed);
        ghostCredit[address(0)][rejectingSupplier] = 0;
        ghostCredits[address(0)] -= owed;
    }

    function settle(uint256 seed, uint8 count) external {
        bytes32[] memory ids = _pick(seed, count);
        vm.prank(keeper);
        escrow.settle(ids);
        for (uint256 i = 0; i < ids.length; ++i) {
            if (expectedStatus[ids[i]] == IBookingEscrow.Status.Paid) {
                expectedStatus[ids[i]] = IBookingEscrow.Status.Settled;
                BookingEscrow.Booking memory booking = escrow.bookingOf(ids[i]);
                _release(ids[i]);
                _paidSupplier(booking, booking.amount);
            }
        }
    }

    function refund(uint256 seed, bool byTraveller) external {
        if (bookings.length == 0) return;
        bytes32 id = bookings[seed % bookings.length];
        if (expectedStatus[id] != IBookingEscrow.Status.Paid) return;
        BookingEscrow.Booking memory booking = escrow.bookingOf(id);
        if (byTraveller) {
            if (block.timestamp < booking.refundableAt) vm.warp(booking.refundableAt);
            vm.prank(booking.traveller);
        } else {
            vm.prank(keeper);
        }
        escrow.refund(id);
        expectedStatus[id] = IBookingEscrow.Status.Refunded;
        _release(id);
    }

    /// A cancellation on the supplier's terms: part back to the traveller, the rest settled.
    function refundPartially(uint256 seed, uint256 part) external {
        if (bookings.length == 0) return;
        bytes32 id = bookings[seed % bookings.length];
        if (expectedStatus[id] != IBookingEscrow.Status.Paid) return;
        BookingEscrow.Booking memory booking = escrow.bookingOf(id);
        if (booking.amount < 2) return;
        _release(id);
        part = bound(part, 1, booking.amount - 1);
        vm.prank(keeper);
        escrow.refundPartially(id, part);
        expectedStatus[id] = IBookingEscrow.Status.Settled;
        _paidSupplier(booking, booking.amount - part);
    }

    function distribute(uint256 seed, uint8 count) external {
        _distribute(_pick(seed, count));
    }

    function _distribute(bytes32[] memory ids) private {
        vm.recordLogs();
        distributor.distribute(ids);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].topics[0] != REWARD_DISTRIBUTED) continue;
            bytes32 id = logs[i].topics[1];
            (, uint256 traveller, uint256 level1, uint256 level2, uint256 treasury, , , ) = abi.decode(
                logs[i].data,
                (address, uint256, uint256, uint256, uint256, uint256, uint256, uint256)
            );
            uint256 reward = traveller + level1 + level2 + treasury;
            ghostRecordedRewards += reward;
            // The traveller gets at least the split's 70% (rounded down) and at most the whole reward.
            if (traveller > reward || traveller * 10_000 + 10_000 <= reward * 7_000) ++ghostBadSplits;
            if (++rewardEvents[id] > 1) ++ghostDoubleRewards;
            if (expectedStatus[id] != IBookingEscrow.Status.Settled) ++ghostDoubleRewards;
            expectedStatus[id] = IBookingEscrow.Status.Rewarded;
        }
    }

    /// A random actor names a random referrer (itself, an upline or a downline included): the registry must refuse
    /// whatever would make a loop, and count what it accepts.
    function refer(uint256 userSeed, uint256 referrerSeed) external {
        address user = actors[userSeed % actors.length];
        address referrer = actors[referrerSeed % actors.length];
        address level2 = referrals.referrerOf(referrer);
        vm.prank(user);
        try referrals.register(referrer) {
            referred.push(user);
            if (level2 != address(0)) ++ghostIndirect[level2];
        } catch {}
    }

    function referredCount() external view returns (uint256) {
        return referred.length;
    }

    function wait(uint32 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 3 days));
    }

    function _pick(uint256 seed, uint8 count) private view returns (bytes32[] memory ids) {
        ids = new bytes32[](bound(count, 1, 8));
        for (uint256 i = 0; i < ids.length; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            // Now and then an id the escrow has never seen.
            ids[i] = bookings.length == 0 || r % 10 == 0 ? bytes32(r) : bookings[r % bookings.length];
        }
    }

    function _quote(
        uint256 actorSeed,
        address token,
        uint256 amount,
        uint16 commissionBps,
        uint256 maxAmount
    ) private returns (BookingEscrow.Quote memory) {
        // One ETH booking in four goes to the supplier that refuses ETH.
        bool rejecting = token == address(0) && uint256(keccak256(abi.encode(actorSeed, "supplier"))) % 4 == 0;
        return
            BookingEscrow.Quote({
                bookingId: keccak256(abi.encode("invariant", ++nonce)),
                traveller: actors[actorSeed % actors.length],
                token: token,
                amount: bound(amount, 1, maxAmount),
                commissionBps: uint16(bound(commissionBps, 0, 5_000)),
                supplier: rejecting ? rejectingSupplier : makeAddr("supplier"),
                expiresAt: uint64(block.timestamp + 1 hours)
            });
    }

    function _opened(BookingEscrow.Quote memory q) private {
        ghostOpen[q.token] += q.amount;
        bookings.push(q.bookingId);
        expectedStatus[q.bookingId] = IBookingEscrow.Status.Paid;
    }

    /// The supplier's part of `settled` was paid out of the escrow, or credited if the supplier refused it.
    function _paidSupplier(BookingEscrow.Booking memory booking, uint256 settled) private {
        if (booking.token != address(0) || booking.supplier != rejectingSupplier) return;
        uint256 due = settled - (settled * booking.commissionBps) / 10_000;
        ghostCredit[address(0)][rejectingSupplier] += due;
        ghostCredits[address(0)] += due;
    }

    function _release(bytes32 id) private {
        BookingEscrow.Booking memory booking = escrow.bookingOf(id);
        ghostOpen[booking.token] -= booking.amount;
    }
}

contract MoneyPathInvariantTest is TRVLTestBase {
    MoneyPathHandler internal handler;
    MockFeeOnTransferToken internal feeToken;
    MockRebasingToken internal rebasingToken;
    uint256 internal startedAt;
    uint256 internal constant MINT_CAPACITY = 50_000 ether;

    function setUp() public override {
        super.setUp();
        distributor.setMintLimit(MINT_CAPACITY, 1 days);
        // A stale TRVL/USD answer reverts a whole call: that feed never goes stale here; the handler moves its answer.
        distributor.setTrvlPriceFeed(trvlFeed, type(uint32).max, 1, type(uint128).max);
        // Listed by mistake: the escrow itself must refuse payments that arrive short.
        feeToken = new MockFeeOnTransferToken();
        rebasingToken = new MockRebasingToken();
        escrow.setPaymentToken(address(feeToken), true);
        escrow.setPaymentToken(address(rebasingToken), true);
        distributor.setPriceFeed(address(rebasingToken), usdFeed, 2 days, 0.5e8, 2e8);
        handler = new MoneyPathHandler(
            escrow,
            distributor,
            referrals,
            usd,
            feeToken,
            rebasingToken,
            SIGNER_KEY,
            keeper,
            [ethFeed, usdFeed, trvlFeed]
        );
        // The payment tokens' answers age with the handler's waits: now and then a token's bookings wait for a price.
        distributor.setPriceFeed(address(0), ethFeed, 2 days, 1e8, 1e14);
        distributor.setPriceFeed(address(usd), usdFeed, 2 days, 0.5e8, 2e8);
        startedAt = block.timestamp;
        targetContract(address(handler));
    }

    /// Solvency, per token: the escrow holds exactly the payments of bookings that are paid and neither settled nor
    /// refunded, plus what it credits to accounts that refused a transfer, adversarial tokens and receivers included.
    function invariant_EscrowHoldsExactlyUnsettledPayments() public view {
        address[4] memory tokens = [address(0), address(usd), address(feeToken), address(rebasingToken)];
        for (uint256 i = 0; i < tokens.length; ++i) {
            address token = tokens[i];
            uint256 held = token == address(0) ? address(escrow).balance : IERC20(token).balanceOf(address(escrow));
            assertEq(held, handler.ghostOpen(token) + handler.ghostCredits(token));
            assertEq(escrow.totalCredits(token), handler.ghostCredits(token));
        }
    }

    /// Payments that arrive short are refused, whole ones accepted; ETH a supplier refuses is credited to it.
    function invariant_ShortPaymentsRefusedAndRefusedEthCredited() public view {
        assertEq(handler.ghostShortPaymentsAccepted(), 0);
        address rejecting = handler.rejectingSupplier();
        assertEq(escrow.creditOf(address(0), rejecting), handler.ghostCredit(address(0), rejecting));
    }

    /// The referral graph stays a forest (following referrers from anyone ends, never back at the start), each
    /// account's direct count is the number of accounts naming it, and its indirect count the registrations that
    /// named it as level 2 when they were made.
    function invariant_ReferralGraphAcyclicAndCounted() public view {
        uint256 n = handler.actorCount();
        uint256 edges = 0;
        for (uint256 i = 0; i < n; ++i) {
            address account = handler.actor(i);
            address cursor = referrals.referrerOf(account);
            for (uint256 steps = 0; cursor != address(0); ++steps) {
                assertTrue(cursor != account, "referral cycle");
                assertLe(steps, n, "referral chain longer than the accounts");
                cursor = referrals.referrerOf(cursor);
            }
            uint256 direct = 0;
            uint256 level2Now = 0;
            for (uint256 j = 0; j < n; ++j) {
                address user = handler.actor(j);
                address level1 = referrals.referrerOf(user);
                if (level1 == account) ++direct;
                if (level1 != address(0) && referrals.referrerOf(level1) == account) ++level2Now;
            }
            (uint256 countedDirect, uint256 countedIndirect) = referrals.refereeCounts(account);
            assertEq(countedDirect, direct);
            assertEq(countedIndirect, handler.ghostIndirect(account));
            assertLe(countedIndirect, level2Now);
            if (referrals.referrerOf(account) != address(0)) ++edges;
        }
        assertEq(edges, handler.referredCount());
    }

    /// Every TRVL in existence was minted by a recorded reward or is a part of a queued one, and never beyond the
    /// refilling mint limit; the queue owes exactly what its rewards have still to mint.
    function invariant_MintedEqualsRecordedRewardsWithinTheLimit() public view {
        (bytes32[] memory queued, uint256 owed) = distributor.rewardQueue();
        uint256 partsMinted = 0;
        uint256 stillOwed = 0;
        for (uint256 i = 0; i < queued.length; ++i) {
            RewardDistributor.QueuedReward memory entry = distributor.queuedReward(queued[i]);
            uint256 total =
                uint256(entry.travellerAmount) + entry.level1Amount + entry.level2Amount + entry.treasuryAmount;
            partsMinted += entry.minted;
            stillOwed += total - entry.minted;
            assertEq(uint8(escrow.bookingOf(queued[i]).status), uint8(IBookingEscrow.Status.Settled));
        }
        assertEq(owed, stillOwed);
        assertEq(trvl.totalSupply(), handler.ghostRecordedRewards() + partsMinted);
        uint256 refill = (MINT_CAPACITY * (block.timestamp - startedAt)) / 1 days;
        assertLe(trvl.totalSupply(), MINT_CAPACITY + refill);
        assertLe(trvl.totalSupply(), trvl.cap());
    }

    /// Each booking is rewarded at most once, and only after settlement.
    function invariant_RewardedOnceAfterSettlement() public view {
        assertEq(handler.ghostDoubleRewards(), 0);
    }

    /// Whatever the prices, no traveller share exceeds its reward.
    function invariant_TravellerShareWithinReward() public view {
        assertEq(handler.ghostBadSplits(), 0);
    }

    /// Liveness: once the mint limit has refilled, the queue always moves, so every queued reward is minted in the end.
    function invariant_QueueMovesWhenTheLimitRefills() public view {
        assertEq(handler.ghostStalledQueue(), 0);
    }

    /// The escrow's state machine matches the handler's books for every booking.
    function invariant_StatusesMatch() public view {
        uint256 count = handler.bookingCount();
        for (uint256 i = 0; i < count; ++i) {
            bytes32 id = handler.bookings(i);
            assertEq(uint8(escrow.bookingOf(id).status), uint8(handler.expectedStatus(id)));
        }
    }
}
