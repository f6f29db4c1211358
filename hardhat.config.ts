import { createRequire } from "node:module";

import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import hardhatVerify from "@nomicfoundation/hardhat-verify";
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

/**
 * Real networks: chain id, the environment variable of the RPC URL, and the block explorers that verify sources
 * (Etherscan's multichain API, keyed by chain id; the chain's Blockscout where one exists).
 */
export const REAL_NETWORKS = {
  mainnet: {
    chainId: 1,
    rpcUrl: "MAINNET_RPC_URL",
    etherscan: "https://etherscan.io",
    blockscout: "https://eth.blockscout.com",
  },
  sepolia: {
    chainId: 11155111,
    rpcUrl: "SEPOLIA_RPC_URL",
    etherscan: "https://sepolia.etherscan.io",
    blockscout: "https://eth-sepolia.blockscout.com",
  },
  base: {
    chainId: 8453,
    rpcUrl: "BASE_RPC_URL",
    etherscan: "https://basescan.org",
    blockscout: "https://base.blockscout.com",
  },
  baseSepolia: {
    chainId: 84532,
    rpcUrl: "BASE_SEPOLIA_RPC_URL",
    etherscan: "https://sepolia.basescan.org",
    blockscout: "https://base-sepolia.blockscout.com",
  },
  arbitrum: {
    chainId: 42161,
    rpcUrl: "ARBITRUM_RPC_URL",
    etherscan: "https://arbiscan.io",
    blockscout: "https://arbitrum.blockscout.com",
  },
  arbitrumSepolia: {
    chainId: 421614,
    rpcUrl: "ARBITRUM_SEPOLIA_RPC_URL",
    etherscan: "https://sepolia.arbiscan.io",
    blockscout: "https://arbitrum-sepolia.blockscout.com",
  },
  polygon: {
    chainId: 137,
    rpcUrl: "POLYGON_RPC_URL",
    etherscan: "https://polygonscan.com",
    blockscout: "https://polygon.blockscout.com",
  },
  polygonAmoy: { chainId: 80002, rpcUrl: "POLYGON_AMOY_RPC_URL", etherscan: "https://amoy.polygonscan.com" },
} satisfies Record<string, { chainId: number; rpcUrl: string; etherscan: string; blockscout?: string }>;

/** Etherscan's API (v2) serves every chain it indexes from one URL, with the chain id as a parameter. */
export const ETHERSCAN_API_URL = "https://api.etherscan.io/v2/api";

/** RPC URL and deployer key come from the environment, and are read only when the network is used. */
const realNetworks = Object.fromEntries(
  Object.entries(REAL_NETWORKS).map(([name, { chainId, rpcUrl }]) => [
    name,
    {
      type: "http" as const,
      chainType: "l1" as const,
      chainId,
      url: configVariable(rpcUrl),
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    },
  ]),
);

/** The explorers of each real network, so that verification never has to look them up online. */
const chainDescriptors = Object.fromEntries(
  Object.entries(REAL_NETWORKS).map(([name, network]) => [
    network.chainId,
    {
      name,
      blockExplorers: {
        etherscan: { url: network.etherscan, apiUrl: ETHERSCAN_API_URL },
        ...("blockscout" in network
          ? { blockscout: { url: network.blockscout, apiUrl: `${network.blockscout}/api` } }
          : {}),
      },
    },
  ]),
);

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers, hardhatVerify, branchCoverage],
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
        overrides: {
          ...safeOverrides,
          // Above a few hundred runs the distributor's code exceeds the 24,576-byte limit (EIP-170).
          "contracts/rewards/RewardDistributor.sol": solc("0.8.28", 200),
        },
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
    ...realNetworks,
  },
  chainDescriptors,
  // Source verification (`npx hardhat verify [blockscout] --network <name> <address> <args…>`): Etherscan needs a
  // key (one key serves every chain), the public Blockscout instances none.
  verify: { etherscan: { apiKey: configVariable("ETHERSCAN_API_KEY") } },
});
