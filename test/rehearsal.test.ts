import { readFile } from "node:fs/promises";

import { getDeployment, quoteDomain, quoteTypes, type Quote } from "@trvl/abi";
import { expect } from "chai";
import { ZeroAddress, hexlify, parseEther, randomBytes } from "ethers";
import { network } from "hardhat";

import { LAUNCH_DEFAULTS, feedMaxAge } from "../ignition/modules/TRVL.js";
import { ROLES } from "../ignition/modules/protocol.js";
import { ethersTypes } from "../scripts/lib/ethers-types.js";
import { REHEARSAL_CHAIN_ID, poolTick, rehearseLaunch, seedPool } from "../scripts/rehearsal/launch.js";
import { MULTICALL3, canonicalSafeAddresses } from "../scripts/rehearsal/network.js";
import {
  BookingEscrow__factory,
  RewardDistributor__factory,
  TRVLGovernor__factory,
  TRVLStaking__factory,
  TRVLToken__factory,
  TeamVesting__factory,
  TimelockController__factory,
  UniswapV3TwapFeed__factory,
} from "../types/ethers-contracts/index.js";
import { roleHolders, type RoleHolder } from "./helpers/roles.js";

const BASE_SEPOLIA = REHEARSAL_CHAIN_ID;
const usd8 = (dollars: number) => BigInt(Math.round(dollars * 1e8));

/**
 * The production module (ignition/modules/TRVL.ts) deployed as on Base Sepolia (scripts/rehearsal/launch.ts): a chain
 * with its chain id, the canonical Safe contracts and a guardian Safe created through them, launch parameters and
 * defaults, a real Uniswap v3 factory, and Chainlink-shaped feeds for the stablecoin and ETH that real networks have.
 */
async function rehearse() {
  const connection = await network.create({ chainType: "l1", override: { chainId: BASE_SEPOLIA } });
  const r = await rehearseLaunch(connection);
  const { addresses } = r;
  const deployer = r.signer("deployer");
  const at = <T>(factory: { connect(address: string, runner: typeof deployer): T }, address: string) =>
    factory.connect(address, deployer);
  return {
    rehearsal: r,
    connection,
    deployer,
    quoteSigner: r.signer("quoteSigner"),
    keeper: r.signer("keeper"),
    supplier: r.signer("supplier"),
    reserve: r.signer("reserve"),
    team: r.signer("team"),
    traveller: r.signer("traveller"),
    usdc: r.network.usdc,
    vestingStart: r.parameters.TRVL.teamVestingStart,
    parameters: r.parameters,
    sequencerUptime: r.network.sequencerUptime,
    guardian: r.network.guardian,
    guardianCanceller: (addresses as Record<string, string>).GuardianCanceller,
    token: at(TRVLToken__factory, addresses.TRVLToken),
    escrow: at(BookingEscrow__factory, addresses.BookingEscrow),
    distributor: at(RewardDistributor__factory, addresses.RewardDistributor),
    staking: at(TRVLStaking__factory, addresses.TRVLStaking),
    governor: at(TRVLGovernor__factory, addresses.TRVLGovernor),
    timelock: at(TimelockController__factory, addresses.Timelock),
    vesting: at(TeamVesting__factory, addresses.TeamVesting),
    twap: at(UniswapV3TwapFeed__factory, addresses.TrvlUsdTwapFeed),
    pool: addresses.TrvlPool,
  };
}

