import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { permitDomain, permitTypes, quoteDomain, quoteTypes, type Quote } from "@trvl/abi";
import { Signature, Wallet, ZeroAddress, hexlify, parseEther, randomBytes } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";

import TRVLLocal, { LOCAL_GUARDIAN_GENESIS } from "../../ignition/modules/TRVLLocal.js";
import { ECONOMY_RULES } from "../../ignition/modules/protocol.js";
import { LOCAL_ACCOUNT_INDEX, localDeploymentParameters, type LocalRole } from "@trvl/tooling/local-accounts";
import {
  BookingEscrow__factory,
  GuardianCanceller__factory,
  MockStablecoin__factory,
  MockV3Aggregator__factory,
  ReferralRegistry__factory,
  RewardDistributor__factory,
  TRVLGovernor__factory,
  TRVLStaking__factory,
  TRVLToken__factory,
  TimelockController__factory,
} from "../../types/ethers-contracts/index.js";
import { ethersTypes } from "../../scripts/lib/ethers-types.js";

export type Connection = NetworkConnection<"l1">;

export const NATIVE = ZeroAddress as `0x${string}`;
export const HOUR = 3600n;
export const DAY = 24n * HOUR;

/**
 * Deploys the whole local system with the same Ignition module `npm start` uses, and names its actors. Over an
 * HTTP connection, give a `deploymentId` so the Ignition journal does not collide with another deployment's.
 */
