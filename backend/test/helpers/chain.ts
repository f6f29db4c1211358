import { bookingEscrowAbi } from "@trvl/abi";
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
