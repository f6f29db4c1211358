/**
 * The HTTP API. `createApp(services)` wires middleware and feature routers; `AppType` is its type, for the web's
 * typed client: `hc<AppType>(url)` from `hono/client`.
 */
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import { methodNotAllowed } from "hono/method-not-allowed";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import type { Store } from "hono-rate-limiter";

import { accountRoutes } from "./accounts/routes.js";
import { optionalUser, requireUser } from "./auth/middleware.js";
import { authRoutes } from "./auth/routes.js";
import { bookingRoutes } from "./bookings/routes.js";
import { catalogRoutes } from "./catalog/routes.js";
import { governanceRoutes } from "./governance/routes.js";
import { budget } from "./http/budget.js";
import { ApiError, errorBody, errorResponse } from "./http/errors.js";
import {
  closeOnUnreadBody,
  identifyClient,
  ipBurstLimit,
  ipRateLimit,
  requestLogger,
  userRateLimit,
} from "./http/middleware.js";
import { createRouter } from "./http/router.js";
import { ipfsRoutes } from "./ipfs/routes.js";
import { docsRoutes, opsRoutes } from "./ops/routes.js";
import { plannerRoutes, plannerWork } from "./planner/routes.js";
import { profileRoutes } from "./profiles/routes.js";
import { tripRoutes } from "./trips/routes.js";
import { TripService } from "./trips/service.js";
import { pushRoutes } from "./push/routes.js";
import { interactionRoutes, recommendationRoutes } from "./recommendations/routes.js";
import { voiceRoutes, voiceWork } from "./voice/routes.js";
import { referralRoutes } from "./referrals/routes.js";
import { rewardRoutes } from "./rewards/routes.js";
import type { Services } from "./services.js";

const HTTP_EXCEPTION_CODES: Record<number, string> = {
  400: "malformed_body",
  401: "unauthenticated",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

const BODYLESS = new Set(["GET", "HEAD", "OPTIONS"]);

export function createApp(services: Services) {
  const { config, logger, metrics } = services;
  const auth = requireUser(services, userRateLimit(config, services.rateLimitStores));
  const maybeAuth = optionalUser(services, userRateLimit(config, services.rateLimitStores));

  const app = createRouter();
  app.use(closeOnUnreadBody);
  app.use(requestId({ headerName: "X-Request-Id" }));
  app.use(identifyClient(config));
  app.use(requestLogger(logger));
  app.use(metrics.middleware);
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Swagger UI sets inline styles.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
      },
      crossOriginResourcePolicy: "same-site",
    }),
  );
  const corsHeaders = cors({
    origin: config.CORS_ORIGINS,
    credentials: true,
    allowMethods: ["GET", "POST", "PUT", "DELETE", "OPTIONS"],
    allowHeaders: ["Content-Type", "Authorization", "Idempotency-Key", "X-Request-Id"],
    exposeHeaders: ["X-Request-Id", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Idempotent-Replayed"],
    maxAge: 600,
  });
  // CORS only concerns browser requests, which carry an Origin. Leaving the others alone matters for speed: the
  // middleware touches the response before the handler runs, which makes @hono/node-server rebuild every response.
  app.use((c, next) => {
    if (c.req.header("origin")) return corsHeaders(c, next);
    c.header("Vary", "Origin");
    return next();
  });
  const limitBody = bodyLimit({
    maxSize: config.BODY_LIMIT_BYTES,
    onError: (c) =>
      errorResponse(
        c,
        new ApiError(413, "payload_too_large", `Request bodies are limited to ${config.BODY_LIMIT_BYTES} bytes`),
      ),
  });
  // Only requests that carry a body: looking for one makes @hono/node-server build a full Request object, which
  // costs more than the rest of a catalog search.
  // Voice recordings have their own, larger limit (VOICE_MAX_BYTES), applied by their route.
  app.use((c, next) => (BODYLESS.has(c.req.method) || c.req.path === "/voice/plan" ? next() : limitBody(c, next)));
  app.use(ipBurstLimit(config, services.rateLimitStores));
  app.use(ipRateLimit(config, services.rateLimitStores));
  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) =>
        c.json(
          errorBody(c, "method_not_allowed", `${c.req.method} is not allowed here; use ${methods.join(", ")}`),
          405,
          {
            Allow: methods.join(", "),
          },
        ),
    }),
  );

  const routes = app
    .route("/", opsRoutes(services))
    .route("/auth", authRoutes(services, auth, services.rateLimitStores))
    .route("/me/profile", profileRoutes(services, auth))
    .route(
      "/catalog",
      catalogRoutes(
        services.catalog,
        services.now,
        budget({
          store: services.rateLimitStores("broad-searches") as unknown as Store<never>,
          perWindow: config.CATALOG_BROAD_SEARCHES_PER_IP_PER_WINDOW,
          windowMs: config.RATE_LIMIT_WINDOW_MS,
          code: "broad_searches_exhausted",
          what: "Searches without a destination",
        }),
      ),
    )
    .route("/bookings", bookingRoutes(services, auth))
    .route("/accounts", accountRoutes(services.accounts, services.staking))
    .route("/rewards", rewardRoutes(services, auth))
    .route("/referrals", referralRoutes(services, auth))
    .route("/governance", governanceRoutes(services, auth))
    .route("/events", pushRoutes(services.push, auth, config.SSE_STREAMS_PER_USER))
    .route("/ipfs", ipfsRoutes(services.ipfs))
    .route("/", tripRoutes(new TripService(services), services.catalog, auth))
    .route("/", plannerRoutes(services.planner, auth, maybeAuth, plannerWork(config, services.rateLimitStores)))
    .route("/interactions", interactionRoutes(services, auth))
    .route("/recommendations", recommendationRoutes(services, auth))
    .route(
      "/",
      voiceRoutes(services.voice, maybeAuth, config.VOICE_MAX_BYTES, voiceWork(config, services.rateLimitStores)),
    )
    .route("/", docsRoutes());

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "The token from POST /auth/verify",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "cookie", {
    type: "apiKey",
    in: "cookie",
    name: "trvl_session",
    description:
      "Set by POST /auth/verify. A request that changes something (POST, PUT, PATCH, DELETE) with it must come from the web app: its Origin (else its Referer) must be one of CORS_ORIGINS, else 403 csrf_origin_mismatch.",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "TRVL API",
      version: "0.1.0",
      description:
        "Sign in with Ethereum, search the catalog, book with signed quotes paid on-chain, and read rewards, referrals and governance. Every error is `{error: {code, message, details, timestamp, request_id}}`.",
    },
    // From configuration only: the Host header is the client's to write. A relative URL is the document's own server.
    servers: [{ url: config.PUBLIC_API_URL ?? "/" }],
  });

  app.notFound((c) => c.json(errorBody(c, "route_not_found", `No route for ${c.req.method} ${c.req.path}`), 404));
  app.onError((error, c) => {
    if (error instanceof ApiError) return errorResponse(c, error);
    if (error instanceof HTTPException) {
      const status = error.status;
      if (status < 500) {
        const code = HTTP_EXCEPTION_CODES[status] ?? "bad_request";
        return c.json(errorBody(c, code, error.message || code), status);
      }
    }
    (c.var.log ?? logger).error({ err: error }, "unhandled error");
    return c.json(
      errorBody(c, "internal_error", "Something went wrong on our side; the request id identifies it in the logs"),
      500,
    );
  });

  return routes;
}

export type AppType = ReturnType<typeof createApp>;
