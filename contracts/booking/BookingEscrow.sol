// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IBookingEscrow} from "./IBookingEscrow.sol";
import {BoundedPausable} from "../governance/BoundedPausable.sol";

/**
 * @title BookingEscrow
 * @notice Holds a traveller's payment for a booking until the booking is confirmed, then pays the supplier and sends
 * the commission to the treasury; or gives the money back. Prices are never chosen by the traveller: each payment
 * carries a Quote signed by a `QUOTE_SIGNER_ROLE` key of the TRVL backend.
 * @dev Each booking is paid once, then settled or refunded once, then rewarded once. Pausing stops new payments only:
 * settlement and refunds always work, and a traveller can take the money back alone once the booking's refund time
 * has come and it is still unsettled.
 */
contract BookingEscrow is IBookingEscrow, AccessControl, BoundedPausable, ReentrancyGuardTransient, EIP712 {
    using SafeERC20 for IERC20;

    /// @notice May settle paid bookings and refund them at any time (the TRVL keeper).
    bytes32 public constant SETTLER_ROLE = keccak256("SETTLER_ROLE");
    /// @notice Keys whose Quote signatures the escrow accepts (the TRVL backend).
    bytes32 public constant QUOTE_SIGNER_ROLE = keccak256("QUOTE_SIGNER_ROLE");
    /// @notice May mark settled bookings as rewarded (the RewardDistributor).
    bytes32 public constant REWARDER_ROLE = keccak256("REWARDER_ROLE");
    /// @notice Administers `SETTLER_ROLE` and `QUOTE_SIGNER_ROLE`, so operators (the guardian multisig) can rotate
    /// those hot keys at once, without a governance vote. Its own admin is `DEFAULT_ADMIN_ROLE`.
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");

    /// @notice EIP-712 type of a Quote.
    bytes32 public constant QUOTE_TYPEHASH = keccak256(
        "Quote(bytes32 bookingId,address traveller,address token,uint256 amount,uint16 commissionBps,address supplier,uint64 expiresAt)"
    );

    /// @notice The payment token value that stands for the chain's native coin (ETH).
    address public constant NATIVE_TOKEN = address(0);
    /// @notice Highest commission a quote may carry: 50%.
    uint16 public constant MAX_COMMISSION_BPS = 5_000;
    /// @notice Bounds of the time a booking may wait for settlement before its traveller can refund it.
    uint64 public constant MIN_SETTLEMENT_WINDOW = 1 hours;
    uint64 public constant MAX_SETTLEMENT_WINDOW = 365 days;

    uint256 private constant BPS = 10_000;
    /// @notice Gas an ETH recipient may use on receiving; one that refuses, or needs more, is credited instead.
    uint256 public constant RECEIVE_GAS = 100_000;

    /// @notice A priced booking, signed by the backend: what the traveller pays, to whom, and until when.
    struct Quote {
        bytes32 bookingId;
        address traveller;
        address token;
        uint256 amount;
        uint16 commissionBps;
        address supplier;
        uint64 expiresAt;
    }

    /// @notice A booking's on-chain record, packed in three storage slots; what the reward distributor reads of a
    /// settlement (`settlementsOf`) is all in the first two. `serial` numbers bookings in the order they were paid,
    /// from 1; it keys the bitmap of rewarded bookings. `paidAt` is the payment's timestamp. `amount` is what was
    /// paid, or after a partial refund what was kept and settled.
    struct Booking {
        address traveller;
        uint40 paidAt;
        uint16 commissionBps;
        Status status;
        uint32 serial;
        address token;
        uint96 amount;
        address supplier;
        uint40 refundableAt;
    }

    mapping(bytes32 bookingId => Booking) private _bookings;
    mapping(address token => bool) private _isPaymentToken;
    // Bit `serial % 256` of word `serial / 256` is set once the booking is rewarded: consecutive bookings share a
    // word, so rewarding a batch costs one storage write per 256 bookings instead of one per booking.
    mapping(uint256 word => uint256 bits) private _rewarded;
    mapping(address traveller => bool) private _hasSettledBooking;

    /// @notice Receives the commission of every settled booking.
    address public treasury;
    /// @notice How long after payment a traveller may refund an unsettled booking alone.
    uint64 public settlementWindow;
    /// @notice How many bookings were ever paid (the last serial given out).
    uint32 public bookingCount;
    /// @notice What each account may withdraw, per token, because a transfer to it failed; and the total per token.
    mapping(address token => mapping(address account => uint256)) public creditOf;
    mapping(address token => uint256) public totalCredits;

    /// @notice A traveller paid `amount` of `token` for booking `bookingId`; `commission` of it goes to the treasury
    /// on settlement; the traveller may refund it alone from `refundableAt` if it is still unsettled then.
    event BookingPaid(
        bytes32 indexed bookingId,
        address indexed traveller,
        address indexed token,
        uint256 amount,
        uint256 commission,
        address supplier,
        uint40 refundableAt
    );
    /// @notice Booking `bookingId` was settled: `supplierAmount` to the supplier, `commission` to the treasury.
    event BookingSettled(
        bytes32 indexed bookingId,
        address indexed traveller,
        address indexed supplier,
        address token,
        uint256 supplierAmount,
        uint256 commission
    );
    /// @notice A transfer of `amount` of `token` to `account` failed (ETH refused, a token transfer blocked): it is
    /// credited to `account`, which withdraws it with `withdrawCredit`. Nobody else's payment waits for it.
    event PaymentCredited(address indexed account, address indexed token, uint256 amount);
    /// @notice `account` withdrew its credit of `amount` of `token` to `to`.
    event CreditWithdrawn(address indexed account, address indexed token, address to, uint256 amount);
    /// @notice Booking `bookingId` was refunded in full to its traveller; `by` is who asked for it.
    event BookingRefunded(
        bytes32 indexed bookingId,
        address indexed traveller,
        address indexed by,
        address token,
        uint256 amount
    );
    /// @notice Booking `bookingId` was cancelled on the supplier's terms: `refunded` went back to its traveller and
    /// `kept` stays with the booking, settled (a `BookingSettled` for `kept` follows in the same transaction).
    event BookingPartiallyRefunded(
        bytes32 indexed bookingId,
        address indexed traveller,
        address token,
        uint256 refunded,
        uint256 kept
    );
    /// @notice `settle` passed over booking `bookingId` because it was not `Paid` (its status is `status`).
    event SettlementSkipped(bytes32 indexed bookingId, Status status);
    /// @notice `token` was allowed (`allowed == true`) or disallowed as a payment token.
    event PaymentTokenSet(address indexed token, bool allowed);
    event TreasurySet(address indexed previousTreasury, address indexed newTreasury);
    event SettlementWindowSet(uint64 previousWindow, uint64 newWindow);

    /// @dev An address argument that must be set is zero.
    error EscrowZeroAddress();
    /// @dev The quote's signer does not hold `QUOTE_SIGNER_ROLE`.
    error EscrowInvalidQuoteSigner(address signer);
    /// @dev The quote expired at `expiresAt`.
    error EscrowQuoteExpired(bytes32 bookingId, uint64 expiresAt);
    /// @dev The quote was issued to `traveller`, not to the caller.
    error EscrowNotQuoteTraveller(bytes32 bookingId, address traveller, address caller);
    /// @dev The quote's amount is zero, or larger than the escrow can record.
    error EscrowInvalidAmount(bytes32 bookingId, uint256 amount);
    /// @dev The quote's commission is above `MAX_COMMISSION_BPS`.
    error EscrowInvalidCommission(bytes32 bookingId, uint16 commissionBps);
    /// @dev `token` is not an allowed payment token.
    error EscrowTokenNotAllowed(address token);
    /// @dev The booking has already been paid (its status is `status`).
    error EscrowAlreadyPaid(bytes32 bookingId, Status status);
    /// @dev The ETH sent does not match the quote: `expected` for native payments, zero for token payments.
    error EscrowWrongValue(bytes32 bookingId, uint256 expected, uint256 sent);
    /// @dev Only `Paid` bookings can be refunded; this one is `status`.
    error EscrowNotRefundable(bytes32 bookingId, Status status);
    /// @dev Only the booking's traveller (after `refundableAt`) or a settler may refund it.
    error EscrowRefundNotAllowed(bytes32 bookingId, address caller);
    /// @dev The traveller may refund alone only from `refundableAt`.
    error EscrowRefundTooEarly(bytes32 bookingId, uint40 refundableAt);
    /// @dev A partial refund must be more than zero and less than the booking's `amount` (`refund` gives it all back,
    /// `settle` none).
    error EscrowInvalidRefundAmount(bytes32 bookingId, uint256 refundAmount, uint256 amount);
    /// @dev The settlement window is outside [`MIN_SETTLEMENT_WINDOW`, `MAX_SETTLEMENT_WINDOW`].
    error EscrowInvalidSettlementWindow(uint64 window);
    /// @dev `account` has no credit in `token` to withdraw.
    error EscrowNoCredit(address account, address token);
    /// @dev The token delivered `received` of the `expected` amount (a fee-on-transfer or rebasing token): the escrow
    /// would otherwise pay this booking's settlement or refund out of other travellers' deposits.
    error EscrowShortTransfer(bytes32 bookingId, uint256 expected, uint256 received);

    /**
     * @param admin Receives `DEFAULT_ADMIN_ROLE`: grants roles (`OPERATOR_ROLE` grants the settler and quote-signer
     * roles), allows tokens, sets the treasury and the window.
     * @param treasury_ Receives commissions.
     * @param settlementWindow_ Seconds after payment from which a traveller may refund an unsettled booking.
     */
    constructor(address admin, address treasury_, uint64 settlementWindow_) EIP712("TRVL BookingEscrow", "1") {
        if (admin == address(0)) revert EscrowZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _setRoleAdmin(SETTLER_ROLE, OPERATOR_ROLE);
        _setRoleAdmin(QUOTE_SIGNER_ROLE, OPERATOR_ROLE);
        _setTreasury(treasury_);
        _setSettlementWindow(settlementWindow_);
    }

    // --------------------------------------------------------------------------------------------------------------
    // Payments
    // --------------------------------------------------------------------------------------------------------------

    /**
     * @notice Pays for a booking with the native coin (send exactly `quote.amount`) or an allowed ERC-20 (approve
     * the escrow for `quote.amount` first). The caller must be the quote's traveller.
     * @param quote The booking's terms, as priced by the backend.
     * @param signature A `QUOTE_SIGNER_ROLE` key's EIP-712 signature over `quote`.
     */
    function pay(Quote calldata quote, bytes calldata signature) external payable nonReentrant whenNotPaused {
        _pay(quote, signature);
    }

    /**
     * @notice Pays for a booking in an ERC-2612 token in one transaction: the permit approves the escrow, then the
     * payment is taken. If the permit was already used (for instance front-run), an existing allowance still works.
     * @param quote The booking's terms, as priced by the backend.
     * @param signature A `QUOTE_SIGNER_ROLE` key's EIP-712 signature over `quote`.
     * @param permitDeadline, v, r, s The traveller's permit for at least `quote.amount`.
     */
    function payWithPermit(
        Quote calldata quote,
        bytes calldata signature,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant whenNotPaused {
        if (quote.token == NATIVE_TOKEN) revert EscrowTokenNotAllowed(NATIVE_TOKEN);
        try IERC20Permit(quote.token).permit(msg.sender, address(this), quote.amount, permitDeadline, v, r, s) {
            // Allowance set.
        } catch {
            // Fall through: the transfer below fails with the token's own error if no allowance exists.
        }
        _pay(quote, signature);
    }

    // --------------------------------------------------------------------------------------------------------------
    // Settlement, refunds, rewards
    // --------------------------------------------------------------------------------------------------------------

    /**
     * @notice Settles paid bookings: each supplier receives its amount minus the commission, the treasury the
     * commission. Bookings that are not `Paid` are skipped with `SettlementSkipped`, so one stale id never blocks a
     * batch.
     * @param bookingIds The bookings to settle.
     * @return settled How many bookings were settled.
     */
    function settle(
        bytes32[] calldata bookingIds
    ) external nonReentrant onlyRole(SETTLER_ROLE) returns (uint256 settled) {
        address treasury_ = treasury;
        for (uint256 i = 0; i < bookingIds.length; ++i) {
            bytes32 bookingId = bookingIds[i];
            Booking storage booking = _bookings[bookingId];
            if (booking.status != Status.Paid) {
                emit SettlementSkipped(bookingId, _statusOf(booking));
                continue;
            }
            booking.status = Status.Settled;
            address traveller = booking.traveller;
            if (!_hasSettledBooking[traveller]) _hasSettledBooking[traveller] = true;
            _paySupplier(bookingId, booking, booking.amount, treasury_);
            ++settled;
        }
    }

    /**
     * @notice Returns a paid, unsettled booking's full amount to its traveller. A settler may do it at any time; the
     * traveller may do it from the booking's `refundableAt`. Works while paused.
     * @param bookingId The booking to refund.
     */
    function refund(bytes32 bookingId) external nonReentrant {
        Booking storage booking = _bookings[bookingId];
        if (booking.status != Status.Paid) revert EscrowNotRefundable(bookingId, _statusOf(booking));
        address traveller = booking.traveller;
        if (!hasRole(SETTLER_ROLE, msg.sender)) {
            if (msg.sender != traveller) revert EscrowRefundNotAllowed(bookingId, msg.sender);
            if (block.timestamp < booking.refundableAt) revert EscrowRefundTooEarly(bookingId, booking.refundableAt);
        }
        booking.status = Status.Refunded;
        (address token, uint256 amount) = (booking.token, booking.amount);
        _transferOut(token, traveller, amount);
        emit BookingRefunded(bookingId, traveller, msg.sender, token, amount);
    }

    /**
     * @notice Cancels a paid booking on its supplier's terms: `refundAmount` goes back to the traveller and the rest is
     * settled — the supplier receives it minus the commission on it, the treasury that commission. The booking is then
     * `Settled` with `amount` the part kept, so it is rewarded on the kept part's commission only. A cancelled booking
     * does not count as the traveller's own settled booking (`hasSettledBooking`). Only a settler; works while paused.
     * @param bookingId The booking to cancel.
     * @param refundAmount What the traveller gets back: more than zero, less than the booking's amount.
     */
    function refundPartially(bytes32 bookingId, uint256 refundAmount) external nonReentrant onlyRole(SETTLER_ROLE) {
        Booking storage booking = _bookings[bookingId];
        if (booking.status != Status.Paid) revert EscrowNotRefundable(bookingId, _statusOf(booking));
        uint256 amount = booking.amount;
        if (refundAmount == 0 || refundAmount >= amount) {
            revert EscrowInvalidRefundAmount(bookingId, refundAmount, amount);
        }
        uint256 kept = amount - refundAmount;
        booking.status = Status.Settled;
        booking.amount = uint96(kept);
        (address token, address traveller) = (booking.token, booking.traveller);
        _transferOut(token, traveller, refundAmount);
        emit BookingPartiallyRefunded(bookingId, traveller, token, refundAmount, kept);
        _paySupplier(bookingId, booking, kept, treasury);
    }

    /**
     * @notice Withdraws the caller's credit in `token` (`address(0)` for ETH) to `to`: what a failed settlement or
     * refund transfer left owed to it. A contract that refuses ETH names another address to receive it.
     */
    function withdrawCredit(address token, address payable to) external nonReentrant {
        uint256 amount = creditOf[token][msg.sender];
        if (amount == 0) revert EscrowNoCredit(msg.sender, token);
        delete creditOf[token][msg.sender];
        totalCredits[token] -= amount;
        if (token == NATIVE_TOKEN) Address.sendValue(to, amount);
        else IERC20(token).safeTransfer(to, amount);
        emit CreditWithdrawn(msg.sender, token, to, amount);
    }

    /// @inheritdoc IBookingEscrow
    function markRewarded(
        bytes32[] calldata bookingIds
    ) external onlyRole(REWARDER_ROLE) returns (bool[] memory marked) {
        marked = new bool[](bookingIds.length);
        // Bookings of a batch mostly share a bitmap word: it is read and written once per run of them.
        uint256 word = type(uint256).max;
        uint256 bits = 0;
        for (uint256 i = 0; i < bookingIds.length; ++i) {
            Booking storage booking = _bookings[bookingIds[i]];
            if (booking.status != Status.Settled) continue;
            uint256 serial = booking.serial;
            if (serial >> 8 != word) {
                if (word != type(uint256).max) _rewarded[word] = bits;
                word = serial >> 8;
                bits = _rewarded[word];
            }
            uint256 bit = 1 << (serial & 0xff);
            if (bits & bit != 0) continue;
            bits |= bit;
            marked[i] = true;
        }
        if (word != type(uint256).max) _rewarded[word] = bits;
    }

    // --------------------------------------------------------------------------------------------------------------
    // Views
    // --------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IBookingEscrow
    function settlementsOf(bytes32[] calldata bookingIds) external view returns (Settlement[] memory settlements) {
        settlements = new Settlement[](bookingIds.length);
        // As in `markRewarded`: the bitmap word of the last settled booking is kept.
        uint256 word = type(uint256).max;
        uint256 bits = 0;
        for (uint256 i = 0; i < bookingIds.length; ++i) {
            Booking storage booking = _bookings[bookingIds[i]];
            Status status = booking.status;
            if (status == Status.None) continue;
            if (status == Status.Settled) {
                uint256 serial = booking.serial;
                if (serial >> 8 != word) (word, bits) = (serial >> 8, _rewarded[serial >> 8]);
                if (bits & (1 << (serial & 0xff)) != 0) status = Status.Rewarded;
            }
            settlements[i] = Settlement({
                status: status,
                traveller: booking.traveller,
                token: booking.token,
                commission: _commission(booking.amount, booking.commissionBps),
                paidAt: booking.paidAt
            });
        }
    }

    /// @inheritdoc IBookingEscrow
    function hasSettledBooking(address[] calldata accounts) external view returns (bool[] memory settled) {
        settled = new bool[](accounts.length);
        for (uint256 i = 0; i < accounts.length; ++i) settled[i] = _hasSettledBooking[accounts[i]];
    }

    /// @notice The full on-chain record of booking `bookingId` (all zero if it was never paid).
    function bookingOf(bytes32 bookingId) external view returns (Booking memory booking) {
        booking = _bookings[bookingId];
        booking.status = _statusOf(_bookings[bookingId]);
    }

    /// @notice Whether `token` is accepted for payments (`address(0)` is the native coin).
    function isPaymentToken(address token) external view returns (bool) {
        return _isPaymentToken[token];
    }

    /// @notice The EIP-712 digest a quote signer signs for `quote`.
    function hashQuote(Quote calldata quote) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(QUOTE_TYPEHASH, quote)));
    }

    /// @notice The EIP-712 domain separator that quote signatures are bound to.
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    // --------------------------------------------------------------------------------------------------------------
    // Administration
    // --------------------------------------------------------------------------------------------------------------

    /// @notice Allows or disallows `token` for new payments. Bookings already paid in it are unaffected.
    function setPaymentToken(address token, bool allowed) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _isPaymentToken[token] = allowed;
        emit PaymentTokenSet(token, allowed);
    }

    /// @notice Sets where commissions go from now on.
    function setTreasury(address newTreasury) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setTreasury(newTreasury);
    }

    /// @notice Sets the refund window of bookings paid from now on.
    function setSettlementWindow(uint64 newWindow) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setSettlementWindow(newWindow);
    }

    // --------------------------------------------------------------------------------------------------------------
    // Internals
    // --------------------------------------------------------------------------------------------------------------

    function _pay(Quote calldata quote, bytes calldata signature) private {
        bytes32 bookingId = quote.bookingId;
        address signer = ECDSA.recover(hashQuote(quote), signature);
        if (!hasRole(QUOTE_SIGNER_ROLE, signer)) revert EscrowInvalidQuoteSigner(signer);
        if (block.timestamp > quote.expiresAt) revert EscrowQuoteExpired(bookingId, quote.expiresAt);
        if (msg.sender != quote.traveller) revert EscrowNotQuoteTraveller(bookingId, quote.traveller, msg.sender);
        if (quote.amount == 0 || quote.amount > type(uint96).max) revert EscrowInvalidAmount(bookingId, quote.amount);
        if (quote.commissionBps > MAX_COMMISSION_BPS) revert EscrowInvalidCommission(bookingId, quote.commissionBps);
        if (quote.supplier == address(0)) revert EscrowZeroAddress();
        if (!_isPaymentToken[quote.token]) revert EscrowTokenNotAllowed(quote.token);
        Booking storage booking = _bookings[bookingId];
        if (booking.status != Status.None) revert EscrowAlreadyPaid(bookingId, booking.status);

        uint40 refundableAt = SafeCast.toUint40(block.timestamp + settlementWindow);
        uint32 serial = ++bookingCount;
        _bookings[bookingId] = Booking({
            traveller: quote.traveller,
            paidAt: uint40(block.timestamp),
            commissionBps: quote.commissionBps,
            status: Status.Paid,
            serial: serial,
            token: quote.token,
            amount: uint96(quote.amount),
            supplier: quote.supplier,
            refundableAt: refundableAt
        });

        if (quote.token == NATIVE_TOKEN) {
            if (msg.value != quote.amount) revert EscrowWrongValue(bookingId, quote.amount, msg.value);
        } else {
            if (msg.value != 0) revert EscrowWrongValue(bookingId, 0, msg.value);
            IERC20 token = IERC20(quote.token);
            uint256 balanceBefore = token.balanceOf(address(this));
            token.safeTransferFrom(msg.sender, address(this), quote.amount);
            uint256 received = token.balanceOf(address(this)) - balanceBefore;
            if (received != quote.amount) revert EscrowShortTransfer(bookingId, quote.amount, received);
        }
        emit BookingPaid(
            bookingId,
            quote.traveller,
            quote.token,
            quote.amount,
            _commission(quote.amount, quote.commissionBps),
            quote.supplier,
            refundableAt
        );
    }

    /// @dev The stored status, except that a settled booking whose bit is set reads as `Rewarded`.
    function _statusOf(Booking storage booking) private view returns (Status) {
        Status status = booking.status;
        if (status != Status.Settled) return status;
        uint256 serial = booking.serial;
        if (_rewarded[serial >> 8] & (1 << (serial & 0xff)) != 0) return Status.Rewarded;
        return Status.Settled;
    }

    /// @dev Pays `amount` of a booking out: the supplier all but the commission, the treasury the commission.
    function _paySupplier(bytes32 bookingId, Booking storage booking, uint256 amount, address treasury_) private {
        (address token, address supplier) = (booking.token, booking.supplier);
        uint256 commission = _commission(amount, booking.commissionBps);
        _transferOut(token, supplier, amount - commission);
        _transferOut(token, treasury_, commission);
        emit BookingSettled(bookingId, booking.traveller, supplier, token, amount - commission, commission);
    }

    /// @dev Pays `to`, or credits it if the transfer fails, so one recipient can never block a batch.
    function _transferOut(address token, address to, uint256 amount) private {
        if (amount == 0) return;
        bool sent;
        if (token == NATIVE_TOKEN) {
            (sent, ) = payable(to).call{value: amount, gas: RECEIVE_GAS}("");
        } else {
            sent = IERC20(token).trySafeTransfer(to, amount);
        }
        if (sent) return;
        creditOf[token][to] += amount;
        totalCredits[token] += amount;
        emit PaymentCredited(to, token, amount);
    }

    function _commission(uint256 amount, uint16 commissionBps) private pure returns (uint256) {
        return (amount * commissionBps) / BPS;
    }

    function _setTreasury(address newTreasury) private {
        if (newTreasury == address(0)) revert EscrowZeroAddress();
        emit TreasurySet(treasury, newTreasury);
        treasury = newTreasury;
    }

    function _setSettlementWindow(uint64 newWindow) private {
        if (newWindow < MIN_SETTLEMENT_WINDOW || newWindow > MAX_SETTLEMENT_WINDOW) {
            revert EscrowInvalidSettlementWindow(newWindow);
        }
        emit SettlementWindowSet(settlementWindow, newWindow);
        settlementWindow = newWindow;
    }
}
