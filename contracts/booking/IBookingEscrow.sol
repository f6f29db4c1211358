// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/**
 * @title IBookingEscrow
 * @notice The escrow's booking state machine, as the reward distributor sees it.
 */
interface IBookingEscrow {
    /// @notice Where a booking is in its life: paid once, then settled or refunded once; a settled booking is then
    /// rewarded once.
    enum Status {
        None,
        Paid,
        Settled,
        Refunded,
        Rewarded
    }

    /// @notice What a booking's reward is computed from.
    struct Settlement {
        Status status;
        address traveller;
        address token;
        uint256 commission;
        uint256 paidAt;
    }

    /**
     * @notice The settlement record of each booking in `bookingIds`: its status (only `Settled` bookings can be
     * rewarded), its traveller, its payment token (`address(0)` for the native coin), the commission the treasury
     * received, in token units, and when it was paid (a timestamp: staking boosts count what was held before it).
     */
    function settlementsOf(bytes32[] calldata bookingIds) external view returns (Settlement[] memory);

    /// @notice For each of `accounts`, whether a booking it paid for itself was ever settled.
    function hasSettledBooking(address[] calldata accounts) external view returns (bool[] memory);

    /**
     * @notice Marks settled bookings as rewarded. Only the reward distributor may call it.
     * @return marked `marked[i]` is true if `bookingIds[i]` was settled and not yet rewarded, and now is; false if
     * it was not (for instance a duplicate in the batch).
     */
    function markRewarded(bytes32[] calldata bookingIds) external returns (bool[] memory marked);
}
