import { createRequire } from "node:module";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { Contract, ContractFactory, MaxUint256 } from "ethers";

import { UniswapV3PoolActor__factory } from "../../types/ethers-contracts/index.js";

const require = createRequire(import.meta.url);
// Uniswap v3 core as released (compiled with solc 0.7.6): deployed from the npm package's artifacts.
const factoryArtifact = require("@uniswap/v3-core/artifacts/contracts/UniswapV3Factory.sol/UniswapV3Factory.json");
const poolArtifact = require("@uniswap/v3-core/artifacts/contracts/UniswapV3Pool.sol/UniswapV3Pool.json");

/** The 0.3% fee tier, enabled in every Uniswap v3 factory, with ticks spaced by 60. */
export const FEE = 3000;
export const TICK_SPACING = 60;
/** log base 1.0001 of 10: the ticks that multiply a price by ten. */
export const TEN_X_TICKS = 23_027;

interface Erc20 {
  getAddress(): Promise<string>;
  connect(runner: HardhatEthersSigner): { approve(spender: string, amount: bigint): Promise<unknown> };
}

/** Deploys a Uniswap v3 factory from Uniswap's compiled artifact. */
export async function deployUniswapV3Factory(deployer: HardhatEthersSigner) {
  const factory = await new ContractFactory(factoryArtifact.abi, factoryArtifact.bytecode, deployer).deploy();
  await factory.waitForDeployment();
  return factory as Contract;
}

/** A pool of `token` against `quote`, and a helper account that trades in it. */
export async function createPool(
  uniswap: Contract,
  deployer: HardhatEthersSigner,
  trader: HardhatEthersSigner,
  token: Erc20,
  quote: Erc20,
) {
  const [tokenAddress, quoteAddress] = await Promise.all([token.getAddress(), quote.getAddress()]);
  await (await uniswap.createPool(tokenAddress, quoteAddress, FEE)).wait();
  const pool = new Contract(await uniswap.getPool(tokenAddress, quoteAddress, FEE), poolArtifact.abi, deployer);
  const actor = await new UniswapV3PoolActor__factory(deployer).deploy();
  const actorAddress = await actor.getAddress();
  await token.connect(trader).approve(actorAddress, MaxUint256);
  await quote.connect(trader).approve(actorAddress, MaxUint256);
  const tokenIsToken0 = BigInt(tokenAddress) < BigInt(quoteAddress);
  // A "token price tick" t means the token is worth 1.0001^t raw quote units per raw unit; the pool's own tick
  // prices token0 in token1, so it is t or -t.
  const poolTick = (tokenPriceTick: number) => (tokenIsToken0 ? tokenPriceTick : -tokenPriceTick);
  const poolAddress = await pool.getAddress();

  return {
    pool,
    poolAddress,
    actor,
    tokenIsToken0,
    /** Starts the pool at the tick where the token's price (in raw quote units per raw token unit) is 1.0001^tick. */
    async initialize(tokenPriceTick: number, cardinality: number) {
      await (await pool.initialize(await actor.sqrtPriceAtTick(poolTick(tokenPriceTick)))).wait();
      await (await pool.increaseObservationCardinalityNext(cardinality)).wait();
    },
    /** Adds `liquidity` in a range of ±`width` ticks of the token's price tick `center`. */
    async addLiquidity(center: number, width: number, liquidity: bigint) {
      const lower = Math.floor((poolTick(center) - width) / TICK_SPACING) * TICK_SPACING;
      const upper = Math.ceil((poolTick(center) + width) / TICK_SPACING) * TICK_SPACING;
      await (await actor.connect(trader).mint(poolAddress, lower, upper, liquidity)).wait();
    },
    /** Trades until the token's price tick reaches `tokenPriceTick` (buying the token if it lies above). */
    async moveTo(tokenPriceTick: number) {
      const target = poolTick(tokenPriceTick);
      const [, current] = await pool.slot0();
      await (
        await actor
          .connect(trader)
          .swap(poolAddress, target < current, MaxUint256 >> 2n, await actor.sqrtPriceAtTick(target))
      ).wait();
    },
    /** The token's price tick now. */
    async tokenPriceTick() {
      const [, tick] = await pool.slot0();
      return tokenIsToken0 ? Number(tick) : -Number(tick);
    },
  };
}
