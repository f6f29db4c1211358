/**
 * How a committed change reaches users: the writer announces it on a Postgres channel inside its transaction
 * (NOTIFY is delivered only if the transaction commits), and every API instance's push broker hears it.
 */
import { sql } from "drizzle-orm";

import type { Tx } from "../db/index.js";

export const CHANGES_CHANNEL = "trvl_changes";

export interface ChangeSet {
  bookings: Iterable<string>;
  accounts?: Iterable<string>;
}

export async function announceChanges(tx: Tx, changes: ChangeSet): Promise<void> {
  const bookings = [...changes.bookings];
  const accounts = [...(changes.accounts ?? [])];
  if (bookings.length === 0 && accounts.length === 0) return;
  const payload = JSON.stringify({ bookings, accounts });
  // NOTIFY payloads are limited to 8000 bytes: a large batch announces that everything may have changed.
  await tx.execute(sql`select pg_notify(${CHANGES_CHANNEL}, ${payload.length < 7_900 ? payload : '{"all":true}'})`);
}
