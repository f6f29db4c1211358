import { randomBytes } from "node:crypto";

import pg from "pg";
import { inject } from "vitest";

import { openDatabase, type Database, type DatabaseOptions } from "../../src/db/index.js";

/** Every database test runs on both drivers. */
export const DRIVERS = ["pglite", "postgres"] as const;
export type Driver = (typeof DRIVERS)[number];

/**
 * The server the Postgres runs use (a database of their own is created on it and dropped after): TEST_DATABASE_URL,
 * else the one on 127.0.0.1:5432, else a throwaway one the run started (test/setup/postgres.ts).
 */
export function testPostgresUrl(): string {
  return inject("postgresUrl");
}

export interface TestDatabase {
  database: Database;
  url?: string;
  drop(): Promise<void>;
}

export async function openTestDatabase(
  driver: Driver,
  options: Pick<DatabaseOptions, "onQuery"> = {},
): Promise<TestDatabase> {
  if (driver === "pglite") {
    const database = await openDatabase({ kind: "pglite", ...options });
    return { database, drop: () => database.close() };
  }
  const name = `trvl_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const server = testPostgresUrl();
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: "postgres", url: url.toString(), poolSize: 5, ...options });
  return {
    database,
    url: url.toString(),
    drop: async () => {
      await database.close();
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** A second connection pool to the Postgres database of `database`; closing it leaves the database in place. */
export async function reopenTestDatabase(database: TestDatabase): Promise<TestDatabase> {
  if (!database.url) throw new Error("only a Postgres test database can be shared between instances");
  const again = await openDatabase({ kind: "postgres", url: database.url, poolSize: 5 });
  return { database: again, url: database.url, drop: () => again.close() };
}
