import { expect } from "chai";
import { ZeroAddress } from "ethers";
import hre from "hardhat";

import { ROLES } from "../ignition/modules/protocol.js";
import { LOCAL_GOVERNANCE } from "../ignition/modules/TRVLLocal.js";
import { generatedDir, renderGenerated } from "../scripts/abi/generated.js";
import { useSystem } from "./helpers/fixture.js";
import { roleHolders, type RoleHolder } from "./helpers/roles.js";

const { fresh } = await useSystem();

describe("Deployment (Ignition, local module)", () => {
  it("wires every role to its holder and leaves the deployer with nothing", async () => {
    const system = await fresh();
    const { token, escrow, distributor, staking, governor, timelock, deployer, quoteSigner, keeper, guardian } = system;
    const { guardianCanceller } = system;
    const [distributorAddress, timelockAddress, guardianAddress, governorAddress, cancellerAddress] = await Promise.all(
      [distributor, timelock, guardian, governor, guardianCanceller].map((c) => c.getAddress()),
    );
    const candidates = {
      deployer: deployer.address,
      keeper: keeper.address,
      quoteSigner: quoteSigner.address,
      distributor: distributorAddress,
      timelock: timelockAddress,
      guardian: guardianAddress,
      governor: governorAddress,
      guardianCanceller: cancellerAddress,
      anyone: ZeroAddress,
    };
    const holders = (contract: RoleHolder, role: string) => roleHolders(contract, role, candidates);

    expect(await holders(token, ROLES.DEFAULT_ADMIN)).to.deep.equal(["timelock"]);
    expect(await holders(token, ROLES.MINTER)).to.deep.equal(["distributor"]);
    expect(await holders(escrow, ROLES.DEFAULT_ADMIN)).to.deep.equal(["timelock"]);
    expect(await holders(escrow, ROLES.REWARDER)).to.deep.equal(["distributor"]);
    expect(await holders(escrow, ROLES.SETTLER)).to.deep.equal(["keeper"]);
    expect(await holders(escrow, ROLES.QUOTE_SIGNER)).to.deep.equal(["quoteSigner"]);
    expect(await holders(escrow, ROLES.OPERATOR)).to.deep.equal(["guardian"]);
    expect(await holders(escrow, ROLES.PAUSER)).to.deep.equal(["guardian"]);
    expect(await escrow.getRoleAdmin(ROLES.SETTLER)).to.equal(ROLES.OPERATOR);
    expect(await escrow.getRoleAdmin(ROLES.QUOTE_SIGNER)).to.equal(ROLES.OPERATOR);
    expect(await escrow.getRoleAdmin(ROLES.OPERATOR)).to.equal(ROLES.DEFAULT_ADMIN);
    expect(await holders(distributor, ROLES.DEFAULT_ADMIN)).to.deep.equal(["timelock"]);
    expect(await holders(distributor, ROLES.PAUSER)).to.deep.equal(["guardian"]);
    expect(await holders(staking, ROLES.DEFAULT_ADMIN)).to.deep.equal(["timelock"]);
    expect(await holders(staking, ROLES.PAUSER)).to.deep.equal(["guardian"]);
    expect(await holders(staking, ROLES.REWARDS_FUNDER)).to.deep.equal(["guardian"]);
    expect(await holders(timelock, ROLES.DEFAULT_ADMIN)).to.deep.equal(["timelock"]);
    expect(await holders(timelock, ROLES.TIMELOCK_PROPOSER)).to.deep.equal(["governor"]);
    // The guardian vetoes through its canceller, which cannot cancel changes to the guardian's own roles.
    expect(await holders(timelock, ROLES.TIMELOCK_CANCELLER)).to.deep.equal(["governor", "guardianCanceller"]);
    expect(await guardianCanceller.guardian()).to.equal(guardianAddress);
    expect(await guardianCanceller.timelock()).to.equal(timelockAddress);
    expect(await holders(timelock, ROLES.TIMELOCK_EXECUTOR)).to.deep.equal(["anyone"]);
  });

  it("makes the timelock the treasury and the governor its proposer, with local voting settings", async () => {
    const { escrow, distributor, staking, governor, timelock, token } = await fresh();
    const timelockAddress = await timelock.getAddress();
    expect(await escrow.treasury()).to.equal(timelockAddress);
    expect(await distributor.treasury()).to.equal(timelockAddress);
    expect(await staking.treasury()).to.equal(timelockAddress);
    expect(await distributor.boostSource()).to.equal(await staking.getAddress());
    expect(await governor.timelock()).to.equal(timelockAddress);
    expect(await governor.token()).to.equal(await token.getAddress());
    expect(await governor.staking()).to.equal(await staking.getAddress());
    expect(await governor.votingDelay()).to.equal(BigInt(LOCAL_GOVERNANCE.votingDelay));
    expect(await governor.votingPeriod()).to.equal(BigInt(LOCAL_GOVERNANCE.votingPeriod));
    expect(await governor.proposalThreshold()).to.equal(LOCAL_GOVERNANCE.proposalThreshold);
    expect(await governor["quorumNumerator()"]()).to.equal(4n);
    expect(await governor["quorumFloor()"]()).to.equal(LOCAL_GOVERNANCE.quorumFloor);
    expect(await timelock.getMinDelay()).to.equal(BigInt(LOCAL_GOVERNANCE.timelockDelay));
  });

  it("deploys the guardian as a 2-of-3 Safe of the three test owners", async () => {
    const { guardian, safeOwners, connection } = await fresh();
    const safe = await connection.ethers.getContractAt("Safe", await guardian.getAddress());
    expect(await safe.getThreshold()).to.equal(2n);
    expect(await safe.getOwners()).to.deep.equal(safeOwners.map((o) => o.address));
    expect(await safe.VERSION()).to.equal("1.4.1");
  });

  it("allows ETH and the stablecoin, with a USD feed for each and for TRVL", async () => {
    const { escrow, distributor, stablecoin, feeds } = await fresh();
    const stable = await stablecoin.getAddress();
    expect(await escrow.isPaymentToken(ZeroAddress)).to.equal(true);
    expect(await escrow.isPaymentToken(stable)).to.equal(true);
    expect((await distributor.priceFeedOf(ZeroAddress)).feed).to.equal(await feeds.eth.getAddress());
    expect((await distributor.priceFeedOf(stable)).feed).to.equal(await feeds.stablecoin.getAddress());
    expect((await distributor.priceFeedOf(stable)).tokenDecimals).to.equal(6n);
    expect((await distributor.trvlPriceFeed()).feed).to.equal(await feeds.trvl.getAddress());
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

  it("pairs each registry name with its address and ABI, and names what is missing", async () => {
    const { contract, trvlStakingAbi } = await import("@trvl/abi");
    const { staking } = await fresh();
    const found = contract(31337, "TRVLStaking");
    expect(found.address).to.equal(await staking.getAddress());
    expect(found.abi).to.equal(trvlStakingAbi);
    expect(() => contract(1, "TRVLStaking")).to.throw("TRVL is not deployed on chain 1");
  });

  it("names every value of the contracts' enums and every deployed tier", async () => {
    const { readFile } = await import("node:fs/promises");
    const { PROPOSAL_STATES, SKIP_REASONS, TIER_NAMES } = await import("@trvl/abi");
    const members = async (file: string, name: string) => {
      const source = await readFile(file, "utf8");
      const body = new RegExp(`enum ${name} \\{([^}]*)\\}`).exec(source)?.[1] ?? "";
      return body
        .split(",")
        .map((member) => member.replace(/\/\/.*$/gm, "").trim())
        .filter(Boolean);
    };
    expect(await members("contracts/rewards/RewardDistributor.sol", "SkipReason")).to.deep.equal([...SKIP_REASONS]);
    const governor = "node_modules/@openzeppelin/contracts/governance/IGovernor.sol";
    expect(await members(governor, "ProposalState")).to.deep.equal([...PROPOSAL_STATES]);
    const { staking } = await fresh();
    expect((await staking.tiers()).length).to.equal(TIER_NAMES.length);
  });
});
