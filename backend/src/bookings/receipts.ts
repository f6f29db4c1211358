/** Booking receipts: the JSON document published to the content store, and the loop that publishes missing ones. */
import { and, asc, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { Hex } from "viem";

import { schema } from "../db/index.js";
import { usd } from "../http/schemas.js";
import { putJson } from "../ipfs/store.js";
import { lockBookings, type BookingDeps, type BookingItemRow, type BookingRow, type PaidEvent } from "./model.js";

/**
 * Publishes the receipts of paid bookings that have none yet, oldest payment first, and returns how many. The chain
 * listener marks payments without waiting on the content store (a slow or absent IPFS node must not hold up the
 * money path); this catches up behind it, and after a crash resumes from what the table shows.
 */
export async function publishPendingReceipts(deps: Pick<BookingDeps, "db" | "ipfs">, limit: number): Promise<number> {
  const b = schema.bookings;
  const pending = await deps.db
    .select()
    .from(b)
    .where(and(isNotNull(b.paidTxHash), isNull(b.receiptCid)))
    .orderBy(asc(b.paidBlockNumber))
    .limit(limit);
  if (pending.length === 0) return 0;
  const items = await deps.db
    .select()
    .from(schema.bookingItems)
    .where(
      inArray(
        schema.bookingItems.bookingId,
        pending.map((booking) => booking.id),
      ),
    )
    .orderBy(asc(schema.bookingItems.position));
  const published = await Promise.all(
    pending.map(async (booking) => {
      const paid = {
        txHash: booking.paidTxHash as Hex,
        blockNumber: booking.paidBlockNumber!,
        paidAt: booking.paidAt!,
      };
      const document = receiptDocument(
        booking,
        items.filter((item) => item.bookingId === booking.id),
        paid,
      );
      return sql`(${booking.id}, ${booking.paidTxHash}, ${(await putJson(deps.ipfs, document)).toString()})`;
    }),
  );
  // Only where the payment is still the one the receipt names: a reorg may have undone it meanwhile.
  await deps.db.transaction(async (tx) => {
    await lockBookings(
      tx,
      pending.map((booking) => booking.id),
    );
    await tx.execute(sql`
      update ${b} set receipt_cid = v.cid
      from (values ${sql.join(published, sql`, `)}) as v(id, paid_tx_hash, cid)
      where ${b.id} = v.id and ${b.paidTxHash} = v.paid_tx_hash and ${b.receiptCid} is null`);
  });
  return pending.length;
}

export function receiptDocument(booking: BookingRow, items: BookingItemRow[], paid: PaidEvent) {
  return {
    type: "trvl.booking-receipt",
    version: 1,
    bookingId: booking.id,
    chainId: booking.chainId,
    escrow: booking.escrow,
    traveller: booking.traveller,
    supplier: booking.supplier,
    stay: { checkIn: booking.checkIn, checkOut: booking.checkOut, guests: booking.guests },
    items: items.map((item) => ({
      itemId: item.itemId,
      type: item.type,
      name: item.name,
      provider: item.provider,
      unitPrice: usd(item.unitPriceCents).amount,
      quantity: item.quantity,
      total: usd(item.totalCents).amount,
    })),
    pricing: {
      currency: "USD",
      subtotal: usd(booking.subtotalCents).amount,
      discountBps: booking.discountBps,
      discount: usd(booking.discountCents).amount,
      total: usd(booking.totalCents).amount,
      commissionBps: booking.commissionBps,
    },
    payment: {
      token: booking.tokenAddress,
      symbol: booking.tokenSymbol,
      decimals: booking.tokenDecimals,
      amount: booking.amount.toString(),
      txHash: paid.txHash,
      blockNumber: paid.blockNumber.toString(),
      paidAt: paid.paidAt.toISOString(),
    },
  };
}
