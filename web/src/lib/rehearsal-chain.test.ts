import { PROTOCOL_CONTRACTS, contract, getDeployment, type ProtocolContractName } from "@trvl/abi";
import { afterEach, describe, expect, it, vi } from "vitest";

const BASE_SEPOLIA = 84532;

afterEach(() => vi.unstubAllEnvs());

describe("the web app on the launch rehearsal's chain (84532)", () => {
  it("serves it from configuration alone: the chain with its RPC URL and every contract by name from @trvl/abi", async () => {
    vi.resetModules();
    vi.stubEnv("NEXT_PUBLIC_CHAIN_ID", String(BASE_SEPOLIA));
    vi.stubEnv("NEXT_PUBLIC_RPC_URLS", JSON.stringify({ [BASE_SEPOLIA]: "http://127.0.0.1:8546" }));
    const { appChains, txUrl } = await import("./chains");
    expect(appChains.map((chain) => chain.id)).toEqual([BASE_SEPOLIA]);
    expect(appChains[0].rpcUrls.default.http).toEqual(["http://127.0.0.1:8546"]);
    expect(txUrl(BASE_SEPOLIA, "0xabc")).toBe("https://sepolia.basescan.org/tx/0xabc");

    // Everything the pages read resolves on 84532 as on the local chain: the protocol, the stablecoin, the feeds
    // and the guardian Safe. (The local mocks' TRVL/USD feed is the TWAP feed here; Safe libraries are canonical.)
    const published = getDeployment(BASE_SEPOLIA).contracts as Record<string, { address: string }>;
    const names = (Object.keys(PROTOCOL_CONTRACTS) as ProtocolContractName[]).filter(
      (name) => !["TrvlUsdFeed", "MultiSend", "MultiSendCallOnly"].includes(name),
    );
    for (const name of names) {
      const found = contract(BASE_SEPOLIA, name);
      expect(found.address, name).toBe(published[name].address);
      expect(found.abi).toBe(PROTOCOL_CONTRACTS[name].abi);
    }
    expect(published.TrvlUsdTwapFeed.address).toMatch(/^0x[0-9a-fA-F]{40}$/);
  });
});
