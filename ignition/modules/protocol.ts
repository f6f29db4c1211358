import type {
  ArgumentType,
  CallableContractFuture,
  Future,
  IgnitionModuleBuilder,
} from "@nomicfoundation/ignition-core";
import { ZeroAddress, ZeroHash, id, parseEther } from "ethers";

/** Roles, as the contracts define them (`keccak256("<NAME>")`). */
export const ROLES = {
  DEFAULT_ADMIN: ZeroHash,
  MINTER: id("MINTER_ROLE"),
  PAUSER: id("PAUSER_ROLE"),
  SETTLER: id("SETTLER_ROLE"),
  QUOTE_SIGNER: id("QUOTE_SIGNER_ROLE"),
  REWARDER: id("REWARDER_ROLE"),
  OPERATOR: id("OPERATOR_ROLE"),
  REWARDS_FUNDER: id("REWARDS_FUNDER_ROLE"),
  TIMELOCK_PROPOSER: id("PROPOSER_ROLE"),
  TIMELOCK_EXECUTOR: id("EXECUTOR_ROLE"),
  TIMELOCK_CANCELLER: id("CANCELLER_ROLE"),
} as const;

/** Explorer, Voyager, Globetrotter, Jetsetter: stake thresholds, reward boosts and booking discounts. */
export const DEFAULT_TIERS = [
  { minStake: 0n, boostBps: 0, discountBps: 0 },
  { minStake: parseEther("1000"), boostBps: 1_000, discountBps: 200 },
  { minStake: parseEther("10000"), boostBps: 2_500, discountBps: 300 },
  { minStake: parseEther("50000"), boostBps: 5_000, discountBps: 500 },
];

/** A Chainlink USD feed and the answers (in the feed's decimals) the distributor trusts. */
export interface FeedSettings {
  feed: ArgumentType;
  maxAge: ArgumentType;
  minAnswer: ArgumentType;
  maxAnswer: ArgumentType;
}

/**
 * The economy's rules against gaming, as real networks deploy them: a stake counts for boosts and discounts once held
 * for `holdingPeriod` seconds; a referrer earns only with a settled booking of its own or `referrerMinHeldStake` TRVL
 * held over the holding period. Ignition parameters of the same names override them.
 */
export const ECONOMY_RULES = {
  holdingPeriod: 7 * 24 * 3600,
  referrerNeedsOwnBooking: true,
  referrerMinHeldStake: parseEther("1000"),
};

export interface GovernanceSettings {
  /** Seconds between a proposal and the start of its vote. */
  votingDelay: ArgumentType;
  /** Seconds a vote lasts. */
  votingPeriod: ArgumentType;
  /** Votes (TRVL wei) needed to propose. */
  proposalThreshold: ArgumentType;
  /** The least quorum (TRVL wei), whatever 4% of the supply is. */
  quorumFloor: ArgumentType;
  /** Seconds between queueing a passed proposal and executing it. */
  timelockDelay: ArgumentType;
}

export interface ProtocolSettings {
  /** The guardian multisig (a Safe): pauses, rotates the keeper and quote-signer keys, funds staking rewards and
   * cancels timelock operations through the GuardianCanceller (never those about its own roles). Nothing else. */
  guardian: ArgumentType;
  quoteSigner: ArgumentType;
  settler: ArgumentType;
  settlementWindow: ArgumentType;
  mintCapacity: ArgumentType;
  mintWindow: ArgumentType;
  stablecoin: ArgumentType;
  stablecoinFeed: FeedSettings;
  nativeFeed: FeedSettings;
  /** TRVL/USD, or how to build it from the token (a TWAP over a pool of the token deployed here). */
  trvlFeed: FeedSettings | ((trvlToken: CallableContractFuture<string>) => FeedSettings);
  governance: GovernanceSettings;
  /** Seconds a stake must be held before paying to earn its tier's boost and discount. */
  holdingPeriod: ArgumentType;
  /** Who counts as an active referrer (RewardDistributor.ReferrerRule). */
  referrerRule: { ownBooking: ArgumentType; minHeldStake: ArgumentType };
  /** TRVL minted once at deployment, before minting is left to the reward distributor alone. */
  genesis: { to: ArgumentType; amount: ArgumentType }[];
  /** TRVL minted once at deployment to the treasury (the timelock), besides `genesis`. */
  treasuryGenesis?: ArgumentType;
  /** A Chainlink L2 sequencer uptime feed (the zero address: none) and the seconds after a restart before pricing. */
  sequencer?: { feed: ArgumentType; gracePeriod: ArgumentType };
}

