/**
 * The backend and the subgraph agree: one scripted run on a local chain of its own, driven the way users and the
 * product drive it (bookings quoted by the API and paid from the travellers' wallets, the worker confirming,
 * settling, distributing and refunding by itself; referrals on two levels, one of them relayed gasless by the API;
 * stakes; two proposals voted on, one executed and one vetoed by the guardian). Then the same chain's logs, from the
 * deployment to the block the listener reached, go through the built subgraph's mappings (subgraph/test/harness),
 * and the totals they compute must equal the backend's read models: bookings, rewards per address and role,
 * referral counts, stakes, proposals. The chain is its own so that no other test's traffic is in it: the backend
 * projects only the bookings it quoted, the subgraph every booking.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import {
  getDeployment,
  guardianCancellerAbi,
  mockStablecoinAbi,
  referralRegistryAbi,
  rewardDistributorAbi,
  timelockControllerAbi,
  trvlGovernorAbi,
  trvlStakingAbi,
  trvlTokenAbi,
} from "@trvl/abi";
import {
  encodeFunctionData,
  keccak256,
  parseEventLogs,
  toHex,
  zeroHash,
  type Address,
  type Hex,
  type PrivateKeyAccount,
} from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { LOCAL_ACCOUNT_INDEX, localAccount } from "@trvl/tooling/local-accounts";
import { buildSubgraph } from "../../subgraph/test/harness/build.js";
import { indexChain } from "../../subgraph/test/harness/chain.js";
import { Indexer } from "../../subgraph/test/harness/indexer.js";
import { subgraphTotals, type SubgraphTotals } from "../../subgraph/test/harness/totals.js";
import { schema } from "../src/db/index.js";
import { startWorker, type Worker } from "../src/worker/worker.js";
import { call, createTestApp, signIn, type TestApp } from "./helpers/app.js";
import {
  fundedAccount,
  giveTrvl,
  impersonate,
  payInEth,
  payWithPermit,
  publicClient,
  send,
  stakeTrvl,
} from "./helpers/chain.js";
import { DRIVERS } from "./helpers/databases.js";
import { startEphemeralChain, type EphemeralChain } from "@trvl/tooling/ephemeral-chain";
import { allRewarded, bookAndPay, createBooking, FAST_WORKER_ENV, statusesOf, waitUntil } from "./helpers/pipeline.js";
import { backendTotals, comparable, type ComparableTotals } from "./helpers/read-model-totals.js";
import { STABLECOIN, tripRequest } from "./helpers/trips.js";

const CHAIN_ID = 31337;
const { contracts } = getDeployment(CHAIN_ID);
const E18 = 10n ** 18n;
const Vote = { Against: 0, For: 1, Abstain: 2 } as const;
/** `IGovernor.ProposalState`, as the subgraph spells it. */
const GOVERNOR_STATE = ["PENDING", "ACTIVE", "CANCELED", "DEFEATED", "SUCCEEDED", "QUEUED", "EXPIRED", "EXECUTED"];

/** The subgraph, built once for both drivers into a directory of this file's (never a stale build/). */
let buildDir: Promise<string> | undefined;
function builtSubgraph(): Promise<string> {
  buildDir ??= (async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "trvl-subgraph-"));
    await buildSubgraph(dir);
    return dir;
  })();
  return buildDir;
}
afterAll(async () => {
  if (buildDir) await rm(await buildDir.catch(() => ""), { recursive: true, force: true });
});

interface ScriptedRun {
  /** The chain's block before the run. */
  startBlock: bigint;
  accounts: Record<
    "root" | "referrer" | "traveller" | "relayedTraveller" | "loner" | "whale" | "proposer",
    PrivateKeyAccount
  >;
  rewardedIds: string[];
  refundedId: string;
  /** Bookings the API quoted that were never paid: the chain never hears of them. */
  unpaidIds: string[];
  proposalIds: { executed: bigint; vetoed: bigint };
}

