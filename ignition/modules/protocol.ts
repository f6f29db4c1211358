import type {
  ArgumentType,
  CallableContractFuture,
  Future,
  IgnitionModuleBuilder,
} from "@nomicfoundation/ignition-core";
import { ZeroAddress, ZeroHash, id } from "ethers";

/** Roles, as the contracts define them (`keccak256("<NAME>")`). */
export const ROLES = {
  DEFAULT_ADMIN: ZeroHash,
  MINTER: id("MINTER_ROLE"),
  PAUSER: id("PAUSER_ROLE"),
  SETTLER: id("SETTLER_ROLE"),
  QUOTE_SIGNER: id("QUOTE_SIGNER_ROLE"),
  REWARDER: id("REWARDER_ROLE"),
} as const;

/** A Chainlink USD feed and the answers (in the feed's decimals) the distributor trusts. */
export interface FeedSettings {
  feed: ArgumentType;
  maxAge: ArgumentType;
  minAnswer: ArgumentType;
  maxAnswer: ArgumentType;
}

export interface ProtocolSettings {
  /** Receives every admin role once deployment is wired; the deployer keeps none. */
  admin: ArgumentType;
  treasury: ArgumentType;
  quoteSigner: ArgumentType;
  settler: ArgumentType;
  pauser: ArgumentType;
  settlementWindow: ArgumentType;
  mintCapacity: ArgumentType;
  mintWindow: ArgumentType;
  stablecoin: ArgumentType;
  stablecoinFeed: FeedSettings;
  nativeFeed: FeedSettings;
  trvlFeed: FeedSettings;
}

/**
 * Adds the whole TRVL protocol to a module: contracts, roles, payment tokens and price feeds, then hands every
 * admin role to `settings.admin` and renounces the deployer's. Shared by the local and the production modules.
 */
export function deployProtocol(m: IgnitionModuleBuilder, settings: ProtocolSettings) {
  const deployer = m.getAccount(0);

  const trvlToken = m.contract("TRVLToken", [deployer]);
  const referralRegistry = m.contract("ReferralRegistry", []);
  const bookingEscrow = m.contract("BookingEscrow", [deployer, settings.treasury, settings.settlementWindow]);
  const rewardDistributor = m.contract("RewardDistributor", [
    deployer,
    trvlToken,
    bookingEscrow,
    referralRegistry,
    settings.treasury,
    settings.mintCapacity,
    settings.mintWindow,
  ]);

  const wiring = [
    m.call(trvlToken, "grantRole", [ROLES.MINTER, rewardDistributor], { id: "grantMinterToDistributor" }),
    m.call(bookingEscrow, "grantRole", [ROLES.REWARDER, rewardDistributor], { id: "grantRewarderToDistributor" }),
    m.call(bookingEscrow, "grantRole", [ROLES.SETTLER, settings.settler], { id: "grantSettler" }),
    m.call(bookingEscrow, "grantRole", [ROLES.QUOTE_SIGNER, settings.quoteSigner], { id: "grantQuoteSigner" }),
    m.call(bookingEscrow, "grantRole", [ROLES.PAUSER, settings.pauser], { id: "grantEscrowPauser" }),
    m.call(rewardDistributor, "grantRole", [ROLES.PAUSER, settings.pauser], { id: "grantDistributorPauser" }),
    m.call(bookingEscrow, "setPaymentToken", [ZeroAddress, true], { id: "allowNative" }),
    m.call(bookingEscrow, "setPaymentToken", [settings.stablecoin, true], { id: "allowStablecoin" }),
    m.call(rewardDistributor, "setPriceFeed", [ZeroAddress, ...feedArgs(settings.nativeFeed)], {
      id: "setNativeFeed",
    }),
    m.call(rewardDistributor, "setPriceFeed", [settings.stablecoin, ...feedArgs(settings.stablecoinFeed)], {
      id: "setStablecoinFeed",
    }),
    m.call(rewardDistributor, "setTrvlPriceFeed", feedArgs(settings.trvlFeed), { id: "setTrvlFeed" }),
  ];

  handOverAdmin(m, "TRVLToken", trvlToken, settings.admin, wiring);
  handOverAdmin(m, "BookingEscrow", bookingEscrow, settings.admin, wiring);
  handOverAdmin(m, "RewardDistributor", rewardDistributor, settings.admin, wiring);

  return {
    TRVLToken: trvlToken,
    ReferralRegistry: referralRegistry,
    BookingEscrow: bookingEscrow,
    RewardDistributor: rewardDistributor,
  };
}

function feedArgs(feed: FeedSettings): ArgumentType[] {
  return [feed.feed, feed.maxAge, feed.minAnswer, feed.maxAnswer];
}

function handOverAdmin(
  m: IgnitionModuleBuilder,
  name: string,
  contract: CallableContractFuture<string>,
  admin: ArgumentType,
  after: Future[],
) {
  const grant = m.call(contract, "grantRole", [ROLES.DEFAULT_ADMIN, admin], { id: `${name}_grantAdmin`, after });
  m.call(contract, "renounceRole", [ROLES.DEFAULT_ADMIN, m.getAccount(0)], {
    id: `${name}_renounceDeployerAdmin`,
    after: [grant],
  });
}
