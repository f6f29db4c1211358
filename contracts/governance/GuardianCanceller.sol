// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/**
 * @title GuardianCanceller
 * @notice The guardian's veto over queued governance operations, bounded: it holds the timelock's `CANCELLER_ROLE`
 * in the guardian's place, and cancels an operation for the guardian only if none of its calls grants, revokes or
 * renounces a role of the guardian or of this contract. Governance can thus always remove the guardian.
 * @dev The caller passes the whole operation; its id is recomputed with the timelock's own hash, so the calls checked
 * are the calls that would run.
 */
contract GuardianCanceller {
    TimelockController public immutable timelock;
    /// @notice The only account that may cancel through this contract (the guardian Safe).
    address public immutable guardian;

    /// @notice The guardian cancelled timelock operation `id`.
    event OperationVetoed(bytes32 indexed id);

    /// @dev A constructor argument is the zero address.
    error CancellerZeroAddress();
    /// @dev Only the guardian may cancel through this contract.
    error CancellerNotGuardian(address caller);
    /// @dev Call `index` of the operation changes the guardian's (or this contract's) roles: it cannot be vetoed.
    error CancellerOwnRoles(uint256 index);

    constructor(TimelockController timelock_, address guardian_) {
        if (address(timelock_) == address(0) || guardian_ == address(0)) revert CancellerZeroAddress();
        timelock = timelock_;
        guardian = guardian_;
    }

    /// @notice Cancels the operation scheduled with `schedule(target, value, data, predecessor, salt)`.
    function cancel(address target, uint256 value, bytes calldata data, bytes32 predecessor, bytes32 salt) external {
        _onlyGuardian();
        _check(0, data);
        _cancel(timelock.hashOperation(target, value, data, predecessor, salt));
    }

    /// @notice Cancels the operation scheduled with `scheduleBatch(targets, values, payloads, predecessor, salt)` (as
    /// the governor queues proposals).
    function cancelBatch(
        address[] calldata targets,
        uint256[] calldata values,
        bytes[] calldata payloads,
        bytes32 predecessor,
        bytes32 salt
    ) external {
        _onlyGuardian();
        for (uint256 i = 0; i < payloads.length; ++i) _check(i, payloads[i]);
        _cancel(timelock.hashOperationBatch(targets, values, payloads, predecessor, salt));
    }

    /// @notice Whether a call with `data` changes the guardian's or this contract's roles (and so cannot be vetoed).
    function touchesGuardianRoles(bytes calldata data) public view returns (bool) {
        if (data.length < 68) return false;
        bytes4 selector = bytes4(data[:4]);
        if (
            selector != IAccessControl.grantRole.selector &&
            selector != IAccessControl.revokeRole.selector &&
            selector != IAccessControl.renounceRole.selector
        ) return false;
        (, address account) = abi.decode(data[4:68], (bytes32, address));
        return account == guardian || account == address(this);
    }

    function _check(uint256 index, bytes calldata data) private view {
        if (touchesGuardianRoles(data)) revert CancellerOwnRoles(index);
    }

    function _cancel(bytes32 id) private {
        timelock.cancel(id);
        emit OperationVetoed(id);
    }

    function _onlyGuardian() private view {
        if (msg.sender != guardian) revert CancellerNotGuardian(msg.sender);
    }
}
