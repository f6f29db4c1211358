import { bookingEscrowAbi, getDeployment, trvlStakingAbi, trvlTokenAbi, withGasHeadroom } from "@trvl/abi";
import {
  createPublicClient,
  createWalletClient,
  http,
  parseEventLogs,
  parseSignature,
  type Address,
  type Hex,
  type PrivateKeyAccount,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { expect, inject } from "vitest";

/** Clients of the local chain the test run started. */
export const publicClient = (url: string = inject("chainUrl")) =>
  createPublicClient({ chain: hardhat, transport: http(url) });
export const wallet = (account: PrivateKeyAccount, url: string = inject("chainUrl")) =>
  createWalletClient({ account, chain: hardhat, transport: http(url) });

/** The escrow's events about `bookingId` on the test run's chain, all of them or those named `eventName`. */
export async function escrowEventsOf<const E extends "BookingPartiallyRefunded" | "BookingRefunded" | undefined>(
  bookingId: Hex,
  eventName?: E,
) {
  const logs = await publicClient().getLogs({
    address: getDeployment(31337).contracts.BookingEscrow.address,
    fromBlock: 0n,
  });
  return parseEventLogs({ abi: bookingEscrowAbi, eventName, logs }).filter(
    (log) => (log.args as { bookingId?: Hex }).bookingId === bookingId,
  );
}

/** A quote as the API returns it (decimal strings) in the form the escrow's ABI takes. */
export function quoteArgs(quote: Record<string, string | number>) {
  return {
    bookingId: quote.bookingId as Hex,
    traveller: quote.traveller as Address,
    token: quote.token as Address,
    amount: BigInt(quote.amount),
    commissionBps: Number(quote.commissionBps),
    supplier: quote.supplier as Address,
    expiresAt: BigInt(quote.expiresAt),
  };
}

/** The gas limit a wallet sends `request` from `from` with: the estimate with a wallet's headroom. */
async function walletGas(from: Address, request: Record<string, unknown>, url?: string) {
  return withGasHeadroom(await publicClient(url).estimateContractGas({ ...request, account: from } as never));
}

/** Sends a contract call as `account` and waits for its successful receipt. */
export async function send(account: PrivateKeyAccount, request: Record<string, unknown>, url?: string) {
  const gas = await walletGas(account.address, request, url);
  const hash = await wallet(account, url).writeContract({ ...request, gas } as never);
  const receipt = await publicClient(url).waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe("success");
  return receipt;
}

/** Pays a quoted booking in ETH with `BookingEscrow.pay`, following the API's payment instructions. */
export function payInEth(
  account: PrivateKeyAccount,
  pay: { escrow: string; quote: Record<string, string | number>; signature: string; value: string },
  url?: string,
) {
  return send(
    account,
    {
      address: pay.escrow as Address,
      abi: bookingEscrowAbi,
      functionName: "pay",
      args: [quoteArgs(pay.quote), pay.signature],
      value: BigInt(pay.value),
    },
    url,
  );
}

/**
 * Pays a quoted booking in a stablecoin with `BookingEscrow.payWithPermit` (one transaction, no approval), signing
 * the ERC-2612 permit the API's payment instructions describe.
 */
export async function payWithPermit(
  account: PrivateKeyAccount,
  pay: {
    escrow: string;
    quote: Record<string, string | number>;
    signature: string;
    permit: { domain: Record<string, any>; types: Record<string, any>; message: Record<string, string> };
  },
  url?: string,
) {
  const { domain, types, message } = pay.permit;
  const permitSignature = await account.signTypedData({
    domain: { ...domain, chainId: BigInt(domain.chainId) },
    types,
    primaryType: "Permit",
    message: {
      ...message,
      value: BigInt(message.value),
      nonce: BigInt(message.nonce),
      deadline: BigInt(message.deadline),
    },
  });
  const { v, r, s } = parseSignature(permitSignature);
  return send(
    account,
    {
      address: pay.escrow as Address,
      abi: bookingEscrowAbi,
      functionName: "payWithPermit",
      args: [quoteArgs(pay.quote), pay.signature, BigInt(message.deadline), Number(v), r, s],
    },
    url,
  );
}

/** A wallet client that acts as `address` on the local chain (impersonated, given gas money). */
export async function impersonate(address: Address, url: string = inject("chainUrl")) {
  const client = createPublicClient({ chain: hardhat, transport: http(url) });
  await client.request({ method: "hardhat_impersonateAccount" as never, params: [address] as never });
  await client.request({ method: "hardhat_setBalance" as never, params: [address, "0xDE0B6B3A7640000"] as never });
  return createWalletClient({ account: address, chain: hardhat, transport: http(url) });
}

/** A new account of its own (a random key) holding 1,000 ETH on the local chain. */
export async function fundedAccount(url: string = inject("chainUrl")): Promise<PrivateKeyAccount> {
  const account = privateKeyToAccount(generatePrivateKey());
  const client = createPublicClient({ chain: hardhat, transport: http(url) });
  await client.request({
    method: "hardhat_setBalance" as never,
    params: [account.address, "0x3635C9ADC5DEA00000"] as never,
  });
  return account;
}

/**
 * A keeper key of its own: a funded account given SETTLER_ROLE on the escrow by the guardian Safe (which holds the
 * operator role), so tests that run keepers side by side never share a nonce.
 */
export async function keeperKey(url: string = inject("chainUrl")): Promise<Hex> {
  const key = generatePrivateKey();
  const keeper = privateKeyToAccount(key);
  const { contracts } = getDeployment(31337);
  const client = createPublicClient({ chain: hardhat, transport: http(url) });
  await client.request({
    method: "hardhat_setBalance" as never,
    params: [keeper.address, "0x3635C9ADC5DEA00000"] as never,
  });
  const guardian = await impersonate(contracts.Guardian.address, url);
  const settler = await client.readContract({
    address: contracts.BookingEscrow.address,
    abi: bookingEscrowAbi,
    functionName: "SETTLER_ROLE",
  });
  const hash = await guardian.writeContract({
    address: contracts.BookingEscrow.address,
    abi: bookingEscrowAbi,
    functionName: "grantRole",
    args: [settler, keeper.address],
  });
  expect((await client.waitForTransactionReceipt({ hash })).status).toBe("success");
  return key;
}

/** Gives `account` `amount` TRVL out of the guardian Safe's local genesis budget (impersonating the Safe). */
export async function giveTrvl(account: Address, amount: bigint, url: string = inject("chainUrl")) {
  const { contracts } = getDeployment(31337);
  const asGuardian = await impersonate(contracts.Guardian.address, url);
  const request = {
    address: contracts.TRVLToken.address,
    abi: trvlTokenAbi,
    functionName: "transfer",
    args: [account, amount],
  } as const;
  const gas = await walletGas(contracts.Guardian.address, request, url);
  const transfer = await asGuardian.writeContract({ ...request, gas });
  expect((await publicClient(url).waitForTransactionReceipt({ hash: transfer })).status).toBe("success");
}

/**
 * Gives `account` `amount` TRVL out of the guardian Safe's local genesis budget (impersonating the Safe on the
 * local chain) and stakes it.
 */
export async function stakeTrvl(account: PrivateKeyAccount, amount: bigint, url: string = inject("chainUrl")) {
  const { contracts } = getDeployment(31337);
  await giveTrvl(account.address, amount, url);
  await send(
    account,
    {
      address: contracts.TRVLToken.address,
      abi: trvlTokenAbi,
      functionName: "approve",
      args: [contracts.TRVLStaking.address, amount],
    },
    url,
  );
  await send(
    account,
    {
      address: contracts.TRVLStaking.address,
      abi: trvlStakingAbi,
      functionName: "stake",
      args: [amount],
    },
    url,
  );
}
