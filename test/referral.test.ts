import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { registrationDomain, registrationTypes } from "@trvl/abi";
import { expect } from "chai";
import { TypedDataEncoder, ZeroAddress, id } from "ethers";

import { MockSmartWallet__factory } from "../types/ethers-contracts/index.js";
import { useSystem } from "./helpers/fixture.js";
import type { System } from "./helpers/system.js";
import { ethersTypes } from "../scripts/lib/ethers-types.js";

const { fresh } = await useSystem();

async function signRegistration(
  system: System,
  signer: HardhatEthersSigner,
  user: string,
  referrer: string,
  deadline: bigint,
  nonce?: bigint,
) {
  const registry = (await system.referrals.getAddress()) as `0x${string}`;
  return signer.signTypedData(registrationDomain(system.chainId, registry), ethersTypes(registrationTypes), {
    user,
    referrer,
    nonce: nonce ?? (await system.referrals.nonces(user)),
    deadline,
  });
}

describe("ReferralRegistry", () => {
  it("records a referrer once, with two levels of uplines and referee counts", async () => {
    const { referrals, travellers } = await fresh();
    const [alice, bob, carol, dave] = travellers;
    // carol → bob → alice
    await expect(referrals.connect(bob).register(alice.address))
      .to.emit(referrals, "ReferralRegistered")
      .withArgs(bob.address, alice.address, ZeroAddress);
    await expect(referrals.connect(carol).register(bob.address))
      .to.emit(referrals, "ReferralRegistered")
      .withArgs(carol.address, bob.address, alice.address);
    await referrals.connect(dave).register(bob.address);

    expect(await referrals.referrerOf(carol.address)).to.equal(bob.address);
    expect(await referrals.uplines(carol.address)).to.deep.equal([bob.address, alice.address]);
    expect(await referrals.uplines(bob.address)).to.deep.equal([alice.address, ZeroAddress]);
    expect(await referrals.uplines(alice.address)).to.deep.equal([ZeroAddress, ZeroAddress]);
    expect(await referrals.refereeCounts(bob.address)).to.deep.equal([2n, 0n]);
    expect(await referrals.refereeCounts(alice.address)).to.deep.equal([1n, 2n]);

    await expect(referrals.connect(carol).register(dave.address))
      .to.be.revertedWithCustomError(referrals, "ReferralAlreadyRegistered")
      .withArgs(carol.address, bob.address);
  });

  it("binds signatures to the shared EIP-712 registration type", async () => {
    const { referrals } = await fresh();
    expect(await referrals.REGISTRATION_TYPEHASH()).to.equal(
      id(TypedDataEncoder.from(ethersTypes(registrationTypes)).encodeType("Registration")),
    );
    const { chainId } = await referrals.runner!.provider!.getNetwork();
    expect(await referrals.DOMAIN_SEPARATOR()).to.equal(
      TypedDataEncoder.hashDomain(registrationDomain(chainId, (await referrals.getAddress()) as `0x${string}`)),
    );
  });

  it("rejects the zero address and self-referral", async () => {
    const { referrals, travellers } = await fresh();
    const [alice] = travellers;
    await expect(referrals.connect(alice).register(ZeroAddress)).to.be.revertedWithCustomError(
      referrals,
      "ReferralZeroAddress",
    );
    await expect(referrals.connect(alice).register(alice.address))
      .to.be.revertedWithCustomError(referrals, "ReferralSelf")
      .withArgs(alice.address);
  });

  it("rejects cycles of two and three accounts", async () => {
    const { referrals, travellers } = await fresh();
    const [a, b, c] = travellers;
    await referrals.connect(a).register(b.address); // A → B
    await expect(referrals.connect(b).register(a.address)) // B → A would close A → B → A
      .to.be.revertedWithCustomError(referrals, "ReferralCycle")
      .withArgs(b.address, a.address);

    await referrals.connect(b).register(c.address); // A → B → C
    await expect(referrals.connect(c).register(a.address)) // C → A would close A → B → C → A
      .to.be.revertedWithCustomError(referrals, "ReferralCycle")
      .withArgs(c.address, a.address);
    await expect(referrals.connect(c).register(b.address))
      .to.be.revertedWithCustomError(referrals, "ReferralCycle")
      .withArgs(c.address, b.address);
  });

  describe("registerWithSig (gasless)", () => {
    it("registers with the user's signature, relayed by anyone", async () => {
      const system = await fresh();
      const { referrals, travellers, time } = { ...system, time: system.connection.networkHelpers.time };
      const [user, referrer, relayer] = travellers;
      const deadline = BigInt(await time.latest()) + 3600n;
      const signature = await signRegistration(system, user, user.address, referrer.address, deadline);
      await expect(referrals.connect(relayer).registerWithSig(user.address, referrer.address, deadline, signature))
        .to.emit(referrals, "ReferralRegistered")
        .withArgs(user.address, referrer.address, ZeroAddress);
      expect(await referrals.nonces(user.address)).to.equal(1n);
    });

    it("rejects an expired signature", async () => {
      const system = await fresh();
      const [user, referrer] = system.travellers;
      const deadline = BigInt(await system.connection.networkHelpers.time.latest()) - 1n;
      const signature = await signRegistration(system, user, user.address, referrer.address, deadline);
      await expect(system.referrals.registerWithSig(user.address, referrer.address, deadline, signature))
        .to.be.revertedWithCustomError(system.referrals, "ReferralSignatureExpired")
        .withArgs(deadline);
    });

    it("rejects a replayed signature", async () => {
      const system = await fresh();
      const [user, referrer] = system.travellers;
      const deadline = BigInt(await system.connection.networkHelpers.time.latest()) + 3600n;
      const signature = await signRegistration(system, user, user.address, referrer.address, deadline);
      await system.referrals.registerWithSig(user.address, referrer.address, deadline, signature);
      await expect(system.referrals.registerWithSig(user.address, referrer.address, deadline, signature))
        .to.be.revertedWithCustomError(system.referrals, "ReferralInvalidSignature")
        .withArgs(user.address);
    });

    it("rejects a signature by someone other than the user", async () => {
      const system = await fresh();
      const [user, referrer, mallory] = system.travellers;
      const deadline = BigInt(await system.connection.networkHelpers.time.latest()) + 3600n;
      const signature = await signRegistration(system, mallory, user.address, referrer.address, deadline);
      await expect(system.referrals.registerWithSig(user.address, referrer.address, deadline, signature))
        .to.be.revertedWithCustomError(system.referrals, "ReferralInvalidSignature")
        .withArgs(user.address);
      expect(await system.referrals.referrerOf(user.address)).to.equal(ZeroAddress);
    });

    it("accepts a smart-contract wallet's ERC-1271 signature", async () => {
      const system = await fresh();
      const [owner, referrer] = system.travellers;
      const wallet = await new MockSmartWallet__factory(owner).deploy(owner.address);
      const walletAddress = await wallet.getAddress();
      const deadline = BigInt(await system.connection.networkHelpers.time.latest()) + 3600n;
      const signature = await signRegistration(system, owner, walletAddress, referrer.address, deadline);
      await system.referrals.registerWithSig(walletAddress, referrer.address, deadline, signature);
      expect(await system.referrals.referrerOf(walletAddress)).to.equal(referrer.address);
    });
  });
});
