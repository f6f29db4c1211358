// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {GovernorCountingSimple} from "@openzeppelin/contracts/governance/extensions/GovernorCountingSimple.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {GovernorVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
import {GovernorVotesQuorumFraction} from "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {IERC5805} from "@openzeppelin/contracts/interfaces/IERC5805.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";

/**
 * @title TRVLGovernor
 * @notice The TRVL DAO: TRVL holders propose and vote; passed proposals run through the timelock, which holds every
 * admin role of the protocol and its treasury. A voter's weight is their delegated TRVL votes plus their delegated
 * staked TRVL votes, both read at the proposal's snapshot. Quorum is the larger of 4% of the TRVL supply then and an
 * absolute floor (governance-set, with its history kept so that a proposal's quorum never changes once created): while
 * most of the supply is a genesis allocation that does not vote, or while the supply is young, the floor keeps a holder
 * of freshly earned rewards from passing proposals alone.
 * @dev The fraction counts the whole supply, balances that never vote (treasury, staking reward pool, unvested team
 * tokens) included: that only raises quorum, and the token keeps no balance history to subtract them at a snapshot.
 */
contract TRVLGovernor is
    Governor,
    GovernorSettings,
    GovernorCountingSimple,
    GovernorVotes,
    GovernorVotesQuorumFraction,
    GovernorTimelockControl
{
    using Checkpoints for Checkpoints.Trace208;

    /// @notice Staked TRVL's votes (the staking contract), counted on top of the token's.
    IERC5805 public immutable staking;

    /// @dev Quorum floors (TRVL wei) by the clock time they took effect.
    Checkpoints.Trace208 private _quorumFloorHistory;

    /// @notice The quorum floor became `newFloor` (TRVL wei), from `oldFloor`.
    event QuorumFloorSet(uint256 oldFloor, uint256 newFloor);

    /// @dev The staking contract's clock differs from the token's.
    error GovernorClockMismatch();

    /**
     * @param token The TRVL token.
     * @param staking_ The staking contract, whose votes add to the token's; same clock as the token.
     * @param timelock The timelock that executes proposals.
     * @param initialVotingDelay Seconds between a proposal and the start of its vote.
     * @param initialVotingPeriod Seconds the vote lasts.
     * @param initialProposalThreshold Votes needed to propose.
     * @param initialQuorumFloor The least quorum in TRVL wei, whatever 4% of the supply is.
     */
    constructor(
        IVotes token,
        IERC5805 staking_,
        TimelockController timelock,
        uint48 initialVotingDelay,
        uint32 initialVotingPeriod,
        uint256 initialProposalThreshold,
        uint256 initialQuorumFloor
    )
        Governor("TRVL Governor")
        GovernorSettings(initialVotingDelay, initialVotingPeriod, initialProposalThreshold)
        GovernorVotes(token)
        GovernorVotesQuorumFraction(4)
        GovernorTimelockControl(timelock)
    {
        if (keccak256(bytes(staking_.CLOCK_MODE())) != keccak256(bytes(CLOCK_MODE()))) revert GovernorClockMismatch();
        staking = staking_;
        _setQuorumFloor(initialQuorumFloor);
    }

    /// @notice The quorum floor (TRVL wei) now.
    function quorumFloor() public view returns (uint256) {
        return _quorumFloorHistory.latest();
    }

    /// @notice The quorum floor (TRVL wei) that applied at `timepoint`.
    function quorumFloor(uint256 timepoint) public view returns (uint256) {
        return _quorumFloorHistory.upperLookupRecent(SafeCast.toUint48(timepoint));
    }

    /**
     * @notice Sets the quorum floor to `newFloor` TRVL wei, for proposals created from now on. Only through a
     * proposal (the governor's own executor).
     */
    function setQuorumFloor(uint256 newFloor) external onlyGovernance {
        _setQuorumFloor(newFloor);
    }

    /// @dev Token votes plus staked votes, at `timepoint`.
    function _getVotes(
        address account,
        uint256 timepoint,
        bytes memory params
    ) internal view override(Governor, GovernorVotes) returns (uint256) {
        return super._getVotes(account, timepoint, params) + staking.getPastVotes(account, timepoint);
    }

    function _setQuorumFloor(uint256 newFloor) private {
        emit QuorumFloorSet(quorumFloor(), newFloor);
        _quorumFloorHistory.push(clock(), SafeCast.toUint208(newFloor));
    }

    // The overrides below only resolve the multiple inheritance.

    function votingDelay() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingDelay();
    }

    function votingPeriod() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingPeriod();
    }

    function proposalThreshold() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.proposalThreshold();
    }

    /// @notice Votes needed at `timepoint`: the larger of 4% of the TRVL supply then and the quorum floor then.
    function quorum(uint256 timepoint) public view override(Governor, GovernorVotesQuorumFraction) returns (uint256) {
        return Math.max(super.quorum(timepoint), quorumFloor(timepoint));
    }

    function state(uint256 proposalId) public view override(Governor, GovernorTimelockControl) returns (ProposalState) {
        return super.state(proposalId);
    }

    function proposalNeedsQueuing(
        uint256 proposalId
    ) public view override(Governor, GovernorTimelockControl) returns (bool) {
        return super.proposalNeedsQueuing(proposalId);
    }

    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint48) {
        return super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) {
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint256) {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }
}
