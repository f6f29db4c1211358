import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import { deployProtocol } from "./protocol.js";

/**
 * The TRVL protocol on a real network: tokens and Chainlink feeds are parameters, nothing is mocked.
 * Parameters are documented in ignition/parameters/example.json.
 */
export default buildModule("TRVL", (m) => {
  const feed = (name: string, maxAge: number) => ({
    feed: m.getParameter<string>(`${name}Feed`),
    maxAge: m.getParameter(`${name}FeedMaxAge`, maxAge),
    minAnswer: m.getParameter<bigint>(`${name}FeedMinAnswer`),
    maxAnswer: m.getParameter<bigint>(`${name}FeedMaxAnswer`),
  });

  return deployProtocol(m, {
    admin: m.getParameter<string>("admin"),
    treasury: m.getParameter<string>("treasury"),
    quoteSigner: m.getParameter<string>("quoteSigner"),
    settler: m.getParameter<string>("settler"),
    pauser: m.getParameter<string>("pauser"),
    settlementWindow: m.getParameter("settlementWindow", 14 * 24 * 3600),
    mintCapacity: m.getParameter<bigint>("mintCapacity"),
    mintWindow: m.getParameter("mintWindow", 24 * 3600),
    stablecoin: m.getParameter<string>("stablecoin"),
    stablecoinFeed: feed("stablecoin", 25 * 3600),
    nativeFeed: feed("native", 3600 + 300),
    trvlFeed: feed("trvl", 25 * 3600),
  });
});
