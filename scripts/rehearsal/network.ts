/**
 * What a real L2 already has before TRVL launches on it, put on a local chain that carries the L2's chain id: the
 * canonical Safe 1.4.1 contracts at their canonical addresses (created through the Safe singleton factory by its
 * signed per-chain deployment transaction, as on the real network), Multicall3 at its address, USDC, Chainlink-shaped
 * USD feeds, an L2 sequencer uptime feed and Uniswap v3's factory.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import {
  getCompatibilityFallbackHandlerDeployment,
  getCreateCallDeployment,
  getMultiSendCallOnlyDeployment,
  getMultiSendDeployment,
  getProxyFactoryDeployment,
  getSafeL2SingletonDeployment,
  getSafeSingletonDeployment,
  getSignMessageLibDeployment,
  getSimulateTxAccessorDeployment,
} from "@safe-global/safe-deployments";
import { getSingletonFactoryInfo } from "@safe-global/safe-singleton-factory";
import {
  Contract,
  ContractFactory,
  ZeroAddress,
  type InterfaceAbi,
  ZeroHash,
  concat,
  getCreate2Address,
  keccak256,
} from "ethers";
import type { NetworkConnection } from "hardhat/types/network";

import { MockStablecoin__factory, MockV3Aggregator__factory } from "../../types/ethers-contracts/index.js";

const require = createRequire(import.meta.url);
const SAFE_VERSION = "1.4.1";
const safeArtifact = (file: string): { abi: InterfaceAbi; bytecode: string } =>
  require(`@safe-global/safe-contracts/build/artifacts/contracts/${file}.json`);

/** The canonical Safe contracts by the name our deployments publish them under, with their compiled artifact. */
const CANONICAL_SAFE = {
  SafeSingleton: { artifact: "Safe.sol/Safe", deployment: getSafeSingletonDeployment },
  SafeL2Singleton: { artifact: "SafeL2.sol/SafeL2", deployment: getSafeL2SingletonDeployment },
  SafeProxyFactory: {
    artifact: "proxies/SafeProxyFactory.sol/SafeProxyFactory",
    deployment: getProxyFactoryDeployment,
  },
  CompatibilityFallbackHandler: {
    artifact: "handler/CompatibilityFallbackHandler.sol/CompatibilityFallbackHandler",
    deployment: getCompatibilityFallbackHandlerDeployment,
  },
  MultiSend: { artifact: "libraries/MultiSend.sol/MultiSend", deployment: getMultiSendDeployment },
  MultiSendCallOnly: {
    artifact: "libraries/MultiSendCallOnly.sol/MultiSendCallOnly",
    deployment: getMultiSendCallOnlyDeployment,
  },
  SignMessageLib: { artifact: "libraries/SignMessageLib.sol/SignMessageLib", deployment: getSignMessageLibDeployment },
  CreateCall: { artifact: "libraries/CreateCall.sol/CreateCall", deployment: getCreateCallDeployment },
  SimulateTxAccessor: {
    artifact: "accessors/SimulateTxAccessor.sol/SimulateTxAccessor",
    deployment: getSimulateTxAccessorDeployment,
  },
} as const;

export type CanonicalSafeName = keyof typeof CANONICAL_SAFE;

/** Where `@safe-global/safe-deployments` says each Safe 1.4.1 contract lives on `chainId`. */
export function canonicalSafeAddresses(chainId: number): Record<CanonicalSafeName, string> {
  return Object.fromEntries(
    Object.entries(CANONICAL_SAFE).map(([name, { deployment }]) => {
      const found = deployment({ version: SAFE_VERSION, network: String(chainId), released: true });
      const address = found?.networkAddresses[String(chainId)];
      if (found === undefined || address === undefined) {
        throw new Error(`Safe ${SAFE_VERSION} has no canonical ${name} on chain ${chainId}`);
      }
      return [name, Array.isArray(address) ? address[0] : address];
    }),
  ) as Record<CanonicalSafeName, string>;
}

/**
 * Deploys the Safe singleton factory with its signed deployment transaction for `chainId` (its signer funded first),
 * then every Safe 1.4.1 contract through it from the compiled bytecode of `@safe-global/safe-contracts`, with the
 * zero salt the canonical deployments used. Returns the addresses the factory created.
 */
async function deployCanonicalSafe(connection: NetworkConnection<"l1">, funder: HardhatEthersSigner) {
  const { ethers } = connection;
  const chainId = Number((await ethers.provider.getNetwork()).chainId);
  const factory = getSingletonFactoryInfo(chainId);
  if (factory === undefined) throw new Error(`the Safe singleton factory has no deployment for chain ${chainId}`);
  await (
    await funder.sendTransaction({ to: factory.signerAddress, value: BigInt(factory.gasPrice * factory.gasLimit) })
  ).wait();
  // The transaction was signed once with a low gas price; a local chain's base fee starts above it.
  await ethers.provider.send("hardhat_setNextBlockBaseFeePerGas", ["0x0"]);
  await ethers.provider.waitForTransaction(await ethers.provider.send("eth_sendRawTransaction", [factory.transaction]));
  const deployed = {} as Record<CanonicalSafeName, string>;
  for (const [name, { artifact }] of Object.entries(CANONICAL_SAFE) as [CanonicalSafeName, { artifact: string }][]) {
    const { bytecode } = safeArtifact(artifact);
    const address = getCreate2Address(factory.address, ZeroHash, keccak256(bytecode));
    await (await funder.sendTransaction({ to: factory.address, data: concat([ZeroHash, bytecode]) })).wait();
    if ((await ethers.provider.getCode(address)) === "0x") throw new Error(`the Safe factory did not create ${name}`);
    deployed[name] = address;
  }
  return deployed;
}

