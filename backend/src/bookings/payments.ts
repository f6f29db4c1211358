/** A booking's payment: how to pay it (the signed quote, permit data) and the traveller's report of a payment. */
import { bookingEscrowAbi, mockStablecoinAbi, permitTypedData, quoteDomain, quoteTypes } from "@trvl/abi";
import { eq } from "drizzle-orm";
import { isAddressEqual, parseEventLogs, zeroAddress, type Address, type Hex } from "viem";

import { chainRead } from "../chain/index.js";
import { schema } from "../db/index.js";
import { ApiError } from "../http/errors.js";
import { putJson } from "../ipfs/store.js";
import { onChainFact } from "./lifecycle.js";
import { loadOwn, lockBookings, withItems, type BookingDeps, type BookingRow, type PaidEvent } from "./model.js";
import { receiptDocument } from "./receipts.js";

/**
 * The traveller reports the transaction that paid a booking. The API trusts only the chain: the transaction must
 * have succeeded, have CHAIN_CONFIRMATIONS blocks, and carry the escrow's BookingPaid event for exactly this quote.
 */
export async function confirmPayment(deps: BookingDeps, traveller: Address, id: string, txHash: Hex) {
  const { chain, config } = deps;
  const { booking } = await loadOwn(deps.db, traveller, id);
  if (booking.paidTxHash) {
    if (booking.paidTxHash === txHash) return loadOwn(deps.db, traveller, id);
    throw new ApiError(409, "already_paid", "The booking was paid by another transaction", {
      txHash: booking.paidTxHash,
    });
  }
  const receipt = await chainRead(async () => {
    try {
      return await chain.client.getTransactionReceipt({ hash: txHash });
    } catch (error) {
      if ((error as { name?: string }).name === "TransactionReceiptNotFoundError") return undefined;
      throw error;
    }
  });
  if (!receipt)
    throw new ApiError(409, "payment_not_found", "The transaction is not in a block yet; try again shortly");
  if (receipt.status !== "success") throw new ApiError(422, "payment_reverted", "The transaction reverted");
  const head = await chainRead(() => chain.client.getBlockNumber({ cacheTime: 0 }));
  const confirmations = head - receipt.blockNumber + 1n;
  if (confirmations < BigInt(config.CHAIN_CONFIRMATIONS)) {
    throw new ApiError(409, "payment_unconfirmed", "The payment needs more confirmations; try again shortly", {
      confirmations: Number(confirmations),
      required: config.CHAIN_CONFIRMATIONS,
    });
  }
  const paid = parseEventLogs({ abi: bookingEscrowAbi, eventName: "BookingPaid", logs: receipt.logs }).find(
    (log) => isAddressEqual(log.address, booking.escrow as Address) && log.args.bookingId === booking.id,
  );
  if (
    !paid ||
    !isAddressEqual(paid.args.traveller, booking.traveller as Address) ||
    !isAddressEqual(paid.args.token, booking.tokenAddress as Address) ||
    paid.args.amount !== booking.amount
  ) {
    throw new ApiError(422, "payment_mismatch", "The transaction did not pay this booking's quote");
  }
  const block = await chainRead(() => chain.client.getBlock({ blockNumber: receipt.blockNumber }));
  await recordPayment(deps, id, {
    txHash,
    blockNumber: receipt.blockNumber,
    paidAt: new Date(Number(block.timestamp) * 1000),
  });
  return loadOwn(deps.db, traveller, id);
}

/**
 * Marks a booking paid (when the traveller reports the payment before the listener has seen it) with its receipt. The
 * receipt goes to the content store first, outside any lock; then the booking is marked on its locked row, unless
 * someone (the listener) marked it meanwhile. A content store that fails leaves the receipt to the receipts loop, as
 * for payments the listener records. A booking cancelled before its payment was seen goes to refund_requested with a
 * keeper job.
 */
export async function recordPayment(deps: BookingDeps, id: string, paid: PaidEvent): Promise<void> {
  const [unlocked] = await deps.db.select().from(schema.bookings).where(eq(schema.bookings.id, id));
  if (!unlocked || unlocked.paidTxHash) return;
  const { items } = await withItems(deps.db, unlocked);
  const cid = await putJson(deps.ipfs, receiptDocument(unlocked, items, paid)).then(
    (stored) => stored.toString(),
    () => null,
  );
  await deps.db.transaction(async (tx) => {
    const [booking] = await lockBookings(tx, [id]);
    if (!booking || booking.paidTxHash) return;
    const { patch, jobs } = onChainFact(booking, {
      kind: "paid",
      txHash: paid.txHash,
      blockNumber: paid.blockNumber,
      at: paid.paidAt,
    });
    const now = deps.now();
    await tx
      .update(schema.bookings)
      .set({ ...patch, receiptCid: cid, updatedAt: now })
      .where(eq(schema.bookings.id, id));
    for (const [kind] of jobs) {
      await tx.insert(schema.keeperJobs).values({ kind, bookingId: id, runAfter: now }).onConflictDoNothing();
    }
  });
}

export function quoteOf(booking: BookingRow) {
  return {
    bookingId: booking.id as Hex,
    traveller: booking.traveller as Address,
    token: booking.tokenAddress as Address,
    amount: booking.amount,
    commissionBps: booking.commissionBps,
    supplier: booking.supplier as Address,
    expiresAt: booking.quoteDeadline,
  };
}

/**
 * How to pay a quoted booking: `BookingEscrow.pay(quote, signature)` with `value` for ETH; for an ERC-20 either
 * `approve` then `pay`, or one `payWithPermit` with the ERC-2612 permit typed data given here (nonce as of now).
 */
export async function paymentInstructions(deps: BookingDeps, booking: BookingRow) {
  const quote = quoteOf(booking);
  const native = quote.token === zeroAddress;
  let permit = null;
  if (!native) {
    const token = await deps.tokens.token(quote.token);
    const nonce = await chainRead(() =>
      deps.chain.client.readContract({
        address: quote.token,
        abi: mockStablecoinAbi,
        functionName: "nonces",
        args: [quote.traveller],
      }),
    );
    // Valid as long as the quote: a permit never outlives what it pays for.
    const typed = permitTypedData(
      { name: token.permitName ?? token.symbol, chainId: booking.chainId, address: quote.token },
      {
        owner: quote.traveller,
        spender: booking.escrow as Address,
        value: quote.amount,
        nonce,
        deadline: quote.expiresAt,
      },
    );
    permit = {
      ...typed,
      domain: { ...typed.domain, chainId: booking.chainId },
      message: {
        ...typed.message,
        value: typed.message.value.toString(),
        nonce: typed.message.nonce.toString(),
        deadline: typed.message.deadline.toString(),
      },
    };
  }
  return {
    chainId: booking.chainId,
    escrow: booking.escrow,
    method: native ? ("pay" as const) : ("payWithPermit" as const),
    value: native ? quote.amount.toString() : "0",
    quote: {
      ...quote,
      amount: quote.amount.toString(),
      expiresAt: quote.expiresAt.toString(),
    },
    signature: booking.signature,
    typedData: {
      domain: { ...quoteDomain(booking.chainId, booking.escrow as Address), chainId: booking.chainId },
      types: quoteTypes,
      primaryType: "Quote" as const,
    },
    approve: native ? null : { token: quote.token, spender: booking.escrow, amount: quote.amount.toString() },
    permit,
  };
}
