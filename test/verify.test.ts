import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

import { verifyContract } from "@nomicfoundation/hardhat-verify/verify";
import { expect } from "chai";
import { AbiCoder } from "ethers";
import hre from "hardhat";
import { createHardhatRuntimeEnvironment } from "hardhat/hre";

import userConfig, { ETHERSCAN_API_URL, REAL_NETWORKS } from "../hardhat.config.js";

/** Hardhat's first default account: funded on every in-process chain. Test-only, never a real key. */
const TEST_DEPLOYER_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const BASE_SEPOLIA = 84532;

interface ExplorerRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  form: Record<string, string>;
}

/** A block explorer's API as Etherscan and Blockscout answer it: nothing verified yet, every submission passes. */
async function stubExplorer() {
  const requests: ExplorerRequest[] = [];
  const readBody = async (req: IncomingMessage) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    return body;
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://stub");
    const body = await readBody(req);
    const form = Object.fromEntries(new URLSearchParams(body));
    const query = Object.fromEntries(url.searchParams);
    requests.push({ method: req.method ?? "", path: url.pathname, query, form });
    const answer = (() => {
      switch (query.action) {
        case "getsourcecode":
          return { status: "1", message: "OK", result: [{ SourceCode: "" }] };
        case "verifysourcecode":
          return { status: "1", message: "OK", result: "guid-1" };
        case "checkverifystatus":
          return { status: "1", message: "OK", result: "Pass - Verified" };
        default:
          return { status: "0", message: "NOTOK", result: `unexpected action ${query.action}` };
      }
    })();
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe("Source verification (hardhat-verify, explorers per network)", () => {
  it("configures every real network with its chain id, an RPC URL from the environment and its explorers", async () => {
    for (const [name, network] of Object.entries(REAL_NETWORKS)) {
      const config = hre.config.networks[name];
      expect(config, name).to.include({ type: "http", chainId: network.chainId });
      const explorers = hre.config.chainDescriptors.get(BigInt(network.chainId))?.blockExplorers;
      expect(explorers?.etherscan, name).to.deep.include({ url: network.etherscan, apiUrl: ETHERSCAN_API_URL });
      if ("blockscout" in network) {
        expect(explorers?.blockscout, name).to.deep.include({ apiUrl: `${network.blockscout}/api` });
      }
    }
    expect(Object.keys(REAL_NETWORKS)).to.include.members([
      "mainnet",
      "sepolia",
      "base",
      "baseSepolia",
      "arbitrum",
      "polygon",
    ]);
  });

  it("sends Etherscan and Blockscout the contract's standard JSON input, constructor arguments and chain id", async function () {
    this.timeout(120_000);
    const explorer = await stubExplorer();
    // A local chain with Base Sepolia's chain id, served over HTTP as a real network's node would be.
    const chain = await hre.network.createServer(
      { network: "default", chainType: "l1", override: { chainId: BASE_SEPOLIA } },
      "127.0.0.1",
      0,
    );
    const { address: host, port } = await chain.listen();
    // The real network's configuration reads its RPC URL and keys from the environment: set them for this test only.
    const env = {
      BASE_SEPOLIA_RPC_URL: `http://${host}:${port}`,
      DEPLOYER_PRIVATE_KEY: TEST_DEPLOYER_KEY,
      ETHERSCAN_API_KEY: "test-etherscan-key",
    };
    const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
    Object.assign(process.env, env);
    try {
      // The project's configuration, with Base Sepolia's explorers answering locally.
      const local = await createHardhatRuntimeEnvironment(
        {
          ...userConfig,
          chainDescriptors: {
            ...userConfig.chainDescriptors,
            [BASE_SEPOLIA]: {
              name: "baseSepolia",
              blockExplorers: {
                etherscan: { url: explorer.url, apiUrl: `${explorer.url}/etherscan/api` },
                blockscout: { url: explorer.url, apiUrl: `${explorer.url}/blockscout/api` },
              },
            },
          },
        },
        { network: "baseSepolia", buildProfile: "default" },
        hre.config.paths.root,
      );
      const connection = await local.network.create();
      const [deployer] = await connection.ethers.getSigners();
      const token = await connection.ethers.deployContract("TRVLToken", [deployer.address]);
      await token.waitForDeployment();
      const address = await token.getAddress();
      const logs: string[] = [];
      const log = (line: string) => logs.push(line);
      const originalLog = console.log;
      console.log = log;
      try {
        expect(await verifyContract({ address, constructorArgs: [deployer.address] }, local)).to.equal(true);
        expect(
          await verifyContract({ address, constructorArgs: [deployer.address], provider: "blockscout" }, local),
        ).to.equal(true);
      } finally {
        console.log = originalLog;
      }
      await connection.close();

      const constructorArgs = AbiCoder.defaultAbiCoder().encode(["address"], [deployer.address]).slice(2);
      for (const [explorerName, apiKey] of [
        ["etherscan", "test-etherscan-key"],
        ["blockscout", undefined],
      ] as const) {
        const seen = explorer.requests.filter((r) => r.path === `/${explorerName}/api`);
        const actions = seen.map((r) => r.query.action);
        expect(actions, explorerName).to.deep.equal(["getsourcecode", "verifysourcecode", "checkverifystatus"]);
        const [lookup, submission, status] = seen;
        expect(lookup.query.address).to.equal(address);
        expect(submission.method).to.equal("POST");
        if (apiKey !== undefined) {
          for (const r of seen) expect(r.query).to.include({ chainid: String(BASE_SEPOLIA), apikey: apiKey });
        }
        expect(submission.form).to.include({
          contractaddress: address,
          codeformat: "solidity-standard-json-input",
          contractname: "project/contracts/token/TRVLToken.sol:TRVLToken",
        });
        expect(submission.form.compilerversion).to.match(/^v0\.8\.28\+commit\.[0-9a-f]{8}$/);
        const argsField = submission.form.constructorArguements ?? submission.form.constructorArguments;
        expect(argsField).to.equal(constructorArgs);
        const input = JSON.parse(submission.form.sourceCode);
        expect(input.language).to.equal("Solidity");
        expect(input.settings).to.deep.include({ evmVersion: "cancun", optimizer: { enabled: true, runs: 200 } });
        expect(Object.keys(input.sources)).to.include("project/contracts/token/TRVLToken.sol");
        expect(status.query.guid).to.equal("guid-1");
      }
      expect(explorer.requests.every((r) => r.path.endsWith("/api"))).to.equal(true);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await chain.close();
      await explorer.close();
    }
  });
});
