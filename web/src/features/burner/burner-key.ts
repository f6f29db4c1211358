/**
 * The burner wallet's key: made on first use and kept in this browser's storage, so the same local account comes back
 * after a reload. Local chain only: the key never guards anything of value.
 */
import { generatePrivateKey } from "viem/accounts";

export const BURNER_KEY_STORAGE = "trvl.burnerWallet.key";

const PRIVATE_KEY = /^0x[0-9a-f]{64}$/;

export interface KeyStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The stored key, or a new one stored now (a damaged entry is replaced rather than trusted). */
export function burnerKey(storage: KeyStore = window.localStorage): `0x${string}` {
  const stored = storage.getItem(BURNER_KEY_STORAGE);
  if (stored && PRIVATE_KEY.test(stored)) return stored as `0x${string}`;
  const key = generatePrivateKey();
  storage.setItem(BURNER_KEY_STORAGE, key);
  return key;
}