/**
 * A Safe created through the canonical proxy factory as Safe{Wallet} creates one on an L2: the SafeL2 singleton,
 * the compatibility fallback handler, `threshold` of `owners`. Its address is the factory's CREATE2 prediction.
 */
async function createSafe(
  signer: HardhatEthersSigner,
  safe: Record<CanonicalSafeName, string>,
  owners: string[],
  threshold: number,
  saltNonce: bigint,
): Promise<string> {
  const singleton = new Contract(
    safe.SafeL2Singleton,
    safeArtifact(CANONICAL_SAFE.SafeL2Singleton.artifact).abi,
    signer,
  );
  const proxyFactory = new Contract(
    safe.SafeProxyFactory,
    safeArtifact(CANONICAL_SAFE.SafeProxyFactory.artifact).abi,
    signer,
  );
  const setup = singleton.interface.encodeFunctionData("setup", [
    owners,
    threshold,
    ZeroAddress,
    "0x",
    safe.CompatibilityFallbackHandler,
    ZeroAddress,
    0,
    ZeroAddress,
  ]);
  const salt = keccak256(concat([keccak256(setup), ethersUint256(saltNonce)]));
  const initCode = concat([await proxyFactory.proxyCreationCode(), ethersUint256(BigInt(safe.SafeL2Singleton))]);
  const predicted = getCreate2Address(safe.SafeProxyFactory, salt, keccak256(initCode));
  await (await proxyFactory.createProxyWithNonce(safe.SafeL2Singleton, setup, saltNonce)).wait();
  if ((await signer.provider!.getCode(predicted)) === "0x")
    throw new Error("the proxy factory did not create the Safe");
  return predicted;
}

function ethersUint256(value: bigint): string {
  return "0x" + value.toString(16).padStart(64, "0");
}

/** Multicall3's creation code as viem (which calls it at its canonical address on every chain it knows) ships it. */
async function multicall3CreationCode(): Promise<string> {
  const viemRoot = path.dirname(require.resolve("viem/package.json"));
  const source = await readFile(path.join(viemRoot, "_cjs", "constants", "contracts.js"), "utf8");
  const match = /multicall3Bytecode = '(0x[0-9a-f]+)'/.exec(source);
  if (match === null) throw new Error("viem no longer ships Multicall3's bytecode where the rehearsal reads it");
  return match[1];
}

/** Multicall3 at 0xcA11…CA11, where viem's definition of every public chain expects it. */
async function placeMulticall3(connection: NetworkConnection<"l1">, signer: HardhatEthersSigner) {
  const { ethers } = connection;
  const deployed = await new ContractFactory([], await multicall3CreationCode(), signer).deploy();
  await deployed.waitForDeployment();
  await ethers.provider.send("hardhat_setCode", [MULTICALL3, await ethers.provider.getCode(deployed)]);
}

export const MULTICALL3 = "0xcA11bde05977b3631167028862bE2a173976CA11";

const usd8 = (dollars: number) => BigInt(Math.round(dollars * 1e8));

/**
 * Puts on the chain of `connection` what the L2 has before TRVL: the canonical Safe contracts and a 2-of-3 guardian
 * Safe of `safeOwners` created through them, Multicall3, USDC with USD feeds for it and ETH, a sequencer uptime
 * feed reporting "up" since now, and a Uniswap v3 factory deployed from Uniswap's compiled artifact.
 */
export async function prepareNetwork(
  connection: NetworkConnection<"l1">,
  deployer: HardhatEthersSigner,
  safeOwners: string[],
) {
  const safe = await deployCanonicalSafe(connection, deployer);
  const guardian = await createSafe(deployer, safe, safeOwners, 2, 0n);
  await placeMulticall3(connection, deployer);
  const usdc = await new MockStablecoin__factory(deployer).deploy();
  const usdcUsd = await new MockV3Aggregator__factory(deployer).deploy(8, usd8(1));
  const ethUsd = await new MockV3Aggregator__factory(deployer).deploy(8, usd8(3000));
  const sequencerUptime = await new MockV3Aggregator__factory(deployer).deploy(0, 0); // answer 0: up, since now
  const uniswapArtifact = require("@uniswap/v3-core/artifacts/contracts/UniswapV3Factory.sol/UniswapV3Factory.json");
  const uniswap = await new ContractFactory(uniswapArtifact.abi, uniswapArtifact.bytecode, deployer).deploy();
  await uniswap.waitForDeployment();
  return { safe, guardian, usdc, usdcUsd, ethUsd, sequencerUptime, uniswap };
}
