/**
 * `npm start`: the whole product on this machine, on embedded defaults: a local chain with the whole system deployed
 * and the test accounts funded, the backend API on an embedded PGlite database under .data/ (or the Postgres named by
 * DATABASE_URL), and the web app (a production build). Stays up until Ctrl-C.
 *
 * WEB_TEST_WALLET=1 builds the web app with test wallets on the local traveller and referrer accounts (wagmi's mock
 * connector, signing through the local node): handy for trying the app without a browser wallet. Local chain only.
 */
import hre from "hardhat";
import { z } from "zod";

import { LOCAL_ACCOUNT_INDEX, localAccount } from "@trvl/tooling/local-accounts";
import { startStack, type Stack } from "./stack.js";

const env = z
  .object({
    CHAIN_HOST: z.string().min(1).default("127.0.0.1"),
    CHAIN_PORT: z.coerce.number().int().min(1).max(65_535).default(8545),
    WEB_HOST: z.string().min(1).default("127.0.0.1"),
    WEB_PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
    WEB: z.enum(["0", "1"]).default("1"),
    WEB_TEST_WALLET: z.enum(["0", "1"]).default("0"),
    // A block every 2 s besides one per transaction: the chain's clock moves only when a block is mined, so without
    // them voting windows would not open or close and staking yield would not accrue while nobody transacts.
    // 0: blocks only on transactions.
    CHAIN_BLOCK_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(2_000),
    // Some demo hotels and activities are free to cancel for this many minutes, then settled when due, so the whole
    // cancellation lifecycle can be tried (docs/supply.md); the benchmark, soak and e2e run without windows.
    DEMO_FREE_CANCELLATION_MINUTES: z.coerce.number().int().min(0).max(1_440).default(5),
  })
  .parse(process.env);

const testWallets =
  env.WEB_TEST_WALLET === "1"
    ? [LOCAL_ACCOUNT_INDEX.traveller, LOCAL_ACCOUNT_INDEX.referrer].map((i) => localAccount(i).address)
    : [];

let stack: Stack;
try {
  if (env.WEB === "1") console.log("Building the web app (about half a minute)…");
  stack = await startStack(hre, {
    chainHost: env.CHAIN_HOST,
    chainPort: env.CHAIN_PORT,
    webHost: env.WEB_HOST,
    webPort: env.WEB_PORT,
    noWeb: env.WEB === "0",
    blockIntervalMs: env.CHAIN_BLOCK_INTERVAL_MS,
    testWalletAccounts: testWallets,
    env: { DEMO_FREE_CANCELLATION_MINUTES: String(env.DEMO_FREE_CANCELLATION_MINUTES) },
    onLog: (source, line) => {
      // The web's build and server logs are noise once it is up; its errors still show.
      if (source === "api" || /error|warn/i.test(line)) console.log(line);
    },
  });
} catch (error) {
  console.error(`The stack did not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
const { chain, api, web } = stack;

console.log(`\nTRVL local stack is up.\n`);
if (web) console.log(`  Web      ${web.url}`);
console.log(
  `  Chain    ${chain.url}  (chain id 31337; ${env.CHAIN_BLOCK_INTERVAL_MS ? `a block every ${env.CHAIN_BLOCK_INTERVAL_MS / 1000} s and` : "a block"} per transaction)`,
);
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
console.log(
  "Admin actions go through it: `SAFE_OWNER_PRIVATE_KEY=<owner key> npm run admin -- status` (see docs/contracts-and-economy.md).",
);
if (web && testWallets.length > 0) {
  console.log(`\nTest wallets in the web app (WEB_TEST_WALLET=1): ${testWallets.join(", ")}`);
  console.log("Pick one under Connect Wallet; the local node signs for it.");
}
if (web) {
  console.log("\nIn the web app, the header's Burner wallet is one click in: a key kept in your browser, funded");
  console.log("with test ETH and tUSD by the node's test accounts. Or connect MetaMask to the local chain (RPC above,");
  console.log("chain id 31337) and import a test key from above: the app's wallet prompt shows how.");
}
console.log("Press Ctrl-C to stop.\n");

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log("\nStopping…");
  await stack.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
await new Promise(() => {});
