/**
 * The relayer's budgets: at most RELAY_MAX_PER_USER_PER_DAY relays per account and RELAY_MAX_PER_DAY in all in any 24
 * hours of the services' clock, counted from `referral_relays`. With each relay's gas capped (RELAY_GAS_LIMIT), that
 * bounds what the relayer can be made to spend in a day. Relays whose simulation the node refused cost no gas but did
 * cost the node work: they count, with the sent ones, against RELAY_MAX_ATTEMPTS_PER_USER_PER_DAY.
 */
import { and, asc, count, eq, gt, sql } from "drizzle-orm";
import type { Address, Hex } from "viem";

import type { Config } from "../config/index.js";
import { schema, type Db, type Executor } from "../db/index.js";
import { ApiError } from "../http/errors.js";

const DAY_MS = 86_400_000;
/** Serialises reservations across API instances (a transaction-level advisory lock: released at commit). */
export const RESERVATION_LOCK = 0x7265_6c61; // "rela"

export interface Reservation {
  id: bigint;
}

type RelayRequest = { chainId: number; user: Address; referrer: Address; time: Date };

/**
 * Holds a place in both budgets for a relay about to be simulated and sent, or refuses with a 429 saying which budget
 * is spent and when a place frees up. Concurrent requests cannot overdraw: reservations are taken one at a time. An
 * account whose own budget is spent is refused before that queue as well, so its retries never hold up anyone's.
 */
export async function reserveRelay(
  { db, config }: { db: Db; config: Config },
  relay: RelayRequest,
): Promise<Reservation> {
  await refuseSpentAccount(db, config, relay);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${RESERVATION_LOCK})`);
    await refuseSpentAccount(tx, config, relay);
    const sentOrSending = and(inWindow(relay), eq(schema.referralRelays.refused, false));
    const [{ value: total }] = await tx.select({ value: count() }).from(schema.referralRelays).where(sentOrSending);
    if (total >= config.RELAY_MAX_PER_DAY) {
      throw new ApiError(
        429,
        "relay_daily_budget_exceeded",
        `The relayer has sent its ${config.RELAY_MAX_PER_DAY} registrations for the last 24 hours; try again later`,
        { limit: config.RELAY_MAX_PER_DAY },
        await retryAfter(tx, sentOrSending, relay.time),
      );
    }
    const [row] = await tx
      .insert(schema.referralRelays)
      .values({ chainId: relay.chainId, user: relay.user, referrer: relay.referrer, createdAt: relay.time })
      .returning({ id: schema.referralRelays.id });
    return { id: row!.id };
  });
}

/** The relays of the last 24 hours on the relay's chain. */
const inWindow = (relay: RelayRequest) =>
  and(
    eq(schema.referralRelays.chainId, relay.chainId),
    gt(schema.referralRelays.createdAt, new Date(relay.time.getTime() - DAY_MS)),
  );

/** Refuses with a 429 when the account has used up its attempts or its relays of the last 24 hours. */
async function refuseSpentAccount(db: Executor, config: Config, relay: RelayRequest) {
  const mine = and(inWindow(relay), eq(schema.referralRelays.user, relay.user));
  const [{ attempts, refused }] = await db
    .select({ attempts: count(), refused: count(sql`case when ${schema.referralRelays.refused} then 1 end`) })
    .from(schema.referralRelays)
    .where(mine);
  if (attempts >= config.RELAY_MAX_ATTEMPTS_PER_USER_PER_DAY) {
    throw new ApiError(
      429,
      "relay_attempts_exceeded",
      `The relayer tries at most ${config.RELAY_MAX_ATTEMPTS_PER_USER_PER_DAY} registrations per account in 24 hours, refused ones included`,
      { limit: config.RELAY_MAX_ATTEMPTS_PER_USER_PER_DAY },
      await retryAfter(db, mine, relay.time),
    );
  }
  if (attempts - refused >= config.RELAY_MAX_PER_USER_PER_DAY) {
    throw new ApiError(
      429,
      "relay_user_budget_exceeded",
      `The relayer sends at most ${config.RELAY_MAX_PER_USER_PER_DAY} registrations per account in 24 hours`,
      { limit: config.RELAY_MAX_PER_USER_PER_DAY },
      await retryAfter(db, and(mine, eq(schema.referralRelays.refused, false)), relay.time),
    );
  }
}

/** The Retry-After header of a refusal: when the oldest of the relays `where` selects leaves the 24-hour window. */
async function retryAfter(db: Executor, where: ReturnType<typeof and>, time: Date) {
  const [oldest] = await db
    .select({ createdAt: schema.referralRelays.createdAt })
    .from(schema.referralRelays)
    .where(where)
    .orderBy(asc(schema.referralRelays.createdAt))
    .limit(1);
  const freesAt = (oldest?.createdAt.getTime() ?? time.getTime()) + DAY_MS;
  return { "Retry-After": String(Math.max(1, Math.ceil((freesAt - time.getTime()) / 1000))) };
}

/** The relay's transaction (or its latest replacement) is out. */
export async function recordBroadcast(db: Db, reservation: Reservation, txHash: Hex) {
  await db.update(schema.referralRelays).set({ txHash }).where(eq(schema.referralRelays.id, reservation.id));
}

/** The node refused the relay's simulation: nothing was sent, but the attempt stays counted. */
export async function recordRefusal(db: Db, reservation: Reservation) {
  await db.update(schema.referralRelays).set({ refused: true }).where(eq(schema.referralRelays.id, reservation.id));
}

/** Nothing was sent and the node did no work for it: the relay costs no budget. */
export async function cancelReservation(db: Db, reservation: Reservation) {
  await db.delete(schema.referralRelays).where(eq(schema.referralRelays.id, reservation.id));
}
