/**
 * Pushes each signed-in user the changes to their own bookings and account as they happen. The listener announces
 * committed changes on a Postgres channel (so every API instance hears them, whichever instance leads); the broker
 * resolves which user each change concerns and forwards it only to that user's open streams.
 */
import { inArray } from "drizzle-orm";
import type { Logger } from "pino";
import { getAddress, isAddress, type Address } from "viem";

import { schema, type Database } from "../db/index.js";
import { CHANGES_CHANNEL } from "./changes.js";

export type PushEvent =
  | { type: "booking"; booking: { id: string; status: string; updatedAt: string } }
  | { type: "account"; address: Address }
  | { type: "refresh" };

type Send = (event: PushEvent) => void;

/** An open stream: where its events go, and how to end it when its user opens one too many. */
export interface Subscriber {
  send: Send;
  supersede: () => void;
}

export class PushBroker {
  // Each user's streams in the order they were opened (a Set keeps insertion order).
  private readonly subscribers = new Map<Address, Set<Subscriber>>();
  private stopListening?: () => Promise<void>;

  constructor(
    private readonly database: Database,
    private readonly logger: Logger,
    /** Caches of what a change makes stale, emptied before anyone is told of the change (and re-reads). */
    private readonly stale: { accountChanged(address: Address): void; everythingChanged(): void },
  ) {}

  async start() {
    this.stopListening = await this.database.listen(CHANGES_CHANNEL, (payload) => {
      void this.deliver(payload).catch((error: Error) =>
        this.logger.warn({ err: error.message }, "could not push a change to its user"),
      );
    });
  }

  /**
   * Registers a stream of `address`; returns its unsubscribe. Beyond `maxStreams` of that user's, the oldest is
   * dropped and told so (`supersede`): the tab a user opened last is the one they are looking at.
   */
  subscribe(address: Address, subscriber: Subscriber, maxStreams = Infinity): () => void {
    const key = getAddress(address);
    const set = this.subscribers.get(key) ?? new Set();
    set.add(subscriber);
    this.subscribers.set(key, set);
    for (const oldest of set) {
      if (set.size <= maxStreams) break;
      set.delete(oldest);
      oldest.supersede();
    }
    return () => {
      set.delete(subscriber);
      if (set.size === 0 && this.subscribers.get(key) === set) this.subscribers.delete(key);
    };
  }

  get streams(): number {
    let n = 0;
    for (const set of this.subscribers.values()) n += set.size;
    return n;
  }

  private async deliver(payload: string) {
    const change = JSON.parse(payload) as { bookings?: string[]; accounts?: string[]; all?: boolean };
    // Every instance hears every change: each forgets what it cached of it before its streams tell their users.
    if (change.all) this.stale.everythingChanged();
    for (const account of change.accounts ?? []) if (isAddress(account)) this.stale.accountChanged(getAddress(account));
    if (this.subscribers.size === 0) return;
    if (change.all) {
      for (const set of this.subscribers.values()) for (const { send } of set) send({ type: "refresh" });
      return;
    }
    if (change.bookings?.length) {
      const rows = await this.database.db
        .select({
          id: schema.bookings.id,
          traveller: schema.bookings.traveller,
          status: schema.bookings.status,
          updatedAt: schema.bookings.updatedAt,
        })
        .from(schema.bookings)
        .where(inArray(schema.bookings.id, change.bookings));
      for (const row of rows) {
        const event: PushEvent = {
          type: "booking",
          booking: { id: row.id, status: row.status, updatedAt: row.updatedAt.toISOString() },
        };
        for (const { send } of this.subscribers.get(getAddress(row.traveller)) ?? []) send(event);
      }
    }
    for (const account of change.accounts ?? []) {
      if (!isAddress(account)) continue;
      const address = getAddress(account);
      for (const { send } of this.subscribers.get(address) ?? []) send({ type: "account", address });
    }
  }

  async close() {
    await this.stopListening?.();
    this.subscribers.clear();
  }
}
