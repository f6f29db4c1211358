import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { expect } from "chai";
import hre from "hardhat";
import type { JsonRpcServer } from "hardhat/types/network";

import { ROLES } from "../ignition/modules/protocol.js";
import { execute, propose, sign, status } from "../scripts/admin/commands.js";
import { connect } from "../scripts/admin/safe.js";
import { LOCAL_ACCOUNT_INDEX, localAccount } from "../scripts/lib/local-accounts.js";
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

    const report = await status(await ctx(owner(1)), dir);
    expect(report.threshold).to.equal(2);
    expect(report.proposals.map((p) => p.state)).to.include("stale: its nonce is used (executed or replaced)");
    const saved = JSON.parse(await readFile(path.join(dir, "fund.json"), "utf8"));
    expect(saved.signatures).to.have.length(2);
  });
});
