/**
 * Writes abi/src/generated/{abis,deployments}.ts: the ABIs from the compiled artifacts, the local chain's
 * addresses from a fresh in-process deployment of the local Ignition module, and every real network's addresses
 * from ignition/deployments. `npm run generate` runs it; do it after changing a contract or deploying somewhere.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import hre from "hardhat";

import { generatedDir, renderGenerated } from "./generated.js";

const dir = generatedDir(hre);
await mkdir(dir, { recursive: true });
for (const [file, content] of Object.entries(await renderGenerated(hre))) {
  await writeFile(path.join(dir, file), content);
  console.log(`wrote ${path.relative(hre.config.paths.root, path.join(dir, file))}`);
}
