import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { getDeployment, guardianCancellerAbi, rewardDistributorAbi, timelockControllerAbi } from "@trvl/abi";
import { encodeFunctionData, keccak256, parseEventLogs, toHex, zeroHash, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { jsonArgs } from "../src/chain/events.js";
import { schema } from "../src/db/index.js";
import { call, createTestApp, expectError, signIn, testAccount, type TestApp } from "./helpers/app.js";
import { impersonate, publicClient } from "./helpers/chain.js";

type Json = Record<string, any>;
const contracts = getDeployment(31337).contracts;
const SAFE_OWNERS = [17, 18, 19].map((i) => testAccount(i).address);

const splitCall = encodeFunctionData({
  abi: rewardDistributorAbi,
  functionName: "setSplit",
  args: [{ traveller: 7_500, level1: 700, level2: 300, treasury: 1_500 }],
});

describe("governance descriptions and votes, and the ops status", () => {
  let t: TestApp;
  let proposalsDir: string;
  const voter = testAccount(16);

  beforeAll(async () => {
    proposalsDir = await mkdtemp(path.join(tmpdir(), "trvl-safe-proposals-"));
    t = await createTestApp("pglite", { env: { SAFE_PROPOSALS_DIR: proposalsDir } });
  });
  afterAll(async () => {
    await t.close();
    await rm(proposalsDir, { recursive: true, force: true });
  });

  it("pins a proposal's description to IPFS for signed-in accounts, decoding its calls, and links it", async () => {
    const body = {
      title: "Raise the traveller's share to 75%",
      summary: "Travellers get more of each commission.",
      calls: [{ target: contracts.RewardDistributor.address, value: "0", data: splitCall }],
    };
    expect(expectError(await call(t.app, "POST", "/governance/descriptions", { body })).status).toBe(401);
    const token = await signIn(t.app, voter);
    const badTarget = await call(t.app, "POST", "/governance/descriptions", {
      token,
      body: { ...body, calls: [{ ...body.calls[0], target: "0x123" }] },
    });
    expect(expectError(badTarget)).toMatchObject({ status: 400 });
    expect(JSON.stringify(badTarget.body)).toContain("calls.0.target");
    const noTitle = await call(t.app, "POST", "/governance/descriptions", { token, body: { ...body, title: " " } });
    expect(expectError(noTitle).status).toBe(400);
    expect(JSON.stringify(noTitle.body)).toContain("title");

    const pinned = await call(t.app, "POST", "/governance/descriptions", { token, body });
    expect(pinned.status).toBe(200);
    expect(pinned.body.uri).toBe(`ipfs://${pinned.body.cid}`);
    expect(pinned.body.description).toBe(
      `# Raise the traveller's share to 75%\n\nTravellers get more of each commission.\n\nFull proposal: ipfs://${pinned.body.cid}`,
    );
    const document = await call(t.app, "GET", `/ipfs/${pinned.body.cid}`);
    expect(document.status).toBe(200);
    expect(document.body).toMatchObject({
      kind: "trvl-proposal",
      chainId: 31337,
      proposer: voter.address,
      title: body.title,
      calls: [
        {
          target: contracts.RewardDistributor.address,
          targetName: "RewardDistributor",
          data: splitCall,
          call: 'setSplit({"traveller":7500,"level1":700,"level2":300,"treasury":1500})',
        },
      ],
    });
  });

  it("says how an account voted on each proposal and with what weight", async () => {
    expect(expectError(await call(t.app, "GET", "/governance/votes?voter=nobody")).status).toBe(400);
    const vote = (voterAddress: string, proposalId: bigint, support: number, logIndex: number) =>
      t.services.db.insert(schema.votes).values({
        chainId: 31337,
        txHash: `0x${"0a".repeat(32)}`,
        logIndex,
        proposalId,
        voter: voterAddress,
        support,
        weight: 1_234n * 10n ** 18n,
        reason: "",
        blockNumber: 10n + BigInt(logIndex),
        blockTime: new Date("2030-03-04T10:00:00Z"),
      });
    await vote(voter.address, 11n, 1, 1);
    await vote(voter.address, 12n, 0, 2);
    await vote(testAccount(15).address, 11n, 2, 3);
    const votes = await call(t.app, "GET", `/governance/votes?voter=${voter.address.toLowerCase()}`);
    expect(votes.status).toBe(200);
    expect(votes.body.votes.map((v: Json) => [v.proposalId, v.support, v.weight])).toEqual([
      ["12", 0, (1_234n * 10n ** 18n).toString()],
      ["11", 1, (1_234n * 10n ** 18n).toString()],
    ]);
  });

  it("shows the guardian Safe with its waiting proposals, the timelock queue, roles, pauses and mint headroom", async () => {
    const guardian = contracts.Guardian.address;
    const nonce = Number(
      await publicClient().readContract({
        address: guardian,
        abi: [{ type: "function", name: "nonce", inputs: [], outputs: [{ type: "uint256" }], stateMutability: "view" }],
        functionName: "nonce",
      }),
    );
    const proposal = (n: number, description: string) => ({
      version: 1,
      chainId: 31337,
      safe: guardian,
      description,
      action: { name: "pause", args: ["BookingEscrow"] },
      transaction: { nonce: n },
      safeTxHash: keccak256(toHex(description)),
      signatures: [{ signer: SAFE_OWNERS[0], data: "0x" }],
      proposedBy: SAFE_OWNERS[0],
      proposedAt: "2030-03-04T10:00:00.000Z",
    });
    // A waiting proposal is listed; one whose nonce the Safe has used, and files that are not proposals, are not.
    await writeFile(path.join(proposalsDir, "waiting.json"), JSON.stringify(proposal(nonce + 50, "Pause payments")));
    if (nonce > 0) await writeFile(path.join(proposalsDir, "stale.json"), JSON.stringify(proposal(0, "Old")));
    await writeFile(path.join(proposalsDir, "notes.json"), "{ not json");

    // A real operation in the timelock, scheduled as the governor would, and its event as the listener stores it.
    const client = publicClient();
    const governor = await impersonate(contracts.TRVLGovernor.address);
    const salt = keccak256(toHex(`ops-status-test-${process.pid}-${Date.now()}`));
    const hash = await governor.writeContract({
      address: contracts.Timelock.address,
      abi: timelockControllerAbi,
      functionName: "schedule",
      args: [contracts.RewardDistributor.address, 0n, splitCall, zeroHash, salt, 60n],
    });
    const receipt = await client.waitForTransactionReceipt({ hash });
    const block = await client.getBlock({ blockNumber: receipt.blockNumber });
    const [scheduled] = parseEventLogs({ abi: timelockControllerAbi, eventName: "CallScheduled", logs: receipt.logs });
    const eventRow = (name: string, logIndex: number, args: Record<string, unknown>, contract = "Timelock") => ({
      chainId: 31337,
      txHash: receipt.transactionHash,
      logIndex,
      blockNumber: receipt.blockNumber,
      blockHash: receipt.blockHash,
      blockTime: new Date(Number(block.timestamp) * 1000),
      address: contracts[contract as "Timelock"].address,
      contract,
      name,
      args: jsonArgs(args) as Record<string, unknown>,
    });
    const pauser = keccak256(toHex("PAUSER_ROLE"));
    const someone = testAccount(14).address;
    await t.services.db
      .insert(schema.chainEvents)
      .values([
        eventRow("CallScheduled", scheduled.logIndex, scheduled.args),
        eventRow("RoleGranted", 900, { role: pauser, account: guardian, sender: someone }, "BookingEscrow"),
        eventRow("RoleGranted", 901, { role: pauser, account: someone, sender: someone }, "BookingEscrow"),
        eventRow("RoleRevoked", 902, { role: pauser, account: someone, sender: someone }, "BookingEscrow"),
      ]);

    const status = await call(t.app, "GET", "/ops/status");
    expect(status.status).toBe(200);
    const s = status.body;
    expect(s.guardian).toMatchObject({ deployed: true, address: guardian, owners: SAFE_OWNERS, threshold: 2, nonce });
    expect(s.guardian.proposals).toEqual([
      expect.objectContaining({
        file: "waiting.json",
        description: "Pause payments",
        nonce: nonce + 50,
        signers: [SAFE_OWNERS[0]],
        state: "needs 1 more signature(s)",
      }),
    ]);
    const operation = s.timelock.operations.find((o: Json) => o.id === (scheduled.args.id as Hex).toLowerCase());
    expect(operation).toMatchObject({
      eta: Number(block.timestamp) + 60,
      calls: [
        {
          target: contracts.RewardDistributor.address,
          targetName: "RewardDistributor",
          call: 'setSplit({"traveller":7500,"level1":700,"level2":300,"treasury":1500})',
        },
      ],
    });
    expect(s.timelock.minDelaySeconds).toBeGreaterThan(0);
    // Granted then revoked is gone; the guardian is named.
    expect(s.roles).toContainEqual({
      contract: "BookingEscrow",
      role: "PAUSER_ROLE",
      holders: [{ address: guardian, name: "Guardian" }],
    });
    expect(s.contracts.paused.map((p: Json) => p.name)).toEqual(["BookingEscrow", "RewardDistributor", "TRVLStaking"]);
    expect(s.contracts.paused.every((p: Json) => typeof p.paused === "boolean")).toBe(true);
    const [capacity, window] = await client.readContract({
      address: contracts.RewardDistributor.address,
      abi: rewardDistributorAbi,
      functionName: "mintLimit",
    });
    expect(s.contracts.mintLimit).toMatchObject({ capacity: capacity.toString(), windowSeconds: Number(window) });
    expect(BigInt(s.contracts.mintLimit.available)).toBeLessThanOrEqual(capacity);
    expect(s.keeper.jobs).toEqual({ pending: 0, running: 0, failed: 0, oldestPendingSince: null });
    expect(BigInt(s.keeper.headBlock)).toBeGreaterThan(0n);

    // Cancel the operation again (the guardian vetoes through its canceller), so that other tests on this shared
    // chain see the timelock as they left it.
    const guardianWallet = await impersonate(guardian);
    await client.waitForTransactionReceipt({
      hash: await guardianWallet.writeContract({
        address: contracts.GuardianCanceller.address,
        abi: guardianCancellerAbi,
        functionName: "cancel",
        args: [contracts.RewardDistributor.address, 0n, splitCall, zeroHash, salt],
      }),
    });
    expect(
      await client.readContract({
        address: contracts.Timelock.address,
        abi: timelockControllerAbi,
        functionName: "isOperation",
        args: [scheduled.args.id as Hex],
      }),
    ).toBe(false);
  });
});
