/**
 * Smart-contract wallets whose signature checks burn gas (contracts/mocks/GasBurningWallet.sol, compiled by the test
 * run's chain setup), deployed on the local chain: what an attacker would use to make a sign-in or the relayer pay for
 * its computation.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import {
  encodeFunctionData,
  getAddress,
  keccak256,
  serializeErc6492Signature,
  toHex,
  type Abi,
  type Address,
  type Hex,
} from "viem";
import { expect, inject } from "vitest";

import { REPO_ROOT } from "../../src/config/index.js";
import { fundedAccount, publicClient, wallet } from "./chain.js";

function artifact(name: "GasBurningWallet" | "GasBurningWalletFactory") {
  const file = path.join(REPO_ROOT, "artifacts/contracts/mocks/GasBurningWallet.sol", `${name}.json`);
  return JSON.parse(readFileSync(file, "utf8")) as { abi: Abi; bytecode: Hex };
}

export const gasBurningWalletAbi = artifact("GasBurningWallet").abi;
const factoryAbi = artifact("GasBurningWalletFactory").abi;

/** Any bytes: the wallet accepts every signature once it has burnt its gas. */
export const JUNK_SIGNATURE: Hex = `0x${"11".repeat(65)}`;

async function deploy(name: "GasBurningWallet" | "GasBurningWalletFactory", args: unknown[], url: string) {
  const { abi, bytecode } = artifact(name);
  const hash = await wallet(await fundedAccount(url), url).deployContract({ abi, bytecode, args });
  const receipt = await publicClient(url).waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe("success");
  return getAddress(receipt.contractAddress!);
}

/** A deployed wallet whose `isValidSignature` burns `burn` gas and then accepts any signature. */
export function deployGasBurningWallet(burn: bigint, url: string = inject("chainUrl")): Promise<Address> {
  return deploy("GasBurningWallet", [burn], url);
}

/** Changes the gas `wallet`'s signature checks burn from now on. */
export async function setBurn(address: Address, burn: bigint, url: string = inject("chainUrl")) {
  const hash = await wallet(await fundedAccount(url), url).writeContract({
    address,
    abi: gasBurningWalletAbi,
    functionName: "setBurn",
    args: [burn],
  });
  expect((await publicClient(url).waitForTransactionReceipt({ hash })).status).toBe("success");
}

let salt = 0;

/**
 * A wallet that is not deployed yet, and an ERC-6492 signature for it: the checker first calls the factory to deploy
 * it (a call the signer chose), then asks it; it burns `burn` gas.
 */
export async function counterfactualGasBurner(burn: bigint, url: string = inject("chainUrl")) {
  const factory = await deploy("GasBurningWalletFactory", [], url);
  const walletSalt = keccak256(toHex(`counterfactual ${salt++} ${Math.random()}`));
  const address = await publicClient(url).readContract({
    address: factory,
    abi: factoryAbi,
    functionName: "walletAddress",
    args: [burn, walletSalt],
  });
  const signature = serializeErc6492Signature({
    address: factory,
    data: encodeFunctionData({ abi: factoryAbi, functionName: "deploy", args: [burn, walletSalt] }),
    signature: JUNK_SIGNATURE,
  });
  return { address: getAddress(address as Address), signature };
}
