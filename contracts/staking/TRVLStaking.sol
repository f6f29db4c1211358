// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {Votes} from "@openzeppelin/contracts/governance/utils/Votes.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";

import {IRewardBoost} from "../rewards/IRewardBoost.sol";
import {BoundedPausable} from "../governance/BoundedPausable.sol";

/**
 * @title TRVLStaking
 * @notice Stake TRVL to climb tiers (Explorer, Voyager, Globetrotter, Jetsetter), each with a boost on booking
 * rewards and a discount on bookings, and to earn a yield streamed from a funded reward pool. Unstaking takes a
 * 7-day cooldown, or happens at once for a 2% fee to the treasury. Staked TRVL keeps its voting power.
 * Boosts and discounts are earned by stake held over time: they follow the tier of the least an account had staked
 * at any moment of the holding period (7 days by default) before the booking's payment, read from checkpoints of
 * every account's stake. A stake made for the moment of a reward, or after paying, earns nothing.
 * @dev Yield uses a reward-per-token accumulator: `notifyRewardAmount` streams a funded amount over a duration,
 * shared pro rata to stake, second by second. Voting power is tracked with OpenZeppelin `Votes` checkpoints on the
 * token's timestamp clock; a staker's staked votes go to the delegate they chose in the TRVL token (`syncDelegate`
 * re-aligns after a token delegation change), so the governor can count token votes plus staked votes without ever
 * counting a token twice: staked tokens sit in this contract, which delegates nowhere.
 */
