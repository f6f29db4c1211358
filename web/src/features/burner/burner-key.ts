/**
 * The burner wallet's key: made on first use and kept in this browser's storage, so the same local account comes back
 * after a reload. Local chain only: the key never guards anything of value.
 */
export const BURNER_KEY_STORAGE = "trvl.burnerWallet.key";

const PRIVATE_KEY = /^0x[0-9a-f]{64}$/;
// secp256k1's group order: a key is a number in [1, n).
const CURVE_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** 32 random bytes from Web Crypto, as viem's generatePrivateKey makes them, without loading the curve to do it. */
function newPrivateKey(): `0x${string}` {
  for (;;) {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    const key = `0x${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}` as const;
    const value = BigInt(key);
    if (value > 0n && value < CURVE_ORDER) return key;
  }
}

export interface KeyStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The stored key, or a new one stored now (a damaged entry is replaced rather than trusted). */
export function burnerKey(storage: KeyStore = window.localStorage): `0x${string}` {
  const stored = storage.getItem(BURNER_KEY_STORAGE);
  if (stored && PRIVATE_KEY.test(stored)) return stored as `0x${string}`;
  const key = newPrivateKey();
  storage.setItem(BURNER_KEY_STORAGE, key);
  return key;
}
