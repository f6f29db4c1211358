/**
 * The whole product on this machine: a local chain with everything deployed, the backend API with its listener and
 * keeper, and the web app. `npm start` runs it on the default ports; the web end-to-end test runs its own beside it.
 */
import { rm } from "node:fs/promises";
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { startBackend, type BackendProcess } from "@trvl/tooling/backend-process";
import { startWeb, type WebProcess } from "../lib/web-process.js";
import { startLocalChain, type LocalChain } from "./chain.js";

export interface StackOptions {
  chainHost?: string;
  chainPort?: number;
  apiPort?: number;
  webHost?: string;
  webPort?: number;
  /** Ignition journal name (chains beside `npm start` need their own). */
  deploymentId?: string;
  /** Mine a block this often (ms) as well as on each transaction; unset: only on transactions. */
  blockIntervalMs?: number;
  /** Where the embedded database lives; wiped at start, since each start is a fresh chain. */
  dataDir?: string;
  /** Test accounts offered as test wallets in the web app (only for local testing). */
  testWalletAccounts?: string[];
  /** Web build directory under web/. */
  webDistDir?: string;
  /** Leave the web app out. */
  noWeb?: boolean;
  env?: Record<string, string | undefined>;
  onLog?: (source: "api" | "web", line: string) => void;
}

export interface Stack {
  chain: LocalChain;
  api: BackendProcess;
  web?: WebProcess;
  stop(): Promise<void>;
}

export async function startStack(hre: HardhatRuntimeEnvironment, options: StackOptions = {}): Promise<Stack> {
  const webHost = options.webHost ?? "127.0.0.1";
  const webPort = options.webPort ?? 3000;
  const chain = await startLocalChain(hre, options.chainHost ?? "127.0.0.1", options.chainPort ?? 8545, {
    deploymentId: options.deploymentId,
    blockIntervalMs: options.blockIntervalMs,
  });
  const dataDir = options.dataDir ?? path.join(hre.config.paths.root, ".data");
  // Every start is a fresh chain, so the embedded database (which indexes it) starts fresh too. A Postgres named by
  // DATABASE_URL is kept: the listener notices the new chain by its genesis block and indexes it again.
  if (!process.env.DATABASE_URL) await rm(path.join(dataDir, "pglite"), { recursive: true, force: true });

  let api: BackendProcess | undefined;
  let web: WebProcess | undefined;
  try {
    const webOrigins = [`http://${webHost}:${webPort}`, `http://localhost:${webPort}`];
    api = await startBackend({
      chainUrl: chain.url,
      env: {
        DATA_DIR: dataDir,
        ...(options.apiPort !== undefined ? { API_PORT: String(options.apiPort) } : {}),
        // The web app's origin may call the API with its session cookie and sign in.
        CORS_ORIGINS: webOrigins.join(","),
        SIWE_DOMAINS: webOrigins.map((o) => new URL(o).host).join(","),
        // The admin CLI's default directory, run from the repository root: the ops page lists waiting proposals.
        SAFE_PROPOSALS_DIR: path.join(hre.config.paths.root, "safe-proposals"),
        ...options.env,
      },
      onLog: (line) => options.onLog?.("api", line),
    });
    if (!options.noWeb) {
      web = await startWeb({
        apiUrl: api.url,
        chainUrl: chain.url,
        host: webHost,
        port: webPort,
        testWalletAccounts: options.testWalletAccounts,
        distDir: options.webDistDir,
        onLog: (line) => options.onLog?.("web", line),
      });
    }
  } catch (error) {
    await api?.stop();
    await chain.close();
    throw error;
  }

  return {
    chain,
    api,
    web,
    stop: async () => {
      await web?.stop();
      await api!.stop();
      await chain.close();
    },
  };
}
