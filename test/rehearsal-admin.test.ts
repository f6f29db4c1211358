import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { expect } from "chai";
import hre from "hardhat";

import { execute, propose, sign } from "../scripts/admin/commands.js";
import { connect } from "../scripts/admin/safe.js";
import { REHEARSAL_CHAIN_ID, rehearseLaunch, type Rehearsal } from "../scripts/rehearsal/launch.js";
import { canonicalSafeAddresses } from "../scripts/rehearsal/network.js";
import { LOCAL_ACCOUNT_INDEX, localAccount } from "@trvl/tooling/local-accounts";
import { BookingEscrow__factory } from "../types/ethers-contracts/index.js";

const owner = (n: 1 | 2 | 3) => localAccount(LOCAL_ACCOUNT_INDEX[`safeOwner${n}`]).privateKey as `0x${string}`;

describe("The guardian Safe of the launch rehearsal, driven by the admin scripts (chain 84532)", function () {
  this.timeout(300_000);
  const deploymentId = `ephemeral-rehearsal-admin-${process.pid}`;
  let server: Awaited<ReturnType<typeof hre.network.createServer>>;
  let rpcUrl: string;
  let rehearsal: Rehearsal;
  let dir: string;

  before(async () => {
    server = await hre.network.createServer(
      { network: "default", chainType: "l1", override: { chainId: REHEARSAL_CHAIN_ID } },
      "127.0.0.1",
    );
    const { address, port } = await server.listen();
    rpcUrl = `http://${address}:${port}`;
    const connection = await hre.network.create({ network: "localhost", chainType: "l1", override: { url: rpcUrl } });
    rehearsal = await rehearseLaunch(connection, { deploymentId });
    dir = await mkdtemp(path.join(os.tmpdir(), "trvl-rehearsal-safe-"));
  });

  after(async () => {
    await server?.close();
    await rm(path.join("ignition", "deployments", deploymentId), { recursive: true, force: true });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("pauses payments with two of three owners through the Safe SDK on the canonical Safe contracts", async () => {
    // Safe's SDK finds the guardian in @trvl/abi and the Safe contracts at their canonical addresses by itself.
    const ctx = await connect({ rpcUrl, privateKey: owner(1) });
    expect(ctx.chainId).to.equal(REHEARSAL_CHAIN_ID);
    expect(ctx.safeAddress).to.equal(rehearsal.network.guardian);
    expect(ctx.protocolKit.getContractVersion()).to.equal("1.4.1");
    expect(await ctx.protocolKit.getAddress()).to.equal(rehearsal.network.guardian);
    expect(canonicalSafeAddresses(REHEARSAL_CHAIN_ID).SafeL2Singleton).to.equal(rehearsal.network.safe.SafeL2Singleton);

    const file = path.join(dir, "pause.json");
    await propose(ctx, "pause", ["BookingEscrow"], file);
    await sign(await connect({ rpcUrl, privateKey: owner(2) }), file);
    await execute(await connect({ rpcUrl, privateKey: owner(3) }), file);
    const escrow = BookingEscrow__factory.connect(rehearsal.addresses.BookingEscrow, rehearsal.signer("deployer"));
    expect(await escrow.paused()).to.equal(true);
  });
});
