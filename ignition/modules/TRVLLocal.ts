import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { ZeroAddress, parseEther } from "ethers";

import { deployProtocol } from "./protocol.js";

const FEED_DECIMALS = 8;
const usd = (dollars: number) => BigInt(Math.round(dollars * 10 ** FEED_DECIMALS));
// Mock feeds on the local chain never update; answers stay fresh for the chain's whole life.
const LOCAL_MAX_AGE = 10 * 365 * 24 * 3600;
/** TRVL the guardian Safe starts with on the local chain: a budget for staking rewards. */
export const LOCAL_GUARDIAN_GENESIS = parseEther("1000000");
export const LOCAL_GOVERNANCE = {
  votingDelay: 1,
  votingPeriod: 600,
  proposalThreshold: parseEther("1"),
  // Below 4% of the local supply (the guardian's 1,000,000 TRVL), so the fraction decides locally.
  quorumFloor: parseEther("10000"),
  timelockDelay: 60,
} as const;

/** Mocks of what real networks already have: a stablecoin and Chainlink USD feeds. Local chain and tests only. */
export const LocalMocksModule = buildModule("LocalMocks", (m) => {
  const Stablecoin = m.contract("MockStablecoin", [], { id: "Stablecoin" });
  const EthUsdFeed = m.contract("MockV3Aggregator", [FEED_DECIMALS, usd(3_000)], { id: "EthUsdFeed" });
  const StablecoinUsdFeed = m.contract("MockV3Aggregator", [FEED_DECIMALS, usd(1)], { id: "StablecoinUsdFeed" });
  const TrvlUsdFeed = m.contract("MockV3Aggregator", [FEED_DECIMALS, usd(0.1)], { id: "TrvlUsdFeed" });
  return { Stablecoin, EthUsdFeed, StablecoinUsdFeed, TrvlUsdFeed };
});

/**
 * Safe 1.4.1 (compiled with solc 0.7.6) and a 2-of-3 Safe of three test accounts (parameter `owners`): the guardian
 * on the local chain.
 * Elsewhere the canonical Safe deployments are used instead.
 */
export const LocalSafeModule = buildModule("LocalSafe", (m) => {
  const SafeSingleton = m.contract("Safe", [], { id: "SafeSingleton" });
  const SafeProxyFactory = m.contract("SafeProxyFactory", []);
  const CompatibilityFallbackHandler = m.contract("CompatibilityFallbackHandler", []);
  const MultiSend = m.contract("MultiSend", []);
  const MultiSendCallOnly = m.contract("MultiSendCallOnly", []);
  const SignMessageLib = m.contract("SignMessageLib", []);
  const CreateCall = m.contract("CreateCall", []);
  const SimulateTxAccessor = m.contract("SimulateTxAccessor", []);

  const owners = m.getParameter<string[]>("owners");
  const setup = m.encodeFunctionCall(SafeSingleton, "setup", [
    owners,
    2,
    ZeroAddress,
    "0x",
    CompatibilityFallbackHandler,
    ZeroAddress,
    0,
    ZeroAddress,
  ]);
  const creation = m.call(SafeProxyFactory, "createProxyWithNonce", [SafeSingleton, setup, 0], {
    id: "createGuardian",
  });
  const Guardian = m.contractAt("Safe", m.readEventArgument(creation, "ProxyCreation", "proxy"), { id: "Guardian" });

  return {
    SafeSingleton,
    SafeProxyFactory,
    CompatibilityFallbackHandler,
    MultiSend,
    MultiSendCallOnly,
    SignMessageLib,
    CreateCall,
    SimulateTxAccessor,
    Guardian,
  };
});

/**
 * The whole system on the local chain (Hardhat node or in-process): mocks, a guardian Safe, the protocol with
 * short governance delays, roles for the test accounts (parameters `quoteSigner` and `settler`; callers pass
 * `localDeploymentParameters()` from `@trvl/tooling/local-accounts`). Result keys are the names under which `@trvl/abi`
 * publishes the addresses.
 */
export default buildModule("TRVLLocal", (m) => {
  const mocks = m.useModule(LocalMocksModule);
  const safe = m.useModule(LocalSafeModule);

  const protocol = deployProtocol(m, {
    guardian: safe.Guardian,
    quoteSigner: m.getParameter<string>("quoteSigner"),
    settler: m.getParameter<string>("settler"),
    settlementWindow: m.getParameter("settlementWindow", 24 * 3600),
    mintCapacity: m.getParameter("mintCapacity", parseEther("10000000")),
    mintWindow: m.getParameter("mintWindow", 24 * 3600),
    stablecoin: mocks.Stablecoin,
    stablecoinFeed: { feed: mocks.StablecoinUsdFeed, maxAge: LOCAL_MAX_AGE, minAnswer: usd(0.9), maxAnswer: usd(1.1) },
    nativeFeed: { feed: mocks.EthUsdFeed, maxAge: LOCAL_MAX_AGE, minAnswer: usd(10), maxAnswer: usd(1_000_000) },
    trvlFeed: { feed: mocks.TrvlUsdFeed, maxAge: LOCAL_MAX_AGE, minAnswer: usd(0.0001), maxAnswer: usd(10_000) },
    governance: LOCAL_GOVERNANCE,
    // Like its governance delays, the local chain's economy rules are short: a stake counts for discounts and boosts
    // at once and every referrer earns, so the product can be tried in minutes. Real networks use ECONOMY_RULES; so
    // do the contract tests.
    holdingPeriod: m.getParameter("holdingPeriod", 0),
    referrerRule: {
      ownBooking: m.getParameter("referrerNeedsOwnBooking", false),
      minHeldStake: m.getParameter("referrerMinHeldStake", 0n),
    },
    genesis: [{ to: safe.Guardian, amount: LOCAL_GUARDIAN_GENESIS }],
  });

  return { ...mocks, ...safe, ...protocol };
});
