import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { inject } from "vitest";

import { LOCAL_ACCOUNT_INDEX, localAccount, type LocalRole } from "@trvl/tooling/local-accounts";
import { createApp } from "../../src/app.js";
import { loadConfig, type Config } from "../../src/config/index.js";
import { createServices, type Services } from "../../src/services.js";
import { testClock } from "./clock.js";
import { openTestDatabase, reopenTestDatabase, type Driver, type TestDatabase } from "./databases.js";

/** A local test account (Hardhat's public test keys; local chain only) as a viem account. */
export function testAccount(role: LocalRole | number): PrivateKeyAccount {
  const index = typeof role === "number" ? role : LOCAL_ACCOUNT_INDEX[role];
  return privateKeyToAccount(localAccount(index).privateKey as `0x${string}`);
}

export const WEB_DOMAIN = "localhost:3000";
export const WEB_ORIGIN = `http://${WEB_DOMAIN}`;

export function testEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    NODE_ENV: "test",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    CHAIN_ID: "31337",
    CHAIN_RPC_URL: inject("chainUrl"),
    QUOTE_SIGNER_PRIVATE_KEY: localAccount(LOCAL_ACCOUNT_INDEX.quoteSigner).privateKey,
    RELAYER_PRIVATE_KEY: localAccount(LOCAL_ACCOUNT_INDEX.relayer).privateKey,
    SUPPLIER_ADDRESS: localAccount(LOCAL_ACCOUNT_INDEX.supplier).address,
    JWT_SECRET: "test-only-secret-that-is-long-enough-0123456789",
    SIWE_DOMAINS: WEB_DOMAIN,
    RATE_LIMIT_PER_IP: "1000000",
    RATE_LIMIT_PER_USER: "1000000",
    VOICE_RATE_LIMIT_PER_IP: "1000000",
    VOICE_RATE_LIMIT_PER_USER: "1000000",
    PLANNER_RATE_LIMIT_PER_IP: "1000000",
    PLANNER_RATE_LIMIT_PER_USER: "1000000",
    ACCOUNT_CACHE_TTL_MS: "0",
    // Speech at full weight: test files run side by side, and a speech cgroup's low weight would let them starve it
    // (speech-cpu-quota.test.ts tests the quota itself).
    SPEECH_CPU_CORES: "0",
    // New blocks over the shared chain's WebSocket; a test that puts its own proxy or gate in front of the chain
    // (which speaks HTTP only) polls.
    ...(overrides.CHAIN_RPC_URL === undefined ? {} : { CHAIN_WS_URL: "off" }),
    ...overrides,
  };
}

export interface TestApp {
  app: ReturnType<typeof createApp>;
  services: Services;
  config: Config;
  database: TestDatabase;
  close(): Promise<void>;
}

/** The real app on a fresh database of `driver`, against the shared local chain. */
export async function createTestApp(
  driver: Driver,
  options: {
    env?: Record<string, string | undefined>;
    now?: () => Date;
    /** Another instance on the Postgres database of `sharing` (as API replicas are): it is not dropped on close. */
    sharing?: TestApp;
    /** Sees every statement the app sends to its database. */
    onQuery?: (query: string, params: unknown[]) => void;
  } = {},
): Promise<TestApp> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "trvl-test-"));
  const database = options.sharing
    ? await reopenTestDatabase(options.sharing.database)
    : await openTestDatabase(driver, { onQuery: options.onQuery });
  const config = loadConfig(testEnv({ DATA_DIR: dataDir, ...options.env }));
  const services = await createServices(config, { database: database.database, now: options.now ?? testClock });
  return {
    app: createApp(services),
    services,
    config,
    database,
    close: async () => {
      await services.close();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

// Response bodies are checked by assertions, not by types.
type Json = Record<string, any>;

/** A request to the app, JSON in and out. */
export async function call(
  app: TestApp["app"],
  method: string,
  path: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Json; headers: Headers }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers["content-type"] ??= "application/json";
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await app.request(path, {
    method,
    headers,
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === "string"
          ? options.body
          : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: Json;
  try {
    body = text ? (JSON.parse(text) as Json) : {};
  } catch {
    body = { raw: text };
  }
  return { status: response.status, body, headers: response.headers };
}

/** A SIWE message for `account` with a fresh nonce from the API; `fields` overrides any part of it. */
export async function siweMessage(
  app: TestApp["app"],
  account: PrivateKeyAccount,
  fields: Partial<Parameters<typeof createSiweMessage>[0]> = {},
) {
  const { body } = await call(app, "GET", "/auth/nonce");
  return createSiweMessage({
    address: account.address,
    chainId: 31337,
    domain: WEB_DOMAIN,
    uri: WEB_ORIGIN,
    version: "1",
    nonce: body.nonce as string,
    issuedAt: testClock(),
    statement: "Sign in to TRVL",
    ...fields,
  });
}

/** Signs in with a real signature and returns the session token. */
export async function signIn(app: TestApp["app"], account: PrivateKeyAccount): Promise<string> {
  const message = await siweMessage(app, account);
  const signature = await account.signMessage({ message });
  const { status, body } = await call(app, "POST", "/auth/verify", { body: { message, signature } });
  if (status !== 200) throw new Error(`sign-in failed: ${status} ${JSON.stringify(body)}`);
  return body.token as string;
}

export function expectError(response: { status: number; body: Json }) {
  const error = response.body.error as Json | undefined;
  return {
    status: response.status,
    code: error?.code,
    message: error?.message,
    details: error?.details,
    hasShape:
      !!error &&
      typeof error.code === "string" &&
      typeof error.message === "string" &&
      "details" in error &&
      typeof error.timestamp === "string" &&
      typeof error.request_id === "string",
  };
}
