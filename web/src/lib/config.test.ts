import { afterEach, describe, expect, it, vi } from "vitest";

const A = "0x976EA74026E726554dB657fA54763abd0C3a0aa9";
const B = "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955";

async function load(env: Record<string, string>) {
  vi.resetModules();
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
  });
});
