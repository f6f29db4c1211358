import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";

import { deploySystem, type System } from "../../../test/helpers/system.js";
import { indexChain } from "../harness/chain.js";
import { Indexer } from "../harness/indexer.js";
import { subgraphTotals, type SubgraphTotals } from "../harness/totals.js";
import { BUILD_DIR } from "../paths.js";
import { runScenario, type ScenarioRun } from "./scenario.js";

export interface IndexedScenario {
  connection: NetworkConnection<"l1">;
  system: System;
  run: ScenarioRun;
  indexer: Indexer;
  /** How many events the subgraph's handlers processed. */
  handled: number;
  totals: SubgraphTotals;
}

/**
 * Deploys the local system on a fresh in-process chain, runs the scenario, and indexes every log with the built
 * subgraph. The caller closes `connection`.
 */
export async function indexScenario(): Promise<IndexedScenario> {
  const connection = await network.create({ chainType: "l1" });
  const system = await deploySystem(connection);
  const run = await runScenario(system);
  const indexer = await Indexer.load(BUILD_DIR);
  const handled = await indexChain(indexer, connection.provider);
  return { connection, system, run, indexer, handled, totals: subgraphTotals(indexer.store) };
}
