/** Picks the embeddings adapter: OpenAI with a key (or when asked), else feature hashing. */
import type { Logger } from "pino";

import type { Catalog } from "../catalog/service.js";
import type { Config } from "../config/index.js";
import type { Db } from "../db/index.js";
import { HashingEmbedder, OpenAIEmbedder, type Embedder } from "./embeddings.js";
import { Recommender } from "./service.js";

export function createEmbedder(config: Config): Embedder {
  const wanted = config.EMBEDDINGS_PROVIDER;
  if (wanted === "openai" || (wanted === "auto" && config.OPENAI_API_KEY)) {
    if (!config.OPENAI_API_KEY) throw new Error("EMBEDDINGS_PROVIDER=openai needs OPENAI_API_KEY");
    return new OpenAIEmbedder({
      apiKey: config.OPENAI_API_KEY,
      baseURL: config.OPENAI_BASE_URL,
      model: config.OPENAI_EMBEDDING_MODEL,
      dimensions: config.OPENAI_EMBEDDING_DIMENSIONS,
      timeoutMs: config.OPENAI_TIMEOUT_MS,
      maxRetries: config.OPENAI_MAX_RETRIES,
    });
  }
  return new HashingEmbedder();
}

export function createRecommender(deps: { config: Config; catalog: Catalog; db: Db; logger: Logger }): Recommender {
  return new Recommender({
    catalog: deps.catalog,
    db: deps.db,
    logger: deps.logger.child({ component: "recommendations" }),
    embedder: createEmbedder(deps.config),
  });
}
