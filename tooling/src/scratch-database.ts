/** Throwaway PostgreSQL databases for tests, benchmarks and the soak: one of their own on a server, dropped after. */
import { randomBytes } from "node:crypto";

import pg from "pg";

export interface ScratchDatabase {
  url: string;
  /** Removes the database, closing whatever is still connected to it. */
  drop(): Promise<void>;
}

export interface ScratchOptions {
  /**
   * Whether a commit waits for its WAL to reach the disk (PostgreSQL's default). Tests turn it off: what they check
   * holds either way (only a crash of the server itself could lose a commit), and on a slow disk the flush per commit
   * can be much of their time. Benchmarks and the soak keep it, as a deployment does.
   */
  durableCommits?: boolean;
}

/** A fresh database on the server at `serverUrl`, named `<prefix>_<pid>_<random>`. */
export async function createScratchDatabase(
  serverUrl: string,
  prefix: string,
  { durableCommits = true }: ScratchOptions = {},
): Promise<ScratchDatabase> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString("hex")}`;
  await onServer(serverUrl, `create database ${name}`);
  if (!durableCommits) await onServer(serverUrl, `alter database ${name} set synchronous_commit = off`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => onServer(serverUrl, `drop database if exists ${name} with (force)`) };
}

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}
