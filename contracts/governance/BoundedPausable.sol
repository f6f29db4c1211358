// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

/**
 * @title BoundedPausable
 * @notice A pause the guardian cannot hold forever: a pause by `PAUSER_ROLE` ends by itself after `maxPauseDuration`,
 * and the pauser may pause again only `pauseCooldown` after a pause ended, so the protocol runs in between unless
 * governance (`DEFAULT_ADMIN_ROLE`, the timelock) keeps it paused with `extendPause`. Governance can always unpause.
 * @dev OpenZeppelin `Pausable`'s interface (`paused`, `whenNotPaused`, `Paused`/`Unpaused`, `EnforcedPause`/
 * `ExpectedPause`) over one timestamp: paused while `block.timestamp < _pausedUntil`, so a pause ends without a
 * transaction.
 */
abstract contract BoundedPausable is AccessControl {
    /// @notice May pause (for at most `maxPauseDuration`) and unpause.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice Longest pause governance may allow the pauser, and longest cooldown it may impose.
    uint32 public constant MAX_PAUSE_BOUND = 30 days;

    /// @dev When the current pause ends, or the last one ended.
    uint48 private _pausedUntil;
    uint32 private _maxPauseDuration = 3 days;
    uint32 private _pauseCooldown = 1 days;

    /// @notice `account` paused the contract.
    event Paused(address account);
    /// @notice `account` ended the pause.
    event Unpaused(address account);
    /// @notice The pause now lasts until `until` (set by governance).
    event PauseExtended(uint48 until);
    event PauseBoundsSet(uint32 maxPauseDuration, uint32 pauseCooldown);

    /// @dev The operation needs the contract not paused.
    error EnforcedPause();
    /// @dev The operation needs the contract paused.
    error ExpectedPause();
    /// @dev The pauser may pause again only from `allowedAt`.
    error PauseCoolingDown(uint256 allowedAt);
    /// @dev A pause bound is zero or above `MAX_PAUSE_BOUND`.
    error PauseInvalidBounds(uint32 maxPauseDuration, uint32 pauseCooldown);
    /// @dev `extendPause` needs a running pause and an end in the future.
    error PauseInvalidExtension(uint48 until);
    /// @dev Only a pauser or governance may unpause.
    error PauseUnauthorized(address account);

    modifier whenNotPaused() {
        if (paused()) revert EnforcedPause();
        _;
    }

    /// @notice Whether the contract is paused now: paused, and the pause has not run out.
    function paused() public view returns (bool) {
        return block.timestamp < _pausedUntil;
    }

    /// @notice When the current pause ends by itself (0 if not paused).
    function pausedUntil() external view returns (uint48) {
        return paused() ? _pausedUntil : 0;
    }

    /// @notice How long a pause lasts, and how long after a pause ended the pauser must wait to pause again.
    function pauseBounds() external view returns (uint32 maxPauseDuration, uint32 pauseCooldown) {
        return (_maxPauseDuration, _pauseCooldown);
    }

    /// @notice Pauses for `maxPauseDuration`, unless a pause ended less than `pauseCooldown` ago.
    function pause() external onlyRole(PAUSER_ROLE) {
        if (paused()) revert EnforcedPause();
        // A first pause finds `_pausedUntil` at zero: no cooldown.
        uint256 allowedAt = _pausedUntil == 0 ? 0 : uint256(_pausedUntil) + _pauseCooldown;
        if (block.timestamp < allowedAt) revert PauseCoolingDown(allowedAt);
        _pausedUntil = uint48(block.timestamp + _maxPauseDuration);
        emit Paused(msg.sender);
    }

    /// @notice Ends the pause now; a pauser or governance.
    function unpause() external {
        if (!hasRole(PAUSER_ROLE, msg.sender) && !hasRole(DEFAULT_ADMIN_ROLE, msg.sender)) {
            revert PauseUnauthorized(msg.sender);
        }
        if (!paused()) revert ExpectedPause();
        _pausedUntil = uint48(block.timestamp);
        emit Unpaused(msg.sender);
    }

    /// @notice Governance keeps a running pause until `until`.
    function extendPause(uint48 until) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (!paused() || until <= block.timestamp) revert PauseInvalidExtension(until);
        _pausedUntil = until;
        emit PauseExtended(until);
    }

    /// @notice Sets how long the pauser's pause lasts and the cooldown before it may pause again.
    function setPauseBounds(uint32 maxPauseDuration, uint32 pauseCooldown) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (
            maxPauseDuration == 0 ||
            maxPauseDuration > MAX_PAUSE_BOUND ||
            pauseCooldown == 0 ||
            pauseCooldown > MAX_PAUSE_BOUND
        ) revert PauseInvalidBounds(maxPauseDuration, pauseCooldown);
        (_maxPauseDuration, _pauseCooldown) = (maxPauseDuration, pauseCooldown);
        emit PauseBoundsSet(maxPauseDuration, pauseCooldown);
    }
}
