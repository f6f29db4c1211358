import { network } from "hardhat";

import { deploySystem, type System } from "./system.js";

/**
 * One in-process chain per test file, with the whole system deployed once; `fresh()` reverts to that snapshot so
 * every test starts from the same state.
 */
export async function useSystem(): Promise<{ fresh: () => Promise<System> }> {
  const connection = await network.create({ chainType: "l1" });
  const fixture = () => deploySystem(connection);
  return { fresh: () => connection.networkHelpers.loadFixture(fixture) };
}