describe("Production deployment rehearsal (TRVL module on a chain with Base Sepolia's id)", () => {
  let launched: Rehearsed;
  before(async function () {
    this.timeout(300_000);
    launched = await rehearse();
  });

  it("creates the Safe 1.4.1 contracts at their canonical addresses and the guardian Safe through their factory", async () => {
    const { ethers } = launched.connection;
    const r = launched.rehearsal;
    const canonical = canonicalSafeAddresses(BASE_SEPOLIA);
    expect(r.network.safe).to.deep.equal(canonical);
    expect(canonical.SafeL2Singleton).to.equal("0x29fcB43b46531BcA003ddC8FCB67FFE91900C762");
    expect(canonical.SafeProxyFactory).to.equal("0x4e1DCf7AD4e460CfD30791CCC4F9c8a4f820ec67");
    for (const [name, address] of Object.entries(canonical)) {
      expect(await ethers.provider.getCode(address), name).to.not.equal("0x");
    }
    // The guardian: a proxy of the L2 singleton, 2 of the 3 owners, the canonical fallback handler.
    const guardian = await ethers.getContractAt(SAFE_ABI, r.network.guardian);
    expect(await guardian.getOwners()).to.deep.equal(
      ["safeOwner1", "safeOwner2", "safeOwner3"].map((o) => r.signer(o as "safeOwner1").address),
    );
    expect(await guardian.getThreshold()).to.equal(2n);
    const singletonSlot = await ethers.provider.getStorage(r.network.guardian, 0);
    expect(BigInt(singletonSlot)).to.equal(BigInt(canonical.SafeL2Singleton));
    const fallbackSlot = await ethers.provider.getStorage(r.network.guardian, FALLBACK_HANDLER_SLOT);
    expect(BigInt(fallbackSlot)).to.equal(BigInt(canonical.CompatibilityFallbackHandler));
    expect(r.addresses.Guardian).to.equal(r.network.guardian);
    // Multicall3 answers where viem's chain definitions call it.
    const multicall = await ethers.getContractAt(["function getChainId() view returns (uint256)"], MULTICALL3);
    expect(await multicall.getChainId()).to.equal(BigInt(BASE_SEPOLIA));
  });

  it("is what @trvl/abi publishes for chain 84532 (run `npm run generate` if not)", () => {
    const published = getDeployment(BASE_SEPOLIA).contracts as Record<string, { address: string }>;
    const deployed = launched.rehearsal.addresses as Record<string, string>;
    for (const [name, address] of Object.entries(deployed)) expect(published[name].address, name).to.equal(address);
  });

  it("wires every role to its holder, mints the genesis allocation and launches governance and the TRVL pool", async function () {
    this.timeout(300_000);
    const r = launched;
    // The example parameter file of docs/deploy.md lists exactly what this deployment is given.
    const example = JSON.parse(await readFile("ignition/parameters/baseSepolia.example.json", "utf8"));
    expect(Object.keys(example.TRVL).sort()).to.deep.equal(Object.keys(r.parameters.TRVL).sort());
    const { token, escrow, distributor, staking, governor, timelock, vesting, twap } = r;
    const [distributorAddress, timelockAddress, governorAddress] = await Promise.all(
      [distributor, timelock, governor].map((c) => c.getAddress()),
    );
    const candidates = {
      deployer: r.deployer.address,
      keeper: r.keeper.address,
      quoteSigner: r.quoteSigner.address,
      distributor: distributorAddress,
      timelock: timelockAddress,
      guardian: r.guardian,
      governor: governorAddress,
      guardianCanceller: r.guardianCanceller,
      anyone: ZeroAddress,
    };
    const holders = (contract: RoleHolder, role: string) => roleHolders(contract, role, candidates);
    expect(await holders(token, ROLES.DEFAULT_ADMIN)).to.deep.equal(["timelock"]);
    expect(await holders(token, ROLES.MINTER)).to.deep.equal(["distributor"]);
    expect(await holders(escrow, ROLES.DEFAULT_ADMIN)).to.deep.equal(["timelock"]);
    expect(await holders(escrow, ROLES.REWARDER)).to.deep.equal(["distributor"]);
    expect(await holders(escrow, ROLES.SETTLER)).to.deep.equal(["keeper"]);
    expect(await holders(escrow, ROLES.QUOTE_SIGNER)).to.deep.equal(["quoteSigner"]);
    expect(await holders(escrow, ROLES.OPERATOR)).to.deep.equal(["guardian"]);
    expect(await holders(escrow, ROLES.PAUSER)).to.deep.equal(["guardian"]);
    expect(await holders(distributor, ROLES.DEFAULT_ADMIN)).to.deep.equal(["timelock"]);
    expect(await holders(distributor, ROLES.PAUSER)).to.deep.equal(["guardian"]);
    expect(await holders(staking, ROLES.DEFAULT_ADMIN)).to.deep.equal(["timelock"]);
    expect(await holders(staking, ROLES.PAUSER)).to.deep.equal(["guardian"]);
    expect(await holders(staking, ROLES.REWARDS_FUNDER)).to.deep.equal(["guardian"]);
    expect(await holders(timelock, ROLES.DEFAULT_ADMIN)).to.deep.equal(["timelock"]);
    expect(await holders(timelock, ROLES.TIMELOCK_PROPOSER)).to.deep.equal(["governor"]);
    expect(await holders(timelock, ROLES.TIMELOCK_CANCELLER)).to.deep.equal(["governor", "guardianCanceller"]);
    expect(await holders(timelock, ROLES.TIMELOCK_EXECUTOR)).to.deep.equal(["anyone"]);
    expect(await escrow.treasury()).to.equal(timelockAddress);
    expect(await distributor.treasury()).to.equal(timelockAddress);

    // Each feed trusts answers up to its heartbeat plus the margin.
    const feeds = [await distributor.priceFeedOf(r.usdc), await distributor.priceFeedOf(ZeroAddress)];
    expect(feeds.map((f) => f.maxAge)).to.deep.equal([BigInt(feedMaxAge("stablecoin")), BigInt(feedMaxAge("native"))]);
    expect((await distributor.trvlPriceFeed()).maxAge).to.equal(BigInt(feedMaxAge("trvl")));

    // Genesis: treasury, reserve and vesting team, nothing else.
    expect(await token.balanceOf(timelockAddress)).to.equal(LAUNCH_DEFAULTS.treasuryGenesis);
    expect(await token.balanceOf(r.reserve.address)).to.equal(LAUNCH_DEFAULTS.reserveGenesis);
    expect(await token.balanceOf(vesting)).to.equal(LAUNCH_DEFAULTS.teamGenesis);
    expect(await token.totalSupply()).to.equal(
      LAUNCH_DEFAULTS.treasuryGenesis + LAUNCH_DEFAULTS.reserveGenesis + LAUNCH_DEFAULTS.teamGenesis,
    );
    expect(await vesting.owner()).to.equal(r.team.address);
    expect(await vesting.start()).to.equal(BigInt(r.vestingStart));
    expect(await vesting.cliff()).to.equal(BigInt(r.vestingStart + LAUNCH_DEFAULTS.teamVestingCliff));

    // Governance at launch settings.
    expect(await governor.proposalThreshold()).to.equal(LAUNCH_DEFAULTS.proposalThreshold);
    expect(await governor["quorumFloor()"]()).to.equal(LAUNCH_DEFAULTS.quorumFloor);
    expect(await governor.votingDelay()).to.equal(BigInt(LAUNCH_DEFAULTS.votingDelay));
    expect(await governor.votingPeriod()).to.equal(BigInt(LAUNCH_DEFAULTS.votingPeriod));
    expect(await timelock.getMinDelay()).to.equal(BigInt(LAUNCH_DEFAULTS.timelockDelay));

    // TRVL/USD: the TWAP over the pool the module created, started at the launch price, not answering yet.
    expect(await twap.pool()).to.equal(r.pool);
    expect(await twap.window()).to.equal(BigInt(LAUNCH_DEFAULTS.twapWindow));
    const price = await twap.priceAtTick(await poolTick(r.rehearsal), usd8(1));
    expect(price).to.be.closeTo(usd8(0.1), usd8(0.1) / 10_000n); // within one tick (0.01%)
    await expect(twap.latestRoundData()).to.be.revertedWithCustomError(twap, "TwapCardinalityTooLow");

    // The money path, priced by the TWAP once the reserve has seeded the pool and its history covers the window.
    await seedPool(r.rehearsal);
    const { time, mine } = r.connection.networkHelpers;
    // The seeding wrote the pool's first observation since the launch, growing its buffer to what the module asked.
    await time.increase(LAUNCH_DEFAULTS.twapWindow);
    await mine();
    const [, answer] = await twap.latestRoundData();
    expect(answer).to.be.closeTo(usd8(0.1), usd8(0.1) / 1_000n);

    // The sequencer has been up for less than its grace period: the booking waits, skipped with the reason.
    expect(await distributor.sequencerUptimeFeed()).to.equal(await r.sequencerUptime.getAddress());
    const bookingId = await payAndSettle(r);
    const [ready, readyAt] = await distributor.sequencerStatus();
    expect(ready).to.equal(false);
    await expect(distributor.distribute([bookingId])).to.emit(distributor, "RewardSkipped");
    expect(await token.balanceOf(r.traveller.address)).to.equal(0n);
    await time.increaseTo(readyAt);
    await distributor.distribute([bookingId]);
    // $100 commission at $0.10: 70% to the traveller, 700 TRVL give or take the tick's rounding.
    expect(await token.balanceOf(r.traveller.address)).to.be.closeTo(parseEther("700"), parseEther("0.5"));
  });
});

