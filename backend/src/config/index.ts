import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { isAddress, isHex, type Address, type Hex } from "viem";
import { z } from "zod";

import { parseIpRange } from "../http/ip-range.js";

/** The repository root: `.data/` and other defaults are relative to it, wherever the process was started from. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

const list = z
  .string()
  .transform((value) =>
    value
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string()).min(1));

const privateKey = z
  .string()
  .refine((value) => isHex(value) && value.length === 66, "must be a 0x-prefixed 32-byte hex private key")
  .transform((value) => value as Hex);

const address = z
  .string()
  .refine((value) => isAddress(value), "must be a 0x-prefixed 20-byte address")
  .transform((value) => value as Address);

const url = (protocols: string[]) =>
  z.url().refine((value) => protocols.includes(new URL(value).protocol), `must be a ${protocols.join(" or ")} URL`);

const bool = z.enum(["true", "false"]).transform((value) => value === "true");
const positiveInt = z.coerce.number().int().positive();
/** An amount in wei (or a token's smallest unit), as decimal digits. */
const wei = z
  .string()
  .regex(/^\d{1,78}$/, "must be an amount in wei (decimal digits)")
  .transform((value) => BigInt(value));

/** Checks an account must pass (any one of them) before the relayer pays for its registration. */
export const RELAY_ELIGIBILITY_CHECKS = ["paid_booking", "eth_balance", "trvl_balance", "anyone"] as const;

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  API_HOST: z.string().min(1).default("127.0.0.1"),
  API_PORT: z.coerce.number().int().min(0).max(65_535).default(8787),
  /** Where the API is reached from outside (printed, and the base of the OpenAPI document's server). */
  PUBLIC_API_URL: url(["http:", "https:"]).optional(),
  DATA_DIR: z.string().min(1).default(path.join(REPO_ROOT, ".data")),
  DATABASE_URL: url(["postgres:", "postgresql:"]).optional(),
  DATABASE_POOL_SIZE: positiveInt.default(10),
  /** The chain listener's and keeper's own connections (PostgreSQL), apart from the API's DATABASE_POOL_SIZE. */
  DATABASE_WORKER_POOL_SIZE: positiveInt.default(6),
  REDIS_URL: url(["redis:", "rediss:"]).optional(),

  CHAIN_ID: positiveInt.default(31337),
  CHAIN_RPC_URL: url(["http:", "https:"]).default("http://127.0.0.1:8545"),
  /**
   * The node's WebSocket endpoint, where the listener subscribes to new blocks (it reads each one as it is mined, and
   * still polls): by default CHAIN_RPC_URL's with ws(s)://; `off`: polling only.
   */
  CHAIN_WS_URL: z.union([z.literal("off"), url(["ws:", "wss:"])]).optional(),
  /** Blocks a payment transaction needs on top of it before the API accepts it as paid. */
  CHAIN_CONFIRMATIONS: z.coerce.number().int().min(1).default(1),
  QUOTE_SIGNER_PRIVATE_KEY: privateKey,
  RELAYER_PRIVATE_KEY: privateKey.optional(),
  /** Gas limit of a relayed registration, also the gas its simulation gets: a signature check that needs more is refused. */
  RELAY_GAS_LIMIT: z.coerce.number().int().min(100_000).max(10_000_000).default(300_000),
  /** Relays per account, and in all, in any 24 hours. */
  RELAY_MAX_PER_USER_PER_DAY: positiveInt.default(3),
  RELAY_MAX_PER_DAY: positiveInt.default(1_000),
  /** Relay attempts per account in any 24 hours, those the chain refused in simulation included. */
  RELAY_MAX_ATTEMPTS_PER_USER_PER_DAY: positiveInt.default(10),
  /** Who the relayer pays for, comma-separated, any one suffices: an account with a paid booking, holding
   * RELAY_MIN_ETH_WEI of ETH or RELAY_MIN_TRVL_WEI of TRVL, or `anyone`. */
  RELAY_ELIGIBLE_IF: list.pipe(z.array(z.enum(RELAY_ELIGIBILITY_CHECKS))).default(["paid_booking", "eth_balance"]),
  RELAY_MIN_ETH_WEI: wei.default(10n ** 15n),
  RELAY_MIN_TRVL_WEI: wei.default(10n ** 18n),
  SUPPLIER_ADDRESS: address,
  QUOTE_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  /** Minutes every fourth demo hotel and activity stays free to cancel after booking (0: none; docs/supply.md). */
  DEMO_FREE_CANCELLATION_MINUTES: z.coerce.number().int().min(0).max(1_440).default(0),

  JWT_SECRET: z.string().min(32, "must be at least 32 characters"),
  // Browsers keep a cookie at most 400 days (RFC 6265bis).
  SESSION_TTL_SECONDS: positiveInt.max(34_560_000).default(86_400),
  SIWE_NONCE_TTL_SECONDS: positiveInt.default(600),
  /** Hosts (RFC 3986 authority) a SIWE message may name: the web app's. */
  SIWE_DOMAINS: list.default(["localhost:3000", "127.0.0.1:3000"]),
  /** How far ahead of the clock a message's Issued At may be; it may be at most the nonce TTL plus this old. */
  SIWE_ISSUED_AT_SKEW_SECONDS: z.coerce.number().int().min(0).max(3_600).default(300),
  /** Smart-contract wallets' sign-ins (ERC-1271/6492): gas and time one check may take on the node (the time counts
   * from the request: waiting for a turn included); checks one IP may hold, running or waiting; checks that run at once
   * per API instance (one: a node that runs calls one at a time never has more than one ahead of other reads), and
   * how many may wait for their turn. */
  SIWE_CONTRACT_GAS_LIMIT: z.coerce.number().int().min(50_000).max(10_000_000).default(500_000),
  SIWE_CONTRACT_TIMEOUT_MS: positiveInt.default(5_000),
  SIWE_CONTRACT_CHECKS_PER_IP: positiveInt.default(2),
  SIWE_CONTRACT_CHECKS_MAX: positiveInt.default(1),
  SIWE_CONTRACT_CHECKS_QUEUE: z.coerce.number().int().min(0).default(16),
  /** Smart-wallet signature checks one IP may start per RATE_LIMIT_WINDOW_MS (a sign-in needs one). */
  SIWE_CONTRACT_CHECKS_PER_IP_PER_WINDOW: positiveInt.default(10),
  /** Catalog searches without a destination (whole-catalog scans) one IP may make per RATE_LIMIT_WINDOW_MS that no
   * cached answer serves. */
  CATALOG_BROAD_SEARCHES_PER_IP_PER_WINDOW: positiveInt.default(60),
  COOKIE_SECURE: bool.default(false),

  CORS_ORIGINS: list.default(["http://localhost:3000", "http://127.0.0.1:3000"]),
  /** `false`: the client IP is the socket's peer. `true`, or how many proxies stand in front: from X-Forwarded-For. */
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d+)$/, "must be true, false or the number of proxies in front of the API")
    .transform((value) => (value === "true" ? true : value === "false" || value === "0" ? false : Number(value)))
    .default(false),
  /** Addresses and CIDR ranges of the proxies in front of the API (with TRUST_PROXY=true). */
  TRUSTED_PROXIES: list
    .refine(
      (items) => items.every((item) => parseIpRange(item)),
      "must be IP addresses or CIDR ranges (10.0.0.0/8), comma-separated",
    )
    .optional(),
  BODY_LIMIT_BYTES: positiveInt.default(64 * 1024),
  RATE_LIMIT_WINDOW_MS: positiveInt.default(60_000),
  RATE_LIMIT_PER_IP: positiveInt.default(600),
  /**
   * Requests one IP may make per RATE_LIMIT_BURST_WINDOW_MS (default: RATE_LIMIT_PER_IP spread evenly over the window,
   * at least 30), so that a client cannot spend its whole window's allowance in its first second.
   */
  RATE_LIMIT_BURST_PER_IP: positiveInt.optional(),
  RATE_LIMIT_BURST_WINDOW_MS: positiveInt.default(5_000),
  RATE_LIMIT_PER_USER: positiveInt.default(300),
  /** Live-update streams (GET /events) one user may hold open on one API instance; one more closes their oldest. */
  SSE_STREAMS_PER_USER: positiveInt.default(5),
  ACCOUNT_CACHE_TTL_MS: z.coerce.number().int().min(0).default(2_000),

  /** Run the chain listener and keeper in this process when it wins the leader lock (one instance leads). */
  WORKER_ENABLED: bool.default(true),
  /** Secret: the keeper's key (SETTLER_ROLE on the escrow; pays the gas of settle, distribute and refund). Unset:
   * the listener still indexes, but nothing is settled, distributed or refunded by this instance. */
  KEEPER_PRIVATE_KEY: privateKey.optional(),
  /** Blocks the listener stays behind the head; default 0 on the local chain (31337), 12 elsewhere. */
  LISTENER_CONFIRMATIONS: z.coerce.number().int().min(0).optional(),
  LISTENER_POLL_MS: positiveInt.default(250),
  LISTENER_MAX_RANGE: positiveInt.default(2_000),
  LISTENER_REORG_WINDOW: positiveInt.default(128),
  KEEPER_POLL_MS: positiveInt.default(250),
  KEEPER_BATCH_SIZE: positiveInt.max(500).default(100),
  KEEPER_MAX_WAIT_MS: z.coerce.number().int().min(0).default(0),
  /** Unset: 1 on the local chain (it mines each transaction as it arrives), 2 elsewhere (see the worker). */
  KEEPER_CONCURRENCY: positiveInt.max(8).optional(),
  KEEPER_MAX_ATTEMPTS: positiveInt.default(8),
  KEEPER_RETRY_BASE_MS: positiveInt.default(2_000),
  KEEPER_RETRY_MAX_MS: positiveInt.default(300_000),
  /** Longest wait between two attempts at a reward the distributor passed over (mint limit, queue, price feed). */
  KEEPER_SKIP_RETRY_MAX_MS: positiveInt.default(3_600_000),
  KEEPER_RECEIPT_TIMEOUT_MS: positiveInt.default(60_000),
  KEEPER_MAX_REPLACEMENTS: z.coerce.number().int().min(0).default(5),
  KEEPER_FEE_BUMP_PERCENT: z.coerce.number().int().min(10).max(500).default(15),
  KEEPER_STALE_AFTER_MS: positiveInt.default(120_000),
  KEEPER_JOB_RETENTION_HOURS: positiveInt.default(168),
  /** How long an instance waits before trying again to lead, when another one leads. */
  LEADER_RETRY_MS: positiveInt.default(2_000),

  IPFS_API_URL: url(["http:", "https:"]).optional(),
  /** Where the admin CLI writes the guardian Safe's proposal files (`npm run admin`): GET /ops/status lists the waiting ones. */
  SAFE_PROPOSALS_DIR: z.string().min(1).optional(),
  DUFFEL_ACCESS_TOKEN: z.string().min(1).optional(),
  DUFFEL_API_URL: url(["http:", "https:"]).optional(),
  /** Hotels from Duffel Stays (when the key has Stays enabled); without DUFFEL_ACCESS_TOKEN hotels stay demo. */
  DUFFEL_STAYS: bool.default(false),
  /** Free places to visit (sights, museums, parks, temples, viewpoints, lunch) in plans: `osm` asks OpenStreetMap's
   * Overpass API at OVERPASS_URL (no key) and keeps a destination's places PLACES_TTL_HOURS; `none`: no network. */
  PLACES_PROVIDER: z.enum(["none", "osm"]).default("none"),
  OVERPASS_URL: url(["http:", "https:"]).default("https://overpass-api.de/api/interpreter"),
  OVERPASS_TIMEOUT_MS: positiveInt.max(180_000).default(15_000),
  PLACES_TTL_HOURS: positiveInt.default(168),

  /** Trip planner, speech and embeddings: each `auto` picks the keyed provider when its key is set, else the offline one. */
  PLANNER_PROVIDER: z.enum(["auto", "openai", "offline"]).default("auto"),
  EMBEDDINGS_PROVIDER: z.enum(["auto", "openai", "hashing"]).default("auto"),
  STT_PROVIDER: z.enum(["auto", "deepgram", "pocketsphinx", "none"]).default("auto"),
  TTS_PROVIDER: z.enum(["auto", "elevenlabs", "espeak", "none"]).default("auto"),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: url(["http:", "https:"]).optional(),
  OPENAI_MODEL: z.string().min(1).default("gpt-4o-mini"),
  OPENAI_EMBEDDING_MODEL: z.string().min(1).default("text-embedding-3-small"),
  /** Dimensions of item and profile vectors asked of the embedding model (every catalog item is kept in memory). */
  OPENAI_EMBEDDING_DIMENSIONS: z.coerce.number().int().min(8).max(3_072).default(64),
  OPENAI_TIMEOUT_MS: positiveInt.default(30_000),
  OPENAI_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(1),
  /** Tokens of earlier conversation the LLM planner is given (oldest turns are summarised, then dropped). */
  PLANNER_CONTEXT_TOKENS: z.coerce.number().int().min(500).default(6_000),
  DEEPGRAM_API_KEY: z.string().min(1).optional(),
  DEEPGRAM_BASE_URL: url(["http:", "https:", "ws:", "wss:"]).optional(),
  DEEPGRAM_MODEL: z.string().min(1).default("nova-3"),
  DEEPGRAM_TIMEOUT_MS: positiveInt.default(20_000),
  ELEVENLABS_API_KEY: z.string().min(1).optional(),
  ELEVENLABS_BASE_URL: url(["http:", "https:"]).optional(),
  ELEVENLABS_VOICE_ID: z.string().min(1).default("JBFqnCBsd6RMkjVDRZzb"),
  ELEVENLABS_MODEL: z.string().min(1).default("eleven_multilingual_v2"),
  ELEVENLABS_TIMEOUT_MS: positiveInt.default(20_000),
  POCKETSPHINX_BIN: z.string().min(1).default("pocketsphinx_continuous"),
  POCKETSPHINX_MODEL_DIR: z.string().min(1).default("/usr/share/pocketsphinx/model/en-us"),
  ESPEAK_BIN: z.string().min(1).default("espeak-ng"),
  /**
   * CPUs the offline speech binaries may use together: a Linux cgroup with this quota and an eighth of a process's CPU
   * weight, where the process may create one (0: none). Within it speech runs at full speed on an idle machine and
   * yields most of the CPU to the API when it is contended, so voice requests queue rather than take the API's cores.
   */
  SPEECH_CPU_CORES: z.coerce
    .number()
    .min(0)
    .max(availableParallelism())
    .default(Math.max(1, availableParallelism() / 2)),
  /** Largest voice upload (bytes) and longest recording (seconds) POST /voice/plan accepts. */
  VOICE_MAX_BYTES: positiveInt.default(5 * 1024 * 1024),
  VOICE_MAX_SECONDS: positiveInt.default(30),
  /**
   * CPU-heavy endpoints (POST /voice/plan; POST /planner/plan and /planner/plan/stream): requests that run at once,
   * requests that may wait for them (beyond: 503), requests one client IP or user may have running or waiting
   * (beyond: 429), and requests per RATE_LIMIT_WINDOW_MS per IP and per user (beyond: 429). Each pocketsphinx run
   * takes a core: by default speech gets at most half the machine's cores, the rest stays the API's.
   */
  VOICE_CONCURRENCY: positiveInt.default(Math.max(1, Math.floor(availableParallelism() / 2))),
  VOICE_QUEUE: z.coerce.number().int().min(0).default(8),
  VOICE_IN_FLIGHT_PER_CLIENT: positiveInt.default(2),
  VOICE_RATE_LIMIT_PER_IP: positiveInt.default(30),
  VOICE_RATE_LIMIT_PER_USER: positiveInt.default(20),
  PLANNER_CONCURRENCY: positiveInt.default(4),
  PLANNER_QUEUE: z.coerce.number().int().min(0).default(32),
  PLANNER_IN_FLIGHT_PER_CLIENT: positiveInt.default(2),
  PLANNER_RATE_LIMIT_PER_IP: positiveInt.default(60),
  PLANNER_RATE_LIMIT_PER_USER: positiveInt.default(40),
});

