/**
 * Everything the API runs on, built once from the configuration: database, chain, catalog, content store, rate-limit
 * stores, metrics. Tests build the same object with their own configuration (and database).
 */
import path from "node:path";

import pino, { type Logger } from "pino";

import { systemClock, type Clock } from "./clock.js";
import { AccountReader } from "./accounts/service.js";
import { PaymentTokens } from "./bookings/payment-token.js";
import { Catalog } from "./catalog/service.js";
import { createChainContext, type ChainContext } from "./chain/index.js";
import type { Config } from "./config/index.js";
import { openDatabase, type Database, type Db } from "./db/index.js";
import { memoryStores, redisStores, type StoreFactory } from "./http/middleware.js";
import { EmbeddedStore, KuboStore, type ContentStore } from "./ipfs/store.js";
import { createMetrics, type Metrics } from "./ops/metrics.js";
import { createPlanner } from "./planner/index.js";
import type { PlannerService } from "./planner/service.js";
import { createRecommender } from "./recommendations/index.js";
import type { Recommender } from "./recommendations/service.js";
import { createVoice } from "./voice/index.js";
import type { VoiceService } from "./voice/service.js";
import { PushBroker } from "./push/broker.js";
import { createStakingReader, type StakingReader } from "./staking/index.js";

export interface Services {
  config: Config;
  logger: Logger;
  database: Database;
  db: Db;
  chain: ChainContext;
  catalog: Catalog;
  staking: StakingReader;
  accounts: AccountReader;
  tokens: PaymentTokens;
  ipfs: ContentStore;
  metrics: Metrics;
  rateLimitStores: StoreFactory;
  /** Booking and account changes, pushed to their users' open streams. */
  push: PushBroker;
  planner: PlannerService;
  recommender: Recommender;
  voice: VoiceService;
  now: Clock;
  close(): Promise<void>;
}

export interface ServiceOverrides {
  database?: Database;
  catalog?: Catalog;
  logger?: Logger;
  now?: Clock;
}

export function createLogger(config: Config): Logger {
  return pino({ level: config.LOG_LEVEL, base: { service: "trvl-api" } });
}

// The catalog is immutable and costs about a second to build: one per process is enough.
let sharedCatalog: Catalog | undefined;

export async function createServices(config: Config, overrides: ServiceOverrides = {}): Promise<Services> {
  const logger = overrides.logger ?? createLogger(config);
  const database =
    overrides.database ??
    (config.DATABASE_URL
      ? await openDatabase({
          kind: "postgres",
          url: config.DATABASE_URL,
          poolSize: config.DATABASE_POOL_SIZE,
          workerPoolSize: config.DATABASE_WORKER_POOL_SIZE,
        })
      : await openDatabase({ kind: "pglite", dataDir: path.join(config.DATA_DIR, "pglite") }));
  const redis = config.REDIS_URL ? await redisStores(config.REDIS_URL) : undefined;
  const chain = createChainContext(config);
  const staking = createStakingReader(chain);
  const accounts = new AccountReader({ chain, staking }, config.ACCOUNT_CACHE_TTL_MS);
  const push = new PushBroker(database, logger.child({ component: "push" }), {
    accountChanged: (address) => accounts.invalidate(address),
    everythingChanged: () => accounts.invalidateAll(),
  });
  await push.start();
  const now = overrides.now ?? systemClock;
  const catalog =
    overrides.catalog ??
    (config.DUFFEL_ACCESS_TOKEN || config.DEMO_FREE_CANCELLATION_MINUTES > 0
      ? new Catalog({
          duffel: config.DUFFEL_ACCESS_TOKEN
            ? { accessToken: config.DUFFEL_ACCESS_TOKEN, apiUrl: config.DUFFEL_API_URL, stays: config.DUFFEL_STAYS }
            : undefined,
          demoFreeCancellationMinutes: config.DEMO_FREE_CANCELLATION_MINUTES,
          logger,
          now,
        })
      : (sharedCatalog ??= new Catalog({ logger })));
  const recommender = createRecommender({ config, catalog, db: database.db, logger });
  const planner = createPlanner({ config, catalog, db: database.db, logger, now, affinity: recommender });
  const voice = createVoice({ config, catalog, planner, logger });
  return {
    config,
    logger,
    database,
    db: database.db,
    chain,
    catalog,
    staking,
    accounts,
    tokens: new PaymentTokens(chain),
    ipfs: config.IPFS_API_URL
      ? new KuboStore(config.IPFS_API_URL)
      : new EmbeddedStore(path.join(config.DATA_DIR, "ipfs")),
    metrics: createMetrics(),
    rateLimitStores: redis?.stores ?? memoryStores(),
    push,
    planner,
    recommender,
    voice,
    now,
    close: async () => {
      await push.close();
      await redis?.close();
      if (!overrides.database) await database.close();
    },
  };
}
