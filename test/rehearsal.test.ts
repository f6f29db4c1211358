import { readFile } from "node:fs/promises";

import { quoteDomain, quoteTypes, type Quote } from "@trvl/abi";
import { expect } from "chai";
import { MaxUint256, ZeroAddress, hexlify, parseEther, randomBytes } from "ethers";
import { network } from "hardhat";

import TRVL, { LAUNCH_DEFAULTS } from "../ignition/modules/TRVL.js";
import { LocalSafeModule } from "../ignition/modules/TRVLLocal.js";
import { ROLES } from "../ignition/modules/protocol.js";
import { ethersTypes } from "../scripts/lib/ethers-types.js";
import {
  BookingEscrow__factory,
  MockStablecoin__factory,
  MockV3Aggregator__factory,
  RewardDistributor__factory,
  TRVLGovernor__factory,
  TRVLStaking__factory,
  TRVLToken__factory,
  TeamVesting__factory,
  TimelockController__factory,
  UniswapV3PoolActor__factory,
  UniswapV3TwapFeed__factory,
} from "../types/ethers-contracts/index.js";
import { roleHolders, type RoleHolder } from "./helpers/roles.js";
import { deployUniswapV3Factory } from "./helpers/uniswap.js";

const BASE_SEPOLIA = 84532;
const DAY = 24 * 3600;
const usd8 = (dollars: number) => BigInt(Math.round(dollars * 1e8));

/**
 * The production module (ignition/modules/TRVL.ts) deployed as on Base Sepolia: a chain with its chain id, launch
 * parameters and defaults, a real Uniswap v3 factory, a 2-of-3 guardian Safe, and Chainlink-shaped feeds for the
 * stablecoin and ETH that real networks already have.
 */
async function rehearse() {
  const connection = await network.create({ chainType: "l1", override: { chainId: BASE_SEPOLIA } });
  const { ethers, ignition, networkHelpers } = connection;
  const signers = await ethers.getSigners();
  const [deployer, quoteSigner, keeper, supplier, reserve, team, owner1, owner2, owner3, traveller, liquidity] =
    signers;
  expect((await ethers.provider.getNetwork()).chainId).to.equal(BigInt(BASE_SEPOLIA));

  // What the network already has: USDC, Chainlink feeds, Uniswap v3, Safe.
  const usdc = await new MockStablecoin__factory(deployer).deploy();
  const usdcUsd = await new MockV3Aggregator__factory(deployer).deploy(8, usd8(1));
  const ethUsd = await new MockV3Aggregator__factory(deployer).deploy(8, usd8(3000));
  const sequencerUptime = await new MockV3Aggregator__factory(deployer).deploy(0, 0); // 0: up, since now
  const uniswap = await deployUniswapV3Factory(deployer);
  const { Guardian } = await ignition.deploy(LocalSafeModule, {
    displayUi: false,
    parameters: { LocalSafe: { owners: [owner1.address, owner2.address, owner3.address] } },
  });
  const vestingStart = (await networkHelpers.time.latest()) + DAY;

  const parameters = {
    TRVL: {
      guardian: await Guardian.getAddress(),
      quoteSigner: quoteSigner.address,
      settler: keeper.address,
      ecosystemReserve: reserve.address,
      teamBeneficiary: team.address,
      teamVestingStart: vestingStart,
      stablecoin: await usdc.getAddress(),
      stablecoinFeed: await usdcUsd.getAddress(),
      stablecoinFeedMinAnswer: usd8(0.95),
      stablecoinFeedMaxAnswer: usd8(1.05),
      nativeFeed: await ethUsd.getAddress(),
      nativeFeedMinAnswer: usd8(100),
      nativeFeedMaxAnswer: usd8(100_000),
      uniswapV3Factory: await uniswap.getAddress(),
      sequencerUptimeFeed: await sequencerUptime.getAddress(),
      trvlLaunchPrice: parseEther("0.1"),
      trvlFeedMinAnswer: usd8(0.0001),
      trvlFeedMaxAnswer: usd8(1000),
      mintCapacity: parseEther("5000000"),
    },
  };
  const deployed = await ignition.deploy(TRVL, { displayUi: false, parameters });
  const at = <T>(factory: { connect(address: string, runner: typeof deployer): T }, address: string) =>
    factory.connect(address, deployer);
  const address = (future: { getAddress(): Promise<string> }) => future.getAddress();
  return {
    connection,
    deployer,
    quoteSigner,
    keeper,
    supplier,
    reserve,
    team,
    traveller,
    liquidity,
    usdc,
    vestingStart,
    parameters,
    sequencerUptime,
    guardian: await address(Guardian),
    token: at(TRVLToken__factory, await address(deployed.TRVLToken)),
    escrow: at(BookingEscrow__factory, await address(deployed.BookingEscrow)),
    distributor: at(RewardDistributor__factory, await address(deployed.RewardDistributor)),
    staking: at(TRVLStaking__factory, await address(deployed.TRVLStaking)),
    governor: at(TRVLGovernor__factory, await address(deployed.TRVLGovernor)),
    timelock: at(TimelockController__factory, await address(deployed.Timelock)),
    vesting: at(TeamVesting__factory, await address(deployed.TeamVesting)),
    twap: at(UniswapV3TwapFeed__factory, await address(deployed.TrvlUsdTwapFeed)),
    pool: await address(deployed.TrvlPool),
  };
}

