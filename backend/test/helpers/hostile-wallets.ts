/**
 * Smart-contract wallets whose signature checks burn gas (scripts/lib/gas-burning-wallets.ts), deployed on the test
 * run's chain by a funded account of their own: what an attacker would use to make a sign-in or the relayer pay for
 * its computation.
 */
import { keccak256, toHex, type Address } from "viem";
import { inject } from "vitest";

import * as wallets from "../../../scripts/lib/gas-burning-wallets.js";
import { fundedAccount } from "./chain.js";

export { gasBurningWalletAbi, JUNK_SIGNATURE } from "../../../scripts/lib/gas-burning-wallets.js";

const sender = async (url: string) => ({ url, account: await fundedAccount(url) });

/** A deployed wallet whose `isValidSignature` burns `burn` gas and then accepts any signature. */
export async function deployGasBurningWallet(burn: bigint, url: string = inject("chainUrl")): Promise<Address> {
  return wallets.deployGasBurningWallet(burn, await sender(url));
}

/** Changes the gas `wallet`'s signature checks burn from now on. */
export async function setBurn(address: Address, burn: bigint, url: string = inject("chainUrl")) {
  await wallets.setBurn(address, burn, await sender(url));
}

let salt = 0;

/**
 * A wallet that is not deployed yet, and an ERC-6492 signature for it: the checker first calls the factory to deploy
 * it (a call the signer chose), then asks it; it burns `burn` gas.
 */
export async function counterfactualGasBurner(burn: bigint, url: string = inject("chainUrl")) {
  const factory = await wallets.deployGasBurningWalletFactory(await sender(url));
  return wallets.counterfactualGasBurner(factory, burn, keccak256(toHex(`counterfactual ${salt++} ${Math.random()}`)));
}
