import { expect } from "chai";
import { parseEther } from "ethers";

import {
  MockStablecoin__factory,
  MockV3Aggregator__factory,
  UniswapV3TwapFeed__factory,
} from "../types/ethers-contracts/index.js";
import { useSystem } from "./helpers/fixture.js";
import type { System } from "./helpers/system.js";
import { TEN_X_TICKS, createPool, deployUniswapV3Factory } from "./helpers/uniswap.js";

const { fresh } = await useSystem();

const WINDOW = 1800;
const CARDINALITY = 50;
const BLOCK_SECONDS = 12;
/** TRVL at $0.10 in raw tUSD per raw TRVL (1e-13): 1.0001^-299351 ≈ 1.0000029e-13. */
const TEN_CENTS_TICK = -299_351;
const Q192 = 1n << 192n;
const usd8 = (dollars: number) => BigInt(Math.round(dollars * 1e8));

/** A TRVL/tUSD pool with liquidity around $0.10, older than the window, and a TWAP feed over it. */
async function twapSetup(system: System, { age = WINDOW, cardinality = CARDINALITY } = {}) {
  const { deployer, travellers, token, stablecoin, giveTrvl, connection } = system;
  const trader = travellers[0];
  await giveTrvl(trader, parseEther("500000"));
  await stablecoin.mint(trader.address, 10n ** 12n); // 1,000,000 tUSD
  const uniswap = await deployUniswapV3Factory(deployer);
  const market = await createPool(uniswap, deployer, trader, token, stablecoin);
  await market.initialize(TEN_CENTS_TICK, cardinality);
  await market.addLiquidity(TEN_CENTS_TICK, 6_000, 10n ** 17n);
  const stablecoinUsd = await new MockV3Aggregator__factory(deployer).deploy(8, usd8(1));
  const feed = await new UniswapV3TwapFeed__factory(deployer).deploy(
    market.poolAddress,
    await token.getAddress(),
    await stablecoinUsd.getAddress(),
    WINDOW,
    CARDINALITY,
  );
  if (age > 0) await connection.networkHelpers.time.increase(age);
  return { ...market, feed, stablecoinUsd, trader };
}

/**
 * The feed's answer computed independently: TRVL's price in raw tUSD at the tick (the library's square-root price),
 * in USD with 8 decimals, rounded down once.
 */
function expectedAnswer(sqrtPriceX96: bigint, tokenIsToken0: boolean, stablecoinUsd: bigint, stableDecimals = 6n) {
  const numerator = 10n ** (18n + 8n) * stablecoinUsd;
  const denominator = 10n ** (stableDecimals + 8n);
  if (sqrtPriceX96 <= 1n << 128n) {
    const ratio = sqrtPriceX96 * sqrtPriceX96;
    return tokenIsToken0 ? (ratio * numerator) / (Q192 * denominator) : (Q192 * numerator) / (ratio * denominator);
  }
  const ratio = (sqrtPriceX96 * sqrtPriceX96) >> 64n;
  const Q128 = 1n << 128n;
  return tokenIsToken0 ? (ratio * numerator) / (Q128 * denominator) : (Q128 * numerator) / (ratio * denominator);
}

