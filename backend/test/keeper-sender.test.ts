/**
 * The keeper's sender sizes a batch's gas limit without `eth_estimateGas`'s binary search once it knows the batch's
 * kind: the limit the gas per item of its size implies, sent without a simulation while the kind's transactions
 * succeed, and a fresh estimate only when that falls short.
 */
import { getDeployment, mockStablecoinAbi, rewardDistributorAbi } from "@trvl/abi";
import { pino } from "pino";
import {
  createPublicClient,
  encodeFunctionData,
  http,
  keccak256,
  toHex,
  type Hex,
  type TransactionReceipt,
} from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { describe, expect, inject, it } from "vitest";

import { TxSender } from "../src/keeper/sender.js";
import { keeperKey, publicClient, send, wallet } from "./helpers/chain.js";

const { contracts } = getDeployment(31337);
const distributor = contracts.RewardDistributor.address;

/** `distribute` of `n` bookings the escrow never saw: each is skipped with an event, so gas grows with `n`. */
let seed = 0;
const distributeUnknown = (n: number) =>
  encodeFunctionData({
    abi: rewardDistributorAbi,
    functionName: "distribute",
    args: [Array.from({ length: n }, () => keccak256(toHex(`unknown booking ${seed++} ${Math.random()}`)))],
  });

const stablecoin = contracts.Stablecoin.address;
/** A stablecoin transfer of `amount` from the sender's account: it reverts when the balance is short. */
const transferOut = (amount: bigint) =>
  encodeFunctionData({ abi: mockStablecoinAbi, functionName: "transfer", args: [distributor, amount] });
const mintStablecoin = (account: PrivateKeyAccount, amount: bigint) =>
  send(account, { address: stablecoin, abi: mockStablecoinAbi, functionName: "mint", args: [account.address, amount] });

/** A batch of `items` distributions, as the keeper sends them (the distributor skips an id it cannot reward). */
const distributions = (items: number) => ({ kind: "distribute", items, skipsBadItems: true });

/** A sender of `account`'s transactions on the shared chain that never replaces one. */
const senderFor = (account: PrivateKeyAccount) =>
  new TxSender(
    wallet(account),
    publicClient(),
    { receiptTimeoutMs: 30_000, maxReplacements: 0, feeBumpPercent: 20 },
    pino({ level: "silent" }),
  );

/** A sender like `senderFor`'s that counts the node methods it calls (inside JSON-RPC batches too). */
function countingSenderFor(account: PrivateKeyAccount) {
  const calls: Record<string, number> = { eth_call: 0, eth_estimateGas: 0 };
  const count = (body: unknown) => {
    for (const { method } of [JSON.parse(String(body))].flat() as { method: string }[]) {
      calls[method] = (calls[method] ?? 0) + 1;
    }
  };
  const client = createPublicClient({
    chain: hardhat,
    transport: http(inject("chainUrl"), { batch: true, onFetchRequest: (_, init) => count(init.body) }),
  });
  const sender = new TxSender(
    wallet(account),
    client,
    { receiptTimeoutMs: 30_000, maxReplacements: 0, feeBumpPercent: 20 },
    pino({ level: "silent" }),
  );
  return { sender, calls };
}

