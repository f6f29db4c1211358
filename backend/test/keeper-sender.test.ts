/**
 * The keeper's sender sizes a batch's gas limit without `eth_estimateGas`'s binary search once it knows the batch's
 * kind: one simulation at the limit the gas per item implies, and a fresh estimate only when that falls short.
 */
import { getDeployment, mockStablecoinAbi, rewardDistributorAbi } from "@trvl/abi";
import { pino } from "pino";
import { encodeFunctionData, keccak256, toHex, type Hex, type TransactionReceipt } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";

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

/** A sender of `account`'s transactions on the shared chain that never replaces one. */
const senderFor = (account: PrivateKeyAccount) =>
  new TxSender(
    wallet(account),
    publicClient(),
    { receiptTimeoutMs: 30_000, maxReplacements: 0, feeBumpPercent: 20 },
    pino({ level: "silent" }),
  );

describe("the keeper's sender", () => {
  it("estimates a kind of batch once, then checks the limit its gas per item implies; short, it estimates again", async () => {
    const account = privateKeyToAccount(await keeperKey());
    const client = publicClient();
    const sender = senderFor(account);
    const limitOf = async (hash: Hex) => (await client.getTransaction({ hash })).gas;

    // An estimate, with 20% of headroom: close to 120% of what the transaction used.
    const estimated = (receipt: TransactionReceipt, limit: bigint) => {
      expect(limit).toBeGreaterThanOrEqual((receipt.gasUsed * 120n) / 100n);
      expect(limit).toBeLessThan((receipt.gasUsed * 130n) / 100n);
    };

    // First of its kind: estimated.
    const first = await sender.send(distributor, distributeUnknown(10), undefined, { kind: "distribute", items: 10 });
    expect(first.status).toBe("success");
    estimated(first, await limitOf(first.transactionHash));

    // Four times as many: the gas per item of the first, for 40 items, with 30% and 50,000 gas of headroom.
    const second = await sender.send(distributor, distributeUnknown(40), undefined, { kind: "distribute", items: 40 });
    expect(second.status).toBe("success");
    const perItem = (first.gasUsed + 9n) / 10n;
    expect(await limitOf(second.transactionHash)).toBe((perItem * 40n * 130n) / 100n + 50_000n);

    // A batch far costlier than its item count says: the simulation at the implied limit fails, the estimate holds.
    const third = await sender.send(distributor, distributeUnknown(150), undefined, { kind: "distribute", items: 1 });
    expect(third.status).toBe("success");
    const implied = (((second.gasUsed + 39n) / 40n) * 130n) / 100n + 50_000n;
    expect(third.gasUsed).toBeGreaterThan(implied);
    estimated(third, await limitOf(third.transactionHash));
  });

  it("takes a transaction that reverts once mined as sent (its nonce is used), and sends the next after it", async () => {
    const account = privateKeyToAccount(await keeperKey());
    const client = publicClient();
    const sender = senderFor(account);
    const stablecoin = contracts.Stablecoin.address;
    const transfer = (amount: bigint) =>
      encodeFunctionData({ abi: mockStablecoinAbi, functionName: "transfer", args: [distributor, amount] });
    await send(account, {
      address: stablecoin,
      abi: mockStablecoinAbi,
      functionName: "mint",
      args: [account.address, 1_000n],
    });
    const start = await client.getTransactionCount({ address: account.address, blockTag: "pending" });

    // Both are simulated against the balance of 1,000; the second reverts once the first has spent it.
    const [spent, reverted] = await Promise.all([
      sender.send(stablecoin, transfer(1_000n)),
      sender.send(stablecoin, transfer(1_000n)),
    ]);
    expect(spent.status).toBe("success");
    expect(reverted.status).toBe("reverted");
    const nonceOf = async (receipt: TransactionReceipt) =>
      (await client.getTransaction({ hash: receipt.transactionHash })).nonce;
    expect([await nonceOf(spent), await nonceOf(reverted)].sort()).toEqual([start, start + 1]);

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
      [3, 4, 5].map((n) => ours.send(distributor, distributeUnknown(n), undefined, { kind: "distribute", items: n })),
    );
    expect(together.map((r) => r.status)).toEqual(["success", "success", "success"]);
    expect((await Promise.all(together.map(nonceOf))).sort()).toEqual([start, start + 1, start + 2]);

    // Another process with the same key takes the next nonce; ours, idle, reads the account again and sends after it.
    const outside = await theirs.send(distributor, distributeUnknown(1));
    expect(await nonceOf(outside)).toBe(start + 3);
    const after = await ours.send(distributor, distributeUnknown(2), undefined, { kind: "distribute", items: 2 });
    expect(after.status).toBe("success");
    expect(await nonceOf(after)).toBe(start + 4);
  });
});
