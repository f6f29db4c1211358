import { createRequire } from "node:module";

import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";

import branchCoverage from "./scripts/coverage/plugin.js";

const require = createRequire(import.meta.url);

// solc comes from npm (pinned in package.json), never downloaded at run time.
const solc0828 = require.resolve("solc/soljson.js");
// Safe 1.4.1 is deployed on the local chain compiled as it was released: with solc 0.7.6.
const solc076 = require.resolve("solc-0.7.6/soljson.js");
const SAFE_CONTRACTS = [
  "Safe.sol",
  "proxies/SafeProxyFactory.sol",
  "handler/CompatibilityFallbackHandler.sol",
  "libraries/MultiSend.sol",
  "libraries/MultiSendCallOnly.sol",
  "libraries/SignMessageLib.sol",
  "libraries/CreateCall.sol",
  "accessors/SimulateTxAccessor.sol",
].map((file) => `@safe-global/safe-contracts/contracts/${file}`);
const safeOverrides = Object.fromEntries(
  SAFE_CONTRACTS.map((file) => [
    file,
    { version: "0.7.6", path: solc076, settings: { optimizer: { enabled: false }, evmVersion: "istanbul" } },
  ]),
);

function solc(version: "0.8.28", runs: number) {
  return { version, path: solc0828, settings: { evmVersion: "cancun", optimizer: { enabled: true, runs } } };
}

/** Real networks: RPC URL and deployer key come from the environment, and are read only when the network is used. */
function realNetworks(networks: Record<string, [chainId: number, rpcUrlVariable: string]>) {
  return Object.fromEntries(
    Object.entries(networks).map(([name, [chainId, rpcUrlVariable]]) => [
      name,
      {
        type: "http" as const,
        chainType: "l1" as const,
        chainId,
        url: configVariable(rpcUrlVariable),
        accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
      },
    ]),
  );
}

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers, branchCoverage],
  solidity: {
    // Deployed from npm packages, so they need artifacts of their own: Chainlink's mock aggregator (local chain),
    // OpenZeppelin's timelock, and the Safe contracts (local chain).
    npmFilesToBuild: [
      "@chainlink/contracts/src/v0.8/tests/MockV3Aggregator.sol",
      "@openzeppelin/contracts/governance/TimelockController.sol",
      ...SAFE_CONTRACTS,
    ],
    profiles: {
      // Tests, coverage and the local chain: one compilation job, optimised for 200 runs. (With 10,000 runs the
      // WebAssembly solc runs out of memory on the whole project in one job.)
      default: {
        compilers: [solc("0.8.28", 200)],
        overrides: safeOverrides,
      },
      // Real deployments and the gas benchmark: optimised for 10,000 runs, one job per file.
      production: {
        isolated: true,
        compilers: [solc("0.8.28", 10_000)],
        overrides: safeOverrides,
      },
    },
  },
  // Mocks are test doubles: coverage is measured, and enforced, on the protocol's own contracts.
  coverage: { skipFiles: ["contracts/mocks/**"] },
  test: {
    solidity: {
      fuzz: { runs: 256 },
      invariant: { runs: 64, depth: 48, failOnRevert: true },
    },
  },
  paths: {
    sources: "contracts",
    tests: { mocha: "test", solidity: "test" },
  },
  networks: {
    localhost: { type: "http", chainType: "l1", url: "http://127.0.0.1:8545" },
    ...realNetworks({
      base: [8453, "BASE_RPC_URL"],
      baseSepolia: [84532, "BASE_SEPOLIA_RPC_URL"],
      arbitrum: [42161, "ARBITRUM_RPC_URL"],
      arbitrumSepolia: [421614, "ARBITRUM_SEPOLIA_RPC_URL"],
      polygon: [137, "POLYGON_RPC_URL"],
      polygonAmoy: [80002, "POLYGON_AMOY_RPC_URL"],
    }),
  },
});
