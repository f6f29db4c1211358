import { inject } from "vitest";

import { createScratchDatabase } from "@trvl/tooling/scratch-database";

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
  const scratch = await createScratchDatabase(testPostgresUrl(), "trvl_test", { durableCommits: false });
  const database = await openDatabase({ kind: "postgres", url: scratch.url, poolSize: 5, ...options });
  return {
    database,
    url: scratch.url,
    drop: async () => {
      await database.close();
      await scratch.drop();
    },
  };
}

/** A second connection pool to the Postgres database of `database`; closing it leaves the database in place. */
export async function reopenTestDatabase(database: TestDatabase): Promise<TestDatabase> {
  if (!database.url) throw new Error("only a Postgres test database can be shared between instances");
  const again = await openDatabase({ kind: "postgres", url: database.url, poolSize: 5 });
  return { database: again, url: database.url, drop: () => again.close() };
}
