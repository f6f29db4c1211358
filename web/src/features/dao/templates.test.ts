import { contract, rewardDistributorAbi, timelockControllerAbi, trvlStakingAbi } from "@trvl/abi";
import { decodeFunctionData, keccak256, parseEther, stringToHex, zeroAddress, type Abi, type Address } from "viem";
import { describe, expect, it } from "vitest";

import { parseAbiArg } from "./abi-args";
import { encodeCall, writableFunctions } from "./call-builder";
import { describeCall } from "./simulate";
import { TEMPLATE_CONTRACTS, TEMPLATES, type GovernedContracts, type Reader, type Values } from "./templates";

const contracts = Object.fromEntries(
  TEMPLATE_CONTRACTS.map((name) => [name, contract(31337, name)]),
) as GovernedContracts;
const template = (id: string) => TEMPLATES.find((t) => t.id === id)!;
const build = (id: string, values: Values, current: Values = {}) => template(id).build(values, current, contracts);
const decode = (abi: Abi, data: `0x${string}`) => decodeFunctionData({ abi, data });

describe("proposal templates", () => {
  it("reward split: one setSplit call on the distributor, the change spelled out from the current split", async () => {
    const read: Reader = async ({ functionName }) => {
      expect(functionName).toBe("split");
      return { traveller: 7000, level1: 700, level2: 300, treasury: 2000 };
    };
    const current = await template("reward-split").current(read, contracts, {});
    expect(current).toEqual({ traveller: "7000", level1: "700", level2: "300", treasury: "2000" });
    const built = build("reward-split", { ...current, traveller: "7500", treasury: "1500" }, current);
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(built.calls).toHaveLength(1);
    expect(built.calls[0].target).toBe(contracts.RewardDistributor.address);
    expect(decode(rewardDistributorAbi, built.calls[0].data)).toEqual({
      functionName: "setSplit",
      args: [{ traveller: 7500, level1: 700, level2: 300, treasury: 1500 }],
    });
    expect(built.effects).toContain("Traveller: 70% → 75%");
    expect(built.effects).toContain("Referrer, level 1: 7% (unchanged)");
    expect(built.title).toBe("Set the reward split to 75% / 7% / 3% / 15%");
  });

  it("reward split: parts that do not sum to 10,000 or are not basis points are refused, naming the field", () => {
    const wrongSum = build("reward-split", { traveller: "7500", level1: "700", level2: "300", treasury: "2000" });
    expect(wrongSum).toEqual({ ok: false, errors: { treasury: "The parts add up to 10,500, not 10,000" } });
    const notBps = build("reward-split", { traveller: "75.5", level1: "700", level2: "300", treasury: "-1" });
    expect(notBps.ok).toBe(false);
    expect(Object.keys(!notBps.ok ? notBps.errors : {})).toEqual(["traveller", "treasury"]);
  });

  it("tiers: the four tiers in one setTiers call, thresholds in TRVL", () => {
    const values: Values = {
      boost0: "0",
      discount0: "0",
      minStake1: "500",
      boost1: "1000",
      discount1: "200",
      minStake2: "10000",
      boost2: "2500",
      discount2: "300",
      minStake3: "50000.5",
      boost3: "5000",
      discount3: "500",
    };
    const built = build("tiers", values);
    if (!built.ok) throw new Error(JSON.stringify(built.errors));
    const { args } = decode(trvlStakingAbi, built.calls[0].data);
    expect(args?.[0]).toEqual([
      { minStake: 0n, boostBps: 0, discountBps: 0 },
      { minStake: parseEther("500"), boostBps: 1000, discountBps: 200 },
      { minStake: parseEther("10000"), boostBps: 2500, discountBps: 300 },
      { minStake: parseEther("50000.5"), boostBps: 5000, discountBps: 500 },
    ]);
    expect(build("tiers", { ...values, minStake2: "ten" })).toMatchObject({
      ok: false,
      errors: { minStake2: expect.any(String) },
    });
  });

  it("mint limit, price feed, payment token and treasury encode the calls the timelock makes", () => {
    const mint = build("mint-limit", { capacity: "1000000", window: "86400" });
    if (!mint.ok) throw new Error("mint limit");
    expect(decode(rewardDistributorAbi, mint.calls[0].data).args).toEqual([parseEther("1000000"), 86400]);
    expect(build("mint-limit", { capacity: "1", window: "0" })).toMatchObject({
      ok: false,
      errors: { window: expect.any(String) },
    });

    const feed = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    const eth = build("price-feed", { token: "ETH", feed, maxAge: "3600", minAnswer: "1", maxAnswer: "10" });
    if (!eth.ok) throw new Error("price feed");
    expect(decode(rewardDistributorAbi, eth.calls[0].data)).toEqual({
      functionName: "setPriceFeed",
      args: [zeroAddress, feed, 3600, 1n, 10n],
    });
    const trvl = build("price-feed", { token: "TRVL", feed, maxAge: "60", minAnswer: "0", maxAnswer: "5" });
    if (!trvl.ok) throw new Error("trvl feed");
    expect(decode(rewardDistributorAbi, trvl.calls[0].data).functionName).toBe("setTrvlPriceFeed");

    const token = build("payment-token", { token: contracts.Stablecoin.address, allowed: "false" });
    if (!token.ok) throw new Error("payment token");
    expect(token.calls[0].target).toBe(contracts.BookingEscrow.address);

    const treasury = build("treasury", { treasury: "0x0000000000000000000000000000000000000001" });
    if (!treasury.ok) throw new Error("treasury");
    expect(treasury.calls.map((c) => c.target)).toEqual([
      contracts.BookingEscrow.address,
      contracts.RewardDistributor.address,
      contracts.TRVLStaking.address,
    ]);
    expect(build("treasury", { treasury: zeroAddress })).toMatchObject({
      ok: false,
      errors: { treasury: expect.any(String) },
    });
  });

  it("guardian roles: grants or revokes the chosen power on its contract", () => {
    const built = build("guardian-roles", {
      action: "revoke",
      role: "Timelock:CANCELLER_ROLE",
      account: contracts.Guardian.address,
    });
    if (!built.ok) throw new Error("roles");
    expect(built.calls[0].target).toBe(contracts.Timelock.address);
    expect(decode(timelockControllerAbi, built.calls[0].data)).toEqual({
      functionName: "revokeRole",
      args: [keccak256(stringToHex("CANCELLER_ROLE")), contracts.Guardian.address],
    });
  });
});

