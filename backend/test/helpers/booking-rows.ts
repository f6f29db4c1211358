import type { Db } from "../../src/db/index.js";
import { schema } from "../../src/db/index.js";

type BookingRow = typeof schema.bookings.$inferInsert;

/**
 * Writes a booking row directly, as the bookings service would have written it (a 0.01 ETH quote of a $20 stay,
 * its traveller as escrow and supplier), for tests that need a booking in a given state without the API's flow.
 */
export async function insertBookingRow(
  db: Db,
  row: Pick<BookingRow, "id" | "traveller" | "status"> & Partial<BookingRow>,
): Promise<void> {
  await db.insert(schema.bookings).values({
    chainId: 31337,
    escrow: row.traveller,
    tokenAddress: "0x0000000000000000000000000000000000000000",
    tokenSymbol: "ETH",
    tokenDecimals: 18,
    amount: 10n ** 16n,
    subtotalCents: 2_000n,
    discountCents: 0n,
    totalCents: 2_000n,
    commissionBps: 1_000,
    supplier: row.traveller,
    checkIn: "2030-01-01",
    checkOut: "2030-01-02",
    guests: 1,
    quoteExpiresAt: new Date("2030-01-01T00:00:00Z"),
    quoteDeadline: 0n,
    signature: "0x",
    requestHash: row.id,
    ...row,
  });
}