export async function deploySystem(
  connection: Connection,
  options: { deploymentId?: string; realEconomyRules?: boolean } = {},
) {
  const { ethers, ignition } = connection;
  const parameters = localDeploymentParameters();
  const deployed = await ignition.deploy(TRVLLocal, {
    displayUi: false,
    deploymentId: options.deploymentId,
    parameters: options.realEconomyRules
      ? { ...parameters, TRVLLocal: { ...parameters.TRVLLocal, ...ECONOMY_RULES } }
      : parameters,
  });
  const signers = await ethers.getSigners();
  const actor = (role: LocalRole) => signers[LOCAL_ACCOUNT_INDEX[role]];
  const [deployer, quoteSigner, keeper, supplier] = [
    actor("deployer"),
    actor("quoteSigner"),
    actor("keeper"),
    actor("supplier"),
  ];
  const travellers = signers.slice(9, 17);
  const safeOwners = [actor("safeOwner1"), actor("safeOwner2"), actor("safeOwner3")];
  // The timelock (governance) is admin and treasury; the guardian Safe pauses. Tests act as them directly where the
  // governance or multisig path itself is not under test.
  const impersonate = async (contract: { getAddress(): Promise<string> }) => {
    const address = await contract.getAddress();
    await connection.networkHelpers.impersonateAccount(address);
    await connection.networkHelpers.setBalance(address, 10n ** 20n);
    return ethers.getSigner(address);
  };
  const admin = await impersonate(deployed.Timelock);
  const treasury = admin;
  const guardian = await impersonate(deployed.Guardian);
  const at = async <T>(
    factory: { connect(address: string, runner: HardhatEthersSigner): T },
    contract: { getAddress(): Promise<string> },
  ) => factory.connect(await contract.getAddress(), deployer);

  const token = await at(TRVLToken__factory, deployed.TRVLToken);
  const referrals = await at(ReferralRegistry__factory, deployed.ReferralRegistry);
  const escrow = await at(BookingEscrow__factory, deployed.BookingEscrow);
  const distributor = await at(RewardDistributor__factory, deployed.RewardDistributor);
  const staking = await at(TRVLStaking__factory, deployed.TRVLStaking);
  const governor = await at(TRVLGovernor__factory, deployed.TRVLGovernor);
  const timelock = await at(TimelockController__factory, deployed.Timelock);
  const guardianCanceller = await at(GuardianCanceller__factory, deployed.GuardianCanceller);
  const stablecoin = await at(MockStablecoin__factory, deployed.Stablecoin);
  const feeds = {
    eth: await at(MockV3Aggregator__factory, deployed.EthUsdFeed),
    stablecoin: await at(MockV3Aggregator__factory, deployed.StablecoinUsdFeed),
    trvl: await at(MockV3Aggregator__factory, deployed.TrvlUsdFeed),
  };
  const chainId = (await ethers.provider.getNetwork()).chainId;
  /** TRVL minted by rewards (the local deployment's genesis allocation aside). */
  const rewardsMinted = async () => (await token.totalSupply()) - LOCAL_GUARDIAN_GENESIS;
  const escrowAddress = (await escrow.getAddress()) as `0x${string}`;
  const stablecoinAddress = (await stablecoin.getAddress()) as `0x${string}`;

  /** A quote for `traveller`, valid for an hour; override any field. */
  async function quote(traveller: HardhatEthersSigner, overrides: Partial<Quote> = {}): Promise<Quote> {
    const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
    return {
      bookingId: hexlify(randomBytes(32)) as `0x${string}`,
      traveller: traveller.address as `0x${string}`,
      token: stablecoinAddress,
      amount: 1_000_000_000n, // 1,000 tUSD
      commissionBps: 1_000,
      supplier: supplier.address as `0x${string}`,
      expiresAt: now + HOUR,
      ...overrides,
    };
  }

  async function signQuote(q: Quote, signer: HardhatEthersSigner = quoteSigner): Promise<string> {
    return signer.signTypedData(quoteDomain(chainId, escrowAddress), ethersTypes(quoteTypes), q);
  }

  /** Pays `q` as its traveller: approves and pays for tokens, sends value for the native coin. */
  async function pay(q: Quote, payer: HardhatEthersSigner) {
    const signature = await signQuote(q);
    if (q.token === NATIVE) return escrow.connect(payer).pay(q, signature, { value: q.amount });
    await stablecoin.mint(payer.address, q.amount);
    await stablecoin.connect(payer).approve(escrowAddress, q.amount);
    return escrow.connect(payer).pay(q, signature);
  }

  /** Signs an ERC-2612 permit of `value` stablecoin from `owner` to the escrow. */
  async function permit(owner: HardhatEthersSigner, value: bigint, deadline: bigint): Promise<Signature> {
    const nonce = await stablecoin.nonces(owner.address);
    const signature = await owner.signTypedData(
      permitDomain("Test USD", chainId, stablecoinAddress),
      ethersTypes(permitTypes),
      { owner: owner.address, spender: escrowAddress, value, nonce, deadline },
    );
    return Signature.from(signature);
  }

  /** A fresh funded account beyond the 20 test accounts. */
  async function newAccount(): Promise<HardhatEthersSigner> {
    const address = Wallet.createRandom().address;
    await connection.networkHelpers.impersonateAccount(address);
    await connection.networkHelpers.setBalance(address, 10n ** 20n);
    return ethers.getSigner(address);
  }

  /** Gives `to` some TRVL out of the guardian's genesis budget. */
  async function giveTrvl(to: HardhatEthersSigner, amount: bigint) {
    await token.connect(guardian).transfer(to.address, amount);
  }

  /** Gives `account` `amount` TRVL and stakes it. */
  async function stakeFor(account: HardhatEthersSigner, amount: bigint) {
    await giveTrvl(account, amount);
    await token.connect(account).approve(await staking.getAddress(), amount);
    return staking.connect(account).stake(amount);
  }

  /** Pays, settles and returns the booking id: a booking ready to be rewarded. */
  async function settledBooking(traveller: HardhatEthersSigner, overrides: Partial<Quote> = {}) {
    const q = await quote(traveller, overrides);
    await pay(q, traveller);
    await escrow.connect(keeper).settle([q.bookingId]);
    return q;
  }

  return {
    connection,
    ethers,
    chainId,
    token,
    referrals,
    escrow,
    distributor,
    staking,
    governor,
    timelock,
    guardianCanceller,
    stablecoin,
    feeds,
    deployer,
    admin,
    guardian,
    safeOwners,
    quoteSigner,
    keeper,
    treasury,
    supplier,
    travellers,
    signers,
    quote,
    signQuote,
    pay,
    permit,
    settledBooking,
    rewardsMinted,
    giveTrvl,
    stakeFor,
    newAccount,
    parseEther,
  };
}

export type System = Awaited<ReturnType<typeof deploySystem>>;