describe("the free-form call builder", () => {
  const setSplit = writableFunctions(rewardDistributorAbi as Abi).find((f) => f.name === "setSplit")!;

  it("parses typed arguments by ABI type, structs as JSON by position or name", () => {
    expect(parseAbiArg({ name: "x", type: "uint16" }, "70000")).toEqual({
      ok: false,
      error: "Out of range for uint16",
    });
    expect(parseAbiArg({ name: "x", type: "int8" }, "-128")).toEqual({ ok: true, value: -128n });
    expect(parseAbiArg({ name: "a", type: "address" }, "0x123")).toMatchObject({ ok: false });
    expect(parseAbiArg({ name: "b", type: "bool" }, "yes")).toEqual({ ok: false, error: "Enter true or false" });
    expect(parseAbiArg({ name: "b", type: "bytes32" }, "0x12")).toEqual({ ok: false, error: "Exactly 32 bytes" });
    expect(parseAbiArg({ name: "l", type: "uint256[]" }, "[1, 2]")).toEqual({ ok: true, value: [1n, 2n] });
    const byPosition = encodeCall(contracts.RewardDistributor.address, setSplit, ["[7500, 700, 300, 1500]"], "");
    const byName = encodeCall(
      contracts.RewardDistributor.address,
      setSplit,
      ['{"traveller": 7500, "level1": 700, "level2": 300, "treasury": 1500}'],
      "",
    );
    expect(byPosition).toEqual(byName);
    if (!byPosition.ok) throw new Error(byPosition.error);
    expect(
      describeCall(byPosition.call, (a) =>
        a === contracts.RewardDistributor.address ? "RewardDistributor" : undefined,
      ),
    ).toBe('RewardDistributor.setSplit({"traveller":7500,"level1":700,"level2":300,"treasury":1500})');
    expect(encodeCall(contracts.RewardDistributor.address, setSplit, ["[7500, 700]"], "")).toEqual({
      ok: false,
      error: "newSplit: missing level2",
    });
  });

  it("offers only functions that change state", () => {
    const names = writableFunctions(rewardDistributorAbi as Abi).map((f) => f.name);
    expect(names).toContain("setSplit");
    expect(names).not.toContain("split");
    expect(names).not.toContain("mintLimit");
  });
});