describe("the keeper's sender", () => {
  it("estimates a kind of batch once, then sends batches of it at the limit their size's gas per item implies, without simulating them; one that runs short is simulated next time, and estimated", async () => {
    const account = privateKeyToAccount(await keeperKey());
    const client = publicClient();
    const { sender, calls } = countingSenderFor(account);
    const limitOf = async (hash: Hex) => (await client.getTransaction({ hash })).gas;

    // An estimate, with 20% of headroom: close to 120% of what the transaction used.
    const estimated = (receipt: TransactionReceipt, limit: bigint) => {
      expect(limit).toBeGreaterThanOrEqual((receipt.gasUsed * 120n) / 100n);
      expect(limit).toBeLessThan((receipt.gasUsed * 130n) / 100n);
    };

    // First of its kind: estimated.
    const first = await sender.send(distributor, distributeUnknown(10), undefined, distributions(10));
    expect(first.status).toBe("success");
    estimated(first, await limitOf(first.transactionHash));
    expect(calls.eth_estimateGas).toBe(1);

    // Four times as many: the gas per item of the first (the nearest smaller size), for 40 items, with 30% and 50,000
    // gas of headroom; the kind's last transaction succeeded, so it is sent without a simulation.
    const second = await sender.send(distributor, distributeUnknown(40), undefined, distributions(40));
    expect(second.status).toBe("success");
    const perItem = (first.gasUsed + 9n) / 10n;
    expect(await limitOf(second.transactionHash)).toBe((perItem * 40n * 130n) / 100n + 50_000n);
    expect(calls).toMatchObject({ eth_call: 0, eth_estimateGas: 1 });

    // A batch far costlier than its item count says runs out of gas once mined: a reverted transaction.
    const short = await sender.send(distributor, distributeUnknown(20), undefined, distributions(1));
    expect(short.status).toBe("reverted");
    expect(short.gasUsed).toBe(await limitOf(short.transactionHash));

    // The next of the kind is simulated at the implied limit, which falls short, and estimated: it goes through.
    const third = await sender.send(distributor, distributeUnknown(20), undefined, distributions(1));
    expect(third.status).toBe("success");
    estimated(third, await limitOf(third.transactionHash));
    expect(calls).toMatchObject({ eth_call: 1, eth_estimateGas: 2 });

    // Proven again, a batch whose implied limit is below what its calldata alone costs is refused by the node: nothing
    // is mined, and the next of the kind is simulated and estimated again.
    await expect(sender.send(distributor, distributeUnknown(400), undefined, distributions(1))).rejects.toMatchObject({
      details: expect.stringMatching(/requires .*gas/),
    });
    const fourth = await sender.send(distributor, distributeUnknown(400), undefined, distributions(1));
    expect(fourth.status).toBe("success");
    estimated(fourth, await limitOf(fourth.transactionHash));
    expect(calls).toMatchObject({ eth_call: 2, eth_estimateGas: 3 });
  });

  it("sizes a batch from batches about as big, never above the most gas a transaction may have", async () => {
    const account = privateKeyToAccount(await keeperKey());
    const client = publicClient();
    const { sender, calls } = countingSenderFor(account);
    const limitOf = async (hash: Hex) => (await client.getTransaction({ hash })).gas;

    // A batch of one carries the whole fixed cost of the call; a batch of twenty spreads it.
    const one = await sender.send(distributor, distributeUnknown(1), undefined, distributions(1));
    const twenty = await sender.send(distributor, distributeUnknown(20), undefined, distributions(20));
    const perItemOfOne = one.gasUsed;
    const perItemOfTwenty = (twenty.gasUsed + 19n) / 20n;
    expect(perItemOfOne).toBeGreaterThan(perItemOfTwenty * 2n);

    // Thirty items: sized from the batch of twenty (the same size class, 16–31), not from the costlier batch of one.
    const thirty = await sender.send(distributor, distributeUnknown(30), undefined, distributions(30));
    expect(thirty.status).toBe("success");
    expect(await limitOf(thirty.transactionHash)).toBe((perItemOfTwenty * 30n * 130n) / 100n + 50_000n);

    // Said to be a million items, a batch's implied limit is far above EIP-7825's cap of 2^24 gas per transaction: the
    // limit is the cap, checked by a simulation first (it fits), never a limit the node would refuse.
    const eth_call = calls.eth_call;
    const huge = await sender.send(distributor, distributeUnknown(5), undefined, distributions(1_000_000));
    expect(huge.status).toBe("success");
    expect(await limitOf(huge.transactionHash)).toBe(2n ** 24n);
    expect(calls.eth_call).toBe(eth_call + 1);
  });

  it("simulates every batch of a kind whose call reverts on a bad item, proven or not: a bad one fails before it is sent", async () => {
    const account = privateKeyToAccount(await keeperKey());
    const client = publicClient();
    const { sender, calls } = countingSenderFor(account);
    await mintStablecoin(account, 1_000n);
    const refunds = { kind: "refund", items: 1 };

    expect((await sender.send(stablecoin, transferOut(400n), undefined, refunds)).status).toBe("success");
    expect(calls).toMatchObject({ eth_call: 0, eth_estimateGas: 1 });
    expect((await sender.send(stablecoin, transferOut(400n), undefined, refunds)).status).toBe("success");
    expect(calls).toMatchObject({ eth_call: 1, eth_estimateGas: 1 });

    // 200 left: the simulation fails, and nothing is sent.
    const nonce = await client.getTransactionCount({ address: account.address, blockTag: "pending" });
    await expect(sender.send(stablecoin, transferOut(400n), undefined, refunds)).rejects.toThrow();
    expect(await client.getTransactionCount({ address: account.address, blockTag: "pending" })).toBe(nonce);
  });

  it("takes a transaction that reverts once mined as sent (its nonce is used), and sends the next after it", async () => {
    const account = privateKeyToAccount(await keeperKey());
    const client = publicClient();
    const sender = senderFor(account);
    await mintStablecoin(account, 1_000n);
    const start = await client.getTransactionCount({ address: account.address, blockTag: "pending" });

    // Both are simulated against the balance of 1,000; whichever is mined second reverts once the other spent it.
    const receipts = await Promise.all([
      sender.send(stablecoin, transferOut(1_000n)),
      sender.send(stablecoin, transferOut(1_000n)),
    ]);
    const [spent, reverted] = [...receipts].sort((a, b) => Number(a.blockNumber - b.blockNumber));
    expect([spent!.status, reverted!.status]).toEqual(["success", "reverted"]);
    const nonceOf = async (receipt: TransactionReceipt) =>
      (await client.getTransaction({ hash: receipt.transactionHash })).nonce;
    expect([await nonceOf(spent!), await nonceOf(reverted!)]).toEqual([start, start + 1]);

    const next = await sender.send(distributor, distributeUnknown(1));
    expect(await nonceOf(next)).toBe(start + 2);
  });

  it("gives concurrent sends consecutive nonces, and follows the account when another sender used it meanwhile", async () => {
    const account = privateKeyToAccount(await keeperKey());
    const client = publicClient();
    const make = () => senderFor(account);
    const [ours, theirs] = [make(), make()];
    const nonceOf = async (receipt: TransactionReceipt) =>
      (await client.getTransaction({ hash: receipt.transactionHash })).nonce;
    const start = await client.getTransactionCount({ address: account.address, blockTag: "pending" });

    const together = await Promise.all(
      [3, 4, 5].map((n) => ours.send(distributor, distributeUnknown(n), undefined, distributions(n))),
    );
    expect(together.map((r) => r.status)).toEqual(["success", "success", "success"]);
    expect((await Promise.all(together.map(nonceOf))).sort()).toEqual([start, start + 1, start + 2]);

    // Another process with the same key takes the next nonce; ours, idle, reads the account again and sends after it.
    const outside = await theirs.send(distributor, distributeUnknown(1));
    expect(await nonceOf(outside)).toBe(start + 3);
    const after = await ours.send(distributor, distributeUnknown(2), undefined, distributions(2));
    expect(after.status).toBe("success");
    expect(await nonceOf(after)).toBe(start + 4);
  });
});