/**
 * Adds the whole TRVL protocol to a module: token, referrals, escrow, distributor, staking, governor and timelock;
 * wires roles, payment tokens, price feeds and the staking boost; then makes the timelock the admin of everything
 * (and the treasury) and renounces every role of the deployer. Shared by the local and the production modules.
 */
export function deployProtocol(m: IgnitionModuleBuilder, settings: ProtocolSettings) {
  const deployer = m.getAccount(0);
  const { governance } = settings;

  const timelock = m.contract("TimelockController", [governance.timelockDelay, [], [ZeroAddress], deployer], {
    id: "Timelock",
  });
  const treasury = timelock;
  const trvlToken = m.contract("TRVLToken", [deployer]);
  const referralRegistry = m.contract("ReferralRegistry", []);
  const bookingEscrow = m.contract("BookingEscrow", [deployer, treasury, settings.settlementWindow]);
  const rewardDistributor = m.contract("RewardDistributor", [
    deployer,
    trvlToken,
    bookingEscrow,
    referralRegistry,
    treasury,
    settings.mintCapacity,
    settings.mintWindow,
  ]);
  const staking = m.contract("TRVLStaking", [deployer, trvlToken, treasury, DEFAULT_TIERS]);
  const governor = m.contract("TRVLGovernor", [
    trvlToken,
    staking,
    timelock,
    governance.votingDelay,
    governance.votingPeriod,
    governance.proposalThreshold,
    governance.quorumFloor,
  ]);

  const guardianCanceller = m.contract("GuardianCanceller", [timelock, settings.guardian]);

  const grant = (contract: CallableContractFuture<string>, role: string, to: ArgumentType, callId: string) =>
    m.call(contract, "grantRole", [role, to], { id: callId });

  const allocations = [
    ...(settings.treasuryGenesis === undefined ? [] : [{ to: treasury, amount: settings.treasuryGenesis }]),
    ...settings.genesis,
  ];
  const genesis = allocations.length === 0 ? [] : mintGenesis(m, trvlToken, allocations);
  const wiring: Future[] = [
    ...genesis,
    grant(trvlToken, ROLES.MINTER, rewardDistributor, "grantMinterToDistributor"),
    grant(bookingEscrow, ROLES.REWARDER, rewardDistributor, "grantRewarderToDistributor"),
    // The operator role administers the settler and quote-signer roles: grant it to the deployer only long enough
    // to appoint the first keys, and for good to the guardian.
    grant(bookingEscrow, ROLES.OPERATOR, settings.guardian, "grantOperatorToGuardian"),
    ...appointHotKeys(m, bookingEscrow, settings.settler, settings.quoteSigner),
    grant(bookingEscrow, ROLES.PAUSER, settings.guardian, "grantEscrowPauserToGuardian"),
    grant(rewardDistributor, ROLES.PAUSER, settings.guardian, "grantDistributorPauserToGuardian"),
    grant(staking, ROLES.PAUSER, settings.guardian, "grantStakingPauserToGuardian"),
    grant(staking, ROLES.REWARDS_FUNDER, settings.guardian, "grantRewardsFunderToGuardian"),
    grant(timelock, ROLES.TIMELOCK_PROPOSER, governor, "grantProposerToGovernor"),
    grant(timelock, ROLES.TIMELOCK_CANCELLER, governor, "grantCancellerToGovernor"),
    // The guardian's veto goes through the canceller, which refuses to cancel changes to the guardian's own roles.
    grant(timelock, ROLES.TIMELOCK_CANCELLER, guardianCanceller, "grantCancellerToGuardianCanceller"),
    m.call(bookingEscrow, "setPaymentToken", [ZeroAddress, true], { id: "allowNative" }),
    m.call(bookingEscrow, "setPaymentToken", [settings.stablecoin, true], { id: "allowStablecoin" }),
    m.call(rewardDistributor, "setPriceFeed", [ZeroAddress, ...feedArgs(settings.nativeFeed)], {
      id: "setNativeFeed",
    }),
    m.call(rewardDistributor, "setPriceFeed", [settings.stablecoin, ...feedArgs(settings.stablecoinFeed)], {
      id: "setStablecoinFeed",
    }),
    m.call(
      rewardDistributor,
      "setTrvlPriceFeed",
      feedArgs(typeof settings.trvlFeed === "function" ? settings.trvlFeed(trvlToken) : settings.trvlFeed),
      { id: "setTrvlFeed" },
    ),
    ...(settings.sequencer === undefined
      ? []
      : [
          m.call(
            rewardDistributor,
            "setSequencerUptimeFeed",
            [settings.sequencer.feed, settings.sequencer.gracePeriod],
            {
              id: "setSequencerFeed",
            },
          ),
        ]),
    m.call(rewardDistributor, "setBoostSource", [staking], { id: "setStakingBoost" }),
    m.call(staking, "setHoldingPeriod", [settings.holdingPeriod], { id: "setHoldingPeriod" }),
    m.call(rewardDistributor, "setReferrerRule", [settings.referrerRule], { id: "setReferrerRule" }),
  ];

  for (const [name, contract] of [
    ["TRVLToken", trvlToken],
    ["BookingEscrow", bookingEscrow],
    ["RewardDistributor", rewardDistributor],
    ["TRVLStaking", staking],
  ] as const) {
    handOverAdmin(m, name, contract, timelock, wiring);
  }
  // The timelock administers itself; the deployer's bootstrap admin role goes.
  m.call(timelock, "renounceRole", [ROLES.DEFAULT_ADMIN, deployer], {
    id: "Timelock_renounceDeployerAdmin",
    after: wiring,
  });

  return {
    TRVLToken: trvlToken,
    ReferralRegistry: referralRegistry,
    BookingEscrow: bookingEscrow,
    RewardDistributor: rewardDistributor,
    TRVLStaking: staking,
    TRVLGovernor: governor,
    Timelock: timelock,
    GuardianCanceller: guardianCanceller,
  };
}

