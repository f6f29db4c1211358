// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {RateLimiter} from "@openzeppelin/contracts/utils/RateLimiter.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IBookingEscrow} from "../booking/IBookingEscrow.sol";
import {IReferralRegistry} from "../referral/IReferralRegistry.sol";
import {ITRVLMinter} from "../token/ITRVLMinter.sol";
import {IRewardBoost} from "./IRewardBoost.sol";
import {BoundedPausable} from "../governance/BoundedPausable.sol";

/**
 * @title RewardDistributor
 * @notice Turns the commission of settled bookings into TRVL: the commission is valued in USD with the payment
 * token's Chainlink feed, converted to TRVL at the TRVL/USD feed, and minted to the traveller, their two levels of
 * referrers and the treasury (70 / 7 / 3 / 20 by default).
 * @dev Anyone may call `distribute`: it takes booking ids only, and reads traveller, token and commission from the
 * escrow, so no caller can invent or inflate a reward. Minting is bounded by a refilling mint limit (at most
 * `capacity` TRVL per `window`) on top of the token's cap. Only active referrers earn (see `ReferrerRule`); an
 * inactive referrer's share goes to the treasury, like a missing one's. A traveller's staking boost is paid out of the treasury
 * share, so a booking never mints more than its commission is worth; it is the boost of the stake the traveller had
 * held over the holding period before paying (the escrow records the payment time), whenever `distribute` runs.
 */
