import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

import { LOCAL_CHAIN_ID } from "@trvl/tooling/local-accounts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const WEB = path.join(ROOT, "web");
const NEXT_BIN = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");

export interface WebProcess {
  url: string;
  stop(): Promise<void>;
}

export interface WebOptions {
  apiUrl: string;
  chainUrl: string;
  host?: string;
  port?: number;
  /** Local test accounts the app offers as test wallets (wagmi's mock connector); none unless asked for. */
  testWalletAccounts?: string[];
  /** Build output directory under web/, so differently configured builds (tests, `npm start`) never overwrite one another. */
  distDir?: string;
  onLog?: (line: string) => void;
}

function pipe(child: ChildProcess, onLog?: (line: string) => void) {
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    if (onLog) createInterface({ input: stream }).on("line", onLog);
    else stream.resume();
  }
}

/**
 * Builds the web app for production (`next build`: NEXT_PUBLIC_* values are compiled in, so they come from the
 * running stack) and serves it with `next start`. Resolves once the app answers; nothing in it calls home
 * (NEXT_TELEMETRY_DISABLED).
 */
export async function startWeb(options: WebOptions): Promise<WebProcess> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 3000;
  const accounts = options.testWalletAccounts ?? [];
  const env = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    NEXT_DIST_DIR: options.distDir ?? ".next",
    NEXT_PUBLIC_API_URL: options.apiUrl,
    NEXT_PUBLIC_CHAIN_ID: String(LOCAL_CHAIN_ID),
    NEXT_PUBLIC_RPC_URLS: JSON.stringify({ [LOCAL_CHAIN_ID]: options.chainUrl }),
    NEXT_PUBLIC_TEST_WALLET: accounts.length > 0 ? "1" : "0",
    NEXT_PUBLIC_TEST_WALLET_ACCOUNT: accounts.join(","),
  };

  const build = spawn(process.execPath, [NEXT_BIN, "build"], { cwd: WEB, env, stdio: ["ignore", "pipe", "pipe"] });
  pipe(build, options.onLog);
  const built = await new Promise<number | null>((resolve) => build.once("exit", resolve));
  if (built !== 0) throw new Error(`next build exited with code ${built}`);

  const child = spawn(process.execPath, [NEXT_BIN, "start", "--hostname", host, "--port", String(port)], {
    cwd: WEB,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  pipe(child, options.onLog);
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const url = `http://${host}:${port}`;

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/plan`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`the web app did not answer on ${url} within a minute`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  return {
    url,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
