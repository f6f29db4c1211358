import { readFileSync } from "node:fs";
import path from "node:path";

import { createRoute, z } from "@hono/zod-openapi";
import { Hono } from "hono";
import { createRequire } from "node:module";

import type { ChainContext } from "../chain/index.js";
import type { Config } from "../config/index.js";
import type { Database, Db } from "../db/index.js";
import { ApiError, errorResponses } from "../http/errors.js";
import { createRouter, type AppEnv } from "../http/router.js";
import type { Metrics } from "./metrics.js";
import { opsStatus } from "./status.js";

const HealthResponse = z.object({ status: z.literal("ok"), uptimeSeconds: z.number() }).openapi("Health");

const Check = z.object({ ok: z.boolean(), latencyMs: z.number(), error: z.string().optional() });
const ReadyResponse = z
  .object({
    status: z.enum(["ready", "not_ready"]),
    checks: z.object({ database: Check.extend({ driver: z.string() }), chain: Check.extend({ chainId: z.number() }) }),
  })
  .openapi("Readiness");

async function timed(check: () => Promise<void>, timeoutMs: number) {
  const start = performance.now();
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs).unref(),
      ),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - start) };
  } catch (error) {
    return {
      ok: false,
      latencyMs: Math.round(performance.now() - start),
      error: error instanceof Error ? error.message.split("\n")[0] : String(error),
    };
  }
}

const Holder = z.object({ address: z.string(), name: z.string().nullable() });
const OpsStatusResponse = z
  .object({
    chainId: z.number(),
    guardian: z.union([
      z.object({ deployed: z.literal(false), reason: z.string() }),
      z.object({
        deployed: z.literal(true),
        address: z.string(),
        owners: z.array(z.string()),
        threshold: z.number(),
        nonce: z.number(),
        proposalsDir: z.string().nullable(),
        proposals: z.array(
          z.object({
            file: z.string(),
            description: z.string(),
            nonce: z.number(),
            safeTxHash: z.string(),
            signers: z.array(z.string()),
            proposedBy: z.string(),
            proposedAt: z.string(),
            state: z.string(),
          }),
        ),
      }),
    ]),
    contracts: z.object({
      paused: z.array(z.object({ name: z.string(), address: z.string().nullable(), paused: z.boolean().nullable() })),
      mintLimit: z
        .object({
          capacity: z.string(),
          windowSeconds: z.number(),
          available: z.string(),
          headroomPercent: z.number(),
        })
        .nullable(),
    }),
    timelock: z.object({
      minDelaySeconds: z.number().nullable(),
      operations: z.array(
        z.object({
          id: z.string(),
          scheduledAt: z.string(),
          eta: z.number().openapi({ description: "Unix seconds from which it can be executed" }),
          calls: z.array(
            z.object({ target: z.string(), targetName: z.string().nullable(), value: z.string(), call: z.string() }),
          ),
        }),
      ),
    }),
    roles: z.array(z.object({ contract: z.string(), role: z.string(), holders: z.array(Holder) })),
    keeper: z.object({
      headBlock: z.string(),
      indexedBlock: z.string().nullable(),
      lagBlocks: z.number().nullable(),
      indexedAt: z.string().nullable(),
      jobs: z.object({
        pending: z.number(),
        running: z.number(),
        failed: z.number(),
        oldestPendingSince: z.string().nullable(),
      }),
      accounts: z.array(z.object({ address: z.string(), balance: z.string() })),
    }),
  })
  .openapi("OpsStatus");

export function opsRoutes(deps: { database: Database; db: Db; config: Config; chain: ChainContext; metrics: Metrics }) {
  const { database, chain, metrics } = deps;
  return createRouter()
    .openapi(
      createRoute({
        method: "get",
        path: "/health",
        tags: ["ops"],
        summary: "Liveness: the process serves requests",
        responses: { 200: { description: "Alive", content: { "application/json": { schema: HealthResponse } } } },
      }),
      (c) => c.json({ status: "ok" as const, uptimeSeconds: Math.round(process.uptime()) }, 200),
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/ready",
        tags: ["ops"],
        summary: "Readiness: the database and the chain node answer",
        responses: {
          200: { description: "Ready", content: { "application/json": { schema: ReadyResponse } } },
          503: { description: "A dependency is down", content: { "application/json": { schema: ReadyResponse } } },
        },
      }),
      async (c) => {
        const [db, node] = await Promise.all([
          timed(() => database.ping(), 3_000),
          timed(async () => {
            const id = await chain.client.getChainId();
            if (id !== chain.chain.id) throw new Error(`the node serves chain ${id}, not ${chain.chain.id}`);
          }, 3_000),
        ]);
        const ready = db.ok && node.ok;
        const body = {
          status: ready ? ("ready" as const) : ("not_ready" as const),
          checks: { database: { ...db, driver: database.driver }, chain: { ...node, chainId: chain.chain.id } },
        };
        return ready ? c.json(body, 200) : c.json(body, 503);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/ops/status",
        tags: ["ops"],
        summary:
          "Read-only admin overview: the guardian Safe and its waiting proposals, the timelock queue, role holders, pauses, mint headroom, keeper health",
        responses: {
          200: { description: "Status", content: { "application/json": { schema: OpsStatusResponse } } },
          ...errorResponses(429, 503),
        },
      }),
      async (c) =>
        c.json(
          await opsStatus({ db: deps.db, chain, safeProposalsDir: deps.config.SAFE_PROPOSALS_DIR }).catch((error) => {
            throw new ApiError(503, "chain_unavailable", "The chain node did not answer", {
              reason: error instanceof Error ? error.message.split("\n")[0] : String(error),
            });
          }),
          200,
        ),
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/metrics",
        tags: ["ops"],
        summary: "Prometheus metrics (text exposition format)",
        responses: {
          200: { description: "Metrics", content: { "text/plain": { schema: z.string() } } },
          ...errorResponses(429),
        },
      }),
      async (c) =>
        c.text(await metrics.registry.metrics(), 200, { "Content-Type": metrics.registry.contentType }) as never,
    );
}

const require = createRequire(import.meta.url);
const SWAGGER_DIR = path.dirname(require.resolve("swagger-ui-dist/package.json"));

const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>TRVL API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

// validatorUrl null: Swagger UI would otherwise send the document to an online validator.
const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", validatorUrl: null, deepLinking: true, tryItOutEnabled: true, withCredentials: true });\n`;

/** The interactive docs page: Swagger UI from the local `swagger-ui-dist` package, nothing from a CDN. */
export function docsRoutes() {
  const asset = (file: string) => readFileSync(path.join(SWAGGER_DIR, file));
  const css = asset("swagger-ui.css");
  const bundle = asset("swagger-ui-bundle.js");
  const cache = { "Cache-Control": "public, max-age=86400" };
  return new Hono<AppEnv>()
    .get("/docs", (c) => c.html(DOCS_HTML))
    .get("/docs/swagger-ui.css", (c) =>
      c.body(new Uint8Array(css), 200, { ...cache, "Content-Type": "text/css; charset=utf-8" }),
    )
    .get("/docs/swagger-ui-bundle.js", (c) =>
      c.body(new Uint8Array(bundle), 200, { ...cache, "Content-Type": "text/javascript; charset=utf-8" }),
    )
    .get("/docs/init.js", (c) => c.body(DOCS_INIT, 200, { "Content-Type": "text/javascript; charset=utf-8" }));
}
