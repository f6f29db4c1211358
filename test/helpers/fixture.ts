import { network } from "hardhat";

import { DAY, deploySystem, type System } from "./system.js";

/**
 * One in-process chain per test file, with the whole system deployed once; `fresh()` reverts to that snapshot so
 * every test starts from the same state. Stakes must be held for 7 days to count, as on real networks.
 */
export async function useSystem(): Promise<{ fresh: () => Promise<System> }> {
  const connection = await network.create({ chainType: "l1" });
  const fixture = () => deploySystem(connection, { holdingPeriod: 7n * DAY });
  return { fresh: () => connection.networkHelpers.loadFixture(fixture) };
}
