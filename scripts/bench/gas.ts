/**
 * Gas per operation of the core contracts, measured on the in-process Hardhat network with the local Ignition
 * deployment. Printed as a table by `npm run bench`.
 */
import {
  permitDomain,
  permitTypes,
  quoteDomain,
  quoteTypes,
  registrationDomain,
  registrationTypes,
  type Quote,
} from "@trvl/abi";
import { Signature, Wallet, ZeroAddress, hexlify, id, parseEther, randomBytes, type HDNodeWallet } from "ethers";
import hre from "hardhat";

import TRVLLocal from "../../ignition/modules/TRVLLocal.js";
import { ethersTypes } from "../lib/ethers-types.js";
import { LOCAL_ACCOUNT_INDEX, localDeploymentParameters } from "@trvl/tooling/local-accounts";
import {
  BookingEscrow__factory,
  MockStablecoin__factory,
  ReferralRegistry__factory,
  RewardDistributor__factory,
  TRVLGovernor__factory,
  TRVLStaking__factory,
  TRVLToken__factory,
} from "../../types/ethers-contracts/index.js";

const BATCH = 50;

export async function measureGas(): Promise<{ operation: string; gas: bigint; note: string }[]> {
  const connection = await hre.network.create({ chainType: "l1" });
  const { ethers, ignition } = connection;
  const deployed = await ignition.deploy(TRVLLocal, { displayUi: false, parameters: localDeploymentParameters() });
  const signers = await ethers.getSigners();
  const deployer = signers[LOCAL_ACCOUNT_INDEX.deployer];
  const quoteSigner = signers[LOCAL_ACCOUNT_INDEX.quoteSigner];
  const keeper = signers[LOCAL_ACCOUNT_INDEX.keeper];
  const supplier = signers[LOCAL_ACCOUNT_INDEX.supplier];
  const at = async <T>(f: { connect(a: string, r: typeof deployer): T }, c: { getAddress(): Promise<string> }) =>
    f.connect(await c.getAddress(), deployer);
  const escrow = await at(BookingEscrow__factory, deployed.BookingEscrow);
  const distributor = await at(RewardDistributor__factory, deployed.RewardDistributor);
  const referrals = await at(ReferralRegistry__factory, deployed.ReferralRegistry);
  const token = await at(TRVLToken__factory, deployed.TRVLToken);
  const staking = await at(TRVLStaking__factory, deployed.TRVLStaking);
  const governor = await at(TRVLGovernor__factory, deployed.TRVLGovernor);
  const stablecoin = await at(MockStablecoin__factory, deployed.Stablecoin);
  const { chainId } = await ethers.provider.getNetwork();
  const escrowAddress = (await escrow.getAddress()) as `0x${string}`;
  const stableAddress = (await stablecoin.getAddress()) as `0x${string}`;

  const wallet = async () => {
    const w = Wallet.createRandom().connect(ethers.provider);
    await ethers.provider.send("hardhat_setBalance", [w.address, "0x56BC75E2D63100000"]); // 100 ETH
    return w;
  };
  const gasOf = async (tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>) =>
    (await (await tx).wait())!.gasUsed;

  const newQuote = async (traveller: string, token: `0x${string}`, amount: bigint): Promise<Quote> => ({
    bookingId: hexlify(randomBytes(32)) as `0x${string}`,
    traveller: traveller as `0x${string}`,
    token,
    amount,
    commissionBps: 1_000,
    supplier: supplier.address as `0x${string}`,
    expiresAt: BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + 3600n,
  });
  const sign = (q: Quote) => quoteSigner.signTypedData(quoteDomain(chainId, escrowAddress), ethersTypes(quoteTypes), q);
  const payStable = async (traveller: HDNodeWallet) => {
    const q = await newQuote(traveller.address, stableAddress, 1_000_000_000n);
    await stablecoin.mint(traveller.address, q.amount);
    await stablecoin.connect(traveller).approve(escrowAddress, q.amount);
    return { q, gas: await gasOf(escrow.connect(traveller).pay(q, await sign(q))) };
  };

  // A population of travellers, each with two levels of referrers, all distinct accounts.
  const travellers: HDNodeWallet[] = [];
  const everyone: HDNodeWallet[] = [];
  let registerGas = 0n;
  let registerWithSigGas = 0n;
  for (let i = 0; i < BATCH; i++) {
    const [traveller, level1, level2] = [await wallet(), await wallet(), await wallet()];
    registerGas = await gasOf(referrals.connect(level1).register(level2.address));
    const deadline = BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + 3600n;
    const registration = await traveller.signTypedData(
      registrationDomain(chainId, (await referrals.getAddress()) as `0x${string}`),
      ethersTypes(registrationTypes),
      { user: traveller.address, referrer: level1.address, nonce: 0n, deadline },
    );
    registerWithSigGas = await gasOf(
      referrals.registerWithSig(traveller.address, level1.address, deadline, registration),
    );
    travellers.push(traveller);
    everyone.push(traveller, level1, level2);
  }

  const settledBatch = async () => {
    const ids: string[] = [];
    for (const traveller of travellers) ids.push((await payStable(traveller)).q.bookingId);
    const gas = await gasOf(escrow.connect(keeper).settle(ids));
    return { ids, settleGas: gas };
  };

  // Warm-up: every recipient receives TRVL once, so the measured batches update existing balances.
  const warm = await settledBatch();
  const firstDistribute = await gasOf(distributor.distribute(warm.ids));

  const measured = await settledBatch();
  const batchDistribute = await gasOf(distributor.distribute(measured.ids));

  const single = await payStable(travellers[0]);
  await escrow.connect(keeper).settle([single.q.bookingId]);
  const singleDistribute = await gasOf(distributor.distribute([single.q.bookingId]));

  // The same with every recipient self-delegated: each mint also writes a vote checkpoint.
  for (const account of everyone) await token.connect(account).delegate(account.address);
  await connection.networkHelpers.time.increase(60);
  const delegated = await settledBatch();
  const delegatedDistribute = await gasOf(distributor.distribute(delegated.ids));

  const eth = await newQuote(travellers[1].address, ZeroAddress as `0x${string}`, parseEther("0.1"));
  const payEth = await gasOf(escrow.connect(travellers[1]).pay(eth, await sign(eth), { value: eth.amount }));
  const settleOne = await gasOf(escrow.connect(keeper).settle([eth.bookingId]));

  const permitQuote = await newQuote(travellers[2].address, stableAddress, 1_000_000_000n);
  await stablecoin.mint(travellers[2].address, permitQuote.amount);
  const deadline = permitQuote.expiresAt;
  const permit = Signature.from(
    await travellers[2].signTypedData(permitDomain("Test USD", chainId, stableAddress), ethersTypes(permitTypes), {
      owner: travellers[2].address,
      spender: escrowAddress,
      value: permitQuote.amount,
      nonce: 0n,
      deadline,
    }),
  );
  const payPermit = await gasOf(
    escrow
      .connect(travellers[2])
      .payWithPermit(permitQuote, await sign(permitQuote), deadline, permit.v, permit.r, permit.s),
  );
  const payStableGas = (await payStable(travellers[3])).gas;

  // Staking and governance, by a traveller holding reward TRVL (self-delegated above).
  const { time } = connection.networkHelpers;
  const staker = travellers[4];
  const stakingAddress = await staking.getAddress();
  const held = await token.balanceOf(staker.address);
  await token.connect(staker).approve(stakingAddress, held);
  const stakeGas = await gasOf(staking.connect(staker).stake(held / 4n));
  const permitDeadline = BigInt(await time.latest()) + 3600n;
  const stakePermit = Signature.from(
    await staker.signTypedData(
      permitDomain("Travel Token", chainId, (await token.getAddress()) as `0x${string}`),
      ethersTypes(permitTypes),
      {
        owner: staker.address,
        spender: stakingAddress,
        value: held / 4n,
        nonce: await token.nonces(staker.address),
        deadline: permitDeadline,
      },
    ),
  );
  const stakeWithPermitGas = await gasOf(
    staking.connect(staker).stakeWithPermit(held / 4n, permitDeadline, stakePermit.v, stakePermit.r, stakePermit.s),
  );
  const guardian = deployed.Guardian;
  await connection.networkHelpers.impersonateAccount(await guardian.getAddress());
  await connection.networkHelpers.setBalance(await guardian.getAddress(), 10n ** 20n);
  const asGuardian = await ethers.getSigner(await guardian.getAddress());
  await token.connect(asGuardian).approve(stakingAddress, parseEther("1000"));
  await staking.connect(asGuardian).notifyRewardAmount(parseEther("1000"), 7n * 86_400n);
  await time.increase(86_400);
  const claimGas = await gasOf(staking.connect(staker).claim());
  const requestUnstakeGas = await gasOf(staking.connect(staker).requestUnstake(held / 8n));
  await time.increase(7 * 86_400);
  const withdrawGas = await gasOf(staking.connect(staker).withdraw());
  const instantUnstakeGas = await gasOf(staking.connect(staker).instantUnstake(held / 8n));

  const target = await distributor.getAddress();
  const calldata = distributor.interface.encodeFunctionData("setSplit", [
    { traveller: 6_500, level1: 1_000, level2: 500, treasury: 2_000 },
  ]);
  const description = "Benchmark proposal";
  const proposeGas = await gasOf(governor.connect(staker).propose([target], [0], [calldata], description));
  const proposalId = await governor.hashProposal([target], [0], [calldata], id(description));
  await time.increase(Number(await governor.votingDelay()) + 1);
  const voteGas = await gasOf(governor.connect(staker).castVote(proposalId, 1));
  const voteWithReasonGas = await gasOf(governor.connect(travellers[5]).castVoteWithReason(proposalId, 1, "yes"));
  await connection.close();

  const per = (gas: bigint) => gas / BigInt(BATCH);
  return [
    { operation: "ReferralRegistry.register", gas: registerGas, note: "" },
    { operation: "ReferralRegistry.registerWithSig", gas: registerWithSigGas, note: "relayed, gasless for the user" },
    { operation: "BookingEscrow.pay (ETH)", gas: payEth, note: "" },
    { operation: "BookingEscrow.pay (stablecoin, after approve)", gas: payStableGas, note: "" },
    { operation: "BookingEscrow.payWithPermit (stablecoin)", gas: payPermit, note: "one transaction" },
    { operation: "BookingEscrow.settle (1 booking, ETH)", gas: settleOne, note: "" },
    {
      operation: `BookingEscrow.settle (batch of ${BATCH}), per booking`,
      gas: per(measured.settleGas),
      note: "stablecoin",
    },
    { operation: "RewardDistributor.distribute (1 booking)", gas: singleDistribute, note: "2 referrer levels" },
    {
      operation: `RewardDistributor.distribute (batch of ${BATCH}), per booking`,
      gas: per(batchDistribute),
      note: "recipients hold TRVL, not delegated; target ≤ 60,000",
    },
    {
      operation: `RewardDistributor.distribute (batch of ${BATCH}), per booking`,
      gas: per(delegatedDistribute),
      note: "recipients self-delegated (vote checkpoints)",
    },
    {
      operation: `RewardDistributor.distribute (batch of ${BATCH}), per booking`,
      gas: per(firstDistribute),
      note: "first TRVL of every recipient",
    },
    { operation: "TRVLStaking.stake", gas: stakeGas, note: "after approve" },
    { operation: "TRVLStaking.stakeWithPermit", gas: stakeWithPermitGas, note: "one transaction" },
    { operation: "TRVLStaking.claim", gas: claimGas, note: "" },
    { operation: "TRVLStaking.requestUnstake", gas: requestUnstakeGas, note: "starts the 7-day cooldown" },
    { operation: "TRVLStaking.withdraw", gas: withdrawGas, note: "after the cooldown" },
    { operation: "TRVLStaking.instantUnstake", gas: instantUnstakeGas, note: "2% fee" },
    { operation: "TRVLGovernor.propose", gas: proposeGas, note: "one action" },
    { operation: "TRVLGovernor.castVote", gas: voteGas, note: "token + staked votes" },
    { operation: "TRVLGovernor.castVoteWithReason", gas: voteWithReasonGas, note: "" },
  ];
}
