/**
 * The launch rehearsal as a running chain (run with `hardhat run`): a node with Base Sepolia's chain id on a free
 * port (CHAIN_PORT), the production deployment on it as `npm run generate` records it (so at the addresses
 * `@trvl/abi` publishes for 84532, which it checks), opened for bookings, mining a block every REHEARSAL_BLOCK_MS
 * (default 250) as an L2 does. The backend and web run against it with configuration only. Prints one JSON line
 * `{"url": …, "contracts": …}` when ready; stops on SIGTERM/SIGINT or when its parent closes stdin.
 */
import { rm } from "node:fs/promises";
import path from "node:path";

import { getDeployment } from "@trvl/abi";
import hre from "hardhat";

import { REHEARSAL_CHAIN_ID, openForBookings, rehearseLaunch } from "./launch.js";
import { serveUntilStopped } from "../lib/serve-until-stopped.js";

const server = await hre.network.createServer(
  {
    network: "default",
    chainType: "l1",
    override: { chainId: REHEARSAL_CHAIN_ID, allowBlocksWithSameTimestamp: true },
  },
  "127.0.0.1",
  Number(process.env.CHAIN_PORT ?? 0),
);
const listening = await server.listen();
const url = `http://${listening.address}:${listening.port}`;
// A journal of its own, so that it runs beside `npm run generate` and other rehearsals.
const deploymentId = `ephemeral-rehearsal-${process.pid}`;
const journal = path.join(hre.config.paths.ignition, "deployments", deploymentId);
const connection = await hre.network.create({ network: "localhost", chainType: "l1", override: { url } });
const rehearsal = await rehearseLaunch(connection, { deploymentId });
await rm(journal, { recursive: true, force: true });

const published = getDeployment(REHEARSAL_CHAIN_ID).contracts as Record<string, { address: string }>;
for (const [name, address] of Object.entries(rehearsal.addresses)) {
  if (published[name]?.address !== address) {
    throw new Error(
      `${name} deployed at ${address} but @trvl/abi says ${published[name]?.address} for ${REHEARSAL_CHAIN_ID}: run \`npm run generate\``,
    );
  }
}
await openForBookings(rehearsal);
await connection.provider.request({
  method: "evm_setIntervalMining",
  params: [Number(process.env.REHEARSAL_BLOCK_MS ?? 250)],
});
await connection.close();
console.log(JSON.stringify({ url, contracts: rehearsal.addresses }));

await serveUntilStopped(() => server.close());
