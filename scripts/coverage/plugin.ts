/**
 * A Hardhat plugin that adds decision coverage to `hardhat test --coverage`: after Hardhat's statement
 * instrumentation of a project file, every decision (see branches.ts) reports its outcome through the same hit
 * channel, with the tags `outcomeTag` computes. Builds without `--coverage` are untouched.
 */
import type { HardhatPlugin } from "hardhat/types/plugins";

const plugin: HardhatPlugin = {
  id: "trvl:branch-coverage",
  hookHandlers: { solidity: () => import("./solidity-hooks.js") },
};

export default plugin;
