import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { expect } from "chai";
import hre from "hardhat";
import type { JsonRpcServer } from "hardhat/types/network";
import { encodeFunctionData, type AbiFunction } from "viem";
import { z } from "zod";

import { ROLES } from "../ignition/modules/protocol.js";
import { planAction } from "../scripts/admin/actions.js";
import { execute, propose, sign, status } from "../scripts/admin/commands.js";
import { AdminError, connect } from "../scripts/admin/safe.js";
import { batchChecksum, type BatchFile } from "../scripts/admin/tx-builder.js";
import { LOCAL_ACCOUNT_INDEX, localAccount } from "@trvl/tooling/local-accounts";
import { deploySystem, type System } from "./helpers/system.js";

const run = promisify(execFile);
const owner = (n: 1 | 2 | 3) => localAccount(LOCAL_ACCOUNT_INDEX[`safeOwner${n}`]).privateKey as `0x${string}`;
const stranger = localAccount(LOCAL_ACCOUNT_INDEX.traveller).privateKey as `0x${string}`;

describe("Multisig admin scripts (end to end on a local node)", function () {
  this.timeout(180_000);
  let server: JsonRpcServer;
  let rpcUrl: string;
  let system: System;
  let dir: string;
  const deploymentId = `admin-scripts-test-${process.pid}`;

  /** Runs `npm run admin -- <args>` as an owner would, returning what it printed (or the error it exited with). */
  async function admin(key: `0x${string}`, ...args: string[]): Promise<{ ok: boolean; output: string }> {
    try {
      const { stdout } = await run(path.join("node_modules", ".bin", "tsx"), ["scripts/admin/cli.ts", ...args], {
        env: { ...process.env, RPC_URL: rpcUrl, SAFE_OWNER_PRIVATE_KEY: key },
      });
      return { ok: true, output: stdout };
    } catch (error) {
      const { stdout, stderr } = error as { stdout: string; stderr: string };
      return { ok: false, output: `${stdout}${stderr}` };
    }
  }

  before(async () => {
    server = await hre.network.createServer({ network: "default", chainType: "l1" }, "127.0.0.1");
    const { address, port } = await server.listen();
    rpcUrl = `http://${address}:${port}`;
    const connection = await hre.network.create({ network: "localhost", chainType: "l1", override: { url: rpcUrl } });
    system = await deploySystem(connection, { deploymentId });
    dir = await mkdtemp(path.join(os.tmpdir(), "trvl-safe-"));
  });

  after(async () => {
    await server?.close();
    await rm(path.join("ignition", "deployments", deploymentId), { recursive: true, force: true });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("pauses payments only with two of three signatures, and unpauses them the same way", async () => {
    const pauseFile = path.join(dir, "pause.json");
    const proposed = await admin(owner(1), "propose", "pause", "BookingEscrow", "--out", pauseFile);
    expect(proposed.output).to.contain("Proposed: Pause BookingEscrow");

    const early = await admin(owner(1), "execute", pauseFile);
    expect(early).to.deep.include({ ok: false });
    expect(early.output).to.contain("threshold not met: 1 of 2 signatures");
    expect(await system.escrow.paused()).to.equal(false);

    const outsider = await admin(stranger, "sign", pauseFile);
    expect(outsider.output).to.match(/is not an owner of the Safe/);
    expect((await admin(owner(1), "sign", pauseFile)).output).to.contain("has already signed");

    expect((await admin(owner(2), "sign", pauseFile)).output).to.contain("2 signature(s)");
    const executed = await admin(owner(3), "execute", pauseFile);
    expect(executed.output, executed.output).to.match(/Executed .* transaction 0x[0-9a-f]{64}/);
    expect(await system.escrow.paused()).to.equal(true);
    const [traveller] = system.travellers;
    await expect(system.pay(await system.quote(traveller), traveller)).to.be.revertedWithCustomError(
      system.escrow,
      "EnforcedPause",
    );

    const replay = await admin(owner(1), "execute", pauseFile);
    expect(replay.output).to.contain("stale proposal");

    const unpauseFile = path.join(dir, "unpause.json");
    await admin(owner(2), "propose", "unpause", "BookingEscrow", "--out", unpauseFile);
    await admin(owner(3), "sign", unpauseFile);
    expect((await admin(owner(2), "execute", unpauseFile)).ok).to.equal(true);
    expect(await system.escrow.paused()).to.equal(false);
    await system.pay(await system.quote(traveller), traveller);
  });

  it("explains what it cannot do: unknown actions, powers the Safe lacks, bad arguments, a missing key", async () => {
    const unknown = await admin(owner(1), "propose", "mint-everything");
    expect(unknown.output).to.contain('unknown action "mint-everything"');
    expect(unknown.output).to.contain("rotate-quote-signer");
    const beyond = await admin(owner(1), "propose", "grant-role", "TRVLToken", "MINTER_ROLE", localAccount(9).address);
    expect(beyond.output).to.match(/cannot grant or revoke MINTER_ROLE on TRVLToken.*governance/);
    const badAddress = await admin(owner(1), "propose", "rotate-settler", "0x123", localAccount(9).address);
    expect(badAddress.output).to.contain('old key "0x123" is not an address');
    const { stderr } = await run(path.join("node_modules", ".bin", "tsx"), ["scripts/admin/cli.ts", "status"], {
      env: { ...process.env, RPC_URL: rpcUrl, SAFE_OWNER_PRIVATE_KEY: "" },
    }).catch((e: { stderr: string }) => e);
    expect(stderr).to.contain("SAFE_OWNER_PRIVATE_KEY");
  });

  it("rotates the keeper key, funds staking rewards and cancels a timelock operation", async () => {
    const ctx = (key: `0x${string}`) => connect({ rpcUrl, privateKey: key });
    const approve = async (file: string, action: string, args: string[]) => {
      await propose(await ctx(owner(1)), action, args, file);
      await sign(await ctx(owner(3)), file);
      return execute(await ctx(owner(2)), file);
    };

    const newKeeper = localAccount(12).address;
    await approve(path.join(dir, "rotate.json"), "rotate-settler", [system.keeper.address, newKeeper]);
    expect(await system.escrow.hasRole(ROLES.SETTLER, newKeeper)).to.equal(true);
    expect(await system.escrow.hasRole(ROLES.SETTLER, system.keeper.address)).to.equal(false);

    await approve(path.join(dir, "fund.json"), "fund-staking-rewards", ["1000", "30d"]);
    expect(await system.staking.rewardsFunded()).to.equal(10n ** 21n);
    expect(
      (await system.staking.periodFinish()) - BigInt((await system.ethers.provider.getBlock("latest"))!.timestamp),
    ).to.equal(30n * 86_400n);

    // A queued operation (scheduled by the governor, the timelock's proposer) that the guardian vetoes.
    const governor = await system.governor.getAddress();
    await system.ethers.provider.send("hardhat_impersonateAccount", [governor]);
    await system.ethers.provider.send("hardhat_setBalance", [governor, "0xDE0B6B3A7640000"]);
    const asGovernor = await system.ethers.getSigner(governor);
    const [target, data, salt] = [await system.token.getAddress(), "0x", `0x${"42".repeat(32)}`];
    await system.timelock.connect(asGovernor).schedule(target, 0, data, `0x${"00".repeat(32)}`, salt, 60);
    const operation = await system.timelock.hashOperation(target, 0, data, `0x${"00".repeat(32)}`, salt);
    await approve(path.join(dir, "cancel.json"), "cancel-timelock", [operation]);
    expect(await system.timelock.isOperation(operation)).to.equal(false);

    // Governance removing the guardian (a batch, as the governor queues proposals): no veto, refused before signing.
    const escrow = await system.escrow.getAddress();
    const removal: [string[], bigint[], string[], string, string] = [
      [target, escrow],
      [0n, 0n],
      [
        "0x",
        system.escrow.interface.encodeFunctionData("revokeRole", [ROLES.PAUSER, await system.guardian.getAddress()]),
      ],
      `0x${"00".repeat(32)}`,
      `0x${"43".repeat(32)}`,
    ];
    await system.timelock.connect(asGovernor).scheduleBatch(...removal, 60);
    const removalId = await system.timelock.hashOperationBatch(...removal);
    const refusal = await planAction(await ctx(owner(1)), "cancel-timelock", [removalId]).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refusal).to.be.instanceOf(AdminError);
    expect((refusal as Error).message).to.match(
      /call 1 of timelock operation 0x[0-9a-f]{64} changes the guardian's own roles/,
    );
    expect(await system.timelock.isOperationPending(removalId)).to.equal(true);

    const report = await status(await ctx(owner(1)), dir);
    expect(report.threshold).to.equal(2);
    expect(report.proposals.map((p) => p.state)).to.include("stale: its nonce is used (executed or replaced)");
    const saved = JSON.parse(await readFile(path.join(dir, "fund.json"), "utf8"));
    expect(saved.signatures).to.have.length(2);
  });

  it("exports a proposal as a Safe{Wallet} Transaction Builder batch that makes the same calls", async () => {
    // A batch of two calls (a MultiSend) and a single call, proposed in a directory of their own.
    const exportDir = await mkdtemp(path.join(os.tmpdir(), "trvl-safe-export-"));
    try {
      const [oldSigner, newSigner] = [system.quoteSigner.address, localAccount(13).address];
      const cases = [
        { action: "rotate-quote-signer", args: [oldSigner, newSigner] },
        { action: "pause", args: ["RewardDistributor"] },
      ];
      for (const { action, args } of cases) {
        const file = path.join(exportDir, `${action}.json`);
        await propose(await connect({ rpcUrl, privateKey: owner(1) }), action, args, file);
        const out = path.join(exportDir, "exports", `${action}.json`);
        // Exporting needs no key: the file alone says what the Safe would do.
        const { stdout } = await run(
          path.join("node_modules", ".bin", "tsx"),
          ["scripts/admin/cli.ts", "export", file, "--out", out],
          {
            env: { ...process.env, RPC_URL: rpcUrl, SAFE_OWNER_PRIVATE_KEY: "" },
          },
        );
        expect(stdout).to.contain("Transaction Builder");
        const batch = BatchFileSchema.parse(JSON.parse(await readFile(out, "utf8")));
        expect(batch.meta.checksum).to.equal(batchChecksum(batch as BatchFile), "the checksum Safe{Wallet} verifies");
        expect(batch.meta.createdFromSafeAddress).to.equal(system.guardian.address);
        const planned = await planAction(await connect({ rpcUrl, privateKey: owner(1) }), action, args);
        expect(batch.transactions.map((t) => ({ to: t.to, value: t.value, data: t.data }))).to.deep.equal(
          planned.calls.map((c) => ({ to: c.to, value: c.value, data: c.data })),
        );
        // The decoded method and values shown in the builder encode back to the very same calldata.
        for (const t of batch.transactions) {
          const method = t.contractMethod!;
          const fn = {
            type: "function",
            name: method.name,
            inputs: method.inputs,
            outputs: [],
            stateMutability: "nonpayable",
          } as AbiFunction;
          const args = method.inputs.map((input) => {
            const value = t.contractInputsValues![input.name];
            return input.type.startsWith("tuple") || input.type.endsWith("]") ? JSON.parse(value) : value;
          });
          expect(encodeFunctionData({ abi: [fn], args })).to.equal(t.data);
        }
      }
    } finally {
      await rm(exportDir, { recursive: true, force: true });
    }
  });

  it("computes the Transaction Builder's checksum as Safe{Wallet} does (a batch file the app wrote)", () => {
    const fromSafeApp = {
      version: "1.0",
      chainId: "1",
      createdAt: 1761326849944,
      meta: {
        name: "Transactions Batch",
        description: "",
        txBuilderVersion: "1.18.2",
        createdFromSafeAddress: "0xA77DE01e157f9f57C7c4A326eeE9C4874D0598b6",
        createdFromOwnerAddress: "",
      },
      transactions: [
        {
          to: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48",
          value: "0",
          data: null,
          contractMethod: {
            inputs: [
              { internalType: "address", name: "spender", type: "address" },
              { internalType: "uint256", name: "value", type: "uint256" },
            ],
            name: "approve",
            payable: false,
          },
          contractInputsValues: { spender: "0x474e5Ded6b5D078163BFB8F6dBa355C3aA5478C8", value: "100000000000" },
        },
      ],
    } as BatchFile;
    expect(batchChecksum(fromSafeApp)).to.equal("0x8b5032f716845c8b08bab3d63dbd9ba92e056f3557793cd041e59b84e16aa989");
  });
});

/** Safe{Wallet} Transaction Builder's batch file (its `BatchFile` type), strictly: nothing it would not expect. */
const BatchInputSchema: z.ZodType<{ name: string; type: string; internalType?: string }> = z.lazy(() =>
  z.strictObject({
    name: z.string(),
    type: z.string(),
    internalType: z.string().optional(),
    components: z.array(BatchInputSchema).optional(),
  }),
);
const BatchFileSchema = z.strictObject({
  version: z.literal("1.0"),
  chainId: z.string().regex(/^\d+$/),
  createdAt: z.number().int().positive(),
  meta: z.strictObject({
    name: z.string(),
    description: z.string(),
    txBuilderVersion: z.string(),
    createdFromSafeAddress: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
    createdFromOwnerAddress: z.string(),
    checksum: z.string().regex(/^0x[0-9a-f]{64}$/),
  }),
  transactions: z
    .array(
      z.strictObject({
        to: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
        value: z.string().regex(/^\d+$/),
        data: z.string().regex(/^0x[0-9a-f]*$/),
        contractMethod: z
          .strictObject({ inputs: z.array(BatchInputSchema), name: z.string(), payable: z.boolean() })
          .optional(),
        contractInputsValues: z.record(z.string(), z.string()).optional(),
      }),
    )
    .min(1),
});
