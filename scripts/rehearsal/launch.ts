/**
 * The production launch rehearsed on a local chain that carries Base Sepolia's chain id: the network's own contracts
 * first (scripts/rehearsal/network.ts), then `ignition/modules/TRVL.ts` with production-like parameters, then what
 * the reserve and time do before the first booking (the TRVL pool seeded, its TWAP window and the sequencer's grace
 * period passed). The same steps serve the contract test, `npm run generate` (which publishes the addresses) and
 * the chain the backend is run against.
 */
import { MaxUint256, parseEther } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";

import { LOCAL_ACCOUNT_INDEX } from "@trvl/tooling/local-accounts";
import TRVL, { LAUNCH_DEFAULTS } from "../../ignition/modules/TRVL.js";
import { UniswapV3PoolActor__factory } from "../../types/ethers-contracts/index.js";
import { prepareNetwork } from "./network.js";

export const REHEARSAL_CHAIN_ID = 84532;
/** The Ignition deployment id `npm run generate` records the rehearsal under, and publishes as chain 84532. */
export const REHEARSAL_DEPLOYMENT_ID = `rehearsal-${REHEARSAL_CHAIN_ID}`;

const DAY = 24 * 3600;
const usd8 = (dollars: number) => BigInt(Math.round(dollars * 1e8));

/**
 * Who is who in the rehearsal: the local test accounts, so the backend's usual local keys (quote signer, keeper)
 * are the ones the deployment names. Accounts beyond the local roles hold the reserve, the team allocation and the
 * pool's liquidity.
 */
export const REHEARSAL_ACCOUNTS = {
  ...LOCAL_ACCOUNT_INDEX,
  reserve: 10,
  team: 11,
  liquidity: 12,
} as const;

/**
 * Deploys what the network has and then the production module on the chain of `connection` (chain id 84532).
 * Given a `deploymentId` on an HTTP connection, Ignition records the deployment under ignition/deployments/<id>.
 */
export async function rehearseLaunch(connection: NetworkConnection<"l1">, options: { deploymentId?: string } = {}) {
  const { ethers, ignition } = connection;
  const chainId = Number((await ethers.provider.getNetwork()).chainId);
  if (chainId !== REHEARSAL_CHAIN_ID)
    throw new Error(`the rehearsal needs chain id ${REHEARSAL_CHAIN_ID}, not ${chainId}`);
  const signers = await ethers.getSigners();
  const signer = (role: keyof typeof REHEARSAL_ACCOUNTS) => signers[REHEARSAL_ACCOUNTS[role]];
  const deployer = signer("deployer");
  const network = await prepareNetwork(connection, deployer, [
    signer("safeOwner1").address,
    signer("safeOwner2").address,
    signer("safeOwner3").address,
  ]);
  const latest = (await ethers.provider.getBlock("latest"))!.timestamp;
  const parameters = {
    TRVL: {
      guardian: network.guardian,
      quoteSigner: signer("quoteSigner").address,
      settler: signer("keeper").address,
      ecosystemReserve: signer("reserve").address,
      teamBeneficiary: signer("team").address,
      teamVestingStart: latest + DAY,
      stablecoin: await network.usdc.getAddress(),
      stablecoinFeed: await network.usdcUsd.getAddress(),
      stablecoinFeedMinAnswer: usd8(0.95),
      stablecoinFeedMaxAnswer: usd8(1.05),
      nativeFeed: await network.ethUsd.getAddress(),
      nativeFeedMinAnswer: usd8(100),
      nativeFeedMaxAnswer: usd8(100_000),
      uniswapV3Factory: await network.uniswap.getAddress(),
      sequencerUptimeFeed: await network.sequencerUptime.getAddress(),
      trvlLaunchPrice: parseEther("0.1"),
      trvlFeedMinAnswer: usd8(0.0001),
      trvlFeedMaxAnswer: usd8(1000),
      mintCapacity: parseEther("5000000"),
    },
  };
  const deployed = await ignition.deploy(TRVL, {
    displayUi: false,
    deploymentId: options.deploymentId,
    parameters,
  });
  const addresses = Object.fromEntries(
    await Promise.all(Object.entries(deployed).map(async ([name, contract]) => [name, await contract.getAddress()])),
  ) as Record<keyof typeof deployed, string>;
  return { connection, signer, network, parameters, addresses };
}

export type Rehearsal = Awaited<ReturnType<typeof rehearseLaunch>>;

const SLOT0_ABI = ["function slot0() view returns (uint160, int24, uint16, uint16, uint16, uint8, bool)"];
const ERC20_ABI = [
  "function transfer(address to, uint256 amount) returns (bool)",
  "function approve(address spender, uint256 amount) returns (bool)",
];

/** The TRVL pool's current tick. */
export async function poolTick(r: Rehearsal): Promise<bigint> {
  const pool = await r.connection.ethers.getContractAt(SLOT0_ABI, r.addresses.TrvlPool);
  const [, tick] = await pool.slot0();
  return tick;
}

/**
 * The reserve's liquidity around the launch price (±6,000 ticks), as it would add through Uniswap's app, a minute
 * after the deployment: a pool writes an observation (and grows its buffer to what the module asked) only in a later
 * second than its last one, and a node that mines blocks in the same second could otherwise seed it unobserved.
 */
export async function seedPool(r: Rehearsal) {
  const { ethers } = r.connection;
  await ethers.provider.send("evm_increaseTime", [60]);
  const liquidity = r.signer("liquidity");
  const actor = await new UniswapV3PoolActor__factory(r.signer("deployer")).deploy();
  const token = await ethers.getContractAt(ERC20_ABI, r.addresses.TRVLToken);
  await (
    await token.connect(r.signer("reserve")).getFunction("transfer")(liquidity.address, parseEther("1000000"))
  ).wait();
  await (await r.network.usdc.mint(liquidity.address, 10n ** 12n)).wait();
  await (await token.connect(liquidity).getFunction("approve")(actor, MaxUint256)).wait();
  await (await r.network.usdc.connect(liquidity).approve(actor, MaxUint256)).wait();
  const tick = Number(await poolTick(r));
  const lower = Math.floor((tick - 6000) / 60) * 60;
  const upper = Math.ceil((tick + 6000) / 60) * 60;
  await (await actor.connect(liquidity).mint(r.addresses.TrvlPool, lower, upper, 10n ** 17n)).wait();
}

/**
 * The launch after its first hours: the pool seeded and its history a TWAP window old, the sequencer up for longer
 * than its grace period, and the Chainlink feeds updated since (as they are at least every heartbeat). Rewards are
 * priced from here on.
 */
export async function openForBookings(r: Rehearsal) {
  const { ethers } = r.connection;
  await seedPool(r);
  const wait = Math.max(LAUNCH_DEFAULTS.twapWindow, LAUNCH_DEFAULTS.sequencerGracePeriod) + 60;
  await ethers.provider.send("evm_increaseTime", [wait]);
  await ethers.provider.send("evm_mine", []);
  await (await r.network.usdcUsd.updateAnswer(usd8(1))).wait();
  await (await r.network.ethUsd.updateAnswer(usd8(3000))).wait();
}
