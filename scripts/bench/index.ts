/**
 * `npm run bench`: prints TRVL's performance figures. Each section measures one part of the system.
 */
import { measureGas } from "./gas.js";

const gas = await measureGas();
console.log("\nGas per operation (in-process Hardhat network, local deployment)\n");
const width = Math.max(...gas.map((g) => g.operation.length));
for (const { operation, gas: used, note } of gas) {
  console.log(`  ${operation.padEnd(width)}  ${used.toLocaleString("en-US").padStart(9)}  ${note}`);
}