/** Everything a user, an admin or the worker does in the run, on the chain at `url` with the backend `t`. */
async function scriptedRun(t: TestApp, url: string): Promise<ScriptedRun> {
  const client = publicClient(url);
  const rpc = (method: string, params: unknown[] = []) =>
    client.request({ method: method as never, params: params as never });
  const tx = (account: PrivateKeyAccount, request: Record<string, unknown>) => send(account, request, url);
  const startBlock = await client.getBlockNumber();
  const [root, referrer, traveller, relayedTraveller, loner, whale, proposer] = await Promise.all(
    Array.from({ length: 7 }, () => fundedAccount(url)),
  );
  const accounts = { root, referrer, traveller, relayedTraveller, loner, whale, proposer };
  const register = (user: PrivateKeyAccount, to: Address) =>
    tx(user, {
      address: contracts.ReferralRegistry.address,
      abi: referralRegistryAbi,
      functionName: "register",
      args: [to],
    });
  const delegateToSelf = (account: PrivateKeyAccount) =>
    tx(account, {
      address: contracts.TRVLToken.address,
      abi: trvlTokenAbi,
      functionName: "delegate",
      args: [account.address],
    });

  // Referrals on two levels: root ← referrer ← traveller, and root ← referrer ← relayedTraveller, who signs the
  // registration and lets the API's relayer send it.
  await register(referrer, root.address);
  await register(traveller, referrer.address);
  const relayedToken = await signIn(t.app, relayedTraveller);
  const typed = (await call(t.app, "GET", `/referrals/signature?referrer=${referrer.address}`, { token: relayedToken }))
    .body;
  const registration = await relayedTraveller.signTypedData({
    domain: { ...typed.domain, chainId: BigInt(typed.domain.chainId) },
    types: typed.types,
    primaryType: "Registration",
    message: { ...typed.message, nonce: BigInt(typed.message.nonce), deadline: BigInt(typed.message.deadline) },
  });
  const relayed = await call(t.app, "POST", "/referrals/signature", {
    token: relayedToken,
    body: { referrer: referrer.address, deadline: typed.message.deadline, signature: registration },
  });
  expect(relayed.status).toBe(202);
  await client.waitForTransactionReceipt({ hash: relayed.body.txHash as Hex });

  // Stakes: the traveller (votes delegated to itself) reaches Voyager, for 2% off quotes and a 10% reward boost; a
  // whale reaches Jetsetter, then starts a cooldown on part of it and is left a Globetrotter.
  await delegateToSelf(traveller);
  await stakeTrvl(traveller, 1_000n * E18, url);
  await delegateToSelf(whale);
  await stakeTrvl(whale, 60_000n * E18, url);
  await tx(whale, {
    address: contracts.TRVLStaking.address,
    abi: trvlStakingAbi,
    functionName: "requestUnstake",
    args: [15_000n * E18],
  });

  // Bookings, quoted by the API and paid from the travellers' wallets; the worker takes each from there.
  const token = await signIn(t.app, traveller);
  const lonerToken = await signIn(t.app, loner);
  const rootToken = await signIn(t.app, root);
  const rewardedIds = [
    (await bookAndPay(t, token, traveller, 40, url)).id,
    (await bookAndPay(t, token, traveller, 41, url)).id,
    (await bookAndPay(t, lonerToken, loner, 43, url)).id,
  ];
  // One in test dollars, paid with a permit.
  await tx(relayedTraveller, {
    address: STABLECOIN,
    abi: mockStablecoinAbi,
    functionName: "mint",
    args: [relayedTraveller.address, 100_000n * 10n ** 6n],
  });
  const inDollars = await call(t.app, "POST", "/bookings", {
    token: relayedToken,
    body: await tripRequest(t.app, STABLECOIN, 42),
  });
  expect(inDollars.status).toBe(201);
  await payWithPermit(relayedTraveller, inDollars.body.pay, url);
  rewardedIds.push(inDollars.body.booking.id);

  // Root cancels a quote, then pays it anyway from a stale tab: the worker refunds it.
  const changedMind = await createBooking(t, rootToken, 44);
  const refundedId = changedMind.booking.id as string;
  expect((await call(t.app, "POST", `/bookings/${refundedId}/cancel`, { token: rootToken })).body.status).toBe(
    "cancelled",
  );
  await payInEth(root, changedMind.pay, url);

  // Two quotes never paid: one left open, one cancelled.
  const unpaid = [await createBooking(t, lonerToken, 45), await createBooking(t, lonerToken, 46)];
  const unpaidIds = unpaid.map((quote) => quote.booking.id as string);
  await call(t.app, "POST", `/bookings/${unpaidIds[1]}/cancel`, { token: lonerToken });

  await allRewarded(t.services.db, rewardedIds, 120_000);
  await waitUntil(
    "the refund",
    async () => (await statusesOf(t.services.db, [refundedId])).get(refundedId) === "refunded",
    60_000,
  );

  // Governance: a proposer with 50,000 TRVL puts two new splits to the vote; both pass, the guardian Safe vetoes
  // one in the timelock, the other is executed.
  await giveTrvl(proposer.address, 50_000n * E18, url);
  await delegateToSelf(proposer);
  // Votes count from the second after the delegation (the Governor reads them at clock() - 1).
  await rpc("evm_increaseTime", [1]);
  await rpc("evm_mine");
  const governor = contracts.TRVLGovernor.address;
  const governorRead = <T>(functionName: string, args: unknown[] = []) =>
    client.readContract({ address: governor, abi: trvlGovernorAbi, functionName, args } as never) as Promise<T>;
  const proposal = (description: string, split: [number, number, number, number]) => {
    const [travellerShare, level1, level2, treasury] = split;
    const calldata = encodeFunctionData({
      abi: rewardDistributorAbi,
      functionName: "setSplit",
      args: [{ traveller: travellerShare, level1, level2, treasury }],
    });
    return {
      args: [[contracts.RewardDistributor.address], [0n], [calldata]] as const,
      description,
      descriptionHash: keccak256(toHex(description)),
    };
  };
  const executed = proposal("Reward referrers more: 60 / 15 / 5 / 20", [6_000, 1_500, 500, 2_000]);
  const vetoed = proposal("Everything to travellers: 100 / 0 / 0 / 0", [10_000, 0, 0, 0]);
  const governorCall = (account: PrivateKeyAccount, functionName: string, args: readonly unknown[]) =>
    tx(account, { address: governor, abi: trvlGovernorAbi, functionName, args });
  const proposalIds = { executed: 0n, vetoed: 0n };
  for (const [name, p] of [
    ["executed", executed],
    ["vetoed", vetoed],
  ] as const) {
    await governorCall(proposer, "propose", [...p.args, p.description]);
    proposalIds[name] = await governorRead<bigint>("hashProposal", [...p.args, p.descriptionHash]);
  }
  const wait = async (seconds: bigint) => {
    await rpc("evm_increaseTime", [Number(seconds) + 1]);
    await rpc("evm_mine");
  };
  await wait(await governorRead<bigint>("votingDelay"));
  await governorCall(proposer, "castVoteWithReason", [proposalIds.executed, Vote.For, "referrers bring travellers"]);
  await governorCall(traveller, "castVote", [proposalIds.executed, Vote.Against]);
  await governorCall(whale, "castVote", [proposalIds.executed, Vote.Abstain]);
  await governorCall(proposer, "castVote", [proposalIds.vetoed, Vote.For]);
  await governorCall(traveller, "castVoteWithReason", [proposalIds.vetoed, Vote.Abstain, "no opinion"]);
  await wait(await governorRead<bigint>("votingPeriod"));
  await governorCall(proposer, "queue", [...executed.args, executed.descriptionHash]);
  const queued = await governorCall(proposer, "queue", [...vetoed.args, vetoed.descriptionHash]);
  const [scheduled] = parseEventLogs({ abi: timelockControllerAbi, eventName: "CallScheduled", logs: queued.logs });
  const [salted] = parseEventLogs({ abi: timelockControllerAbi, eventName: "CallSalt", logs: queued.logs });
  // The guardian vetoes through its canceller, which holds the timelock's cancel role.
  const guardian = await impersonate(contracts.Guardian.address, url);
  const cancel = await guardian.writeContract({
    address: contracts.GuardianCanceller.address,
    abi: guardianCancellerAbi,
    functionName: "cancelBatch",
    args: [...vetoed.args, zeroHash, salted.args.salt],
  });
  expect((await client.waitForTransactionReceipt({ hash: cancel })).status).toBe("success");
  expect(
    await client.readContract({
      address: contracts.Timelock.address,
      abi: timelockControllerAbi,
      functionName: "isOperation",
      args: [scheduled.args.id],
    }),
  ).toBe(false);
  await wait(
    await client.readContract({
      address: contracts.Timelock.address,
      abi: timelockControllerAbi,
      functionName: "getMinDelay",
    }),
  );
  await governorCall(proposer, "execute", [...executed.args, executed.descriptionHash]);

  return { startBlock, accounts, rewardedIds, refundedId, unpaidIds, proposalIds };
}