contract TRVLStaking is IRewardBoost, AccessControl, BoundedPausable, ReentrancyGuardTransient, Votes {
    using SafeERC20 for IERC20;
    using Checkpoints for Checkpoints.Trace208;

    /// @notice May fund the reward pool.
    bytes32 public constant REWARDS_FUNDER_ROLE = keccak256("REWARDS_FUNDER_ROLE");

    /// @notice Time between `requestUnstake` and `withdraw`.
    uint256 public constant COOLDOWN = 7 days;
    /// @notice Fee of `instantUnstake`, in basis points, paid to the treasury.
    uint256 public constant INSTANT_UNSTAKE_FEE_BPS = 200;
    uint256 public constant MAX_TIERS = 8;
    /// @notice Largest boost a tier may give: +100% of the traveller share.
    uint256 public constant MAX_BOOST_BPS = 10_000;
    /// @notice Largest booking discount a tier may give: 20%.
    uint256 public constant MAX_DISCOUNT_BPS = 2_000;
    /// @notice Longest holding period governance may set.
    uint256 public constant MAX_HOLDING_PERIOD = 90 days;
    /// @notice Stake changes read when looking back over a holding period; an account that changed its stake more
    /// often than this within the period counts as holding nothing (its history could not be read in bounded gas).
    uint256 public constant MAX_HOLDING_CHANGES = 32;
    uint256 public constant MIN_REWARD_DURATION = 1 hours;
    uint256 public constant MAX_REWARD_DURATION = 365 days;

    uint256 private constant BPS = 10_000;
    uint256 private constant PRECISION = 1e18;

    /// @notice A tier: reached with at least `minStake` staked.
    struct Tier {
        uint128 minStake;
        uint16 boostBps;
        uint16 discountBps;
    }

    /// @notice TRVL waiting out its cooldown.
    struct PendingUnstake {
        uint128 amount;
        uint64 unlockAt;
    }

    IERC20 public immutable trvl;
    /// @notice Receives instant-unstake fees.
    address public treasury;

    /// @notice How long a stake must have been held, without falling below a tier's threshold, to earn that tier's
    /// boost and discount.
    uint64 public holdingPeriod = 7 days;

    /// @notice TRVL staked in total (earning yield and counting for tiers and votes).
    uint256 public totalStaked;
    /// @notice TRVL in cooldown in total.
    uint256 public totalPendingUnstake;
    /// @notice TRVL ever put into the reward pool, and ever paid out of it.
    uint256 public rewardsFunded;
    uint256 public rewardsPaid;

    /// @notice Yield per second for all stakers together, scaled by 1e18.
    uint256 public rewardRate;
    /// @notice When the current reward stream ends.
    uint64 public periodFinish;
    uint64 public lastUpdate;
    uint256 public rewardPerTokenStored;
    /// @dev Yield streamed while nothing was staked, scaled by 1e18: nobody could earn it, so the next funding
    /// streams it again.
    uint256 private _unallocatedScaled;

    mapping(address account => uint256) private _staked;
    mapping(address account => Checkpoints.Trace208) private _stakeHistory;
    mapping(address account => PendingUnstake) private _pending;
    mapping(address account => uint256) private _rewardPerTokenPaid;
    mapping(address account => uint256) private _rewards;
    Tier[] private _tiers;

    event Staked(address indexed account, uint256 amount);
    event UnstakeRequested(address indexed account, uint256 amount, uint256 pendingTotal, uint64 unlockAt);
    event UnstakeCancelled(address indexed account, uint256 amount);
    event Withdrawn(address indexed account, uint256 amount);
    event InstantUnstaked(address indexed account, uint256 amount, uint256 fee);
    event RewardClaimed(address indexed account, uint256 amount);
    event RewardFunded(
        address indexed funder,
        uint256 amount,
        uint256 duration,
        uint256 rewardRate,
        uint64 periodFinish
    );
    /// @notice `account`'s tier moved from `previousTier` to `newTier` (indexes into `tiers()`).
    event TierChanged(address indexed account, uint256 previousTier, uint256 newTier);
    event TiersSet(Tier[] tiers);
    event TreasurySet(address indexed previousTreasury, address indexed newTreasury);
    event HoldingPeriodSet(uint64 previousPeriod, uint64 newPeriod);

    /// @dev An address that must be set is zero.
    error StakingZeroAddress();
    /// @dev An amount must be positive.
    error StakingZeroAmount();
    /// @dev `amount` exceeds the `staked` balance.
    error StakingInsufficientStake(uint256 amount, uint256 staked);
    /// @dev Nothing is waiting to be withdrawn.
    error StakingNothingPending();
    /// @dev The cooldown ends at `unlockAt`.
    error StakingCooldownActive(uint64 unlockAt);
    /// @dev The tiers are invalid: `reason` says why.
    error StakingInvalidTiers(string reason);
    /// @dev The reward duration is outside [`MIN_REWARD_DURATION`, `MAX_REWARD_DURATION`].
    error StakingInvalidDuration(uint256 duration);
    /// @dev A top-up would spread the running stream thinner: `rate` per second instead of `currentRate`.
    error StakingRateWouldDrop(uint256 currentRate, uint256 rate);
    /// @dev Staked votes follow the staker's delegate in the TRVL token: delegate there, then call `syncDelegate`.
    error StakingDelegationFollowsToken();
    /// @dev The holding period exceeds `MAX_HOLDING_PERIOD`.
    error StakingInvalidHoldingPeriod(uint256 period);
    /// @dev Two lists that must match have different lengths.
    error StakingLengthMismatch(uint256 accounts, uint256 times);

    /**
     * @param admin Receives `DEFAULT_ADMIN_ROLE` (tiers, treasury, roles).
     * @param trvl_ The TRVL token (ERC-20 with permit and votes).
     * @param treasury_ Receives instant-unstake fees.
     * @param tiers_ Initial tiers; see `setTiers`.
     */
    constructor(address admin, IERC20 trvl_, address treasury_, Tier[] memory tiers_) EIP712("TRVL Staking", "1") {
        if (admin == address(0) || address(trvl_) == address(0)) revert StakingZeroAddress();
        trvl = trvl_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _setTreasury(treasury_);
        _setTiers(tiers_);
    }

    // --------------------------------------------------------------------------------------------------------------
    // Staking
    // --------------------------------------------------------------------------------------------------------------

    /// @notice Stakes `amount` TRVL (approve this contract first).
    function stake(uint256 amount) external nonReentrant whenNotPaused {
        _stake(msg.sender, amount);
    }

    /// @notice Stakes `amount` TRVL in one transaction with an ERC-2612 permit for this contract.
    function stakeWithPermit(
        uint256 amount,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant whenNotPaused {
        try IERC20Permit(address(trvl)).permit(msg.sender, address(this), amount, deadline, v, r, s) {
            // Allowance set.
        } catch {
            // Already used (for instance front-run): an existing allowance still works.
        }
        _stake(msg.sender, amount);
    }

    /**
     * @notice Starts the cooldown of `amount` staked TRVL: it stops earning and counting at once, and can be
     * withdrawn `COOLDOWN` after this request. A new request adds to what is pending and restarts the cooldown.
     */
    function requestUnstake(uint256 amount) external nonReentrant {
        address account = msg.sender;
        _unstake(account, amount);
        PendingUnstake storage pending = _pending[account];
        uint64 unlockAt = SafeCast.toUint64(block.timestamp + COOLDOWN);
        pending.amount += SafeCast.toUint128(amount);
        pending.unlockAt = unlockAt;
        totalPendingUnstake += amount;
        emit UnstakeRequested(account, amount, pending.amount, unlockAt);
    }

    /// @notice Puts everything in cooldown back into the stake.
    function cancelUnstake() external nonReentrant whenNotPaused {
        address account = msg.sender;
        uint256 amount = _pending[account].amount;
        if (amount == 0) revert StakingNothingPending();
        delete _pending[account];
        totalPendingUnstake -= amount;
        _addStake(account, amount);
        emit UnstakeCancelled(account, amount);
    }

    /// @notice Withdraws what finished its cooldown.
    function withdraw() external nonReentrant {
        address account = msg.sender;
        PendingUnstake memory pending = _pending[account];
        if (pending.amount == 0) revert StakingNothingPending();
        if (block.timestamp < pending.unlockAt) revert StakingCooldownActive(pending.unlockAt);
        delete _pending[account];
        totalPendingUnstake -= pending.amount;
        trvl.safeTransfer(account, pending.amount);
        emit Withdrawn(account, pending.amount);
    }

    /// @notice Unstakes `amount` at once, paying `INSTANT_UNSTAKE_FEE_BPS` of it to the treasury.
    function instantUnstake(uint256 amount) external nonReentrant {
        address account = msg.sender;
        _unstake(account, amount);
        uint256 fee = (amount * INSTANT_UNSTAKE_FEE_BPS) / BPS;
        trvl.safeTransfer(account, amount - fee);
        if (fee != 0) trvl.safeTransfer(treasury, fee);
        emit InstantUnstaked(account, amount, fee);
    }

    /// @notice Pays out the caller's yield.
    function claim() external nonReentrant whenNotPaused returns (uint256 reward) {
        address account = msg.sender;
        _updateReward(account);
        reward = _rewards[account];
        if (reward == 0) return 0;
        _rewards[account] = 0;
        rewardsPaid += reward;
        trvl.safeTransfer(account, reward);
        emit RewardClaimed(account, reward);
    }

    /**
     * @notice Re-aligns `account`'s staked votes with the delegate it chose in the TRVL token. Anyone may call it:
     * it only applies the account's own choice. Staking and unstaking do it too.
     */
    function syncDelegate(address account) public {
        address chosen = IVotes(address(trvl)).delegates(account);
        if (delegates(account) != chosen) _delegate(account, chosen);
    }

    /// @notice Disabled: staked votes follow the TRVL token's delegation.
    function delegate(address) public pure override {
        revert StakingDelegationFollowsToken();
    }

    /// @notice Disabled: staked votes follow the TRVL token's delegation.
    function delegateBySig(address, uint256, uint256, uint8, bytes32, bytes32) public pure override {
        revert StakingDelegationFollowsToken();
    }

    // --------------------------------------------------------------------------------------------------------------
    // Reward pool
    // --------------------------------------------------------------------------------------------------------------

    /**
     * @notice Adds `amount` TRVL (taken from the caller) to the reward pool and streams it, with whatever is left of
     * the current stream and whatever was streamed while nothing was staked, over the next `duration` seconds. While
     * a stream runs, a top-up may not lower its rate (so a tiny top-up cannot stretch it over a long duration).
     */
    function notifyRewardAmount(
        uint256 amount,
        uint256 duration
    ) external nonReentrant whenNotPaused onlyRole(REWARDS_FUNDER_ROLE) {
        if (amount == 0) revert StakingZeroAmount();
        if (duration < MIN_REWARD_DURATION || duration > MAX_REWARD_DURATION) revert StakingInvalidDuration(duration);
        _updateReward(address(0));
        trvl.safeTransferFrom(msg.sender, address(this), amount);
        rewardsFunded += amount;

        // The new amount and what the current stream has not yet released are spread over the new duration. Both
        // are already in this contract (the amount was just taken), so the stream can never promise more than it
        // holds.
        bool running = block.timestamp < periodFinish;
        uint256 leftover = running ? (periodFinish - block.timestamp) * rewardRate : 0;
        uint256 total = amount * PRECISION + leftover + _unallocatedScaled;
        if (running && total < rewardRate * duration) revert StakingRateWouldDrop(rewardRate, total / duration);
        _unallocatedScaled = 0;
        uint256 rate = total / duration;
        rewardRate = rate;
        lastUpdate = Time.timestamp();
        periodFinish = SafeCast.toUint64(block.timestamp + duration);
        emit RewardFunded(msg.sender, amount, duration, rate, periodFinish);
    }

    // --------------------------------------------------------------------------------------------------------------
    // Views
    // --------------------------------------------------------------------------------------------------------------

    /// @notice TRVL `account` has staked (not counting what is in cooldown).
    function stakedOf(address account) external view returns (uint256) {
        return _staked[account];
    }

    /// @notice TRVL of `account` in cooldown, and when it can be withdrawn.
    function pendingUnstakeOf(address account) external view returns (PendingUnstake memory) {
        return _pending[account];
    }

    /// @notice Yield `account` can claim now.
    function earned(address account) public view returns (uint256) {
        return (_staked[account] * (rewardPerToken() - _rewardPerTokenPaid[account])) / PRECISION + _rewards[account];
    }

    /// @notice TRVL streamed while nothing was staked, not yet streamed again (the next funding does).
    function unallocatedRewards() public view returns (uint256) {
        uint256 pending = totalStaked == 0 ? (_lastTimeRewardApplicable() - lastUpdate) * rewardRate : 0;
        return (_unallocatedScaled + pending) / PRECISION;
    }

    /// @notice The accumulator: yield per staked TRVL since the start, scaled by 1e18.
    function rewardPerToken() public view returns (uint256) {
        if (totalStaked == 0) return rewardPerTokenStored;
        uint256 elapsed = _lastTimeRewardApplicable() - lastUpdate;
        return rewardPerTokenStored + (elapsed * rewardRate) / totalStaked;
    }

    /// @notice The tiers, lowest first.
    function tiers() external view returns (Tier[] memory) {
        return _tiers;
    }

    /// @notice Index in `tiers()` of the tier `account`'s current stake reaches. Boosts and discounts follow
    /// `heldTierOf` instead.
    function tierOf(address account) public view returns (uint256) {
        return _tierIndex(_tiers, _staked[account]);
    }

    /**
     * @notice The least `account` had staked at any moment of the holding period ending at `time`: what it held
     * continuously over that period. Zero if its stake changed more than `MAX_HOLDING_CHANGES` times in the period.
     */
    function heldStakeAt(address account, uint256 time) public view returns (uint256 held) {
        Checkpoints.Trace208 storage history = _stakeHistory[account];
        uint256 end = _checkpointsUpTo(history, time);
        // Never staked by then (most travellers): nothing more to read.
        if (end == 0) return 0;
        uint256 period = holdingPeriod;
        uint256 start = time > period ? time - period : 0;
        held = type(uint256).max;
        for (uint256 i = end; i > 0 && end - i < MAX_HOLDING_CHANGES; --i) {
            Checkpoints.Checkpoint208 memory checkpoint = history.pos(uint32(i - 1));
            held = Math.min(held, checkpoint._value);
            // The stake this checkpoint set was already held when the period began: nothing earlier matters.
            if (checkpoint._key <= start) return held;
        }
        // Nothing was staked before the first checkpoint, or the history is longer than may be read.
        return 0;
    }

    /// @inheritdoc IRewardBoost
    function heldStakeAtMany(
        address[] calldata accounts,
        uint256[] calldata times
    ) external view returns (uint256[] memory held) {
        if (accounts.length != times.length) revert StakingLengthMismatch(accounts.length, times.length);
        held = new uint256[](accounts.length);
        for (uint256 i = 0; i < accounts.length; ++i) held[i] = heldStakeAt(accounts[i], times[i]);
    }

    /// @notice Index in `tiers()` of the tier `account` has held over the holding period up to now: the tier of
    /// its boost and its booking discount.
    function heldTierOf(address account) public view returns (uint256) {
        return _tierIndex(_tiers, heldStakeAt(account, block.timestamp));
    }

    /// @inheritdoc IRewardBoost
    function boostBpsOf(address account) external view returns (uint256) {
        return _tiers[heldTierOf(account)].boostBps;
    }

    /// @inheritdoc IRewardBoost
    function boostBpsAtMany(
        address[] calldata accounts,
        uint256[] calldata paidAt
    ) external view returns (uint256[] memory boosts) {
        if (accounts.length != paidAt.length) revert StakingLengthMismatch(accounts.length, paidAt.length);
        Tier[] memory tiers_ = _tiers;
        boosts = new uint256[](accounts.length);
        for (uint256 i = 0; i < accounts.length; ++i) {
            boosts[i] = tiers_[_tierIndex(tiers_, heldStakeAt(accounts[i], paidAt[i]))].boostBps;
        }
    }

    /// @notice The booking discount of the tier `account` has held over the holding period up to now, in basis
    /// points; the backend applies it to quotes.
    function discountBpsOf(address account) external view returns (uint256) {
        return _tiers[heldTierOf(account)].discountBps;
    }

    /// @notice Votes follow the TRVL token's clock: timestamps.
    function clock() public view override returns (uint48) {
        return Time.timestamp();
    }

    /// @notice Describes the clock: checkpoints are keyed by timestamp (ERC-6372).
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    // --------------------------------------------------------------------------------------------------------------
    // Administration
    // --------------------------------------------------------------------------------------------------------------

    /**
     * @notice Replaces the tiers. The first starts at 0; thresholds strictly ascend; boosts and discounts never
     * decrease from one tier to the next and stay within `MAX_BOOST_BPS` and `MAX_DISCOUNT_BPS`.
     */
    function setTiers(Tier[] calldata newTiers) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setTiers(newTiers);
    }

    /// @notice Sets how long a stake must be held to earn its tier's boost and discount (at most 90 days).
    function setHoldingPeriod(uint64 newPeriod) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (newPeriod > MAX_HOLDING_PERIOD) revert StakingInvalidHoldingPeriod(newPeriod);
        emit HoldingPeriodSet(holdingPeriod, newPeriod);
        holdingPeriod = newPeriod;
    }

    /// @notice Sets where instant-unstake fees go.
    function setTreasury(address newTreasury) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setTreasury(newTreasury);
    }

    // --------------------------------------------------------------------------------------------------------------
    // Internals
    // --------------------------------------------------------------------------------------------------------------

    function _stake(address account, uint256 amount) private {
        if (amount == 0) revert StakingZeroAmount();
        _addStake(account, amount);
        trvl.safeTransferFrom(account, address(this), amount);
        emit Staked(account, amount);
    }

    function _addStake(address account, uint256 amount) private {
        _updateReward(account);
        syncDelegate(account);
        uint256 before = _staked[account];
        _setStake(account, before + amount);
        totalStaked += amount;
        _transferVotingUnits(address(0), account, amount);
        _emitTierChange(account, before, before + amount);
    }

    function _unstake(address account, uint256 amount) private {
        if (amount == 0) revert StakingZeroAmount();
        uint256 before = _staked[account];
        if (amount > before) revert StakingInsufficientStake(amount, before);
        _updateReward(account);
        syncDelegate(account);
        _setStake(account, before - amount);
        totalStaked -= amount;
        _transferVotingUnits(account, address(0), amount);
        _emitTierChange(account, before, before - amount);
    }

    function _setStake(address account, uint256 amount) private {
        _staked[account] = amount;
        _stakeHistory[account].push(Time.timestamp(), SafeCast.toUint208(amount));
    }

    /// @dev How many of `history`'s checkpoints have a key at or before `time` (binary search, latest first).
    function _checkpointsUpTo(Checkpoints.Trace208 storage history, uint256 time) private view returns (uint256) {
        uint256 high = history.length();
        if (high == 0 || history.pos(uint32(high - 1))._key <= time) return high;
        uint256 low = 0;
        while (low < high) {
            uint256 mid = Math.average(low, high);
            if (history.pos(uint32(mid))._key > time) high = mid;
            else low = mid + 1;
        }
        return high;
    }

    function _updateReward(address account) private {
        if (totalStaked == 0) _unallocatedScaled += (_lastTimeRewardApplicable() - lastUpdate) * rewardRate;
        uint256 perToken = rewardPerToken();
        rewardPerTokenStored = perToken;
        lastUpdate = SafeCast.toUint64(_lastTimeRewardApplicable());
        if (account != address(0)) {
            _rewards[account] = earned(account);
            _rewardPerTokenPaid[account] = perToken;
        }
    }

    function _lastTimeRewardApplicable() private view returns (uint256) {
        return Math.min(block.timestamp, periodFinish);
    }

    function _emitTierChange(address account, uint256 stakeBefore, uint256 stakeAfter) private {
        Tier[] memory tiers_ = _tiers;
        uint256 previousTier = _tierIndex(tiers_, stakeBefore);
        uint256 newTier = _tierIndex(tiers_, stakeAfter);
        if (previousTier != newTier) emit TierChanged(account, previousTier, newTier);
    }

    function _tierIndex(Tier[] memory tiers_, uint256 staked) private pure returns (uint256 index) {
        for (uint256 i = 1; i < tiers_.length; ++i) {
            if (staked < tiers_[i].minStake) break;
            index = i;
        }
    }

    function _setTiers(Tier[] memory newTiers) private {
        if (newTiers.length == 0 || newTiers.length > MAX_TIERS) revert StakingInvalidTiers("count");
        if (newTiers[0].minStake != 0) revert StakingInvalidTiers("first tier must start at 0");
        _checkBenefits(newTiers[0]);
        for (uint256 i = 1; i < newTiers.length; ++i) {
            (Tier memory lower, Tier memory tier) = (newTiers[i - 1], newTiers[i]);
            _checkBenefits(tier);
            if (tier.minStake <= lower.minStake) revert StakingInvalidTiers("thresholds must ascend");
            if (tier.boostBps < lower.boostBps || tier.discountBps < lower.discountBps) {
                revert StakingInvalidTiers("benefits must not decrease");
            }
        }
        delete _tiers;
        for (uint256 i = 0; i < newTiers.length; ++i) _tiers.push(newTiers[i]);
        emit TiersSet(newTiers);
    }

    function _checkBenefits(Tier memory tier) private pure {
        if (tier.boostBps > MAX_BOOST_BPS) revert StakingInvalidTiers("boost too high");
        if (tier.discountBps > MAX_DISCOUNT_BPS) revert StakingInvalidTiers("discount too high");
    }

    function _setTreasury(address newTreasury) private {
        if (newTreasury == address(0)) revert StakingZeroAddress();
        emit TreasurySet(treasury, newTreasury);
        treasury = newTreasury;
    }

    function _getVotingUnits(address account) internal view override returns (uint256) {
        return _staked[account];
    }
}
