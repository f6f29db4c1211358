import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { parseEther } from "ethers";

import { LOCAL_ACCOUNT_INDEX } from "../../scripts/lib/local-accounts.js";
import { deployProtocol } from "./protocol.js";

const FEED_DECIMALS = 8;
const usd = (dollars: number) => BigInt(Math.round(dollars * 10 ** FEED_DECIMALS));
// Mock feeds on the local chain never update; answers stay fresh for the chain's whole life.
const LOCAL_MAX_AGE = 10 * 365 * 24 * 3600;

/** Mocks of what real networks already have: a stablecoin and Chainlink USD feeds. Local chain and tests only. */
export const LocalMocksModule = buildModule("LocalMocks", (m) => {
  const Stablecoin = m.contract("MockStablecoin", [], { id: "Stablecoin" });
  const EthUsdFeed = m.contract("MockV3Aggregator", [FEED_DECIMALS, usd(3_000)], { id: "EthUsdFeed" });
  const StablecoinUsdFeed = m.contract("MockV3Aggregator", [FEED_DECIMALS, usd(1)], { id: "StablecoinUsdFeed" });
  const TrvlUsdFeed = m.contract("MockV3Aggregator", [FEED_DECIMALS, usd(0.1)], { id: "TrvlUsdFeed" });
  return { Stablecoin, EthUsdFeed, StablecoinUsdFeed, TrvlUsdFeed };
});

/**
 * The whole system on the local chain (Hardhat node or in-process): mocks, protocol, roles for the test accounts. */
export default buildModule("TRVLLocal", (m) => {
  const mocks = m.useModule(LocalMocksModule);
  const account = (role: keyof typeof LOCAL_ACCOUNT_INDEX) => m.getAccount(LOCAL_ACCOUNT_INDEX[role]);

  const protocol = deployProtocol(m, {
    admin: account("admin"),
    treasury: account("treasury"),
    quoteSigner: account("quoteSigner"),
    settler: account("keeper"),
    pauser: account("admin"),
    settlementWindow: m.getParameter("settlementWindow", 24 * 3600),
    mintCapacity: m.getParameter("mintCapacity", parseEther("10000000")),
    mintWindow: m.getParameter("mintWindow", 24 * 3600),
    stablecoin: mocks.Stablecoin,
    stablecoinFeed: { feed: mocks.StablecoinUsdFeed, maxAge: LOCAL_MAX_AGE, minAnswer: usd(0.9), maxAnswer: usd(1.1) },
    nativeFeed: { feed: mocks.EthUsdFeed, maxAge: LOCAL_MAX_AGE, minAnswer: usd(10), maxAnswer: usd(1_000_000) },
    trvlFeed: { feed: mocks.TrvlUsdFeed, maxAge: LOCAL_MAX_AGE, minAnswer: usd(0.0001), maxAnswer: usd(10_000) },
  });

  return { ...mocks, ...protocol };
});