describe("Production deployment rehearsal (TRVL module on a chain with Base Sepolia's id)", () => {
  it("wires every role to its holder, mints the genesis allocation and launches governance and the TRVL pool", async function () {
    this.timeout(300_000);
    const r = await rehearse();
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
    expect(await holders(timelock, ROLES.TIMELOCK_CANCELLER)).to.deep.equal(["guardian", "governor"]);
    expect(await holders(timelock, ROLES.TIMELOCK_EXECUTOR)).to.deep.equal(["anyone"]);
    expect(await escrow.treasury()).to.equal(timelockAddress);
    expect(await distributor.treasury()).to.equal(timelockAddress);

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
    const price = await twap.priceAtTick(await poolTick(r), usd8(1));
    expect(price).to.be.closeTo(usd8(0.1), usd8(0.1) / 10_000n); // within one tick (0.01%)
    await expect(twap.latestRoundData()).to.be.revertedWithCustomError(twap, "TwapCardinalityTooLow");

    // The money path, priced by the TWAP once the reserve has seeded the pool and its history covers the window.
    await seedPool(r);
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

type Rehearsal = Awaited<ReturnType<typeof rehearse>>;

const SLOT0_ABI = ["function slot0() view returns (uint160, int24, uint16, uint16, uint16, uint8, bool)"];

/** The TRVL pool's current tick. */
async function poolTick(r: Rehearsal): Promise<bigint> {
  const pool = await r.connection.ethers.getContractAt(SLOT0_ABI, r.pool);
  const [, tick] = await pool.slot0();
  return tick;
}

/** The reserve's liquidity around the launch price (±6,000 ticks), as it would add through Uniswap's app. */
async function seedPool(r: Rehearsal) {
  const actor = await new UniswapV3PoolActor__factory(r.deployer).deploy();
  await r.token.connect(r.reserve).transfer(r.liquidity.address, parseEther("1000000"));
  await r.usdc.mint(r.liquidity.address, 10n ** 12n);
  await r.token.connect(r.liquidity).approve(actor, MaxUint256);
  await r.usdc.connect(r.liquidity).approve(actor, MaxUint256);
  const tick = Number(await poolTick(r));
  const lower = Math.floor((tick - 6000) / 60) * 60;
  const upper = Math.ceil((tick + 6000) / 60) * 60;
  await actor.connect(r.liquidity).mint(r.pool, lower, upper, 10n ** 17n);
}

async function payAndSettle(r: Rehearsal): Promise<string> {
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
