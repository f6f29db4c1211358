/**
 * Turns stored chain events into the read models the API serves — bookings' on-chain lifecycle, rewards per
 * recipient, referrals, proposals and votes — and drives the keeper's jobs from what the chain shows happened. One
 * projection per contract (`escrow.ts`, `distributor.ts`, ...), its handlers registered by `"Contract:Event"`; every
 * projection can be rewound to a block (after a reorg) from what is stored, so the database always equals the chain.
 * All of it runs inside the listener's transaction.
 */
import type { Tx } from "../../db/index.js";
import type { ChainEvent } from "../events.js";
import { LockedBookings } from "./bookings.js";
import { distributor } from "./distributor.js";
import { escrow } from "./escrow.js";
import { governance } from "./governance.js";
import { emptyChanges, type AnyProjection, type Changes, type Handler, type ProjectionDeps } from "./projection.js";
import { referrals } from "./referrals.js";
import { staking } from "./staking.js";
import { timelock } from "./timelock.js";
import { token } from "./token.js";

export { emptyChanges, type Changes, type ProjectionDeps } from "./projection.js";

/** In the order they flush and rewind: the timelock's vetoes after the governor's states. */
const PROJECTIONS: AnyProjection[] = [token, referrals, escrow, distributor, staking, governance, timelock];

const HANDLERS = new Map<string, { projection: AnyProjection; handler: Handler<unknown> }>();
for (const projection of PROJECTIONS) {
  for (const [key, handler] of Object.entries(projection.on)) {
    if (!key.startsWith(`${projection.contract}:`)) throw new Error(`${key} is registered by ${projection.contract}`);
    if (HANDLERS.has(key)) throw new Error(`${key} has two handlers`);
    HANDLERS.set(key, { projection, handler: handler! });
  }
}

/**
 * Applies newly stored events, in chain order, inside the listener's transaction. The events are folded in memory
 * first (the API's bookings they concern are locked and loaded once), then written with a handful of statements per
 * batch, so the cost of a batch grows with its kinds of change, not its number of events.
 */
export async function project(tx: Tx, deps: ProjectionDeps, events: ChainEvent[]): Promise<Changes> {
  const changes = emptyChanges();
  const ctx = { tx, deps, changes, bookings: await LockedBookings.lock(tx, deps, changes, events) };
  const folds = new Map(PROJECTIONS.map((projection) => [projection, projection.open()]));
  for (const event of events) {
    const registered = HANDLERS.get(`${event.contract}:${event.name}`);
    if (registered) await registered.handler(event, folds.get(registered.projection), ctx);
  }
  await ctx.bookings.flush(tx);
  for (const projection of PROJECTIONS) await projection.flush(folds.get(projection), ctx);
  return changes;
}

/**
 * Forgets everything after block `ancestor` (a reorg replaced those blocks; their stored events are gone already):
 * each projection rewinds what it wrote. The listener then reads the new blocks as if for the first time.
 */
export async function rewind(tx: Tx, deps: ProjectionDeps, ancestor: bigint): Promise<Changes> {
  const ctx = { tx, deps, changes: emptyChanges() };
  for (const projection of PROJECTIONS) await projection.rewind(ctx, ancestor);
  return ctx.changes;
}
