import { network } from "hardhat";

import { deploySystem, type System } from "./system.js";

/**
 * One in-process chain per test file, with the whole system deployed once; `fresh()` reverts to that snapshot so
 * every test starts from the same state. The economy's rules are those of real networks (stakes held for 7 days,
 * only active referrers earn).
 */
export async function useSystem(): Promise<{ fresh: () => Promise<System> }> {
  const connection = await network.create({ chainType: "l1" });
  const fixture = () => deploySystem(connection, { realEconomyRules: true });
  return { fresh: () => connection.networkHelpers.loadFixture(fixture) };
}
