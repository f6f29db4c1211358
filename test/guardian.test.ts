import { expect } from "chai";
import { ZeroAddress, ZeroHash, id } from "ethers";

import { ROLES } from "../ignition/modules/protocol.js";
import { GuardianCanceller__factory } from "../types/ethers-contracts/index.js";
import { useSystem } from "./helpers/fixture.js";

const { fresh } = await useSystem();

/** The guardian's veto through GuardianCanceller: any queued operation, except one about the guardian's own roles. */
describe("GuardianCanceller", () => {
  async function withCanceller() {
    const system = await fresh();
    // The deployment gives the timelock's cancel role to the canceller, not to the guardian.
    const { timelock, governor, guardianCanceller: canceller, connection, ethers } = system;
    // Operations are queued as the governor queues proposals.
    const governorAddress = await governor.getAddress();
    await connection.networkHelpers.impersonateAccount(governorAddress);
    await connection.networkHelpers.setBalance(governorAddress, 10n ** 20n);
    const proposer = await ethers.getSigner(governorAddress);
    const queue = async (targets: string[], payloads: string[], salt: string) => {
      const values = targets.map(() => 0n);
      const delay = await timelock.getMinDelay();
      await timelock.connect(proposer).scheduleBatch(targets, values, payloads, ZeroHash, salt, delay);
      return [targets, values, payloads, ZeroHash, salt] as const;
    };
    return { ...system, canceller, queue };
  }

  it("lets the guardian veto an ordinary operation, and nobody else", async () => {
    const { canceller, queue, guardian, distributor, timelock, travellers } = await withCanceller();
    const operation = await queue(
      [await distributor.getAddress()],
      [distributor.interface.encodeFunctionData("setTreasury", [travellers[0].address])],
      id("treasury grab"),
    );
    const operationId = await timelock.hashOperationBatch(...operation);
    await expect(canceller.connect(travellers[0]).cancelBatch(...operation))
      .to.be.revertedWithCustomError(canceller, "CancellerNotGuardian")
      .withArgs(travellers[0].address);
    await expect(canceller.connect(guardian).cancelBatch(...operation))
      .to.emit(canceller, "OperationVetoed")
      .withArgs(operationId)
      .and.to.emit(timelock, "Cancelled")
      .withArgs(operationId);
    expect(await timelock.isOperation(operationId)).to.equal(false);
  });

  it("cannot cancel the guardian's own removal, nor the removal of its veto", async () => {
    const { canceller, queue, guardian, escrow, timelock, distributor } = await withCanceller();
    const removal = await queue(
      [await distributor.getAddress(), await escrow.getAddress()],
      [
        distributor.interface.encodeFunctionData("setTreasury", [guardian.address]),
        escrow.interface.encodeFunctionData("revokeRole", [ROLES.PAUSER, guardian.address]),
      ],
      id("remove the guardian"),
    );
    await expect(canceller.connect(guardian).cancelBatch(...removal))
      .to.be.revertedWithCustomError(canceller, "CancellerOwnRoles")
      .withArgs(1);
    const vetoRemoval = await queue(
      [await timelock.getAddress()],
      [timelock.interface.encodeFunctionData("revokeRole", [ROLES.TIMELOCK_CANCELLER, await canceller.getAddress()])],
      id("remove the veto"),
    );
    await expect(canceller.connect(guardian).cancelBatch(...vetoRemoval)).to.be.revertedWithCustomError(
      canceller,
      "CancellerOwnRoles",
    );
    // Nor around the canceller: the guardian no longer holds the timelock's cancel role itself.
    await expect(timelock.connect(guardian).cancel(await timelock.hashOperationBatch(...removal)))
      .to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount")
      .withArgs(guardian.address, ROLES.TIMELOCK_CANCELLER);
    expect(await timelock.isOperationPending(await timelock.hashOperationBatch(...removal))).to.equal(true);
  });

  it("needs a timelock and a guardian, and reads only role changes as the guardian's own", async () => {
    const { canceller, deployer, timelock, guardian, escrow } = await withCanceller();
    const factory = new GuardianCanceller__factory(deployer);
    await expect(factory.deploy(ZeroAddress, guardian.address)).to.be.revertedWithCustomError(
      canceller,
      "CancellerZeroAddress",
    );
    await expect(factory.deploy(timelock, ZeroAddress)).to.be.revertedWithCustomError(
      canceller,
      "CancellerZeroAddress",
    );
    expect(await canceller.touchesGuardianRoles("0x")).to.equal(false);
    const pauserOf = (account: string) => escrow.interface.encodeFunctionData("grantRole", [ROLES.PAUSER, account]);
    expect(await canceller.touchesGuardianRoles(pauserOf(guardian.address))).to.equal(true);
    expect(await canceller.touchesGuardianRoles(pauserOf(await canceller.getAddress()))).to.equal(true);
    expect(await canceller.touchesGuardianRoles(pauserOf(ZeroAddress))).to.equal(false);
    expect(await canceller.touchesGuardianRoles(escrow.interface.encodeFunctionData("pause"))).to.equal(false);
  });

  it("checks single operations the same way", async () => {
    const { canceller, guardian, staking, timelock, governor, ethers } = await withCanceller();
    const proposer = await ethers.getSigner(await governor.getAddress());
    const data = staking.interface.encodeFunctionData("renounceRole", [ROLES.PAUSER, guardian.address]);
    const target = await staking.getAddress();
    await timelock.connect(proposer).schedule(target, 0, data, ZeroHash, id("one"), await timelock.getMinDelay());
    await expect(canceller.connect(guardian).cancel(target, 0, data, ZeroHash, id("one")))
      .to.be.revertedWithCustomError(canceller, "CancellerOwnRoles")
      .withArgs(0);
    const other = staking.interface.encodeFunctionData("grantRole", [ROLES.PAUSER, ZeroAddress]);
    await timelock.connect(proposer).schedule(target, 0, other, ZeroHash, id("two"), await timelock.getMinDelay());
    await expect(canceller.connect(guardian).cancel(target, 0, other, ZeroHash, id("two"))).to.emit(
      canceller,
      "OperationVetoed",
    );
  });
});
