import { bookingEscrowAbi, getDeployment, trvlStakingAbi, trvlTokenAbi } from "@trvl/abi";
import { createPublicClient, createWalletClient, http, type Address, type Hex, type PrivateKeyAccount } from "viem";
import { hardhat } from "viem/chains";
import { expect, inject } from "vitest";

/** Clients of the local chain the test run started. */
export const publicClient = () => createPublicClient({ chain: hardhat, transport: http(inject("chainUrl")) });
export const wallet = (account: PrivateKeyAccount) =>
  createWalletClient({ account, chain: hardhat, transport: http(inject("chainUrl")) });

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

/** Sends a contract call as `account` and waits for its successful receipt. */
export async function send(account: PrivateKeyAccount, request: Record<string, unknown>) {
  const hash = await wallet(account).writeContract(request as never);
  const receipt = await publicClient().waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe("success");
  return receipt;
}

/** Pays a quoted booking in ETH with `BookingEscrow.pay`, following the API's payment instructions. */
export function payInEth(
  account: PrivateKeyAccount,
  pay: { escrow: string; quote: Record<string, string | number>; signature: string; value: string },
) {
  return send(account, {
    address: pay.escrow as Address,
    abi: bookingEscrowAbi,
    functionName: "pay",
    args: [quoteArgs(pay.quote), pay.signature],
    value: BigInt(pay.value),
  });
}

/**
 * Gives `account` `amount` TRVL out of the guardian Safe's local genesis budget (impersonating the Safe on the
 * local chain) and stakes it.
 */
export async function stakeTrvl(account: PrivateKeyAccount, amount: bigint) {
  const { contracts } = getDeployment(31337);
  const client = publicClient();
  const guardian = contracts.Guardian.address;
  await client.request({ method: "hardhat_impersonateAccount" as never, params: [guardian] as never });
  await client.request({ method: "hardhat_setBalance" as never, params: [guardian, "0xDE0B6B3A7640000"] as never });
  const asGuardian = createWalletClient({ account: guardian, chain: hardhat, transport: http(inject("chainUrl")) });
  const transfer = await asGuardian.writeContract({
    address: contracts.TRVLToken.address,
    abi: trvlTokenAbi,
    functionName: "transfer",
    args: [account.address, amount],
  });
  await client.waitForTransactionReceipt({ hash: transfer });
  await send(account, {
    address: contracts.TRVLToken.address,
    abi: trvlTokenAbi,
    functionName: "approve",
    args: [contracts.TRVLStaking.address, amount],
  });
  await send(account, {
    address: contracts.TRVLStaking.address,
    abi: trvlStakingAbi,
    functionName: "stake",
    args: [amount],
  });
}
