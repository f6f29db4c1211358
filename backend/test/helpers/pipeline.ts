import { inArray } from "drizzle-orm";
import type { PrivateKeyAccount } from "viem";
import { expect } from "vitest";

import { schema, type Db } from "../../src/db/index.js";
import { call, type TestApp } from "./app.js";
import { payInEth } from "./chain.js";
import { ETH, tripRequest } from "./trips.js";

/** A worker tuned for tests: it polls often and does not wait long for fuller batches. */
export const FAST_WORKER_ENV = {
  LISTENER_POLL_MS: "50",
  KEEPER_POLL_MS: "50",
  KEEPER_MAX_WAIT_MS: "100",
  KEEPER_RETRY_BASE_MS: "200",
  KEEPER_RETRY_MAX_MS: "2000",
  KEEPER_STALE_AFTER_MS: "3000",
  LEADER_RETRY_MS: "200",
};

/** The signed-in traveller's booking `id`, as `GET /bookings/{id}` answers it. */
export async function readBooking(t: TestApp, token: string, id: string): Promise<Record<string, any>> {
  const { status, body } = await call(t.app, "GET", `/bookings/${id}`, { token });
  expect(status).toBe(200);
  return body.booking;
}

/** Creates a booking (paid in ETH) through the API as the signed-in traveller; returns the booking and how to pay. */
export async function createBooking(t: TestApp, token: string, offset = 40) {
  const { status, body } = await call(t.app, "POST", "/bookings", {
    token,
    body: await tripRequest(t.app, ETH, offset),
  });
  if (status !== 201) throw new Error(`booking failed: ${status} ${JSON.stringify(body)}`);
  return body as { booking: Record<string, any>; pay: Parameters<typeof payInEth>[1] };
}

/** Creates a booking through the API as the signed-in `account` and pays it in ETH. */
export async function bookAndPay(
  t: TestApp,
  token: string,
  account: PrivateKeyAccount,
  offset = 40,
  chainUrl?: string,
): Promise<{ id: string; txHash: string; blockNumber: bigint }> {
  const { booking, pay } = await createBooking(t, token, offset);
  const receipt = await payInEth(account, pay, chainUrl);
  return { id: booking.id as string, txHash: receipt.transactionHash, blockNumber: receipt.blockNumber };
}

/** Polls `probe` until it returns a value (not undefined/false), or fails naming `what` after `timeoutMs`. */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined | false | null>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false && value !== null) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ""}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Statuses of the bookings `ids`, by id. */
export async function statusesOf(db: Db, ids: string[]): Promise<Map<string, string>> {
  const rows = await db
    .select({ id: schema.bookings.id, status: schema.bookings.status })
    .from(schema.bookings)
    .where(inArray(schema.bookings.id, ids));
  return new Map(rows.map((row) => [row.id, row.status]));
}

/** Resolves when every booking of `ids` is rewarded. */
export function allRewarded(db: Db, ids: string[], timeoutMs = 60_000) {
  return waitUntil(
    `${ids.length} bookings to be rewarded`,
    async () => {
      const statuses = await statusesOf(db, ids);
      return ids.every((id) => statuses.get(id) === "rewarded");
    },
    timeoutMs,
  );
}
