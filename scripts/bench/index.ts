/**
 * `npm run bench`: prints TRVL's performance figures. Each section measures one part of the system.
 */
import hre from "hardhat";

import { measureApi } from "../../backend/bench/api.js";
import { measurePlanner, printPlannerFigures } from "../../backend/bench/planner.js";
import { startLocalChain } from "../dev/chain.js";
import { measureGas } from "./gas.js";

const gas = await measureGas();
console.log("\nGas per operation (in-process Hardhat network, local deployment)\n");
const width = Math.max(...gas.map((g) => g.operation.length));
for (const { operation, gas: used, note } of gas) {
  console.log(`  ${operation.padEnd(width)}  ${used.toLocaleString("en-US").padStart(9)}  ${note}`);
}

// The API reads the chain (accounts, prices): a local chain with the whole system deployed, as `npm start` has.
const chain = await startLocalChain(hre, "127.0.0.1", 0, { deploymentId: `bench-${process.pid}` });
try {
  const { figures, notes } = await measureApi(chain.url);
  console.log("\nAPI throughput and latency\n");
  const hello = figures[0].requestsPerSecond;
  const nameWidth = Math.max(...figures.map((f) => f.target.length));
  console.log(
    `  ${"target".padEnd(nameWidth)}  ${"req/s".padStart(8)}  ${"p50 ms".padStart(7)}  ${"p99 ms".padStart(7)}  ${"vs hello".padStart(8)}  non-2xx  errors`,
  );
  for (const f of figures) {
    const ratio = `${((f.requestsPerSecond / hello) * 100).toFixed(0)}%`;
    console.log(
      `  ${f.target.padEnd(nameWidth)}  ${f.requestsPerSecond.toLocaleString("en-US").padStart(8)}  ${String(f.p50Ms).padStart(7)}  ${String(f.p99Ms).padStart(7)}  ${ratio.padStart(8)}  ${String(f.non2xx).padStart(7)}  ${String(f.errors).padStart(6)}`,
    );
  }
  for (const note of notes) console.log(`  (${note})`);
} finally {
  await chain.close();
}

// The planner, voice pipeline and recommendations run offline, in this process.
printPlannerFigures(await measurePlanner());
