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

/** NOTIFY payloads are limited to 8000 bytes. */
const MAX_PAYLOAD = 7_900;

export async function announceChanges(tx: Tx, changes: ChangeSet): Promise<void> {
  const payloads = changePayloads([...changes.bookings], [...(changes.accounts ?? [])]);
  if (payloads.length === 0) return;
  // A large batch goes out as several notifications, each naming its part: no stream refetches what did not change.
  await tx.execute(
    sql`select pg_notify(${CHANGES_CHANNEL}, payload) from unnest(${sql.param(payloads)}::text[]) as payload`,
  );
}

/** The change set as JSON payloads of at most MAX_PAYLOAD bytes each. */
export function changePayloads(bookings: string[], accounts: string[]): string[] {
  const payloads: string[] = [];
  let part = { bookings: [] as string[], accounts: [] as string[] };
  let size = JSON.stringify(part).length;
  const add = (key: "bookings" | "accounts", id: string) => {
    const cost = JSON.stringify(id).length + 1;
    if (size + cost > MAX_PAYLOAD) {
      payloads.push(JSON.stringify(part));
      part = { bookings: [], accounts: [] };
      size = JSON.stringify(part).length;
    }
    part[key].push(id);
    size += cost;
  };
  for (const id of bookings) add("bookings", id);
  for (const id of accounts) add("accounts", id);
  if (part.bookings.length + part.accounts.length > 0) payloads.push(JSON.stringify(part));
  return payloads;
}
