import type { HttpBindings } from "@hono/node-server";
import type { Context, MiddlewareHandler } from "hono";
import { rateLimiter, MemoryStore, RedisStore, type RedisClient, type Store } from "hono-rate-limiter";
import type { Logger } from "pino";

import type { Config } from "../config/index.js";
import { clientIpResolver } from "./client-ip.js";
import { ApiError, errorResponse } from "./errors.js";
import type { AppEnv, AuthedEnv } from "./router.js";

/** Finds the client's IP once per request (see `clientIpResolver`), for `clientIp(c)`. */
export function identifyClient(config: Config): MiddlewareHandler<AppEnv> {
  const resolve = clientIpResolver(config);
  return async (c, next) => {
    c.set("clientIp", resolve(c));
    await next();
  };
}

/**
 * The client's IP address, as `identifyClient` found it (TRUST_PROXY, TRUSTED_PROXIES). A second argument (the
 * TRUST_PROXY setting callers used to pass) is ignored: the setting is applied once per request.
 */
export function clientIp(c: Context, _trustProxy?: unknown): string {
  return (c.get("clientIp") as string | undefined) ?? "unknown";
}

/** One JSON log line per request, with its request id; handlers log through `c.var.log` with the same id. */
export function requestLogger(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const start = performance.now();
    const log = logger.child({ reqId: c.var.requestId });
    c.set("log", log);
    await next();
    const status = c.res.status;
    const line = {
      method: c.req.method,
      path: c.req.path,
      status,
      ms: Math.round((performance.now() - start) * 10) / 10,
      ip: clientIp(c),
      user: (c.var as Partial<AuthedEnv["Variables"]>).user?.address,
    };
    if (status >= 500) log.error(line, "request failed");
    else log.info(line, "request");
  };
}

/**
 * A response sent before the request's body has all arrived (an early 413, 415, 401…) closes the connection. The
 * unread rest would stall it: @hono/node-server gives up draining it and destroys the socket, after the client was
 * told to keep it and may already have sent its next request on it.
 */
export const closeOnUnreadBody: MiddlewareHandler = async (c, next) => {
  await next();
  const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
  if (incoming && !incoming.complete) c.header("Connection", "close");
};

/**
 * Rate-limit stores: in memory by default; in Redis (shared by every API instance) when REDIS_URL is set. Each
 * limiter gets its own store, as the library expects.
 */
export type StoreFactory = (prefix: string) => Store<AppEnv>;

export function memoryStores(): StoreFactory {
  return () => new MemoryStore<AppEnv>();
}

export async function redisStores(url: string): Promise<{ stores: StoreFactory; close: () => Promise<void> }> {
  const { createClient } = await import("redis");
  const redis = createClient({ url });
  redis.on("error", () => {});
  await redis.connect();
  const client: RedisClient = {
    scriptLoad: (script) => redis.scriptLoad(script),
    evalsha: async <TArgs extends unknown[], TData = unknown>(sha1: string, keys: string[], args: TArgs) =>
      (await redis.evalSha(sha1, { keys, arguments: args.map(String) })) as TData,
    decr: (key) => redis.decr(key),
    del: (key) => redis.del(key),
  };
  return {
    stores: (prefix) => new RedisStore<AppEnv>({ client, prefix: `trvl:rl:${prefix}:` }),
    close: async () => void (await redis.quit()),
  };
}

function limited(c: Context) {
  return errorResponse(
    c,
    new ApiError(429, "rate_limited", "Too many requests; slow down and retry after the reset time"),
  );
}

export function ipRateLimit(config: Config, stores: StoreFactory): MiddlewareHandler<AppEnv> {
  return rateLimiter<AppEnv>({
    windowMs: config.RATE_LIMIT_WINDOW_MS,
    limit: config.RATE_LIMIT_PER_IP,
    standardHeaders: "draft-6",
    keyGenerator: clientIp,
    store: stores("ip"),
    handler: limited,
    // Probes must keep working while a client is being throttled.
    skip: (c) => c.req.path === "/health" || c.req.path === "/ready",
  });
}

/** Fewest requests per burst window the derived per-IP burst allows: a page load's parallel requests always fit. */
const MIN_BURST_PER_IP = 30;

/** Requests one IP may make per RATE_LIMIT_BURST_WINDOW_MS; null when the burst window is not shorter than the window. */
export function burstPerIp(config: Config): number | null {
  if (config.RATE_LIMIT_BURST_WINDOW_MS >= config.RATE_LIMIT_WINDOW_MS) return null;
  return (
    config.RATE_LIMIT_BURST_PER_IP ??
    Math.max(
      MIN_BURST_PER_IP,
      Math.ceil((config.RATE_LIMIT_PER_IP * config.RATE_LIMIT_BURST_WINDOW_MS) / config.RATE_LIMIT_WINDOW_MS),
    )
  );
}

/**
 * The per-IP limit over a short window, before the per-IP limit over the long one: a fixed window alone lets a client
 * send its whole allowance at once (600 requests in a second, then 429s for the rest of the minute), which is enough
 * for a few addresses to hold the event loop while an ordinary user waits. Its RateLimit-* headers are overwritten by
 * the long window's when the request goes through; a refusal carries its own, with Retry-After.
 */
export function ipBurstLimit(config: Config, stores: StoreFactory): MiddlewareHandler<AppEnv> {
  const limit = burstPerIp(config);
  if (limit === null) return (_c, next) => next();
  return rateLimiter<AppEnv>({
    windowMs: config.RATE_LIMIT_BURST_WINDOW_MS,
    limit,
    standardHeaders: "draft-6",
    requestPropertyName: "rateLimitBurst",
    keyGenerator: clientIp,
    store: stores("ip-burst"),
    handler: limited,
    skip: (c) => c.req.path === "/health" || c.req.path === "/ready",
  });
}

export function userRateLimit(config: Config, stores: StoreFactory): MiddlewareHandler<AuthedEnv> {
  return rateLimiter<AuthedEnv>({
    windowMs: config.RATE_LIMIT_WINDOW_MS,
    limit: config.RATE_LIMIT_PER_USER,
    standardHeaders: "draft-6",
    keyGenerator: (c) => c.var.user.address,
    store: stores("user") as unknown as Store<AuthedEnv>,
    handler: limited,
  });
}
