import { createRequire } from "node:module";

import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);

// solc comes from npm (pinned in package.json), never downloaded at run time.
const solc0828 = require.resolve("solc/soljson.js");

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
  plugins: [hardhatToolboxMochaEthers],
  solidity: {
    // Chainlink's mock aggregator is deployed on the local chain, so it needs an artifact of its own.
    npmFilesToBuild: ["@chainlink/contracts/src/v0.8/tests/MockV3Aggregator.sol"],
    profiles: {
      default: {
        version: "0.8.28",
        path: solc0828,
        settings: {
          evmVersion: "cancun",
          optimizer: { enabled: true, runs: 10_000 },
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
