import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { hardhat } from "viem/chains";
import { parseTransaction, recoverMessageAddress, recoverTypedDataAddress, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

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

describe("the burner wallet's transactions", () => {
  const key = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a" as const;
  let estimate = 200_000n;
  const sent: Hex[] = [];
  // A node at the outer edge: answers what viem asks before a send, keeps each raw transaction sent.
  const node = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const { id, method, params } = JSON.parse(body) as { id: number; method: string; params: unknown[] };
      const answers: Record<string, () => unknown> = {
        eth_chainId: () => "0x7a69",
        eth_estimateGas: () => `0x${estimate.toString(16)}`,
        eth_getTransactionCount: () => "0x0",
        eth_maxPriorityFeePerGas: () => "0x3b9aca00",
        eth_getBlockByNumber: () => ({ number: "0x1", baseFeePerGas: "0x3b9aca00", timestamp: "0x1" }),
        eth_sendRawTransaction: () => (sent.push(params[0] as Hex), `0x${"ab".repeat(32)}`),
      };
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ jsonrpc: "2.0", id, result: answers[method]?.() ?? null }));
    });
  });
  let provider: ReturnType<typeof burnerProvider>;
  beforeAll(async () => {
    await new Promise<void>((resolve) => node.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(node.address() as AddressInfo).port}`;
    provider = burnerProvider({ ...hardhat, rpcUrls: { default: { http: [url] } } }, key);
  });
  afterAll(() => node.close());

  const stake = async () => {
    await provider.request({
      method: "eth_sendTransaction",
      params: [{ from: provider.address, to: "0x959922bE3CAee4b8Cd9a407cc3ac1C251C2007B1", data: "0xa694fc3a" }],
    });
    return parseTransaction(sent.at(-1)!);
  };

  it("sends with a margin over the node's estimate, so vote checkpoints pushed a second later still fit", async () => {
    // At least 150,000 gas more: a staking call's new checkpoints cost more than half of its estimate.
    estimate = 146_769n;
    const small = await stake();
    expect(small.gas).toBe(296_769n);
    expect(small.data).toBe("0xa694fc3a");
    // Half again on a large call, as extension wallets add.
    estimate = 600_000n;
    expect((await stake()).gas).toBe(900_000n);
  });

  it("keeps the gas limit a dapp asked for", async () => {
    await provider.request({
      method: "eth_sendTransaction",
      params: [{ from: provider.address, to: "0x959922bE3CAee4b8Cd9a407cc3ac1C251C2007B1", gas: "0x5208" }],
    });
    expect(parseTransaction(sent.at(-1)!).gas).toBe(21_000n);
  });
});

describe("the faucet", () => {
  it("tops up what ran low, and only that", () => {
    expect(faucetNeeds({ eth: 0n, usd: 0n })).toEqual({ eth: FAUCET_ETH, usd: FAUCET_USD });
    expect(faucetNeeds({ eth: FAUCET_ETH, usd: FAUCET_USD / 10n - 1n })).toEqual({ eth: 0n, usd: FAUCET_USD });
    expect(faucetNeeds({ eth: FAUCET_ETH / 10n, usd: FAUCET_USD / 10n })).toEqual({ eth: 0n, usd: 0n });
  });
});
