import { createRequire } from "node:module";

import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { CallableContractFuture } from "@nomicfoundation/ignition-core";
import { ZeroAddress, parseEther } from "ethers";

import { ECONOMY_RULES, deployProtocol } from "./protocol.js";

const require = createRequire(import.meta.url);
const DAY = 24 * 3600;
const YEAR = 365 * DAY;

/**
 * Defaults of the launch: a genesis allocation that keeps governance out of reach of early reward holders, and
 * governance settings for real networks. Each is an Ignition parameter of the same name. See docs/deploy.md.
 */
export const LAUNCH_DEFAULTS = {
  treasuryGenesis: parseEther("200000000"),
  reserveGenesis: parseEther("150000000"),
  teamGenesis: parseEther("150000000"),
  teamVestingDuration: 4 * YEAR,
  teamVestingCliff: YEAR,
  votingDelay: DAY,
  votingPeriod: 5 * DAY,
  timelockDelay: 2 * DAY,
  proposalThreshold: parseEther("100000"),
  quorumFloor: parseEther("10000000"),
  uniswapPoolFee: 3000,
  twapWindow: 30 * 60,
  twapMinCardinality: 100,
  twapCardinalityNext: 200,
  sequencerUptimeFeed: ZeroAddress,
  sequencerGracePeriod: 3600,
} as const;

/**
 * How often each Chainlink feed the module reads updates at the latest (its heartbeat, seconds), as on Base and Base
 * Sepolia: USDC/USD every 24 hours, ETH/USD every 20 minutes (data.chain.link). A feed's max age, the
 * `<feed>FeedMaxAge` parameter, defaults to its heartbeat plus `FEED_MAX_AGE_MARGIN`; other networks' heartbeats
 * differ (ETH/USD on Ethereum: 1 hour), so set the max ages there. The TWAP's answer is as old as the stablecoin
 * feed's, so TRVL/USD shares its heartbeat.
 */
export const FEED_HEARTBEATS = { stablecoin: DAY, native: 20 * 60, trvl: DAY } as const;
/** Time a feed's update may take beyond its heartbeat (a round in progress, a busy chain) before it counts as stale. */
export const FEED_MAX_AGE_MARGIN = 30 * 60;
/** The max age each feed defaults to: its heartbeat plus the margin. */
export const feedMaxAge = (feed: keyof typeof FEED_HEARTBEATS): number => FEED_HEARTBEATS[feed] + FEED_MAX_AGE_MARGIN;

/** Uniswap v3's compiled contracts: their ABIs address the canonical factory and the pool the module creates. */
const uniswapFactoryArtifact = require("@uniswap/v3-core/artifacts/contracts/UniswapV3Factory.sol/UniswapV3Factory.json");
const uniswapPoolArtifact = require("@uniswap/v3-core/artifacts/contracts/UniswapV3Pool.sol/UniswapV3Pool.json");
/** Interfaces of what the network already has (USDC, Chainlink feeds), for the addresses the module publishes. */
const erc20Artifact = require("@openzeppelin/contracts/build/contracts/IERC20Metadata.json");
const aggregatorArtifact = {
  _format: "hh-sol-artifact-1",
  contractName: "AggregatorV3Interface",
  sourceName: "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol",
  abi: require("@chainlink/contracts/abi/v0.8/AggregatorV3Interface.json"),
  bytecode: "0x",
  deployedBytecode: "0x",
  linkReferences: {},
  deployedLinkReferences: {},
};

/**
 * The TRVL protocol on a real network: stablecoin, Chainlink feeds, Uniswap v3 and the guardian Safe (a canonical
 * Safe deployment) are parameters; nothing is mocked. TRVL/USD is a TWAP over a TRVL/stablecoin Uniswap v3 pool that
 * the module creates and initialises at the launch price (liquidity is added after deployment); governance can switch
 * the distributor to a Chainlink feed later. A genesis allocation goes to the treasury (the timelock), an ecosystem
 * reserve and the team (vesting). Governance delays default to days. See docs/deploy.md.
 */