/** keccak256("fallback_manager.handler.address"): where a Safe keeps its fallback handler. */
const FALLBACK_HANDLER_SLOT = "0x6c9a6c4a39284e37ed1cf53d337577d14212a4870fb976a4366c693b939918d5";
const SAFE_ABI = ["function getOwners() view returns (address[])", "function getThreshold() view returns (uint256)"];

type Rehearsed = Awaited<ReturnType<typeof rehearse>>;

async function payAndSettle(r: Rehearsed): Promise<string> {
  const { ethers } = r.connection;
  const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  const escrowAddress = (await r.escrow.getAddress()) as `0x${string}`;
  const q: Quote = {
    bookingId: hexlify(randomBytes(32)) as `0x${string}`,
    traveller: r.traveller.address as `0x${string}`,
    token: (await r.usdc.getAddress()) as `0x${string}`,
    amount: 1_000_000_000n, // 1,000 USDC, 10% commission
    commissionBps: 1_000,
    supplier: r.supplier.address as `0x${string}`,
    expiresAt: now + 3600n,
  };
  const signature = await r.quoteSigner.signTypedData(
    quoteDomain(BigInt(BASE_SEPOLIA), escrowAddress),
    ethersTypes(quoteTypes),
    q,
  );
  await r.usdc.mint(r.traveller.address, q.amount);
  await r.usdc.connect(r.traveller).approve(escrowAddress, q.amount);
  await r.escrow.connect(r.traveller).pay(q, signature);
  await r.escrow.connect(r.keeper).settle([q.bookingId]);
  return q.bookingId;
}
