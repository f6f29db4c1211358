/** Picks the planner adapter from the configuration: OpenAI with a key (or when asked), else the offline planner. */
import type { Logger } from "pino";

import type { Catalog } from "../catalog/service.js";
import type { Config } from "../config/index.js";
import type { Db } from "../db/index.js";
import { OfflinePlanner } from "./offline.js";
import { OpenAIPlanner } from "./openai.js";
import { OsmPlaces } from "../places/osm.js";
import { PlannerService, type AffinitySource } from "./service.js";
import type { Planner } from "./types.js";
import type { Clock } from "../clock.js";

export function createPlanner(deps: {
  config: Config;
  catalog: Catalog;
  db: Db;
  logger: Logger;
  now: Clock;
  affinity?: AffinitySource;
}): PlannerService {
  const { config } = deps;
  const places =
    config.PLACES_PROVIDER === "osm"
      ? new OsmPlaces({
          db: deps.db,
          logger: deps.logger.child({ component: "places" }),
          now: deps.now,
          url: config.OVERPASS_URL,
          timeoutMs: config.OVERPASS_TIMEOUT_MS,
          ttlMs: config.PLACES_TTL_HOURS * 3_600_000,
        })
      : undefined;
  const offline = new OfflinePlanner(deps.catalog, places);
  const useOpenAI =
    config.PLANNER_PROVIDER === "openai" || (config.PLANNER_PROVIDER === "auto" && config.OPENAI_API_KEY !== undefined);
  const primary: Planner =
    useOpenAI && config.OPENAI_API_KEY
      ? new OpenAIPlanner(deps.catalog, {
          apiKey: config.OPENAI_API_KEY,
          baseURL: config.OPENAI_BASE_URL,
          model: config.OPENAI_MODEL,
          timeoutMs: config.OPENAI_TIMEOUT_MS,
          maxRetries: config.OPENAI_MAX_RETRIES,
          contextTokens: config.PLANNER_CONTEXT_TOKENS,
          places,
        })
      : offline;
  return new PlannerService({ ...deps, primary, offline, logger: deps.logger.child({ component: "planner" }) });
}