describe.each(DRIVERS)("subgraph and backend over one scripted run (%s)", (driver) => {
  let chain: EphemeralChain;
  let t: TestApp;
  let worker: Worker;
  let run: ScriptedRun;
  let indexer: Indexer;
  let handled: number;
  let subgraph: SubgraphTotals;
  let backend: ComparableTotals;
  let indexedTo: bigint;

  beforeAll(async () => {
    const build = builtSubgraph();
    build.catch(() => {}); // awaited below; a failed build must not also surface as an unhandled rejection
    chain = await startEphemeralChain();
    t = await createTestApp(driver, {
      env: {
        ...FAST_WORKER_ENV,
        CHAIN_RPC_URL: chain.url,
        KEEPER_PRIVATE_KEY: localAccount(LOCAL_ACCOUNT_INDEX.keeper).privateKey,
      },
    });
    worker = startWorker(t.services);
    run = await scriptedRun(t, chain.url);

    // The listener reaches the head, then the worker stops: the chain stays still, and both sides see the same blocks.
    const client = publicClient(chain.url);
    const head = await client.getBlockNumber();
    await waitUntil("the listener to reach the head", async () => {
      const [cursor] = await t.services.db.select().from(schema.chainCursors);
      return cursor !== undefined && cursor.blockNumber >= head;
    });
    await worker.stop();
    const [cursor] = await t.services.db.select().from(schema.chainCursors);
    indexedTo = cursor.blockNumber;
    expect(await client.getBlockNumber()).toBe(indexedTo);

    backend = await backendTotals(
      t,
      CHAIN_ID,
      Object.values(run.accounts).map((account) => account.address),
    );
    indexer = await Indexer.load(await build);
    handled = await indexChain(
      indexer,
      { request: (args) => client.request(args as never) as Promise<unknown> },
      Number(indexedTo),
    );
    subgraph = subgraphTotals(indexer.store);
  }, 600_000);

  afterAll(async () => {
    await worker?.stop();
    await t?.close();
    await chain?.close();
  });

  it("ran a run worth comparing: every booking settled its way, rewards on two levels, stakes, votes", async () => {
    expect(handled).toBeGreaterThan(50);
    expect(indexer.logs.filter((entry) => entry.level <= 2)).toEqual([]);
    const key = (account: PrivateKeyAccount) => account.address.toLowerCase();
    const a = run.accounts;

    // Nothing left for the keeper, nothing it gave up on.
    const jobs = await t.services.db.select().from(schema.keeperJobs);
    expect(jobs.filter((job) => job.status !== "done")).toEqual([]);

    expect(subgraph.bookings.byStatus).toEqual({ PAID: 0, SETTLED: 0, REFUNDED: 1, REWARDED: 4 });
    expect(Object.keys(subgraph.bookings.statusOf).sort()).toEqual(
      [...run.rewardedIds, run.refundedId].map((id) => id.toLowerCase()).sort(),
    );
    const statuses = await statusesOf(t.services.db, run.unpaidIds);
    expect([...statuses.values()].sort()).toEqual(["cancelled", "quoted"]);

    // Rewards: the root only ever as level 2, the referrer as level 1, the loner as traveller; the treasury too.
    expect(Number(subgraph.rewards[key(a.root)].level2)).toBeGreaterThan(0);
    expect(subgraph.rewards[key(a.root)].total).toBe(subgraph.rewards[key(a.root)].level2);
    expect(subgraph.rewards[key(a.referrer)].total).toBe(subgraph.rewards[key(a.referrer)].level1);
    expect(subgraph.rewards[key(a.loner)].total).toBe(subgraph.rewards[key(a.loner)].traveller);
    expect(Number(subgraph.rewards[contracts.Timelock.address.toLowerCase()].treasury)).toBeGreaterThan(0);
    // Every TRVL minted during the run is a reward, and each side has all of it.
    const supply = (blockNumber: bigint) =>
      publicClient(chain.url).readContract({
        address: contracts.TRVLToken.address,
        abi: trvlTokenAbi,
        functionName: "totalSupply",
        blockNumber,
      });
    const minted = (await supply(indexedTo)) - (await supply(run.startBlock));
    expect(minted).toBeGreaterThan(0n);
    expect(subgraph.protocol.rewardsMinted).toBe(String(minted));

    expect(subgraph.referrals[key(a.root)]).toEqual({ direct: 1, indirect: 2 });
    expect(subgraph.referrals[key(a.referrer)]).toEqual({ direct: 2, indirect: 0 });
    expect(subgraph.stakes[key(a.traveller)]).toMatchObject({ staked: String(1_000n * E18), tier: 1 });
    expect(subgraph.stakes[key(a.whale)]).toEqual({
      staked: String(45_000n * E18),
      pendingUnstake: String(15_000n * E18),
      tier: 2,
    });
    expect(subgraph.proposals[String(run.proposalIds.executed)]).toMatchObject({ state: "EXECUTED", voteCount: 3 });
    expect(subgraph.proposals[String(run.proposalIds.vetoed)]).toMatchObject({ state: "CANCELED", voteCount: 2 });
    // As the governor has them.
    const governorState = async (proposalId: bigint) =>
      GOVERNOR_STATE[
        await publicClient(chain.url).readContract({
          address: contracts.TRVLGovernor.address,
          abi: trvlGovernorAbi,
          functionName: "state",
          args: [proposalId],
        })
      ];
    expect(await governorState(run.proposalIds.executed)).toBe("EXECUTED");
    expect(await governorState(run.proposalIds.vetoed)).toBe("CANCELED");
  });

  it("bookings: the same status for each booking the chain knows", () => {
    expect(backend.bookings).toEqual(subgraph.bookings);
  });

  it("rewards: the same TRVL per address and role", () => {
    expect(backend.rewards).toEqual(subgraph.rewards);
  });

  it("referrals: the same referee counts on both levels", () => {
    expect(backend.referrals).toEqual(subgraph.referrals);
  });

  it("stakes: the same staked amount and tier per staker", () => {
    expect(backend.stakes).toEqual(comparable(subgraph).stakes);
  });

  it("proposals: the same state, tallies and vote count", () => {
    expect(backend.proposals).toEqual(subgraph.proposals);
  });

  it("and nothing else differs: protocol totals included", () => {
    expect(backend).toEqual(comparable(subgraph));
  });
});
