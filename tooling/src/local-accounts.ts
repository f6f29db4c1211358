import { HDNodeWallet, Mnemonic } from "ethers";

/**
 * Who is who on the local chain. Hardhat's default accounts come from a public test mnemonic: their keys are
 * printed by every Hardhat node, and they must never hold value anywhere but a local chain.
 */
export const LOCAL_ACCOUNT_INDEX = {
  deployer: 0,
  relayer: 1,
  quoteSigner: 2,
  keeper: 3,
  supplier: 5,
  traveller: 6,
  referrer: 7,
  referrer2: 8,
  safeOwner1: 17,
  safeOwner2: 18,
  safeOwner3: 19,
} as const;

export type LocalRole = keyof typeof LOCAL_ACCOUNT_INDEX;

/** Chain id of the local chain (Hardhat node and in-process network). */
export const LOCAL_CHAIN_ID = 31337;

/** Hardhat's public test mnemonic. Local chain only. */
export const LOCAL_TEST_MNEMONIC = "test test test test test test test test test test test junk";

/** The local test account at `index`, with its (public, test-only) private key. */
export function localAccount(index: number): { address: string; privateKey: string } {
  const wallet = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(LOCAL_TEST_MNEMONIC), `m/44'/60'/0'/0/${index}`);
  return { address: wallet.address, privateKey: wallet.privateKey };
}

/**
 * What the local Ignition module (`ignition/modules/TRVLLocal.ts`) takes as parameters: the test accounts that own
 * the guardian Safe and hold the quote-signer and settler roles.
 */
export function localDeploymentParameters() {
  const address = (role: LocalRole) => localAccount(LOCAL_ACCOUNT_INDEX[role]).address;
  return {
    LocalSafe: { owners: [address("safeOwner1"), address("safeOwner2"), address("safeOwner3")] },
    TRVLLocal: { quoteSigner: address("quoteSigner"), settler: address("keeper") },
  };
}