export default buildModule("TRVL", (m) => {
  const param = <K extends keyof typeof LAUNCH_DEFAULTS>(name: K) =>
    m.getParameter(name, LAUNCH_DEFAULTS[name] as (typeof LAUNCH_DEFAULTS)[K]);
  const feed = (name: "stablecoin" | "native") => ({
    feed: m.getParameter<string>(`${name}Feed`),
    maxAge: m.getParameter(`${name}FeedMaxAge`, feedMaxAge(name)),
    minAnswer: m.getParameter<bigint>(`${name}FeedMinAnswer`),
    maxAnswer: m.getParameter<bigint>(`${name}FeedMaxAnswer`),
  });
  const stablecoin = m.getParameter<string>("stablecoin");
  const guardian = m.getParameter<string>("guardian");
  const stablecoinFeed = feed("stablecoin");
  const nativeFeed = feed("native");

  const TeamVesting = m.contract("TeamVesting", [
    m.getParameter<string>("teamBeneficiary"),
    m.getParameter<number>("teamVestingStart"),
    param("teamVestingDuration"),
    param("teamVestingCliff"),
  ]);

  // Filled in when deployProtocol builds the TRVL feed from the token it deploys.
  let twap: { pool: CallableContractFuture<string>; feed: CallableContractFuture<string> } | undefined;
  const twapFeed = (trvlToken: CallableContractFuture<string>) => {
    const factory = m.contractAt(
      "UniswapV3Factory",
      uniswapFactoryArtifact,
      m.getParameter<string>("uniswapV3Factory"),
    );
    const created = m.call(factory, "createPool", [trvlToken, stablecoin, param("uniswapPoolFee")], {
      id: "createTrvlPool",
    });
    const pool = m.contractAt(
      "UniswapV3Pool",
      uniswapPoolArtifact,
      m.readEventArgument(created, "PoolCreated", "pool"),
      {
        id: "TrvlPool",
      },
    );
    const feedContract = m.contract(
      "UniswapV3TwapFeed",
      [pool, trvlToken, stablecoinFeed.feed, param("twapWindow"), param("twapMinCardinality")],
      { id: "TrvlUsdTwapFeed" },
    );
    // The pool starts at the launch price; the feed knows which token sorts first and both decimals.
    const sqrtPriceX96 = m.staticCall(feedContract, "initialSqrtPriceX96", [m.getParameter<bigint>("trvlLaunchPrice")]);
    const initialized = m.call(pool, "initialize", [sqrtPriceX96], { id: "initializeTrvlPool" });
    m.call(pool, "increaseObservationCardinalityNext", [param("twapCardinalityNext")], {
      id: "growTrvlPoolObservations",
      after: [initialized],
    });
    twap = { pool, feed: feedContract };
    return {
      feed: feedContract,
      maxAge: m.getParameter("trvlFeedMaxAge", feedMaxAge("trvl")),
      minAnswer: m.getParameter<bigint>("trvlFeedMinAnswer"),
      maxAnswer: m.getParameter<bigint>("trvlFeedMaxAnswer"),
    };
  };

  const protocol = deployProtocol(m, {
    guardian,
    quoteSigner: m.getParameter<string>("quoteSigner"),
    settler: m.getParameter<string>("settler"),
    settlementWindow: m.getParameter("settlementWindow", 14 * DAY),
    mintCapacity: m.getParameter<bigint>("mintCapacity"),
    mintWindow: m.getParameter("mintWindow", DAY),
    stablecoin,
    stablecoinFeed,
    nativeFeed,
    trvlFeed: twapFeed,
    governance: {
      votingDelay: param("votingDelay"),
      votingPeriod: param("votingPeriod"),
      proposalThreshold: param("proposalThreshold"),
      quorumFloor: param("quorumFloor"),
      timelockDelay: param("timelockDelay"),
    },
    holdingPeriod: m.getParameter("holdingPeriod", ECONOMY_RULES.holdingPeriod),
    referrerRule: {
      ownBooking: m.getParameter("referrerNeedsOwnBooking", ECONOMY_RULES.referrerNeedsOwnBooking),
      minHeldStake: m.getParameter("referrerMinHeldStake", ECONOMY_RULES.referrerMinHeldStake),
    },
    // Chainlink's L2 sequencer uptime feed on rollups (Base, Arbitrum); the zero address where there is none.
    sequencer: { feed: param("sequencerUptimeFeed"), gracePeriod: param("sequencerGracePeriod") },
    treasuryGenesis: param("treasuryGenesis"),
    genesis: [
      { to: m.getParameter<string>("ecosystemReserve"), amount: param("reserveGenesis") },
      { to: TeamVesting, amount: param("teamGenesis") },
    ],
  });

  if (twap === undefined) throw new Error("deployProtocol did not build the TRVL/USD feed");
  // The network's own contracts the protocol uses, recorded with the deployment under the names the backend and web
  // look up in @trvl/abi (npm run generate), as the local module names its mocks. No transaction.
  const network = {
    Stablecoin: m.contractAt("IERC20Metadata", erc20Artifact, stablecoin, { id: "Stablecoin" }),
    StablecoinUsdFeed: m.contractAt("AggregatorV3Interface", aggregatorArtifact, stablecoinFeed.feed, {
      id: "StablecoinUsdFeed",
    }),
    EthUsdFeed: m.contractAt("AggregatorV3Interface", aggregatorArtifact, nativeFeed.feed, { id: "EthUsdFeed" }),
    Guardian: m.contractAt("Safe", guardian, { id: "Guardian" }),
  };
  return { ...protocol, ...network, TeamVesting, TrvlPool: twap.pool, TrvlUsdTwapFeed: twap.feed };
});
