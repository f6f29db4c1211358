// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IUniswapV3Pool} from "@uniswap/v3-core/contracts/interfaces/IUniswapV3Pool.sol";
import {TickMath} from "@uniswap/v4-core/src/libraries/TickMath.sol";

/**
 * @title UniswapV3PoolActor
 * @notice Tests only: provides liquidity to and swaps in a Uniswap v3 pool with tokens the caller approved to this
 * contract (the pool pays through callbacks, which a plain account cannot answer).
 */
contract UniswapV3PoolActor {
    /// @notice A feed's answer read right after a swap, in the same transaction.
    event AnswerAfterSwap(int256 answer);

    /// @notice Adds `liquidity` to `pool` between the two ticks, paid by the caller.
    function mint(IUniswapV3Pool pool, int24 tickLower, int24 tickUpper, uint128 liquidity) external {
        pool.mint(address(this), tickLower, tickUpper, liquidity, abi.encode(msg.sender));
    }

    /// @notice Swaps in `pool` until `sqrtPriceLimitX96` (or `amountSpecified` runs out), paid by the caller.
    function swap(IUniswapV3Pool pool, bool zeroForOne, int256 amountSpecified, uint160 sqrtPriceLimitX96) public {
        pool.swap(msg.sender, zeroForOne, amountSpecified, sqrtPriceLimitX96, abi.encode(msg.sender));
    }

    /// @notice Swaps as `swap` does, then reads `feed` in the same transaction (a same-block manipulation attempt).
    function swapThenRead(
        IUniswapV3Pool pool,
        bool zeroForOne,
        int256 amountSpecified,
        uint160 sqrtPriceLimitX96,
        AggregatorV3Interface feed
    ) external {
        swap(pool, zeroForOne, amountSpecified, sqrtPriceLimitX96);
        (, int256 answer, , , ) = feed.latestRoundData();
        emit AnswerAfterSwap(answer);
    }

    /// @notice The library's square-root price at `tick` (Q64.96), for tests' reference computations.
    function sqrtPriceAtTick(int24 tick) external pure returns (uint160) {
        return TickMath.getSqrtPriceAtTick(tick);
    }

    /// @dev Uniswap v3 mint callback: the payer sends what the pool is owed.
    function uniswapV3MintCallback(uint256 amount0Owed, uint256 amount1Owed, bytes calldata data) external {
        _pay(IUniswapV3Pool(msg.sender), abi.decode(data, (address)), amount0Owed, amount1Owed);
    }

    /// @dev Uniswap v3 swap callback: positive deltas are owed to the pool.
    function uniswapV3SwapCallback(int256 amount0Delta, int256 amount1Delta, bytes calldata data) external {
        _pay(
            IUniswapV3Pool(msg.sender),
            abi.decode(data, (address)),
            amount0Delta > 0 ? uint256(amount0Delta) : 0,
            amount1Delta > 0 ? uint256(amount1Delta) : 0
        );
    }

    function _pay(IUniswapV3Pool pool, address payer, uint256 amount0, uint256 amount1) private {
        if (amount0 > 0) require(IERC20(pool.token0()).transferFrom(payer, msg.sender, amount0), "pay token0");
        if (amount1 > 0) require(IERC20(pool.token1()).transferFrom(payer, msg.sender, amount1), "pay token1");
    }
}
