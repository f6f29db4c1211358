import { hardhat } from "viem/chains";
import { recoverMessageAddress, recoverTypedDataAddress } from "viem";
import { describe, expect, it } from "vitest";

import { BURNER_KEY_STORAGE, burnerKey, type KeyStore } from "./burner-key";
import { burnerProvider } from "./burner-provider";
import { FAUCET_ETH, FAUCET_USD, faucetNeeds } from "./faucet";

function memoryStore(initial: Record<string, string> = {}): KeyStore & { data: Record<string, string> } {
  const data = { ...initial };
  return { data, getItem: (k) => data[k] ?? null, setItem: (k, v) => void (data[k] = v) };
}

describe("the burner wallet's key", () => {
  it("is made once and kept: the same key comes back on the next visit", () => {
    const store = memoryStore();
    const key = burnerKey(store);
    expect(key).toMatch(/^0x[0-9a-f]{64}$/);
    expect(store.data[BURNER_KEY_STORAGE]).toBe(key);
    expect(burnerKey(store)).toBe(key);
  });

  it("replaces a damaged entry instead of using it", () => {
    const store = memoryStore({ [BURNER_KEY_STORAGE]: "0x1234" });
    const key = burnerKey(store);
    expect(key).not.toBe("0x1234");
    expect(store.data[BURNER_KEY_STORAGE]).toBe(key);
  });
});

describe("the burner wallet's provider", () => {
  const key = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d" as const;
  const provider = burnerProvider(hardhat, key);

  it("answers with its own account on the local chain", async () => {
    expect(await provider.request({ method: "eth_requestAccounts" })).toEqual([provider.address]);
    expect(await provider.request({ method: "eth_chainId" })).toBe("0x7a69");
  });

  it("signs a sign-in message and typed data (a permit) with its key, without asking", async () => {
    const message = "Sign in to TRVL";
    const signature = (await provider.request({
      method: "personal_sign",
      params: ["0x5369676e20696e20746f205452564c", provider.address],
    })) as `0x${string}`;
    expect(await recoverMessageAddress({ message, signature })).toBe(provider.address);
    const typed = {
      domain: { name: "Test USD", version: "1", chainId: 31337 },
      types: { Note: [{ name: "amount", type: "uint256" }] },
      primaryType: "Note" as const,
      message: { amount: "5" },
    };
    const typedSignature = (await provider.request({
      method: "eth_signTypedData_v4",
      params: [provider.address, JSON.stringify(typed)],
    })) as `0x${string}`;
    expect(await recoverTypedDataAddress({ ...typed, message: { amount: 5n }, signature: typedSignature })).toBe(
      provider.address,
    );
  });

  it("refuses to switch to any other chain", async () => {
    await expect(
      provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId: "0x1" }] }),
    ).rejects.toThrow(/local chain \(31337\) only/);
    expect(await provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId: "0x7a69" }] })).toBe(
      null,
    );
  });
});

describe("the faucet", () => {
  it("tops up what ran low, and only that", () => {
    expect(faucetNeeds({ eth: 0n, usd: 0n })).toEqual({ eth: FAUCET_ETH, usd: FAUCET_USD });
    expect(faucetNeeds({ eth: FAUCET_ETH, usd: FAUCET_USD / 10n - 1n })).toEqual({ eth: 0n, usd: FAUCET_USD });
    expect(faucetNeeds({ eth: FAUCET_ETH / 10n, usd: FAUCET_USD / 10n })).toEqual({ eth: 0n, usd: 0n });
  });
});
