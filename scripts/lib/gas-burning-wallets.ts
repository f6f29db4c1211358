/**
 * Smart-contract wallets whose signature checks burn gas (contracts/mocks/GasBurningWallet.sol, from the Hardhat
 * artifacts), on the local chain: what an attacker would use to make a sign-in or the relayer pay for its computation.
 * Shared by the backend's tests (test/helpers/hostile-wallets.ts) and the hostile-load benchmark.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import {
  concat,
  createPublicClient,
  createWalletClient,
  encodeAbiParameters,
  encodeFunctionData,
  getAddress,
  getContractAddress,
  http,
  serializeErc6492Signature,
  type Abi,
  type Address,
  type Hex,
  type PrivateKeyAccount,
} from "viem";
import { hardhat } from "viem/chains";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

type Contract = "GasBurningWallet" | "GasBurningWalletFactory";

function artifact(name: Contract) {
  const file = path.join(ROOT, "artifacts/contracts/mocks/GasBurningWallet.sol", `${name}.json`);
  return JSON.parse(readFileSync(file, "utf8")) as { abi: Abi; bytecode: Hex };
}

export const gasBurningWalletAbi = artifact("GasBurningWallet").abi;
export const gasBurningWalletFactoryAbi = artifact("GasBurningWalletFactory").abi;

/** Any bytes: the wallet accepts every signature once it has burnt its gas. */
export const JUNK_SIGNATURE: Hex = `0x${"11".repeat(65)}`;

/** Who sends the deployments and the burn changes: a funded account on the chain at `url`. */
export interface Sender {
  url: string;
  account: PrivateKeyAccount;
}

const clients = ({ url, account }: Sender) => ({
  wallet: createWalletClient({ account, chain: hardhat, transport: http(url) }),
  chain: createPublicClient({ chain: hardhat, transport: http(url) }),
});

async function deploy(name: Contract, args: unknown[], sender: Sender): Promise<Address> {
  const { abi, bytecode } = artifact(name);
  const { wallet, chain } = clients(sender);
  const receipt = await chain.waitForTransactionReceipt({ hash: await wallet.deployContract({ abi, bytecode, args }) });
  if (receipt.status !== "success") throw new Error(`deploying ${name} reverted (${receipt.transactionHash})`);
  return getAddress(receipt.contractAddress!);
}

/** A deployed wallet whose `isValidSignature` burns `burn` gas and then accepts any signature. */
export function deployGasBurningWallet(burn: bigint, sender: Sender): Promise<Address> {
  return deploy("GasBurningWallet", [burn], sender);
}

/** A factory that deploys such wallets at addresses known in advance (CREATE2), for ERC-6492 signatures. */
export function deployGasBurningWalletFactory(sender: Sender): Promise<Address> {
  return deploy("GasBurningWalletFactory", [], sender);
}

/** Changes the gas `wallet`'s signature checks burn from now on. */
export async function setBurn(address: Address, burn: bigint, sender: Sender) {
  const { wallet, chain } = clients(sender);
  const hash = await wallet.writeContract({ address, abi: gasBurningWalletAbi, functionName: "setBurn", args: [burn] });
  const receipt = await chain.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`setBurn on ${address} reverted (${hash})`);
}

/**
 * A wallet that `factory` has not deployed yet, and an ERC-6492 signature for it: the checker first calls the factory
 * to deploy it (a call the signer chose), then asks it; it burns `burn` gas. The address is computed here, as the
 * factory's `walletAddress(burn, salt)` computes it, without asking the chain.
 */
export function counterfactualGasBurner(
  factory: Address,
  burn: bigint,
  salt: Hex,
): { address: Address; signature: Hex } {
  const { bytecode } = artifact("GasBurningWallet");
  const address = getContractAddress({
    opcode: "CREATE2",
    from: factory,
    salt,
    bytecode: concat([bytecode, encodeAbiParameters([{ type: "uint256" }], [burn])]),
  });
  const signature = serializeErc6492Signature({
    address: factory,
    data: encodeFunctionData({ abi: gasBurningWalletFactoryAbi, functionName: "deploy", args: [burn, salt] }),
    signature: JUNK_SIGNATURE,
  });
  return { address, signature };
}
