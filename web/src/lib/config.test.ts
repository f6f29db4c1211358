import { afterEach, describe, expect, it, vi } from "vitest";

const A = "0x976EA74026E726554dB657fA54763abd0C3a0aa9";
const B = "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955";

async function load(env: Record<string, string>) {
  vi.resetModules();
  vi.unstubAllEnvs();
  for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
  return (await import("./config")).config;
}

afterEach(() => vi.unstubAllEnvs());

describe("web configuration", () => {
  it("has local defaults", async () => {
    const config = await load({});
    expect(config.apiUrl).toBe("http://127.0.0.1:8787");
    expect(config.defaultChainId).toBe(31337);
    expect(config.testWalletAccounts).toEqual([]);
  });

  it("offers test wallets only when the test flag is set", async () => {
    expect((await load({ NEXT_PUBLIC_TEST_WALLET_ACCOUNT: `${A},${B}` })).testWalletAccounts).toEqual([]);
    expect(
      (await load({ NEXT_PUBLIC_TEST_WALLET: "1", NEXT_PUBLIC_TEST_WALLET_ACCOUNT: `${A},${B}` })).testWalletAccounts,
    ).toEqual([A, B]);
  });

  it("stops the build with a message naming a bad variable", async () => {
    await expect(load({ NEXT_PUBLIC_TEST_WALLET: "1", NEXT_PUBLIC_TEST_WALLET_ACCOUNT: "0x123" })).rejects.toThrow(
      /NEXT_PUBLIC_TEST_WALLET_ACCOUNT/,
    );
    await expect(load({ NEXT_PUBLIC_API_URL: "not a url" })).rejects.toThrow(/NEXT_PUBLIC_API_URL/);
    await expect(load({ NEXT_PUBLIC_API_URL: "ftp://127.0.0.1" })).rejects.toThrow(/NEXT_PUBLIC_API_URL/);
    await expect(load({ NEXT_PUBLIC_CHAIN_ID: "0" })).rejects.toThrow(/NEXT_PUBLIC_CHAIN_ID/);
    await expect(load({ NEXT_PUBLIC_CHAINS: "8453,base" })).rejects.toThrow(/NEXT_PUBLIC_CHAINS/);
    await expect(load({ NEXT_PUBLIC_TEST_WALLET: "yes" })).rejects.toThrow(/NEXT_PUBLIC_TEST_WALLET/);
    for (const rpc of ["[]", "not json", '{"8453": 1}', '{"base": "https://rpc.example"}', '{"8453": "nope"}'])
      await expect(load({ NEXT_PUBLIC_RPC_URLS: rpc })).rejects.toThrow(/NEXT_PUBLIC_RPC_URLS/);
  });

  it("reads chains and RPC URLs, keeping the local chain's default", async () => {
    const config = await load({
      NEXT_PUBLIC_API_URL: "https://api.trvl.example/",
      NEXT_PUBLIC_CHAIN_ID: "84532",
      NEXT_PUBLIC_CHAINS: "84532,8453",
      NEXT_PUBLIC_RPC_URLS: '{"84532": "https://sepolia.base.example"}',
    });
    expect(config.apiUrl).toBe("https://api.trvl.example");
    expect(config.defaultChainId).toBe(84532);
    expect(config.chainIds).toEqual([84532, 8453]);
    expect(config.rpcUrls).toEqual({ "31337": "http://127.0.0.1:8545", "84532": "https://sepolia.base.example" });
  });
});