describe("UniswapV3TwapFeed (TRVL/USD from a Uniswap v3 pool)", () => {
  it("answers the pool's time-weighted price in USD, and follows the pool as time passes", async () => {
    const system = await fresh();
    const { feed, actor, tokenIsToken0, moveTo, tokenPriceTick, stablecoinUsd } = await twapSetup(system);
    const { time } = system.connection.networkHelpers;
    const poolTick = async () => (tokenIsToken0 ? await tokenPriceTick() : -(await tokenPriceTick()));
    const answerAt = async (usd: bigint) =>
      expectedAnswer(await actor.sqrtPriceAtTick(await poolTick()), tokenIsToken0, usd);

    const [, answer, , updatedAt] = await feed.latestRoundData();
    expect(answer).to.equal(await answerAt(usd8(1)));
    expect(answer).to.be.closeTo(usd8(0.1), 100n); // $0.10 within a millionth of a dollar
    const [, , , stableUpdatedAt] = await stablecoinUsd.latestRoundData();
    expect(updatedAt).to.equal(stableUpdatedAt);
    expect(await feed.meanTick()).to.equal(await poolTick());

    // The market doubles the price; after a full window the feed says so.
    await moveTo(TEN_CENTS_TICK + 6_932); // 1.0001^6932 ≈ 2
    await time.increase(WINDOW);
    const [, doubled] = await feed.latestRoundData();
    expect(doubled).to.equal(await answerAt(usd8(1)));
    expect(doubled).to.be.closeTo(usd8(0.2), 1_000n);

    // The stablecoin's own USD price applies: at $0.98, TRVL is worth 2% less.
    await stablecoinUsd.updateAnswer(usd8(0.98));
    const [, , , updated] = await stablecoinUsd.latestRoundData();
    const [, depegged, , depeggedAt] = await feed.latestRoundData();
    expect(depegged).to.equal(await answerAt(usd8(0.98)));
    expect(depeggedAt).to.equal(updated);
  });

  it("cannot be moved within a block, and a price held for one block moves it by a block's share of the window", async () => {
    const system = await fresh();
    const { feed, actor, pool, poolAddress, tokenIsToken0, moveTo, trader } = await twapSetup(system);
    const { time } = system.connection.networkHelpers;
    const [, before] = await feed.latestRoundData();

    // Push TRVL to 10× and read the feed in the same transaction: the answer has not moved.
    const target = TEN_CENTS_TICK + TEN_X_TICKS;
    const poolTarget = tokenIsToken0 ? target : -target;
    const [, current] = await pool.slot0();
    await expect(
      actor
        .connect(trader)
        .swapThenRead(poolAddress, poolTarget < current, 1n << 200n, await actor.sqrtPriceAtTick(poolTarget), feed),
    )
      .to.emit(actor, "AnswerAfterSwap")
      .withArgs(before);

    // Held for one block, then traded back: the 30-minute average rises by about 10^(12/1800), under 2%.
    await time.setNextBlockTimestamp((await time.latest()) + BLOCK_SECONDS);
    await moveTo(TEN_CENTS_TICK);
    const [, after] = await feed.latestRoundData();
    expect(after).to.be.greaterThan(before);
    expect((after * 10_000n) / before).to.be.lessThan(10_200n);

    // Priced through the distributor, the booking's reward moves by the same small fraction.
    const { distributor, admin, stablecoin, travellers } = system;
    const traveller = travellers[1];
    const commission = 100_000_000n; // 100 tUSD
    const rewardAt = async () =>
      (await distributor.previewReward(traveller.address, stablecoin, commission))[0].traveller;
    await distributor.connect(admin).setTrvlPriceFeed(feed, 25 * 3600, usd8(0.01), usd8(10));
    const manipulated = await rewardAt();
    await time.increase(WINDOW);
    const settled = await rewardAt();
    expect(manipulated).to.be.lessThan(settled);
    expect((manipulated * 10_000n) / settled).to.be.greaterThan(9_800n);
    // 70% of $100 at $0.10: 700 TRVL, give or take the tick's rounding.
    expect(settled).to.be.closeTo(parseEther("700"), parseEther("0.01"));
  });

  it("refuses to answer while the pool's history is shorter than the window", async () => {
    const system = await fresh();
    const { feed } = await twapSetup(system, { age: 0 });
    const { distributor, admin, stablecoin, travellers } = system;
    await expect(feed.latestRoundData()).to.be.revertedWithCustomError(feed, "TwapPoolTooYoung");
    // The distributor cannot price a reward with it: it reverts with the feed's reason.
    await distributor.connect(admin).setTrvlPriceFeed(feed, 25 * 3600, usd8(0.01), usd8(10));
    await expect(
      distributor.previewReward(travellers[1].address, stablecoin, 1_000_000n),
    ).to.be.revertedWithCustomError(feed, "TwapPoolTooYoung");
    const { time } = system.connection.networkHelpers;
    await time.increase(WINDOW);
    await expect(distributor.previewReward(travellers[1].address, stablecoin, 1_000_000n)).not.to.revert(
      system.connection.ethers,
    );
  });

  it("refuses to answer while the pool keeps fewer observations than required", async () => {
    const system = await fresh();
    const { feed } = await twapSetup(system, { cardinality: 1 });
    await expect(feed.latestRoundData())
      .to.be.revertedWithCustomError(feed, "TwapCardinalityTooLow")
      .withArgs(1, CARDINALITY);
  });

  it("answers to the wei whichever token comes first in the pool, for any tick and stablecoin decimals", async () => {
    const system = await fresh();
    const { deployer, token, travellers } = system;
    const { time } = system.connection.networkHelpers;
    const uniswap = await deployUniswapV3Factory(deployer);
    const trvlAddress = BigInt(await token.getAddress());
    const stablecoinUsd = await new MockV3Aggregator__factory(deployer).deploy(8, 99_870_001n); // $0.99870001
    // Stablecoins on both sides of TRVL's address, so that TRVL is token0 in one pool and token1 in the other.
    const sides = new Map<boolean, Awaited<ReturnType<MockStablecoin__factory["deploy"]>>>();
    while (sides.size < 2) {
      const coin = await new MockStablecoin__factory(deployer).deploy();
      sides.set(BigInt(await coin.getAddress()) > trvlAddress, coin);
    }
    for (const [trvlFirst, coin] of sides) {
      const market = await createPool(uniswap, deployer, travellers[0], token, coin);
      expect(market.tokenIsToken0).to.equal(trvlFirst);
      const feed = await new UniswapV3TwapFeed__factory(deployer).deploy(
        market.poolAddress,
        token,
        stablecoinUsd,
        WINDOW,
        1,
      );
      for (const tick of [0, 1, -1, TEN_CENTS_TICK, TEN_CENTS_TICK - 17, 123_457, 500_001, -500_001]) {
        const sqrtPrice = await market.actor.sqrtPriceAtTick(tick);
        expect(await feed.priceAtTick(tick, 99_870_001n)).to.equal(expectedAnswer(sqrtPrice, trvlFirst, 99_870_001n));
      }
      // The launch price a pool is initialised with: $0.10 comes back as $0.10, whichever token sorts first.
      const launchSqrtPrice = await feed.initialSqrtPriceX96(parseEther("0.1"));
      expect(expectedAnswer(launchSqrtPrice, trvlFirst, usd8(1))).to.be.closeTo(usd8(0.1), 1n);
      // At tick 0 one raw TRVL buys one raw tUSD: 1 TRVL = 10^12 tUSD, at $0.99870001 each.
      expect(await feed.priceAtTick(0, 99_870_001n)).to.equal(10n ** 12n * 99_870_001n);
      // A pool held at $0.10 for a window averages to its tick exactly, negative (TRVL first) or positive.
      await market.initialize(TEN_CENTS_TICK, 1);
      await time.increase(WINDOW);
      expect(await feed.meanTick()).to.equal(trvlFirst ? TEN_CENTS_TICK : -TEN_CENTS_TICK);
    }
  });

  it("needs the oldest observation the pool still keeps to be a window old, however old the pool", async () => {
    const system = await fresh();
    // A pool that keeps only 3 observations, started long ago.
    const { feed, pool, poolAddress, moveTo } = await twapSetup(system, { cardinality: 3, age: 10 * WINDOW });
    const { time } = system.connection.networkHelpers;
    const smallBuffer = await new UniswapV3TwapFeed__factory(system.deployer).deploy(
      poolAddress,
      system.token,
      await feed.stablecoinUsdFeed(),
      600,
      3,
    );
    // Trades every 100 s fill the buffer, which now covers only the last 200 s or so: too short for 600 s.
    for (const tick of [TEN_CENTS_TICK + 10, TEN_CENTS_TICK + 20, TEN_CENTS_TICK + 30]) {
      await time.increase(100);
      await moveTo(tick);
    }
    const [, , index, cardinality] = await pool.slot0();
    expect([index, cardinality]).to.deep.equal([1n, 3n]); // wrapped around
    await expect(smallBuffer.latestRoundData())
      .to.be.revertedWithCustomError(smallBuffer, "TwapPoolTooYoung")
      .withArgs((available: bigint) => available > 100n && available < 600n, 600);
    await time.increase(400);
    await expect(smallBuffer.latestRoundData()).not.to.revert(system.connection.ethers);
  });

  it("validates its settings and has no past rounds", async () => {
    const system = await fresh();
    const { deployer, token } = system;
    const { feed, poolAddress } = await twapSetup(system, { age: 0 });
    const factory = new UniswapV3TwapFeed__factory(deployer);
    const stablecoinUsd = await feed.stablecoinUsdFeed();
    await expect(factory.deploy(poolAddress, token, stablecoinUsd, 599, 1))
      .to.be.revertedWithCustomError(factory, "TwapInvalidSettings")
      .withArgs(599, 1);
    await expect(factory.deploy(poolAddress, token, stablecoinUsd, 86_401, 1)).to.be.revertedWithCustomError(
      factory,
      "TwapInvalidSettings",
    );
    await expect(factory.deploy(poolAddress, token, stablecoinUsd, WINDOW, 0)).to.be.revertedWithCustomError(
      factory,
      "TwapInvalidSettings",
    );
    await expect(factory.deploy(poolAddress, stablecoinUsd, stablecoinUsd, WINDOW, 1))
      .to.be.revertedWithCustomError(factory, "TwapTokenNotInPool")
      .withArgs(stablecoinUsd, poolAddress);
    await expect(feed.getRoundData(1)).to.be.revertedWithCustomError(feed, "TwapNoHistory");
    expect(await feed.decimals()).to.equal(8n);
    expect(await feed.version()).to.equal(1n);
    expect(await feed.description()).to.equal("TRVL / USD (Uniswap v3 TWAP)");
    expect(await feed.token()).to.equal(await token.getAddress());
  });

  it("refuses a stablecoin price of zero or less", async () => {
    const system = await fresh();
    const { feed, stablecoinUsd } = await twapSetup(system);
    await stablecoinUsd.updateAnswer(0);
    await expect(feed.latestRoundData()).to.be.revertedWithCustomError(feed, "TwapInvalidStablecoinPrice").withArgs(0);
  });
});
