/**
 * Writes abi/src/generated/{abis,deployments}.ts: the ABIs from the compiled artifacts, the local chain's
 * addresses from a fresh in-process deployment of the local Ignition module, every real network's addresses
 * from ignition/deployments, and chain 84532's from the launch rehearsal, which it first runs again (recorded
 * under ignition/deployments/rehearsal-84532). `npm run generate` runs it; do it after changing a contract or
 * deploying somewhere.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import hre from "hardhat";

import { REHEARSAL_CHAIN_ID, REHEARSAL_DEPLOYMENT_ID, rehearseLaunch } from "../rehearsal/launch.js";
import { generatedDir, rehearsalDeploymentDir, renderGenerated } from "./generated.js";

/** The launch rehearsal on a fresh chain with Base Sepolia's id, served over HTTP so Ignition records it. */
async function recordRehearsal() {
  const server = await hre.network.createServer(
    { network: "default", chainType: "l1", override: { chainId: REHEARSAL_CHAIN_ID } },
    "127.0.0.1",
    0,
  );
  const { address, port } = await server.listen();
  try {
    await rm(rehearsalDeploymentDir(hre), { recursive: true, force: true });
    const connection = await hre.network.create({
      network: "localhost",
      chainType: "l1",
      override: { url: `http://${address}:${port}` },
    });
    await rehearseLaunch(connection, { deploymentId: REHEARSAL_DEPLOYMENT_ID });
    await connection.close();
    // Only the addresses and the journal (deployment blocks) are read back; nobody verifies a rehearsal's sources.
    for (const copies of ["artifacts", "build-info"]) {
      await rm(path.join(rehearsalDeploymentDir(hre), copies), { recursive: true, force: true });
    }
    console.log(
      `recorded the launch rehearsal in ${path.relative(hre.config.paths.root, rehearsalDeploymentDir(hre))}`,
    );
  } finally {
    await server.close();
  }
}

await recordRehearsal();
const dir = generatedDir(hre);
await mkdir(dir, { recursive: true });
for (const [file, content] of Object.entries(await renderGenerated(hre))) {
  await writeFile(path.join(dir, file), content);
  console.log(`wrote ${path.relative(hre.config.paths.root, path.join(dir, file))}`);
}
