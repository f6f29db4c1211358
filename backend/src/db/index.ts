import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";

import * as schema from "./schema.js";

export { schema };

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction of `Db`; code that works in or out of one takes an `Executor`. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type Executor = Db | Tx;

export interface Database {
  db: Db;
  /**
   * The chain listener's and keeper's connections. On PostgreSQL a pool of their own, so that the money path never
   * queues behind the API's requests for a connection; the embedded database has one connection, so it is `db`.
   */
  workerDb: Db;
  driver: "postgres" | "pglite";
  /** Cheap round trip, for readiness checks. */
  ping(): Promise<void>;
  /**
   * Tries to become the one instance that runs the chain listener and keeper (a session-level Postgres advisory
   * lock, held by its own connection). Null if another instance holds it.
   */
  tryLead(key: number): Promise<Leadership | null>;
  /** Calls `handler` with each NOTIFY payload on `channel` (delivered when the notifying transaction commits). */
  listen(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface Leadership {
  /** False once the lock's connection is lost: another instance may lead by then. */
  readonly held: boolean;
  release(): Promise<void>;
}

const queryLogger = (onQuery?: (query: string, params: unknown[]) => void) =>
  onQuery ? { logQuery: onQuery } : undefined;

const MIGRATIONS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../drizzle");

// Postgres returns int8 and numeric as strings; drizzle's bigint mode and our uint256 type turn them into bigint.
export type DatabaseOptions = (
  | { kind: "postgres"; url: string; poolSize?: number; workerPoolSize?: number }
  | { kind: "pglite"; dataDir?: string /* undefined: in memory */ }
) & {
  /** Called with every statement drizzle sends and its parameters (query plans are checked this way). */
  onQuery?: (query: string, params: unknown[]) => void;
};

/**
 * A connection's error must not crash the process, whether it is idle in the pool or closing at shutdown (a closing
 * one no longer has the pool's listener); a query in progress still reports it.
 */
export function ignoreConnectionErrors(pool: pg.Pool): pg.Pool {
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  return pool;
}

/** Opens the database and applies the committed migrations (drizzle-kit), the same ones on both drivers. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.kind === "postgres") {
    // Connections are opened on first use: an instance that never leads holds none of the worker's.
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    const workerPool = new pg.Pool({ connectionString: options.url, max: options.workerPoolSize ?? 6 });
    const pools = [pool, workerPool];
    for (const each of pools) ignoreConnectionErrors(each);
    const close = async () => void (await Promise.all(pools.map((each) => each.end().catch(() => {}))));
    try {
      const db = drizzlePg(pool, { schema, logger: queryLogger(options.onQuery) });
      await migratePg(db, { migrationsFolder: MIGRATIONS });
      return {
        db: db as unknown as Db,
        workerDb: drizzlePg(workerPool, { schema, logger: queryLogger(options.onQuery) }) as unknown as Db,
        driver: "postgres",
        ping: async () => void (await pool.query("select 1")),
        tryLead: (key) => leadWithPostgres(options.url, key),
        listen: (channel, handler) => listenWithPostgres(options.url, channel, handler),
        close,
      };
    } catch (error) {
      await close();
      throw error;
    }
  }
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const client = await PGlite.create(options.dataDir);
  const db = drizzlePglite(client, { schema, logger: queryLogger(options.onQuery) });
  await migratePglite(db, { migrationsFolder: MIGRATIONS });
  return {
    db: db as unknown as Db,
    workerDb: db as unknown as Db,
    driver: "pglite",
    ping: async () => void (await db.execute(sql`select 1`)),
    // One process owns an embedded database: it always leads (the lock still guards against a second leader loop).
    tryLead: async (key) => {
      const { rows } = await client.query<{ locked: boolean }>("select pg_try_advisory_lock($1) as locked", [key]);
      if (!rows[0]?.locked) return null;
      let held = true;
      return {
        get held() {
          return held;
        },
        release: async () => {
          held = false;
          await client.query("select pg_advisory_unlock($1)", [key]);
        },
      };
    },
    listen: async (channel, handler) => {
      const unsubscribe = await client.listen(channel, handler);
      return async () => unsubscribe();
    },
    close: () => client.close(),
  };
}

/** The lock lives as long as its dedicated connection, which is checked every few seconds. */
async function leadWithPostgres(url: string, key: number): Promise<Leadership | null> {
  const client = new pg.Client({ connectionString: url });
  let held = false;
  client.on("error", () => {
    held = false;
  });
  client.on("end", () => {
    held = false;
  });
  await client.connect();
  const { rows } = await client.query<{ locked: boolean }>("select pg_try_advisory_lock($1) as locked", [key]);
  if (!rows[0]?.locked) {
    await client.end().catch(() => {});
    return null;
  }
  held = true;
  const heartbeat = setInterval(() => {
    client.query("select 1").catch(() => {
      held = false;
    });
  }, 2_000);
  heartbeat.unref();
  return {
    get held() {
      return held;
    },
    release: async () => {
      clearInterval(heartbeat);
      held = false;
      await client.end().catch(() => {});
    },
  };
}

/** Calls `handler` with each NOTIFY payload on `channel`, on a connection of its own; returns the unsubscribe. */
export async function listenWithPostgres(url: string, channel: string, handler: (payload: string) => void) {
  let client: pg.Client | undefined;
  let stopped = false;
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url });
    next.on("notification", (message) => {
      if (message.channel === channel && message.payload !== undefined) handler(message.payload);
    });
    next.on("error", () => {
      // Reconnect: notifications sent while disconnected are lost, so subscribers refetch on reconnect.
      if (!stopped) setTimeout(() => void connect().catch(() => {}), 1_000).unref();
    });
    await next.connect();
    await next.query(`listen ${pg.Client.prototype.escapeIdentifier(channel)}`);
    client = next;
  };
  await connect();
  return async () => {
    stopped = true;
    await client?.end().catch(() => {});
  };
}

/** True when `error` is Postgres' unique violation (same SQLSTATE from pg and PGlite). */
export function isUniqueViolation(error: unknown): boolean {
  for (let cause = error; cause; cause = (cause as { cause?: unknown }).cause) {
    if ((cause as { code?: unknown }).code === "23505") return true;
  }
  return false;
}
