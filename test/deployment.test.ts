import { expect } from "chai";
import { ZeroAddress } from "ethers";
import hre from "hardhat";

import { ROLES } from "../ignition/modules/protocol.js";
import { generatedDir, renderGenerated } from "../scripts/abi/generated.js";
import { useSystem } from "./helpers/fixture.js";

const { fresh } = await useSystem();

describe("Deployment (Ignition, local module)", () => {
  it("wires every role to its holder and leaves the deployer with nothing", async () => {
    const { token, escrow, distributor, deployer, admin, quoteSigner, keeper } = await fresh();
    const distributorAddress = await distributor.getAddress();
    expect(await token.hasRole(ROLES.MINTER, distributorAddress)).to.equal(true);
    expect(await escrow.hasRole(ROLES.REWARDER, distributorAddress)).to.equal(true);
    expect(await escrow.hasRole(ROLES.SETTLER, keeper.address)).to.equal(true);
    expect(await escrow.hasRole(ROLES.QUOTE_SIGNER, quoteSigner.address)).to.equal(true);
    expect(await escrow.hasRole(ROLES.PAUSER, admin.address)).to.equal(true);
    expect(await distributor.hasRole(ROLES.PAUSER, admin.address)).to.equal(true);
    for (const contract of [token, escrow, distributor]) {
      expect(await contract.hasRole(ROLES.DEFAULT_ADMIN, admin.address)).to.equal(true);
      for (const role of Object.values(ROLES)) {
        expect(await contract.hasRole(role, deployer.address)).to.equal(false);
      }
    }
    // The keeper and the quote signer hold exactly their one role.
    expect(await escrow.hasRole(ROLES.DEFAULT_ADMIN, keeper.address)).to.equal(false);
    expect(await escrow.hasRole(ROLES.SETTLER, quoteSigner.address)).to.equal(false);
  });

  it("allows ETH and the stablecoin, with a USD feed for each and for TRVL", async () => {
    const { escrow, distributor, stablecoin, feeds, treasury } = await fresh();
    const stable = await stablecoin.getAddress();
    expect(await escrow.isPaymentToken(ZeroAddress)).to.equal(true);
    expect(await escrow.isPaymentToken(stable)).to.equal(true);
    expect((await distributor.priceFeedOf(ZeroAddress)).feed).to.equal(await feeds.eth.getAddress());
    expect((await distributor.priceFeedOf(stable)).feed).to.equal(await feeds.stablecoin.getAddress());
    expect((await distributor.priceFeedOf(stable)).tokenDecimals).to.equal(6n);
    expect((await distributor.trvlPriceFeed()).feed).to.equal(await feeds.trvl.getAddress());
    expect(await escrow.treasury()).to.equal(treasury.address);
    expect(await distributor.treasury()).to.equal(treasury.address);
  });
});

describe("Generated ABI and address module (@trvl/abi)", () => {
  it("is up to date with the contracts and the local deployment (run `npm run generate` if not)", async () => {
    const { readFile } = await import("node:fs/promises");
    const path = await import("node:path");
    const expected = await renderGenerated(hre);
    for (const [file, content] of Object.entries(expected)) {
      const committed = await readFile(path.join(generatedDir(hre), file), "utf8");
      expect(committed, `abi/src/generated/${file} is stale`).to.equal(content);
    }
  });

  it("publishes the addresses the local module deploys to", async () => {
    const { getDeployment } = await import("@trvl/abi");
    const { escrow, token, distributor, referrals, stablecoin } = await fresh();
    const local = getDeployment(31337).contracts;
    expect(local.BookingEscrow.address).to.equal(await escrow.getAddress());
    expect(local.TRVLToken.address).to.equal(await token.getAddress());
    expect(local.RewardDistributor.address).to.equal(await distributor.getAddress());
    expect(local.ReferralRegistry.address).to.equal(await referrals.getAddress());
    expect(local.Stablecoin.address).to.equal(await stablecoin.getAddress());
    expect(() => getDeployment(1)).to.throw("TRVL is not deployed on chain 1");
  });
});