const checked = schema.superRefine((config, ctx) => {
  const needs = (when: boolean, variable: string, key: string) => {
    if (when) ctx.addIssue({ code: "custom", path: [variable], message: `needs ${key}` });
  };
  needs(config.PLANNER_PROVIDER === "openai" && !config.OPENAI_API_KEY, "PLANNER_PROVIDER", "OPENAI_API_KEY");
  needs(config.EMBEDDINGS_PROVIDER === "openai" && !config.OPENAI_API_KEY, "EMBEDDINGS_PROVIDER", "OPENAI_API_KEY");
  needs(config.STT_PROVIDER === "deepgram" && !config.DEEPGRAM_API_KEY, "STT_PROVIDER", "DEEPGRAM_API_KEY");
  needs(config.TTS_PROVIDER === "elevenlabs" && !config.ELEVENLABS_API_KEY, "TTS_PROVIDER", "ELEVENLABS_API_KEY");
  needs(config.TRUSTED_PROXIES !== undefined && config.TRUST_PROXY !== true, "TRUSTED_PROXIES", "TRUST_PROXY=true");
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses the configuration from `env` once; an empty string counts as unset. Throws a ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const result = checked.safeParse(present);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = issue.path.join(".");
        return present[name] === undefined && issue.code === "invalid_type"
          ? `${name} is required`
          : `${name} ${issue.message}`;
      }),
    );
  }
  return result.data;
}