contract RewardDistributor is AccessControl, BoundedPausable, ReentrancyGuardTransient {
    using RateLimiter for RateLimiter.RefillingBucket;

    /// @notice The payment token value that stands for the chain's native coin (ETH).
    address public constant NATIVE_TOKEN = address(0);
    /// @notice 100% in basis points.
    uint16 public constant BPS = 10_000;
    /// @notice Largest traveller boost applied, whatever the boost source says: +100% of the traveller share.
    uint256 public constant MAX_BOOST_BPS = 10_000;
    /// @notice Most queued rewards one `distribute` call finishes, so a long queue never makes a call too big to mine.
    uint256 public constant MAX_QUEUE_STEPS = 16;

    /// @notice How a booking's reward is shared, in basis points summing to `BPS`.
    struct Split {
        uint16 traveller;
        uint16 level1;
        uint16 level2;
        uint16 treasury;
    }

    /// @notice A Chainlink USD feed and the bounds within which its answers are trusted.
    struct FeedConfig {
        AggregatorV3Interface feed;
        uint32 maxAge;
        uint8 feedDecimals;
        uint8 tokenDecimals;
        uint128 minAnswer;
        uint128 maxAnswer;
    }

    /// @notice The TRVL amounts of one booking's reward.
    struct Allocation {
        uint256 traveller;
        uint256 level1;
        uint256 level2;
        uint256 treasury;
        uint256 boostBps;
    }

    /// @notice Who counts as an active referrer, whose share is paid: one with a settled booking of its own (if
    /// `ownBooking`), or one that held at least `minHeldStake` TRVL staked over the holding period before the
    /// referee paid (if `minHeldStake` is not zero). With neither set, every referrer is active.
    struct ReferrerRule {
        bool ownBooking;
        uint128 minHeldStake;
    }

    /// @notice Why `distribute` passed over a booking.
    enum SkipReason {
        Unknown,
        NotSettled,
        Refunded,
        AlreadyRewarded,
        NoPriceFeed,
        MintLimitReached,
        SupplyCapReached,
        PriceUnavailable,
        Queued,
        SequencerDown
    }

    /// @notice A reward larger than the mint limit's room when it came up: its allocation is fixed, and it is minted in
    /// parts (traveller first, then the referrers, then the treasury) as the limit refills, before any later reward.
    struct QueuedReward {
        address traveller;
        uint96 travellerAmount;
        address level1;
        uint96 level1Amount;
        address level2;
        uint96 level2Amount;
        uint96 treasuryAmount;
        uint96 minted;
        uint16 boostBps;
        uint128 tokenPrice;
        uint128 trvlPrice;
    }

    /// @dev The queue's bounds (ids at `head` .. `tail - 1`) and the TRVL its rewards still owe, in one slot.
    struct QueueState {
        uint64 head;
        uint64 tail;
        uint128 owed;
    }

    ITRVLMinter public immutable trvl;
    IBookingEscrow public immutable escrow;
    IReferralRegistry public immutable referrals;

    /// @notice Receives the treasury share (and the shares of missing referrers).
    address public treasury;
    /// @notice Optional source of traveller boosts; zero for none.
    IRewardBoost public boostSource;
    /// @notice Optional Chainlink L2 sequencer uptime feed (answer 0: up, 1: down; `startedAt`: when that status
    /// began); zero where there is no sequencer to watch.
    AggregatorV3Interface public sequencerUptimeFeed;
    /// @notice Seconds after the sequencer comes back up during which nothing is priced: the feeds catch up first.
    uint32 public sequencerGracePeriod;

    Split private _split;
    FeedConfig private _trvlFeed;
    mapping(address token => FeedConfig) private _feeds;
    RateLimiter.RefillingBucket private _mintLimit;
    ReferrerRule private _referrerRule;
    QueueState private _queueState;
    mapping(uint256 position => bytes32 bookingId) private _queueIds;
    mapping(bytes32 bookingId => QueuedReward) private _queued;

    /// @notice Booking `bookingId` was rewarded: who received what, with the prices used (raw feed answers).
    event RewardDistributed(
        bytes32 indexed bookingId,
        address indexed traveller,
        address indexed level1,
        address level2,
        uint256 travellerAmount,
        uint256 level1Amount,
        uint256 level2Amount,
        uint256 treasuryAmount,
        uint256 boostBps,
        uint256 tokenUsdPrice,
        uint256 trvlUsdPrice
    );
    /// @notice `distribute` passed over booking `bookingId` for `reason`; it can be retried if the reason goes away.
    event RewardSkipped(bytes32 indexed bookingId, SkipReason reason);
    /// @notice Booking `bookingId`'s reward of `reward` TRVL did not fit under the mint limit: it joined the queue and
    /// is minted in parts as the limit refills (`RewardPartMinted`), then reported by `RewardDistributed`.
    event RewardQueued(bytes32 indexed bookingId, uint256 reward);
    /// @notice `amount` TRVL of queued booking `bookingId`'s reward was minted; `remaining` is still to come.
    event RewardPartMinted(bytes32 indexed bookingId, uint256 amount, uint256 remaining);
    event SplitSet(uint16 traveller, uint16 level1, uint16 level2, uint16 treasury);
    /// @notice The USD feed of payment `token` was set (`feed == address(0)` removes it).
    event PriceFeedSet(
        address indexed token,
        address indexed feed,
        uint32 maxAge,
        uint128 minAnswer,
        uint128 maxAnswer
    );
    event TrvlPriceFeedSet(address indexed feed, uint32 maxAge, uint128 minAnswer, uint128 maxAnswer);
    event MintLimitSet(uint256 capacity, uint48 window);
    event TreasurySet(address indexed previousTreasury, address indexed newTreasury);
    event BoostSourceSet(address indexed previousSource, address indexed newSource);
    event ReferrerRuleSet(bool ownBooking, uint128 minHeldStake);
    event SequencerUptimeFeedSet(address indexed feed, uint32 gracePeriod);

    /// @dev An address argument that must be set is zero.
    error DistributorZeroAddress();
    /// @dev The split's parts sum to `sum`, not `BPS`.
    error DistributorInvalidSplit(uint256 sum);
    /// @dev A feed configuration is unusable (zero age, zero or inverted bounds, or more than 18 decimals).
    error DistributorInvalidFeedConfig(address feed);
    /// @dev The mint limit's window is zero.
    error DistributorInvalidMintLimit();
    /// @dev `feed`'s latest answer is older than `maxAge` seconds.
    error DistributorStalePrice(address feed, uint256 updatedAt, uint256 maxAge);
    /// @dev `feed`'s latest answer is zero or negative.
    error DistributorInvalidPrice(address feed, int256 answer);
    /// @dev `feed`'s latest answer lies outside the configured bounds.
    error DistributorPriceOutOfBounds(address feed, int256 answer, uint256 minAnswer, uint256 maxAnswer);
    /// @dev No USD feed is configured for payment `token`.
    error DistributorNoPriceFeed(address token);
    /// @dev No TRVL/USD feed is configured.
    error DistributorNoTrvlPriceFeed();
    /// @dev The L2 sequencer is down, or came back up less than the grace period ago (`readyAt`: when prices can be
    /// used again, 0 while it is down).
    error DistributorSequencerDown(uint256 readyAt);

    /**
     * @param admin Receives `DEFAULT_ADMIN_ROLE`: sets split, feeds, mint limit, treasury and boost source.
     * @param trvl_ The TRVL token; this contract needs its `MINTER_ROLE`.
     * @param escrow_ The booking escrow; this contract needs its `REWARDER_ROLE`.
     * @param referrals_ The referral registry.
     * @param treasury_ Receives the treasury share.
     * @param mintCapacity At most this much TRVL is minted per `mintWindow` seconds.
     * @param mintWindow The mint limit's window.
     */
    constructor(
        address admin,
        ITRVLMinter trvl_,
        IBookingEscrow escrow_,
        IReferralRegistry referrals_,
        address treasury_,
        uint256 mintCapacity,
        uint48 mintWindow
    ) {
        if (
            admin == address(0) ||
            address(trvl_) == address(0) ||
            address(escrow_) == address(0) ||
            address(referrals_) == address(0)
        ) revert DistributorZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        trvl = trvl_;
        escrow = escrow_;
        referrals = referrals_;
        _setTreasury(treasury_);
        _setSplit(Split({traveller: 7_000, level1: 700, level2: 300, treasury: 2_000}));
        _setMintLimit(mintCapacity, mintWindow);
        _setReferrerRule(ReferrerRule({ownBooking: true, minHeldStake: 1_000 ether}));
    }

    // --------------------------------------------------------------------------------------------------------------
    // Distribution
    // --------------------------------------------------------------------------------------------------------------

    /**
     * @notice Mints the TRVL rewards of settled bookings. Ids that cannot be rewarded now (unknown, unsettled,
     * refunded, already rewarded, no price feed for their token, over the supply cap) are skipped with
     * `RewardSkipped`, so one bad id never blocks a batch. A reward the mint limit has no room for now joins the queue
     * (`RewardQueued`, and `RewardSkipped` with `Queued`): first in, first minted, in parts as the limit refills.
     * Every call first mints what the limit allows of the queue, so the queue moves whoever calls.
     * While the L2 sequencer is down or within its grace period after a restart, every id is skipped with
     * `SequencerDown`: prices from before the outage are not used.
     * @dev A payment token whose price cannot be used now (stale, non-positive, out of bounds, a reverting feed) has its
     * bookings skipped with `PriceUnavailable`; the rest of the batch is rewarded. A bad TRVL/USD price reverts:
     * nothing could be priced right.
     * @param bookingIds The bookings to reward.
     * @return rewarded How many bookings were rewarded.
     */
    function distribute(bytes32[] calldata bookingIds) external nonReentrant whenNotPaused returns (uint256 rewarded) {
        (bool ready, ) = _sequencerReady();
        if (!ready) {
            for (uint256 i = 0; i < bookingIds.length; ++i) emit RewardSkipped(bookingIds[i], SkipReason.SequencerDown);
            return 0;
        }
        Batch memory batch = _openBatch(bookingIds.length);
        bool queued = batch.queue.head != batch.queue.tail;
        if (queued) rewarded = _drainQueue(batch);
        Candidates memory candidates = _select(batch, bookingIds, escrow.settlementsOf(bookingIds));
        if (candidates.count != 0) {
            bool[] memory marked = escrow.markRewarded(candidates.ids);
            rewarded += _allocateAll(batch, candidates, marked);
        }
        if (batch.queue.head != batch.queue.tail) {
            // Rewards queued by this call get what the limit still has room for.
            rewarded += _drainQueue(batch);
            queued = true;
        }
        if (queued) _queueState = batch.queue;
        if (batch.mintedTotal != 0) _closeBatch(batch);
    }

    // --------------------------------------------------------------------------------------------------------------
    // Views
    // --------------------------------------------------------------------------------------------------------------

    /**
     * @notice What a booking paid by `traveller` in `token` with `commission` would mint now, and to whom.
     * @dev Reverts like `distribute` on bad prices, with `DistributorNoPriceFeed` for a token without a feed, and with
     * `DistributorSequencerDown` while prices cannot be trusted.
     */
    function previewReward(
        address traveller,
        address token,
        uint256 commission
    ) external view returns (Allocation memory allocation, address level1, address level2) {
        _requireSequencerReady();
        PriceCache memory prices;
        (bool priced, , uint256 reward) = _value(prices, token, commission, _price(_trvlFeed));
        if (!priced) {
            if (prices.problem == SkipReason.NoPriceFeed) revert DistributorNoPriceFeed(token);
            _price(_feeds[token]); // reverts with what is wrong with the token's price
        }
        (level1, level2) = referrals.uplines(traveller);
        (address[] memory l1, address[] memory l2, uint256[] memory now_) = (
            new address[](1),
            new address[](1),
            new uint256[](1)
        );
        (l1[0], l2[0], now_[0]) = (level1, level2, block.timestamp);
        _dropInactive(l1, l2, now_);
        (level1, level2) = (l1[0], l2[0]);
        IRewardBoost boost = boostSource;
        uint256 boostBps = address(boost) == address(0) ? 0 : boost.boostBpsOf(traveller);
        allocation = _allocate(_split, reward, level1, level2, boostBps);
    }

    /**
     * @notice The rewards waiting for the mint limit to refill, first to be minted first, and the TRVL they still owe
     * in all.
     */
    function rewardQueue() external view returns (bytes32[] memory bookingIds, uint256 owed) {
        QueueState memory q = _queueState;
        bookingIds = new bytes32[](q.tail - q.head);
        for (uint256 i = 0; i < bookingIds.length; ++i) bookingIds[i] = _queueIds[q.head + i];
        return (bookingIds, q.owed);
    }

    /// @notice Queued booking `bookingId`'s fixed allocation and how much of it is minted so far (all zero if the
    /// booking is not queued).
    function queuedReward(bytes32 bookingId) external view returns (QueuedReward memory) {
        return _queued[bookingId];
    }

    /**
     * @notice Whether prices can be used now: true without a sequencer feed; otherwise the sequencer must be up and
     * its grace period over. `readyAt` is when the grace period ends (0 while the sequencer is down or unknown).
     */
    function sequencerStatus() external view returns (bool ready, uint256 readyAt) {
        return _sequencerReady();
    }

    /// @notice The current split, in basis points.
    function split() external view returns (Split memory) {
        return _split;
    }

    /// @notice The rule that decides which referrers are active.
    function referrerRule() external view returns (ReferrerRule memory) {
        return _referrerRule;
    }

    /// @notice The USD feed configured for payment `token` (zero feed if none).
    function priceFeedOf(address token) external view returns (FeedConfig memory) {
        return _feeds[token];
    }

    /// @notice The TRVL/USD feed configuration.
    function trvlPriceFeed() external view returns (FeedConfig memory) {
        return _trvlFeed;
    }

    /**
     * @notice The mint limit: at most `capacity` TRVL per `window` seconds, refilling linearly; `available` can be
     * minted right now.
     */
    function mintLimit() external view returns (uint256 capacity, uint48 window, uint256 available) {
        return (_mintLimit._capacity, _mintLimit._window, _mintLimit.available(bytes32(0)));
    }

    // --------------------------------------------------------------------------------------------------------------
    // Administration
    // --------------------------------------------------------------------------------------------------------------

    /// @notice Sets the split; the four parts must sum to 10,000 basis points.
    function setSplit(Split calldata newSplit) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setSplit(newSplit);
    }

    /**
     * @notice Sets the USD feed of payment `token` (`address(0)` is the native coin); `feed == address(0)` removes
     * it, and bookings in that token are then skipped until a feed is set again.
     * @param maxAge Answers older than this many seconds are rejected.
     * @param minAnswer Lowest trusted answer, in the feed's decimals.
     * @param maxAnswer Highest trusted answer, in the feed's decimals.
     */
    function setPriceFeed(
        address token,
        AggregatorV3Interface feed,
        uint32 maxAge,
        uint128 minAnswer,
        uint128 maxAnswer
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (address(feed) == address(0)) {
            delete _feeds[token];
        } else {
            uint8 tokenDecimals = token == NATIVE_TOKEN ? 18 : IERC20Metadata(token).decimals();
            _feeds[token] = _feedConfig(feed, maxAge, tokenDecimals, minAnswer, maxAnswer);
        }
        emit PriceFeedSet(token, address(feed), maxAge, minAnswer, maxAnswer);
    }

    /// @notice Sets the TRVL/USD feed that converts USD values into TRVL. Parameters as in `setPriceFeed`.
    function setTrvlPriceFeed(
        AggregatorV3Interface feed,
        uint32 maxAge,
        uint128 minAnswer,
        uint128 maxAnswer
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _trvlFeed = _feedConfig(feed, maxAge, 18, minAnswer, maxAnswer);
        emit TrvlPriceFeedSet(address(feed), maxAge, minAnswer, maxAnswer);
    }

    /// @notice Sets the mint limit: at most `capacity` TRVL per `window` seconds.
    function setMintLimit(uint256 capacity, uint48 window) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _mintLimit.sync(bytes32(0));
        _setMintLimit(capacity, window);
    }

    /// @notice Sets where the treasury share goes.
    function setTreasury(address newTreasury) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setTreasury(newTreasury);
    }

    /// @notice Sets who counts as an active referrer (see `ReferrerRule`).
    function setReferrerRule(ReferrerRule calldata newRule) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setReferrerRule(newRule);
    }

    /**
     * @notice Sets the L2 sequencer uptime feed (zero: none) and the grace period after a restart during which
     * nothing is priced.
     */
    function setSequencerUptimeFeed(
        AggregatorV3Interface feed,
        uint32 gracePeriod
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        sequencerUptimeFeed = feed;
        sequencerGracePeriod = gracePeriod;
        emit SequencerUptimeFeedSet(address(feed), gracePeriod);
    }

    /// @notice Sets the source of traveller boosts (the staking contract); zero disables boosts.
    function setBoostSource(IRewardBoost newSource) external onlyRole(DEFAULT_ADMIN_ROLE) {
        emit BoostSourceSet(address(boostSource), address(newSource));
        boostSource = newSource;
    }

    // --------------------------------------------------------------------------------------------------------------
    // Internals
    // --------------------------------------------------------------------------------------------------------------

    /// @dev The state of one `distribute` call: prices read once, the room left under the limits, and the mints
    /// collected so that the token is called once per batch and the treasury minted to once.
    struct Batch {
        uint256 trvlPrice;
        /// What the mint limit still allows in this call.
        uint256 limitRoom;
        /// What the supply cap still allows in this call, beyond what the queue owes.
        uint256 capRoom;
        QueueState queue;
        PriceCache prices;
        address[] recipients;
        uint256[] amounts;
        uint256 mints;
        uint256 treasuryTotal;
        uint256 mintedTotal;
    }

    /// @dev The settled, priced bookings of a batch that fit under the limits, in batch order.
    struct Candidates {
        uint256 count;
        bytes32[] ids;
        address[] travellers;
        uint256[] paidAt;
        uint256[] rewards;
        uint256[] tokenPrices;
    }

    function _openBatch(uint256 size) private view returns (Batch memory batch) {
        batch.trvlPrice = _price(_trvlFeed);
        batch.queue = _queueState;
        batch.limitRoom = _mintLimit.available(bytes32(0));
        // The queue's rewards are reserved under the cap: the parts still owed can always be minted.
        batch.capRoom = trvl.cap() - trvl.totalSupply() - batch.queue.owed;
        // Room for three mints per booking and the treasury's; and, if rewards wait in the queue already, three for
        // each one each of the two queue passes may reach. (With none waiting, the second pass reaches only rewards
        // this call queued: bookings of the batch, whose room is counted.)
        uint256 room = size * 3 + 1 + (batch.queue.head != batch.queue.tail ? 6 * (MAX_QUEUE_STEPS + 1) : 0);
        batch.recipients = new address[](room);
        batch.amounts = new uint256[](room);
    }

    /// @dev Values every settled booking, and keeps those that can be rewarded now; emits why the others cannot.
    function _select(
        Batch memory batch,
        bytes32[] calldata bookingIds,
        IBookingEscrow.Settlement[] memory settlements
    ) private returns (Candidates memory candidates) {
        uint256 size = bookingIds.length;
        candidates.ids = new bytes32[](size);
        candidates.travellers = new address[](size);
        candidates.paidAt = new uint256[](size);
        candidates.rewards = new uint256[](size);
        candidates.tokenPrices = new uint256[](size);
        for (uint256 i = 0; i < size; ++i) {
            IBookingEscrow.Settlement memory settlement = settlements[i];
            if (settlement.status != IBookingEscrow.Status.Settled) {
                emit RewardSkipped(bookingIds[i], _skipReason(settlement.status));
                continue;
            }
            (bool priced, uint256 tokenPrice, uint256 reward) = _value(
                batch.prices,
                settlement.token,
                settlement.commission,
                batch.trvlPrice
            );
            if (!priced) {
                emit RewardSkipped(bookingIds[i], batch.prices.problem);
                continue;
            }
            if (reward > batch.capRoom) {
                emit RewardSkipped(bookingIds[i], SkipReason.SupplyCapReached);
                continue;
            }
            // First in, first minted: while rewards wait in the queue, every later one joins it.
            if (reward > batch.limitRoom || batch.queue.head != batch.queue.tail) {
                _enqueue(batch, candidates, bookingIds[i], settlement, reward, tokenPrice);
                continue;
            }
            uint256 n;
            unchecked {
                // reward <= limitRoom and reward <= capRoom, checked just above
                batch.limitRoom -= reward;
                batch.capRoom -= reward;
                n = candidates.count++;
            }
            candidates.ids[n] = bookingIds[i];
            candidates.travellers[n] = settlement.traveller;
            candidates.paidAt[n] = settlement.paidAt;
            candidates.rewards[n] = reward;
            candidates.tokenPrices[n] = tokenPrice;
        }
        (bytes32[] memory ids, address[] memory travellers, uint256[] memory paidAt, uint256 count) = (
            candidates.ids,
            candidates.travellers,
            candidates.paidAt,
            candidates.count
        );
        assembly ("memory-safe") {
            mstore(ids, count)
            mstore(travellers, count)
            mstore(paidAt, count)
        }
    }

    /// @dev Splits the reward of every booking the escrow marked, collecting the mints; a booking it did not mark
    /// (a duplicate within the batch) is skipped as already rewarded.
    function _allocateAll(
        Batch memory batch,
        Candidates memory candidates,
        bool[] memory marked
    ) private returns (uint256 rewarded) {
        (address[] memory level1, address[] memory level2) = referrals.uplinesOf(candidates.travellers);
        _dropInactive(level1, level2, candidates.paidAt);
        uint256[] memory boosts = _boosts(candidates.travellers, candidates.paidAt);
        Split memory split_ = _split;
        // One record, filled anew for each booking: memory is never freed, and its cost grows with its square.
        RewardRecord memory record;
        Allocation memory allocation = record.allocation;
        record.trvlPrice = batch.trvlPrice;
        for (uint256 i = 0; i < candidates.count; ++i) {
            if (!marked[i]) {
                emit RewardSkipped(candidates.ids[i], SkipReason.AlreadyRewarded);
                continue;
            }
            _allocateInto(allocation, split_, candidates.rewards[i], level1[i], level2[i], boosts[i]);
            _push(batch, candidates.travellers[i], allocation.traveller);
            _push(batch, level1[i], allocation.level1);
            _push(batch, level2[i], allocation.level2);
            unchecked {
                // Bounded by the mintable amount, itself at most the TRVL cap.
                batch.treasuryTotal += allocation.treasury;
                batch.mintedTotal += candidates.rewards[i];
            }
            (record.bookingId, record.traveller, record.level1, record.level2, record.tokenPrice) = (
                candidates.ids[i],
                candidates.travellers[i],
                level1[i],
                level2[i],
                candidates.tokenPrices[i]
            );
            _emitRewarded(record);
            ++rewarded;
        }
    }

    /// @dev Puts a settled, priced booking at the end of the queue with its allocation fixed now, unless it is queued
    /// already or is a candidate of this batch (a duplicate id).
    function _enqueue(
        Batch memory batch,
        Candidates memory candidates,
        bytes32 bookingId,
        IBookingEscrow.Settlement memory settlement,
        uint256 reward,
        uint256 tokenPrice
    ) private {
        if (batch.queue.head != batch.queue.tail && _queued[bookingId].traveller != address(0)) {
            emit RewardSkipped(bookingId, SkipReason.Queued);
            return;
        }
        for (uint256 j = 0; j < candidates.count; ++j) {
            if (candidates.ids[j] == bookingId) {
                emit RewardSkipped(bookingId, SkipReason.AlreadyRewarded);
                return;
            }
        }
        (Allocation memory allocation, address level1, address level2) = _allocationAt(
            settlement.traveller,
            settlement.paidAt,
            reward
        );
        // The casts are exact: every amount is at most the cap (< 2^96), prices at most a feed's uint128 bound.
        _queued[bookingId] = QueuedReward({
            traveller: settlement.traveller,
            travellerAmount: uint96(allocation.traveller),
            level1: level1,
            level1Amount: uint96(allocation.level1),
            level2: level2,
            level2Amount: uint96(allocation.level2),
            treasuryAmount: uint96(allocation.treasury),
            minted: 0,
            boostBps: uint16(allocation.boostBps),
            tokenPrice: uint128(tokenPrice),
            trvlPrice: uint128(batch.trvlPrice)
        });
        _queueIds[batch.queue.tail] = bookingId;
        unchecked {
            // reward <= capRoom, checked by the caller; the queue's length and owed TRVL are bounded by the cap.
            ++batch.queue.tail;
            batch.queue.owed += uint128(reward);
            batch.capRoom -= reward;
        }
        emit RewardQueued(bookingId, reward);
        emit RewardSkipped(bookingId, SkipReason.Queued);
    }

    /// @dev Mints the queue's rewards in order, as far as the mint limit allows and at most `MAX_QUEUE_STEPS` of them:
    /// the first unfinished one gets a part. Returns how many were finished (and reported by `RewardDistributed`).
    function _drainQueue(Batch memory batch) private returns (uint256 finished) {
        QueueState memory q = batch.queue;
        bytes32[] memory done = new bytes32[](MAX_QUEUE_STEPS);
        while (q.head != q.tail && batch.limitRoom != 0 && finished < MAX_QUEUE_STEPS) {
            bytes32 bookingId = _queueIds[q.head];
            QueuedReward memory entry = _queued[bookingId];
            uint256 total =
                uint256(entry.travellerAmount) + entry.level1Amount + entry.level2Amount + entry.treasuryAmount;
            uint256 part = Math.min(total - entry.minted, batch.limitRoom);
            _pushPart(batch, entry, part);
            unchecked {
                // part <= limitRoom, and part <= what this reward still owes, itself part of the queue's owed total.
                batch.limitRoom -= part;
                batch.mintedTotal += part;
                q.owed -= uint128(part);
            }
            uint256 remaining = total - entry.minted - part;
            emit RewardPartMinted(bookingId, part, remaining);
            if (remaining != 0) {
                _queued[bookingId].minted = uint96(entry.minted + part);
                break;
            }
            done[finished++] = bookingId;
            delete _queued[bookingId];
            delete _queueIds[q.head];
            ++q.head;
            _emitRewarded(
                RewardRecord(
                    bookingId,
                    entry.traveller,
                    entry.level1,
                    entry.level2,
                    Allocation(
                        entry.travellerAmount,
                        entry.level1Amount,
                        entry.level2Amount,
                        entry.treasuryAmount,
                        entry.boostBps
                    ),
                    entry.tokenPrice,
                    entry.trvlPrice
                )
            );
        }
        batch.queue = q;
        if (finished == 0) return 0;
        assembly ("memory-safe") {
            mstore(done, finished)
        }
        // Queued bookings stay settled in the escrow until their reward is whole; only this contract marks them.
        escrow.markRewarded(done);
    }

    /// @dev Collects the mints of `part` TRVL of a queued reward, continuing from what is minted: the traveller's
    /// share first, then the level-1 and level-2 referrers', then the treasury's.
    function _pushPart(Batch memory batch, QueuedReward memory entry, uint256 part) private pure {
        uint256 from = entry.minted;
        uint256 to = from + part;
        uint256 start = 0;
        (address[3] memory who, uint256[3] memory amounts) = (
            [entry.traveller, entry.level1, entry.level2],
            [uint256(entry.travellerAmount), entry.level1Amount, entry.level2Amount]
        );
        for (uint256 k = 0; k < 3; ++k) {
            uint256 end = start + amounts[k];
            _push(batch, who[k], _overlap(from, to, start, end));
            start = end;
        }
        batch.treasuryTotal += _overlap(from, to, start, type(uint256).max);
    }

    /// @dev The length of [from, to) ∩ [start, end).
    function _overlap(uint256 from, uint256 to, uint256 start, uint256 end) private pure returns (uint256) {
        uint256 lo = Math.max(from, start);
        uint256 hi = Math.min(to, end);
        return hi > lo ? hi - lo : 0;
    }

    /// @dev One booking's allocation of `reward`, with its active referrers and the boost the traveller held at
    /// `paidAt`.
    function _allocationAt(
        address traveller,
        uint256 paidAt,
        uint256 reward
    ) private view returns (Allocation memory allocation, address level1, address level2) {
        (level1, level2) = referrals.uplines(traveller);
        (address[] memory l1, address[] memory l2, uint256[] memory times, address[] memory travellers) = (
            new address[](1),
            new address[](1),
            new uint256[](1),
            new address[](1)
        );
        (l1[0], l2[0], times[0], travellers[0]) = (level1, level2, paidAt, traveller);
        _dropInactive(l1, l2, times);
        allocation = _allocate(_split, reward, l1[0], l2[0], _boosts(travellers, times)[0]);
        return (allocation, l1[0], l2[0]);
    }

    /// @dev Replaces each inactive referrer by the zero address, so that its share goes to the treasury. `paidAt[i]`
    /// is when the referee of `level1[i]` and `level2[i]` paid.
    function _dropInactive(address[] memory level1, address[] memory level2, uint256[] memory paidAt) private view {
        ReferrerRule memory rule = _referrerRule;
        IRewardBoost stakes = boostSource;
        bool byStake = rule.minHeldStake != 0 && address(stakes) != address(0);
        if (!rule.ownBooking && rule.minHeldStake == 0) return;
        uint256 n = level1.length;
        address[] memory referrers = new address[](2 * n);
        uint256[] memory times = new uint256[](2 * n);
        for (uint256 i = 0; i < n; ++i) {
            (referrers[i], referrers[n + i]) = (level1[i], level2[i]);
            (times[i], times[n + i]) = (paidAt[i], paidAt[i]);
        }
        bool[] memory booked = rule.ownBooking ? escrow.hasSettledBooking(referrers) : new bool[](2 * n);
        uint256[] memory held = byStake ? stakes.heldStakeAtMany(referrers, times) : new uint256[](2 * n);
        for (uint256 i = 0; i < 2 * n; ++i) {
            if (booked[i] || (byStake && held[i] >= rule.minHeldStake)) continue;
            if (i < n) level1[i] = address(0);
            else level2[i - n] = address(0);
        }
    }

    function _boosts(address[] memory travellers, uint256[] memory paidAt) private view returns (uint256[] memory) {
        IRewardBoost boost = boostSource;
        if (address(boost) == address(0)) return new uint256[](travellers.length);
        return boost.boostBpsAtMany(travellers, paidAt);
    }

    /// @dev Everything `RewardDistributed` reports, in one memory struct to keep the stack shallow.
    struct RewardRecord {
        bytes32 bookingId;
        address traveller;
        address level1;
        address level2;
        Allocation allocation;
        uint256 tokenPrice;
        uint256 trvlPrice;
    }

    function _emitRewarded(RewardRecord memory r) private {
        emit RewardDistributed(
            r.bookingId,
            r.traveller,
            r.level1,
            r.level2,
            r.allocation.traveller,
            r.allocation.level1,
            r.allocation.level2,
            r.allocation.treasury,
            r.allocation.boostBps,
            r.tokenPrice,
            r.trvlPrice
        );
    }

    function _closeBatch(Batch memory batch) private {
        _push(batch, treasury, batch.treasuryTotal);
        (address[] memory recipients, uint256[] memory amounts, uint256 mints) = (
            batch.recipients,
            batch.amounts,
            batch.mints
        );
        assembly ("memory-safe") {
            mstore(recipients, mints)
            mstore(amounts, mints)
        }
        _mintLimit.consume(bytes32(0), batch.mintedTotal);
        trvl.mintBatch(recipients, amounts);
    }

    function _push(Batch memory batch, address recipient, uint256 amount) private pure {
        if (amount == 0) return;
        uint256 n = batch.mints;
        batch.recipients[n] = recipient;
        batch.amounts[n] = amount;
        unchecked {
            batch.mints = n + 1;
        }
    }

    /// @dev The last payment token priced in this call, so a batch in one token reads its feed once.
    struct PriceCache {
        address token;
        bool set;
        SkipReason problem;
        uint256 price;
        uint256 numerator;
        uint256 denominator;
    }

    /// @dev Values `commission` of `token` in TRVL: commission × tokenPrice / trvlPrice, scaled by the decimals.
    function _value(
        PriceCache memory cache,
        address token,
        uint256 commission,
        uint256 trvlPrice
    ) private view returns (bool priced, uint256 tokenPrice, uint256 reward) {
        if (!_loadPrice(cache, token, trvlPrice)) return (false, 0, 0);
        return (true, cache.price, Math.mulDiv(commission, cache.numerator, cache.denominator));
    }

    /// @dev Makes `cache` hold `token`'s conversion factors, reading its feed unless it already does; false, with the
    /// reason in `cache.problem`, if the token has no feed or its feed's answer cannot be used now (stale, from the
    /// future, not positive, out of bounds, or the feed reverts): only that token's bookings wait.
    function _loadPrice(PriceCache memory cache, address token, uint256 trvlPrice) private view returns (bool) {
        if (cache.set && cache.token == token) return cache.problem == SkipReason.Unknown;
        FeedConfig memory config = _feeds[token];
        cache.token = token;
        cache.set = true;
        cache.problem = SkipReason.Unknown;
        if (address(config.feed) == address(0)) {
            cache.problem = SkipReason.NoPriceFeed;
            return false;
        }
        (bool usable, uint256 price) = _tryPrice(config);
        if (!usable) {
            cache.problem = SkipReason.PriceUnavailable;
            return false;
        }
        cache.price = price;
        cache.numerator = cache.price * 10 ** (18 + uint256(_trvlFeed.feedDecimals));
        cache.denominator = 10 ** (uint256(config.tokenDecimals) + config.feedDecimals) * trvlPrice;
        return true;
    }

    /// @dev Splits `reward`; a missing referrer's share and all rounding go to the treasury, and the boost is taken
    /// from the treasury share, never beyond it.
    function _allocate(
        Split memory split_,
        uint256 reward,
        address level1,
        address level2,
        uint256 boostBps
    ) private pure returns (Allocation memory allocation) {
        _allocateInto(allocation, split_, reward, level1, level2, boostBps);
    }

    /// @dev `_allocate`, written into `allocation` (every field set).
    function _allocateInto(
        Allocation memory allocation,
        Split memory split_,
        uint256 reward,
        address level1,
        address level2,
        uint256 boostBps
    ) private pure {
        // Cannot overflow: `reward` is at most the TRVL cap (< 2^90) and the split's parts are at most BPS each and
        // sum to BPS, so every share fits and the treasury's remainder is never negative.
        unchecked {
            allocation.traveller = (reward * split_.traveller) / BPS;
            allocation.level1 = level1 != address(0) ? (reward * split_.level1) / BPS : 0;
            allocation.level2 = level2 != address(0) ? (reward * split_.level2) / BPS : 0;
            allocation.treasury = reward - allocation.traveller - allocation.level1 - allocation.level2;
        }
        allocation.boostBps = 0;
        if (boostBps != 0) {
            boostBps = Math.min(boostBps, MAX_BOOST_BPS);
            uint256 extra = Math.min((allocation.traveller * boostBps) / BPS, allocation.treasury);
            allocation.traveller += extra;
            allocation.treasury -= extra;
            allocation.boostBps = boostBps;
        }
    }

    /// @dev Reads and checks a payment token feed's latest answer without reverting: false if it cannot be used.
    function _tryPrice(FeedConfig memory config) private view returns (bool, uint256) {
        try config.feed.latestRoundData() returns (uint80, int256 answer, uint256, uint256 updatedAt, uint80) {
            bool usable =
                answer > 0 &&
                    updatedAt <= block.timestamp &&
                    block.timestamp - updatedAt <= config.maxAge &&
                    uint256(answer) >= config.minAnswer &&
                    uint256(answer) <= config.maxAnswer;
            return (usable, usable ? uint256(answer) : 0);
        } catch {
            return (false, 0);
        }
    }

    /// @dev Reads and checks a feed's latest answer.
    function _price(FeedConfig memory config) private view returns (uint256) {
        AggregatorV3Interface feed = config.feed;
        if (address(feed) == address(0)) revert DistributorNoTrvlPriceFeed();
        (, int256 answer, , uint256 updatedAt, ) = feed.latestRoundData();
        if (answer <= 0) revert DistributorInvalidPrice(address(feed), answer);
        if (updatedAt > block.timestamp || block.timestamp - updatedAt > config.maxAge) {
            revert DistributorStalePrice(address(feed), updatedAt, config.maxAge);
        }
        // `answer` is positive here, so the cast is exact.
        if (uint256(answer) < config.minAnswer || uint256(answer) > config.maxAnswer) {
            revert DistributorPriceOutOfBounds(address(feed), answer, config.minAnswer, config.maxAnswer);
        }
        return uint256(answer);
    }

    /// @dev Whether prices can be used: no sequencer feed, or the sequencer up for longer than the grace period. A
    /// feed that reverts or has no round yet (`startedAt` 0) counts as down.
    function _sequencerReady() private view returns (bool ready, uint256 readyAt) {
        AggregatorV3Interface feed = sequencerUptimeFeed;
        if (address(feed) == address(0)) return (true, 0);
        try feed.latestRoundData() returns (uint80, int256 answer, uint256 startedAt, uint256, uint80) {
            if (answer != 0 || startedAt == 0) return (false, 0);
            readyAt = startedAt + sequencerGracePeriod;
            return (block.timestamp > readyAt, readyAt);
        } catch {
            return (false, 0);
        }
    }

    function _requireSequencerReady() private view {
        (bool ready, uint256 readyAt) = _sequencerReady();
        if (!ready) revert DistributorSequencerDown(readyAt);
    }

    function _skipReason(IBookingEscrow.Status status) private pure returns (SkipReason) {
        if (status == IBookingEscrow.Status.Paid) return SkipReason.NotSettled;
        if (status == IBookingEscrow.Status.Refunded) return SkipReason.Refunded;
        if (status == IBookingEscrow.Status.Rewarded) return SkipReason.AlreadyRewarded;
        return SkipReason.Unknown;
    }

    function _feedConfig(
        AggregatorV3Interface feed,
        uint32 maxAge,
        uint8 tokenDecimals,
        uint128 minAnswer,
        uint128 maxAnswer
    ) private view returns (FeedConfig memory) {
        uint8 feedDecimals = feed.decimals();
        if (maxAge == 0 || minAnswer == 0 || minAnswer > maxAnswer || feedDecimals > 18 || tokenDecimals > 18) {
            revert DistributorInvalidFeedConfig(address(feed));
        }
        return FeedConfig(feed, maxAge, feedDecimals, tokenDecimals, minAnswer, maxAnswer);
    }

    function _setSplit(Split memory newSplit) private {
        uint256 sum = uint256(newSplit.traveller) + newSplit.level1 + newSplit.level2 + newSplit.treasury;
        if (sum != BPS) revert DistributorInvalidSplit(sum);
        _split = newSplit;
        emit SplitSet(newSplit.traveller, newSplit.level1, newSplit.level2, newSplit.treasury);
    }

    function _setMintLimit(uint256 capacity, uint48 window) private {
        if (window == 0) revert DistributorInvalidMintLimit();
        _mintLimit.updateSettings(window, uint208(Math.min(capacity, type(uint208).max)));
        emit MintLimitSet(capacity, window);
    }

    function _setReferrerRule(ReferrerRule memory newRule) private {
        _referrerRule = newRule;
        emit ReferrerRuleSet(newRule.ownBooking, newRule.minHeldStake);
    }

    function _setTreasury(address newTreasury) private {
        if (newTreasury == address(0)) revert DistributorZeroAddress();
        emit TreasurySet(treasury, newTreasury);
        treasury = newTreasury;
    }
}
