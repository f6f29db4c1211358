// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IUniswapV3Pool} from "@uniswap/v3-core/contracts/interfaces/IUniswapV3Pool.sol";
import {TickMath} from "@uniswap/v4-core/src/libraries/TickMath.sol";

/**
 * @title UniswapV3TwapFeed
 * @notice A token's USD price as a Chainlink feed (AggregatorV3Interface, 8 decimals), for tokens no Chainlink feed
 * prices yet: the time-weighted average price of a Uniswap v3 token/stablecoin pool over `window` seconds, times the
 * stablecoin's own Chainlink USD answer.
 * @dev The average comes from the pool's tick accumulator (`observe`). A swap writes the tick that held before it,
 * so trades within the current block never move the answer, and a price held for one block moves it only by that
 * block's share of the window. Reads revert while the pool's history is shorter than `window` or its observation
 * buffer smaller than `minCardinality`. The answer's `updatedAt` (and round) is the stablecoin feed's: the average is
 * always current, so the answer is as old as its stablecoin price. The reader bounds the answer (the distributor
 * checks its age and its min/max answers).
 */
contract UniswapV3TwapFeed is AggregatorV3Interface {
    /// @notice Decimals of every answer.
    uint8 public constant override decimals = 8;

    /// @notice The shortest averaging window the feed accepts: 10 minutes.
    uint32 public constant MIN_WINDOW = 10 minutes;

    /// @notice The longest averaging window the feed accepts: 1 day.
    uint32 public constant MAX_WINDOW = 1 days;

    /// @notice The token/stablecoin pool averaged.
    IUniswapV3Pool public immutable pool;

    /// @notice The token priced.
    address public immutable token;

    /// @notice The stablecoin's USD feed.
    AggregatorV3Interface public immutable stablecoinUsdFeed;

    /// @notice Seconds averaged.
    uint32 public immutable window;

    /// @notice Observations the pool must keep (its observation cardinality) for the feed to answer.
    uint16 public immutable minCardinality;

    /// @dev Whether `token` is the pool's token0 (then the pool's price is stablecoin per token).
    bool private immutable _tokenIsToken0;

    /// @dev 10^tokenDecimals.
    uint256 private immutable _tokenUnit;

    /// @dev 10^stablecoinDecimals.
    uint256 private immutable _stablecoinUnit;

    /// @dev 10^tokenDecimals × 10^decimals: scales a raw price to this feed's answer.
    uint256 private immutable _numeratorScale;

    /// @dev 10^stablecoinDecimals × 10^stablecoinFeedDecimals.
    uint256 private immutable _denominatorScale;

    /// @dev `token` is not one of the pool's two tokens.
    error TwapTokenNotInPool(address token, address pool);

    /// @dev `window` is outside [MIN_WINDOW, MAX_WINDOW], or `minCardinality` is zero.
    error TwapInvalidSettings(uint32 window, uint16 minCardinality);

    /// @dev The pool keeps `cardinality` observations; the feed needs at least `required`.
    error TwapCardinalityTooLow(uint16 cardinality, uint16 required);

    /// @dev The pool's oldest observation is `available` seconds old; the window needs `required`.
    error TwapPoolTooYoung(uint32 available, uint32 required);

    /// @dev The stablecoin's USD feed answered zero or less.
    error TwapInvalidStablecoinPrice(int256 answer);

    /// @dev Historical rounds do not exist: the average is computed when read.
    error TwapNoHistory();

    /**
     * @param pool_ A Uniswap v3 pool of `token_` against a USD stablecoin.
     * @param token_ The token priced (TRVL).
     * @param stablecoinUsdFeed_ The Chainlink USD feed of the pool's other token.
     * @param window_ Seconds averaged, within [MIN_WINDOW, MAX_WINDOW] (30 minutes is usual).
     * @param minCardinality_ Observations the pool must keep: at least the swaps (blocks) the window may hold.
     */
    constructor(
        IUniswapV3Pool pool_,
        address token_,
        AggregatorV3Interface stablecoinUsdFeed_,
        uint32 window_,
        uint16 minCardinality_
    ) {
        if (window_ < MIN_WINDOW || window_ > MAX_WINDOW || minCardinality_ == 0) {
            revert TwapInvalidSettings(window_, minCardinality_);
        }
        (address token0, address token1) = (pool_.token0(), pool_.token1());
        if (token_ != token0 && token_ != token1) revert TwapTokenNotInPool(token_, address(pool_));
        address stablecoin = token_ == token0 ? token1 : token0;
        pool = pool_;
        token = token_;
        stablecoinUsdFeed = stablecoinUsdFeed_;
        window = window_;
        minCardinality = minCardinality_;
        _tokenIsToken0 = token_ == token0;
        _tokenUnit = 10 ** IERC20Metadata(token_).decimals();
        _stablecoinUnit = 10 ** IERC20Metadata(stablecoin).decimals();
        _numeratorScale = _tokenUnit * 10 ** decimals;
        _denominatorScale = _stablecoinUnit * 10 ** stablecoinUsdFeed_.decimals();
    }

    /// @notice What the feed prices, e.g. "TRVL / USD (30-min Uniswap v3 TWAP)".
    function description() external view override returns (string memory) {
        return string.concat(IERC20Metadata(token).symbol(), " / USD (Uniswap v3 TWAP)");
    }

    /// @notice The feed's version.
    function version() external pure override returns (uint256) {
        return 1;
    }

    /// @notice Always reverts: the average is computed when read, so there are no past rounds.
    function getRoundData(uint80) external pure override returns (uint80, int256, uint256, uint256, uint80) {
        revert TwapNoHistory();
    }

    /**
     * @notice The token's USD price now (8 decimals): the pool's average over `window` times the stablecoin's USD
     * answer, rounded down. Round ids and times are the stablecoin feed's latest round's.
     */
    function latestRoundData()
        external
        view
        override
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        int256 stablecoinUsd;
        (roundId, stablecoinUsd, startedAt, updatedAt, answeredInRound) = stablecoinUsdFeed.latestRoundData();
        if (stablecoinUsd <= 0) revert TwapInvalidStablecoinPrice(stablecoinUsd);
        answer = SafeCast.toInt256(priceAtTick(meanTick(), uint256(stablecoinUsd)));
    }

    /// @notice The pool's arithmetic mean tick over the last `window` seconds, rounded towards negative infinity.
    function meanTick() public view returns (int24) {
        _checkHistory();
        uint32[] memory secondsAgos = new uint32[](2);
        secondsAgos[0] = window;
        (int56[] memory tickCumulatives, ) = pool.observe(secondsAgos);
        int56 delta = tickCumulatives[1] - tickCumulatives[0];
        int56 span = int56(uint56(window));
        int24 tick = int24(delta / span);
        if (delta < 0 && delta % span != 0) tick--;
        return tick;
    }

    /**
     * @notice The feed's answer at `tick` with the stablecoin at `stablecoinUsd` (in its feed's decimals): the
     * token's price in stablecoins at that tick, in USD with 8 decimals, rounded down once.
     */
    function priceAtTick(int24 tick, uint256 stablecoinUsd) public view returns (uint256) {
        uint256 sqrtPriceX96 = TickMath.getSqrtPriceAtTick(tick);
        uint256 scale = _numeratorScale * stablecoinUsd;
        // token1 per token0 is ratio / 2^shift. floor(floor(a / b) / c) = floor(a / (b·c)), so dividing by the
        // stablecoin's scales afterwards rounds down only once.
        (uint256 ratio, uint256 shift) = sqrtPriceX96 <= type(uint128).max
            ? (sqrtPriceX96 * sqrtPriceX96, uint256(192))
            : (Math.mulDiv(sqrtPriceX96, sqrtPriceX96, 1 << 64), uint256(128));
        uint256 scaled = _tokenIsToken0 ? Math.mulDiv(ratio, scale, 1 << shift) : Math.mulDiv(1 << shift, scale, ratio);
        return scaled / _denominatorScale;
    }

    /**
     * @notice The pool's square-root price (Q64.96) at which one token is worth `stablecoinsPerToken` stablecoins
     * (18 decimals), rounded down: what the pool is initialised with at launch, whichever of its tokens sorts first.
     */
    function initialSqrtPriceX96(uint256 stablecoinsPerToken) external view returns (uint160) {
        // token1 per token0 in raw units, times 2^192.
        uint256 ratioX192 =
            _tokenIsToken0
                ? Math.mulDiv(stablecoinsPerToken * _stablecoinUnit, 1 << 192, _tokenUnit * 1e18)
                : Math.mulDiv(_tokenUnit * 1e18, 1 << 192, stablecoinsPerToken * _stablecoinUnit);
        return SafeCast.toUint160(Math.sqrt(ratioX192));
    }

    /// @dev Reverts unless the pool keeps enough observations and its oldest is at least `window` old.
    function _checkHistory() private view {
        (, , uint16 index, uint16 cardinality, , , ) = pool.slot0();
        if (cardinality < minCardinality) revert TwapCardinalityTooLow(cardinality, minCardinality);
        // The oldest observation follows the newest in the ring buffer, unless the buffer has not wrapped yet.
        (uint32 oldest, , , bool initialized) = pool.observations((index + 1) % cardinality);
        if (!initialized) (oldest, , , ) = pool.observations(0);
        uint32 available;
        // Pool timestamps are the block's modulo 2^32; their difference is right across the wrap too.
        unchecked {
            available = uint32(block.timestamp) - oldest;
        }
        if (available < window) revert TwapPoolTooYoung(available, window);
    }
}
