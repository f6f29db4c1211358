import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

import { LOCAL_ACCOUNT_INDEX, LOCAL_CHAIN_ID, localAccount } from "./local-accounts.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * The Node flags the backend runs with (V8's heap sizes): `config.nodeFlags` of backend/package.json, which its own
 * `start` script passes to node too, so every way of starting it uses the same ones.
 */
export function backendNodeFlags(): string[] {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, "backend", "package.json"), "utf8")) as {
    config?: { nodeFlags?: string };
  };
  return (manifest.config?.nodeFlags ?? "").split(/\s+/).filter(Boolean);
}

export interface BackendProcess {
  url: string;
  docsUrl: string;
  database: string;
  pid: number;
  stop(): Promise<void>;
  /** Kills the process at once (SIGKILL), as a crash would, and waits for it to be gone. */
  kill(): Promise<void>;
}

/**
 * Runs the backend API (backend/src/main.ts, through tsx) as a child process against a local chain, with the local
 * test accounts' roles: quote signer #2, relayer #1, keeper #3, supplier #5 (public test keys, local chain only) and a fresh
 * JWT secret. `env` adds or overrides variables (e.g. DATABASE_URL, API_PORT). Resolves once the API listens (it
 * says so over IPC, whatever the log level); its log lines go to `onLog`.
 */
export async function startBackend(options: {
  chainUrl: string;
  env?: Record<string, string | undefined>;
  onLog?: (line: string) => void;
}): Promise<BackendProcess> {
  const main = path.join(ROOT, "backend", "src", "main.ts");
  const child = spawn(process.execPath, [...backendNodeFlags(), "--import", "tsx", main], {
    cwd: ROOT,
    env: {
      ...process.env,
      CHAIN_ID: String(LOCAL_CHAIN_ID),
      CHAIN_RPC_URL: options.chainUrl,
      QUOTE_SIGNER_PRIVATE_KEY: localAccount(LOCAL_ACCOUNT_INDEX.quoteSigner).privateKey,
      RELAYER_PRIVATE_KEY: localAccount(LOCAL_ACCOUNT_INDEX.relayer).privateKey,
      KEEPER_PRIVATE_KEY: localAccount(LOCAL_ACCOUNT_INDEX.keeper).privateKey,
      SUPPLIER_ADDRESS: localAccount(LOCAL_ACCOUNT_INDEX.supplier).address,
      JWT_SECRET: process.env.JWT_SECRET ?? randomBytes(32).toString("hex"),
      ...options.env,
    },
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  if (options.onLog) createInterface({ input: child.stdout! }).on("line", options.onLog);
  else child.stdout!.resume();

  const ready = await new Promise<{ url: string; docs: string; database: string }>((resolve, reject) => {
    exited.then((code) => reject(new Error(`the backend exited with code ${code} before it was ready`)));
    child.on("message", (message: { type?: string; url: string; docs: string; database: string }) => {
      if (message.type === "listening") resolve(message);
    });
  });
  child.disconnect();

  return {
    url: ready.url,
    docsUrl: ready.docs,
    database: ready.database,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}
