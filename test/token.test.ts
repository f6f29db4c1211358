import { permitDomain, permitTypes } from "@trvl/abi";
import { expect } from "chai";
import { MaxUint256, Signature, ZeroAddress, parseEther } from "ethers";

import { ROLES } from "../ignition/modules/protocol.js";
import { LOCAL_GUARDIAN_GENESIS } from "../ignition/modules/TRVLLocal.js";
import { ethersTypes } from "../scripts/lib/ethers-types.js";
import { TRVLToken__factory } from "../types/ethers-contracts/index.js";
import { useSystem } from "./helpers/fixture.js";

const { fresh } = await useSystem();

describe("TRVLToken", () => {
  it("is the Travel Token: TRVL, 18 decimals, capped at one billion", async () => {
    const system = await fresh();
    const { token } = system;
    expect(await token.name()).to.equal("Travel Token");
    expect(await token.symbol()).to.equal("TRVL");
    expect(await token.decimals()).to.equal(18n);
    expect(await token.cap()).to.equal(parseEther("1000000000"));
    // The local deployment's only TRVL before any reward: the guardian's genesis budget for staking rewards.
    expect(await token.totalSupply()).to.equal(LOCAL_GUARDIAN_GENESIS);
    expect(await token.balanceOf(await system.guardian.getAddress())).to.equal(LOCAL_GUARDIAN_GENESIS);
  });

  it("mints only for MINTER_ROLE, which the distributor alone holds", async () => {
    const { token, distributor, admin, travellers } = await fresh();
    const [alice] = travellers;
    expect(await token.hasRole(ROLES.MINTER, await distributor.getAddress())).to.equal(true);
    await expect(token.connect(admin).mint(alice.address, 1n))
      .to.be.revertedWithCustomError(token, "AccessControlUnauthorizedAccount")
      .withArgs(admin.address, ROLES.MINTER);
    await expect(token.connect(alice).mintBatch([alice.address], [1n])).to.be.revertedWithCustomError(
      token,
      "AccessControlUnauthorizedAccount",
    );
  });

  it("mints single and batch amounts, never above the cap", async () => {
    const { token, admin, travellers } = await fresh();
    const [minter, alice, bob] = travellers;
    await token.connect(admin).grantRole(ROLES.MINTER, minter.address);

    await token.connect(minter).mint(alice.address, 5n);
    await token.connect(minter).mintBatch([alice.address, bob.address], [10n, 20n]);
    expect(await token.balanceOf(alice.address)).to.equal(15n);
    expect(await token.balanceOf(bob.address)).to.equal(20n);

    await expect(token.connect(minter).mintBatch([alice.address], [1n, 2n]))
      .to.be.revertedWithCustomError(token, "TRVLBatchLengthMismatch")
      .withArgs(1, 2);
    const room = (await token.cap()) - (await token.totalSupply());
    await expect(token.connect(minter).mint(bob.address, room + 1n))
      .to.be.revertedWithCustomError(token, "ERC20ExceededCap")
      .withArgs(room + 1n + (await token.totalSupply()), await token.cap());
    await token.connect(minter).mint(bob.address, room);
    expect(await token.totalSupply()).to.equal(await token.cap());
  });

  it("mints a batch with the same balances, votes and supply checkpoints as one mint per recipient", async () => {
    const { token, admin, travellers, connection } = await fresh();
    const [minter, alice, bob, carol] = travellers;
    await token.connect(admin).grantRole(ROLES.MINTER, minter.address);
    await token.connect(alice).delegate(alice.address);
    await token.connect(bob).delegate(carol.address);

    const tx = await token
      .connect(minter)
      .mintBatch([alice.address, bob.address, alice.address, carol.address], [1n, 20n, 300n, 4_000n]);
    await expect(tx).to.emit(token, "Transfer").withArgs(ZeroAddress, bob.address, 20n);
    await expect(tx).to.emit(token, "DelegateVotesChanged").withArgs(carol.address, 0n, 20n);
    const mintedAt = (await tx.getBlock())!.timestamp;
    await connection.networkHelpers.time.increase(5);

    expect(await token.balanceOf(alice.address)).to.equal(301n);
    expect(await token.balanceOf(bob.address)).to.equal(20n);
    expect(await token.balanceOf(carol.address)).to.equal(4_000n);
    expect(await token.getVotes(alice.address)).to.equal(301n);
    expect(await token.getVotes(carol.address)).to.equal(20n); // bob's tokens; carol has not delegated her own
    expect(await token.getVotes(bob.address)).to.equal(0n);
    expect(await token.getVotes(await token.getAddress())).to.equal(0n);
    expect(await token.getPastTotalSupply(mintedAt)).to.equal(LOCAL_GUARDIAN_GENESIS + 4_321n);
    expect(await token.totalSupply()).to.equal(LOCAL_GUARDIAN_GENESIS + 4_321n);

    await expect(token.connect(minter).mintBatch([alice.address, ZeroAddress], [1n, 1n]))
      .to.be.revertedWithCustomError(token, "ERC20InvalidReceiver")
      .withArgs(ZeroAddress);
    const room = (await token.cap()) - (await token.totalSupply());
    await expect(token.connect(minter).mintBatch([alice.address, bob.address], [room, 1n]))
      .to.be.revertedWithCustomError(token, "ERC20ExceededCap")
      .withArgs((await token.cap()) + 1n, await token.cap());
  });

  it("rejects a zero admin at deployment", async () => {
    const { deployer } = await fresh();
    const factory = new TRVLToken__factory(deployer);
    await expect(factory.deploy(ZeroAddress)).to.be.revertedWithCustomError(factory, "TRVLZeroAdmin");
  });

  it("approves by permit signature (ERC-2612)", async () => {
    const { token, admin, travellers, chainId } = await fresh();
    const [owner, spender] = travellers;
    const deadline = MaxUint256;
    const signature = Signature.from(
      await owner.signTypedData(
        permitDomain("Travel Token", chainId, (await token.getAddress()) as `0x${string}`),
        ethersTypes(permitTypes),
        { owner: owner.address, spender: spender.address, value: 42n, nonce: 0n, deadline },
      ),
    );
    await token
      .connect(admin)
      .permit(owner.address, spender.address, 42n, deadline, signature.v, signature.r, signature.s);
    expect(await token.allowance(owner.address, spender.address)).to.equal(42n);
    expect(await token.nonces(owner.address)).to.equal(1n);
  });

  it("counts votes on a timestamp clock, only once delegated", async () => {
    const { token, admin, travellers, connection } = await fresh();
    const [minter, alice, bob] = travellers;
    await token.connect(admin).grantRole(ROLES.MINTER, minter.address);
    await token.connect(minter).mint(alice.address, parseEther("100"));

    expect(await token.CLOCK_MODE()).to.equal("mode=timestamp");
    expect(await token.clock()).to.equal(BigInt(await connection.networkHelpers.time.latest()));
    expect(await token.getVotes(alice.address)).to.equal(0n);

    await token.connect(alice).delegate(alice.address);
    const delegatedAt = await connection.networkHelpers.time.latest();
    expect(await token.getVotes(alice.address)).to.equal(parseEther("100"));

    await token.connect(alice).transfer(bob.address, parseEther("40"));
    await connection.networkHelpers.time.increase(10);
    expect(await token.getVotes(alice.address)).to.equal(parseEther("60"));
    expect(await token.getPastVotes(alice.address, delegatedAt)).to.equal(parseEther("100"));
    expect(await token.getPastTotalSupply(delegatedAt)).to.equal(LOCAL_GUARDIAN_GENESIS + parseEther("100"));
  });

  it("burns, and transfers can never be paused", async () => {
    const { token, admin, travellers } = await fresh();
    const [minter, alice, bob] = travellers;
    await token.connect(admin).grantRole(ROLES.MINTER, minter.address);
    await token.connect(minter).mint(alice.address, 100n);
    await token.connect(alice).burn(30n);
    expect(await token.totalSupply()).to.equal(LOCAL_GUARDIAN_GENESIS + 70n);
    await token.connect(alice).approve(bob.address, 20n);
    await token.connect(bob).burnFrom(alice.address, 20n);
    expect(await token.balanceOf(alice.address)).to.equal(50n);

    const functions = token.interface.fragments.filter((f) => f.type === "function").map((f) => f.format());
    expect(functions.some((f) => /pause/i.test(f))).to.equal(false);
    await token.connect(alice).transfer(bob.address, 50n);
    expect(await token.balanceOf(bob.address)).to.equal(50n);
  });
});
