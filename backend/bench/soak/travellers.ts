/**
 * The soak's travellers: fresh keys on the local chain, each given ETH (hardhat_setBalance) and test dollars
 * (MockStablecoin.mint), some referred on one or two levels (ReferralRegistry.register from their own account),
 * each signed in with Ethereum. Who referred whom is kept, to check the rewards' recipients against it.
 */
import { getDeployment, mockStablecoinAbi, referralRegistryAbi } from "@trvl/abi";
import {
  createWalletClient,
  http,
  numberToHex,
  type Address,
  type Hex,
  type PrivateKeyAccount,
  type PublicClient,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";

import { signIn } from "@trvl/tooling/api-client";

/**
 * The soak's JSON-RPC transport: no retries (a retried eth_sendRawTransaction that was mined the first time fails
 * the second, hiding what happened) and a timeout long enough for a chain that shares a busy machine.
 */
export const chainTransport = (url: string) => http(url, { timeout: 120_000, retryCount: 0 });

const ETH_BALANCE = 10n ** 24n; // a million ETH: no soak runs out
const STABLECOIN_BALANCE = 10n ** 9n * 10n ** 6n; // a billion test dollars

export interface Traveller {
  index: number;
  account: PrivateKeyAccount;
  token: string;
  /** Indices of the level-1 and level-2 referrers, when referred. */
  referrer?: number;
  level2?: number;
  /** The next nonce of the account's transactions (its payments go one at a time, through `chainQueue`). */
  nonce: number;
  chainQueue: Promise<unknown>;
  /** Ids of the traveller's bookings, for reads. */
  bookings: Hex[];
}

/**
 * Who refers whom among `count` travellers so that `twoLevel` of them have two levels of referrers: a few roots
 * (nobody refers them), a middle group referred by the roots, and the two-level group referred by the middle one.
 * Everyone books, so every referrer becomes active (an own settled booking) early in the run.
 */
export function referralPlan(count: number, twoLevel: number): { referrer?: number; level2?: number }[] {
  const middle = Math.max(1, Math.round((count * 10) / 40));
  const roots = count - twoLevel - middle;
  if (roots < 1) throw new Error(`${count} travellers cannot have ${twoLevel} with two levels of referrers`);
  return Array.from({ length: count }, (_, i) => {
    if (i < roots) return {};
    if (i < roots + middle) return { referrer: i % roots };
    const referrer = roots + ((i - roots - middle) % middle);
    return { referrer, level2: referrer % roots };
  });
}

/** Sends a contract call from `account` and waits for it to succeed. */
async function transact(client: PublicClient, chainUrl: string, account: PrivateKeyAccount, call: object) {
  const wallet = createWalletClient({ account, chain: hardhat, transport: chainTransport(chainUrl) });
  const hash = await wallet.writeContract(call as never);
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`setup transaction ${hash} reverted`);
}

export async function prepareTravellers(options: {
  client: PublicClient;
  chainUrl: string;
  apiUrl: string;
  count: number;
  twoLevel: number;
}): Promise<Traveller[]> {
  const { client, chainUrl, apiUrl } = options;
  const { contracts } = getDeployment(hardhat.id);
  const plan = referralPlan(options.count, options.twoLevel);
  const accounts = plan.map(() => privateKeyToAccount(generatePrivateKey()));

  await Promise.all(
    accounts.map(async (account) => {
      await client.request({
        method: "hardhat_setBalance" as never,
        params: [account.address, numberToHex(ETH_BALANCE)] as never,
      });
      await transact(client, chainUrl, account, {
        address: contracts.Stablecoin.address,
        abi: mockStablecoinAbi,
        functionName: "mint",
        args: [account.address, STABLECOIN_BALANCE],
      });
    }),
  );
  // Referrers register before the people they refer: the middle group, then the two-level group.
  for (const twoLevel of [false, true]) {
    await Promise.all(
      plan.map(async (entry, i) => {
        if (entry.referrer === undefined || (entry.level2 !== undefined) !== twoLevel) return;
        await transact(client, chainUrl, accounts[i], {
          address: contracts.ReferralRegistry.address,
          abi: referralRegistryAbi,
          functionName: "register",
          args: [accounts[entry.referrer].address as Address],
        });
      }),
    );
  }

  return Promise.all(
    accounts.map(async (account, index) => ({
      index,
      account,
      token: (await signIn(apiUrl, account)).token,
      ...plan[index],
      nonce: await client.getTransactionCount({ address: account.address, blockTag: "pending" }),
      chainQueue: Promise.resolve(),
      bookings: [],
    })),
  );
}
