import { bookingEscrowAbi, getDeployment, referralRegistryAbi, rewardDistributorAbi, trvlTokenAbi } from "@trvl/abi";
import { parseEventLogs } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { schema } from "../src/db/index.js";
import { call, createTestApp, expectError, signIn, testAccount, type TestApp } from "./helpers/app.js";
import { payInEth, publicClient, send, stakeTrvl } from "./helpers/chain.js";
import { DRIVERS } from "./helpers/databases.js";
import { ETH, tripRequest } from "./helpers/trips.js";

type Json = Record<string, any>;

const contracts = getDeployment(31337).contracts;

describe.each(DRIVERS)("read models (%s)", (driver) => {
  let t: TestApp;
  // Accounts of their own per driver: the chain is shared by every test file.
  const traveller = testAccount(driver === "pglite" ? 17 : 18);
  const referee = testAccount(driver === "pglite" ? 19 : 5);

  beforeAll(async () => {
    t = await createTestApp(driver);
  });
  afterAll(() => t.close());

  it("GET /accounts/:address reads TRVL balance and votes on-chain after a booking is rewarded", async () => {
    const token = await signIn(t.app, traveller);
    const created = await call(t.app, "POST", "/bookings", { token, body: await tripRequest(t.app, ETH, 120) });
    const { booking, pay } = created.body as Json;
    await payInEth(traveller, pay);
    // What the keeper (issue 5) will do: settle, then anyone distributes.
    await send(testAccount("keeper"), {
      address: contracts.BookingEscrow.address,
      abi: bookingEscrowAbi,
      functionName: "settle",
      args: [[booking.id]],
    });
    const distributed = await send(testAccount("keeper"), {
      address: contracts.RewardDistributor.address,
      abi: rewardDistributorAbi,
      functionName: "distribute",
      args: [[booking.id]],
    });
    const [reward] = parseEventLogs({
      abi: rewardDistributorAbi,
      eventName: "RewardDistributed",
      logs: distributed.logs,
    });
    const expected = await publicClient().readContract({
      address: contracts.TRVLToken.address,
      abi: trvlTokenAbi,
      functionName: "balanceOf",
      args: [traveller.address],
    });
    expect(expected).toBeGreaterThanOrEqual(reward.args.travellerAmount);

    const before = await call(t.app, "GET", `/accounts/${traveller.address.toLowerCase()}`);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      address: traveller.address,
      trvl: {
        token: contracts.TRVLToken.address,
        decimals: 18,
        balance: expected.toString(),
        votes: "0",
        delegate: null,
      },
      staking: {
        available: true,
        reason: null,
        staked: "0",
        tier: "Explorer",
        discountBps: 0,
        boostBps: 0,
        votes: "0",
      },
      votingPower: "0",
    });

    await send(traveller, {
      address: contracts.TRVLToken.address,
      abi: trvlTokenAbi,
      functionName: "delegate",
      args: [traveller.address],
    });
    const after = await call(t.app, "GET", `/accounts/${traveller.address}`);
    expect(after.body).toMatchObject({ trvl: { votes: expected.toString(), delegate: traveller.address } });

    // Staked TRVL keeps its votes: 1,000 staked moves from token votes to staked votes, the total unchanged.
    const stake = 1_000n * 10n ** 18n;
    await stakeTrvl(traveller, stake);
    const staked = await call(t.app, "GET", `/accounts/${traveller.address}`);
    expect(staked.body).toMatchObject({
      trvl: { votes: expected.toString() },
      staking: {
        staked: stake.toString(),
        tier: "Voyager",
        discountBps: 200,
        boostBps: 1_000,
        votes: stake.toString(),
      },
      votingPower: (expected + stake).toString(),
    });
  });

  it("GET /accounts/:address names the bad address", async () => {
    const bad = expectError(await call(t.app, "GET", "/accounts/0x1234"));
    expect(bad).toMatchObject({ status: 400, code: "validation_failed" });
    expect(String(bad.message)).toContain("param.address");
  });

  it("relays a gasless referral registration signed by the user; a replay or a second one is refused", async () => {
    const token = await signIn(t.app, referee);
    const request = await call(t.app, "GET", `/referrals/signature?referrer=${traveller.address}`, { token });
    expect(request.status).toBe(200);
    const typed = request.body as Json;
    const message = { ...typed.message, nonce: BigInt(typed.message.nonce), deadline: BigInt(typed.message.deadline) };
    const signature = await referee.signTypedData({
      domain: { ...typed.domain, chainId: BigInt(typed.domain.chainId) },
      types: typed.types,
      primaryType: "Registration",
      message,
    });
    const body = { referrer: traveller.address, deadline: typed.message.deadline, signature };
    const relayed = await call(t.app, "POST", "/referrals/signature", { token, body });
    expect(relayed.status).toBe(202);
    await publicClient().waitForTransactionReceipt({ hash: relayed.body.txHash as `0x${string}` });
    const referrer = await publicClient().readContract({
      address: contracts.ReferralRegistry.address,
      abi: referralRegistryAbi,
      functionName: "referrerOf",
      args: [referee.address],
    });
    expect(referrer).toBe(traveller.address);

    const replay = await call(t.app, "POST", "/referrals/signature", { token, body });
    expect(expectError(replay)).toMatchObject({ status: 422, code: "invalid_signature" });

    const overview = await call(t.app, "GET", "/referrals", { token });
    expect(overview.body).toMatchObject({ referrer: traveller.address, counts: { level1: "0", level2: "0" } });
    const referrerToken = await signIn(t.app, traveller);
    const theirs = await call(t.app, "GET", "/referrals", { token: referrerToken });
    expect(theirs.body).toMatchObject({ referrer: null, counts: { level1: "1" } });
  });

  it("lists referees and earnings the listener recorded", async () => {
    const token = await signIn(t.app, traveller);
    await t.services.db.insert(schema.referrals).values({
      chainId: 31337,
      user: referee.address,
      referrer: traveller.address,
      level2: null,
      txHash: `0x${"01".repeat(32)}`,
      blockNumber: 10n,
      blockTime: new Date("2030-01-01T00:00:00Z"),
    });
    await t.services.db.insert(schema.rewards).values({
      chainId: 31337,
      txHash: `0x${"02".repeat(32)}`,
      logIndex: 3,
      role: "referrer_l1",
      bookingId: `0x${"03".repeat(32)}`,
      recipient: traveller.address,
      amount: 10n ** 30n,
      blockNumber: 11n,
      blockTime: new Date("2030-01-02T00:00:00Z"),
    });
    const overview = await call(t.app, "GET", "/referrals", { token });
    expect(overview.body).toMatchObject({
      level1: [{ address: referee.address, referredBy: traveller.address, registeredAt: "2030-01-01T00:00:00.000Z" }],
      level2: [],
      earnings: { level1: (10n ** 30n).toString(), level2: "0", total: (10n ** 30n).toString() },
    });
    const rewards = await call(t.app, "GET", "/rewards", { token });
    expect(rewards.body).toMatchObject({
      totals: { all: (10n ** 30n).toString(), referrer_l1: (10n ** 30n).toString(), traveller: "0" },
      rewards: [{ role: "referrer_l1", amount: (10n ** 30n).toString(), blockTime: "2030-01-02T00:00:00.000Z" }],
    });
  });

  it("without a relayer key, gasless referrals say so (503)", async () => {
    const noRelayer = await createTestApp(driver, { env: { RELAYER_PRIVATE_KEY: "" } });
    try {
      const token = await signIn(noRelayer.app, referee);
      const response = await call(noRelayer.app, "POST", "/referrals/signature", {
        token,
        body: { referrer: traveller.address, deadline: "9999999999", signature: `0x${"11".repeat(65)}` },
      });
      expect(expectError(response)).toMatchObject({ status: 503, code: "relayer_not_configured" });
    } finally {
      await noRelayer.close();
    }
  });

  it("governance proposals: the deployed governor, and its proposals from the listener's rows", async () => {
    const empty = await call(t.app, "GET", "/governance/proposals");
    expect(empty.body).toMatchObject({
      governance: { deployed: true, governor: getDeployment(31337).contracts.TRVLGovernor.address, reason: null },
      proposals: [],
      nextCursor: null,
    });
    for (const [id, block] of [
      [1n, 100n],
      // Two proposals in one block: the cursor must not skip either.
      [2n, 200n],
      [3n, 200n],
    ] as const) {
      await t.services.db.insert(schema.proposals).values({
        chainId: 31337,
        proposalId: id * 10n ** 70n,
        proposer: traveller.address,
        description: `Proposal ${id}`,
        state: "Active",
        voteStart: block,
        voteEnd: block + 50n,
        forVotes: 5n,
        againstVotes: 1n,
        abstainVotes: 0n,
        txHash: `0x${"04".repeat(32)}`,
        blockNumber: block,
      });
    }
    const page1 = await call(t.app, "GET", "/governance/proposals?limit=2");
    expect((page1.body as Json).proposals.map((p: Json) => p.description)).toEqual(["Proposal 3", "Proposal 2"]);
    expect((page1.body as Json).proposals[0].id).toBe((3n * 10n ** 70n).toString());
    const page2 = await call(t.app, "GET", `/governance/proposals?limit=2&cursor=${(page1.body as Json).nextCursor}`);
    expect((page2.body as Json).proposals.map((p: Json) => p.description)).toEqual(["Proposal 1"]);
  });

  it("profiles: saves preferences and constraints exactly, names unknown destinations", async () => {
    const token = await signIn(t.app, traveller);
    const saved = await call(t.app, "PUT", "/me/profile", {
      token,
      body: {
        interests: ["food", "museums", "food"],
        travelStyle: "comfort",
        budget: { perDay: "150.5", perTrip: "2999.99" },
        dietary: ["vegetarian"],
        accessibility: ["step-free"],
        pastDestinations: ["lisbon-pt-2267057"],
      },
    });
    expect(saved.body).toMatchObject({
      interests: ["food", "museums"],
      budget: { currency: "USD", perDay: "150.50", perTrip: "2999.99" },
      dietary: ["vegetarian"],
      pastDestinations: ["lisbon-pt-2267057"],
    });
    expect((await call(t.app, "GET", "/me/profile", { token })).body).toEqual(saved.body);
    const unknown = expectError(
      await call(t.app, "PUT", "/me/profile", { token, body: { pastDestinations: ["atlantis"] } }),
    );
    expect(unknown).toMatchObject({ status: 400 });
    expect(String(unknown.message)).toContain("body.pastDestinations.0");
    const badDiet = expectError(await call(t.app, "PUT", "/me/profile", { token, body: { dietary: ["carnivore"] } }));
    expect(String(badDiet.message)).toContain("body.dietary.0");
  });
});
