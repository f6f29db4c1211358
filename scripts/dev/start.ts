/**
 * `npm start`: the whole product on this machine, on embedded defaults: a local chain with the whole system deployed
 * and the test accounts funded, and the backend API on an embedded PGlite database under .data/ (or the Postgres
 * named by DATABASE_URL). Stays up until Ctrl-C.
 */
import { rm } from "node:fs/promises";
import path from "node:path";

import hre from "hardhat";
import { z } from "zod";

import { startBackend, type BackendProcess } from "../lib/backend-process.js";
import { LOCAL_ACCOUNT_INDEX, localAccount } from "../lib/local-accounts.js";
import { startLocalChain } from "./chain.js";

const env = z
  .object({
    CHAIN_HOST: z.string().min(1).default("127.0.0.1"),
    CHAIN_PORT: z.coerce.number().int().min(1).max(65_535).default(8545),
  })
  .parse(process.env);

const chain = await startLocalChain(hre, env.CHAIN_HOST, env.CHAIN_PORT);
// Every start is a fresh chain, so the embedded database (which indexes it) starts fresh too. A Postgres named by
// DATABASE_URL is kept: the listener notices the new chain by its genesis block and indexes it again.
if (!process.env.DATABASE_URL)
  await rm(path.join(hre.config.paths.root, ".data", "pglite"), { recursive: true, force: true });
let api: BackendProcess;
try {
  api = await startBackend({ chainUrl: chain.url, onLog: (line) => console.log(line) });
} catch (error) {
  console.error(`The backend did not start: ${error instanceof Error ? error.message : String(error)}`);
  await chain.close();
  process.exit(1);
}

console.log(`\nTRVL local stack is up.\n\n  Chain    ${chain.url}  (chain id 31337)`);
console.log(`  API      ${api.url}  (database: ${api.database})`);
console.log(`  Docs     ${api.docsUrl}  (OpenAPI: ${api.url}/openapi.json)\n`);
console.log("Contracts");
for (const [name, address] of Object.entries(chain.contracts)) console.log(`  ${name.padEnd(28)} ${address}`);
console.log("\nTest accounts (Hardhat's public test keys: local chain only, never for real funds)");
for (const [role, index] of Object.entries(LOCAL_ACCOUNT_INDEX)) {
  const { address, privateKey } = localAccount(index);
  console.log(`  #${String(index).padEnd(2)} ${role.padEnd(12)} ${address}  ${privateKey}`);
}
console.log("\nAccounts #6 to #19 hold 100,000 tUSD each and 10,000 ETH.");
console.log("The guardian Safe (owners #17, #18, #19; 2 of 3) streams 100,000 TRVL of staking rewards over 30 days.");
console.log("Admin actions go through it: `SAFE_OWNER_PRIVATE_KEY=<owner key> npm run admin -- status` (see README).");
console.log("Press Ctrl-C to stop.\n");

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log("\nStopping…");
  await api.stop();
  await chain.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
await new Promise(() => {});