function feedArgs(feed: FeedSettings): ArgumentType[] {
  return [feed.feed, feed.maxAge, feed.minAnswer, feed.maxAnswer];
}

/** The deployer mints the genesis allocation with a minter role it holds only for that. */
function mintGenesis(
  m: IgnitionModuleBuilder,
  token: CallableContractFuture<string>,
  allocations: ProtocolSettings["genesis"],
): Future[] {
  const deployer = m.getAccount(0);
  const grant = m.call(token, "grantRole", [ROLES.MINTER, deployer], { id: "grantGenesisMinter" });
  const mints = allocations.map(({ to, amount }, i) =>
    m.call(token, "mint", [to, amount], { id: `mintGenesis${i}`, after: [grant] }),
  );
  return [
    grant,
    ...mints,
    m.call(token, "renounceRole", [ROLES.MINTER, deployer], { id: "renounceGenesisMinter", after: mints }),
  ];
}

function appointHotKeys(
  m: IgnitionModuleBuilder,
  escrow: CallableContractFuture<string>,
  settler: ArgumentType,
  quoteSigner: ArgumentType,
): Future[] {
  const deployer = m.getAccount(0);
  const operator = m.call(escrow, "grantRole", [ROLES.OPERATOR, deployer], { id: "grantBootstrapOperator" });
  const keys = [
    m.call(escrow, "grantRole", [ROLES.SETTLER, settler], { id: "grantSettler", after: [operator] }),
    m.call(escrow, "grantRole", [ROLES.QUOTE_SIGNER, quoteSigner], { id: "grantQuoteSigner", after: [operator] }),
  ];
  return [
    operator,
    ...keys,
    m.call(escrow, "renounceRole", [ROLES.OPERATOR, deployer], { id: "renounceBootstrapOperator", after: keys }),
  ];
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
