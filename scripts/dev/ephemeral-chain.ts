/**
 * A throwaway local chain for tests and benchmarks (run with `hardhat run`): the whole system deployed as by
 * `npm start`, on a free port, with its own Ignition journal so it can run beside `npm start`. Prints one JSON line
 * `{"url": …}` when ready; stops on SIGTERM/SIGINT or when its parent closes stdin.
 */
import hre from "hardhat";

import { startLocalChain } from "./chain.js";
import { serveUntilStopped } from "../lib/serve-until-stopped.js";

const chain = await startLocalChain(hre, "127.0.0.1", Number(process.env.CHAIN_PORT ?? 0), {
  deploymentId: `ephemeral-${process.pid}`,
});
console.log(JSON.stringify({ url: chain.url, contracts: chain.contracts }));

await serveUntilStopped(() => chain.close());
