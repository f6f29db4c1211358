import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import { ECONOMY_RULES, deployProtocol } from "./protocol.js";

const DAY = 24 * 3600;

/**
 * The TRVL protocol on a real network: tokens, Chainlink feeds and the guardian Safe (a canonical Safe deployment)
 * are parameters; nothing is mocked. Governance delays default to days. See docs/deployment.md.
 */
export default buildModule("TRVL", (m) => {
  const feed = (name: string, maxAge: number) => ({
    feed: m.getParameter<string>(`${name}Feed`),
    maxAge: m.getParameter(`${name}FeedMaxAge`, maxAge),
    minAnswer: m.getParameter<bigint>(`${name}FeedMinAnswer`),
    maxAnswer: m.getParameter<bigint>(`${name}FeedMaxAnswer`),
  });

  return deployProtocol(m, {
    guardian: m.getParameter<string>("guardian"),
    quoteSigner: m.getParameter<string>("quoteSigner"),
    settler: m.getParameter<string>("settler"),
    settlementWindow: m.getParameter("settlementWindow", 14 * DAY),
    mintCapacity: m.getParameter<bigint>("mintCapacity"),
    mintWindow: m.getParameter("mintWindow", DAY),
    stablecoin: m.getParameter<string>("stablecoin"),
    stablecoinFeed: feed("stablecoin", 25 * 3600),
    nativeFeed: feed("native", 3600 + 300),
    trvlFeed: feed("trvl", 25 * 3600),
    governance: {
      votingDelay: m.getParameter("votingDelay", DAY),
      votingPeriod: m.getParameter("votingPeriod", 5 * DAY),
      proposalThreshold: m.getParameter<bigint>("proposalThreshold"),
      timelockDelay: m.getParameter("timelockDelay", 2 * DAY),
    },
    holdingPeriod: m.getParameter("holdingPeriod", ECONOMY_RULES.holdingPeriod),
    referrerRule: {
      ownBooking: m.getParameter("referrerNeedsOwnBooking", ECONOMY_RULES.referrerNeedsOwnBooking),
      minHeldStake: m.getParameter("referrerMinHeldStake", ECONOMY_RULES.referrerMinHeldStake),
    },
    genesis: [],
  });
});
