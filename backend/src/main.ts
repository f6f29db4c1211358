/**
 * Starts the API: configuration from the environment (stops with a message naming each bad variable), database
 * with migrations applied, then HTTP. SIGINT/SIGTERM close the server and the database cleanly.
 */
import { createApp } from "./app.js";
import { ConfigError, loadConfig, type Config } from "./config/index.js";
import { serveApp } from "./http/server.js";
import { createLogger, createServices } from "./services.js";
import { startWorker, type Worker } from "./worker/worker.js";

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`[trvl-api] ${error.message}\nSee .env.example for every variable.`);
    process.exit(1);
  }
  throw error;
}

const logger = createLogger(config);
const services = await createServices(config, { logger });
// The catalog's search index is built in the background, so the first search without a destination need not wait.
void services.catalog.searchIndex().catch((error) => logger.warn({ error }, "catalog search index not built"));
const app = createApp(services);
// Every instance may run the worker: the leader lock makes sure only one listens to the chain and keeps at a time.
const worker: Worker | undefined = config.WORKER_ENABLED ? startWorker(services) : undefined;

const server = serveApp(app, { hostname: config.API_HOST, port: config.API_PORT, logger }, (info) => {
  const url = config.PUBLIC_API_URL ?? `http://${info.address}:${info.port}`;
  // A parent process (npm start, the benchmark) learns where the API listens whatever the log level.
  process.send?.({ type: "listening", url, docs: `${url}/docs`, database: services.database.driver });
  logger.info(
    {
      url,
      docs: `${url}/docs`,
      database: services.database.driver,
      chainId: config.CHAIN_ID,
      rpc: config.CHAIN_RPC_URL,
      ipfs: services.ipfs.kind,
      rateLimitStore: config.REDIS_URL ? "redis" : "memory",
    },
    "TRVL API listening",
  );
});

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "stopping");
  server.close();
  await worker?.stop();
  await services.close();
  process.exit(0);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
