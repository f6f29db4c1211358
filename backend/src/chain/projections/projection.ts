/**
 * What a contract's projection is: handlers for its events, keyed `"Contract:Event"` after the contract's name in
 * `@trvl/abi`'s registry, that fold a batch of events in memory; a flush that writes what they folded; and a rewind
 * that forgets what blocks after a reorg's common ancestor recorded. The listener owns the transaction all of them
 * run in.
 */
import type { PROTOCOL_CONTRACTS, WatchedContractName } from "@trvl/abi";
import { and, eq, gt, sql } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Address, ContractEventName } from "viem";

import type { ChainFact, JobKind } from "../../bookings/lifecycle.js";
import type { BookingDeps } from "../../bookings/model.js";
import type { Tx } from "../../db/index.js";
import { unnestInsert } from "../../db/unnest.js";
import type { ChainEvent } from "../events.js";

/** What a batch of events changed, for pushes to users and cache invalidation, and which keeper loops have work. */
export interface Changes {
  bookings: Set<string>;
  accounts: Set<Address>;
  rewards: number;
  /** Kinds of keeper job that got a job ready to run now. */
  jobs: Set<JobKind>;
}

export const emptyChanges = (): Changes => ({ bookings: new Set(), accounts: new Set(), rewards: 0, jobs: new Set() });

export interface ProjectionDeps extends Pick<BookingDeps, "now"> {
  chainId: number;
  /**
   * Backoff of a distribution the distributor passed over for a reason that may go away (price feed, mint limit,
   * queue): `baseMs` after the first attempt, doubling with each attempt, at most `maxMs`.
   */
  retryBackoff: { baseMs: number; maxMs: number };
}

/** `"Contract:Event"` for every event of every watched contract's ABI: a misspelt key does not compile. */
export type EventKey<N extends WatchedContractName = WatchedContractName> = N extends WatchedContractName
  ? `${N}:${ContractEventName<(typeof PROTOCOL_CONTRACTS)[N]["abi"]>}`
  : never;

/** The API's bookings a batch of events concerns, locked (see `LockedBookings`). */
export interface BatchBookings {
  /** Whether the event concerns one of the API's bookings. */
  has(e: ChainEvent): boolean;
  /** Moves the event's booking on as the lifecycle decides for `fact`; an event of no booking of the API's is ignored. */
  transition(e: ChainEvent, fact: ChainFact): void;
}

/** What every handler of a batch shares: the listener's transaction and the API's bookings the batch concerns. */
export interface BatchContext {
  tx: Tx;
  deps: ProjectionDeps;
  changes: Changes;
  bookings: BatchBookings;
}

export interface RewindContext {
  tx: Tx;
  deps: ProjectionDeps;
  changes: Changes;
}

export type Handler<State> = (event: ChainEvent, state: State, ctx: BatchContext) => void | Promise<void>;

export interface ContractProjection<N extends WatchedContractName, State> {
  contract: N;
  /** A fresh fold for one batch of events. */
  open(): State;
  on: { [K in EventKey<N>]?: Handler<State> };
  /** Writes what the handlers folded, after the bookings (a few statements per kind of change). */
  flush(state: State, ctx: BatchContext): Promise<void>;
  /** Forgets what the blocks after `ancestor` recorded (their events are deleted already). */
  rewind(ctx: RewindContext, ancestor: bigint): Promise<void>;
}

/** A projection with its state's type hidden, for the registry. */
export interface AnyProjection {
  contract: WatchedContractName;
  open(): unknown;
  on: Partial<Record<string, Handler<unknown>>>;
  flush(state: unknown, ctx: BatchContext): Promise<void>;
  rewind(ctx: RewindContext, ancestor: bigint): Promise<void>;
}

export const defineProjection = <N extends WatchedContractName, State>(
  projection: ContractProjection<N, State>,
): AnyProjection => projection as unknown as AnyProjection;

/** Event arguments are stored as JSON: integers as decimal strings. */
export const str = (value: unknown) => String(value);
export const big = (value: unknown) => BigInt(value as string);

/** Inserts event-keyed rows once: an event seen again finds its rows there already. */
export async function insertNew<T extends PgTable>(tx: Tx, table: T, rows: T["$inferInsert"][]): Promise<void> {
  if (rows.length > 0) await tx.execute(sql`${unnestInsert(table, rows)} on conflict do nothing`);
}

/** Deletes a chain-wide read model's rows recorded after block `ancestor`. */
export async function deleteAfter(
  { tx, deps }: RewindContext,
  table: PgTable & { chainId: AnyPgColumn; blockNumber: AnyPgColumn },
  ancestor: bigint,
): Promise<void> {
  await tx.delete(table).where(and(eq(table.chainId, deps.chainId), gt(table.blockNumber, ancestor)));
}
