import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";

import { requireWriteOrigin, writeOrigins } from "../http/csrf.js";
import { ApiError } from "../http/errors.js";
import type { AuthedEnv, SessionUser } from "../http/router.js";
import { authenticate, type AuthDeps } from "./service.js";

export const SESSION_COOKIE = "trvl_session";

/** The session a request carries: a bearer token, else the session cookie. */
export function sessionToken(c: Context): { token: string; via: "bearer" | "cookie" } | undefined {
  const header = c.req.header("authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new ApiError(401, "invalid_session", "The Authorization header must be `Bearer <token>`");
    return { token: match[1]!, via: "bearer" };
  }
  const cookie = getCookie(c, SESSION_COOKIE);
  return cookie ? { token: cookie, via: "cookie" } : undefined;
}

/** The signed-in address, or null: no session, or one that ended or is not valid (signed out is not an error). */
export async function signedInAddress(deps: AuthDeps, c: Context): Promise<SessionUser["address"] | null> {
  try {
    const session = sessionToken(c);
    return session ? (await authenticate(deps, session.token)).address : null;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/**
 * Lets the request through only with a live session (cookie or bearer token) and puts its user in `c.var.user`;
 * then runs `then` (the per-user rate limit) before the handler. A write by cookie must come from the web app
 * (see http/csrf.ts); a bearer token cannot be attached by another site's page.
 */
export function requireUser(deps: AuthDeps, then?: MiddlewareHandler<AuthedEnv>): MiddlewareHandler<AuthedEnv> {
  const origins = writeOrigins(deps.config);
  return async (c, next) => {
    const session = sessionToken(c);
    if (!session) throw new ApiError(401, "unauthenticated", "Sign in first");
    if (session.via === "cookie") requireWriteOrigin(c, origins);
    c.set("user", await authenticate(deps, session.token));
    if (then) return then(c, next);
    await next();
  };
}

/** Like `requireUser` when the request carries a session (a bad one is still a 401); anonymous requests pass. */
export function optionalUser(
  deps: AuthDeps,
  then?: MiddlewareHandler<AuthedEnv>,
): MiddlewareHandler<{ Variables: AuthedEnv["Variables"] }> {
  const required = requireUser(deps, then);
  return async (c, next) => (sessionToken(c) ? required(c, next) : next());
}

/** OpenAPI security requirement of authenticated routes. */
export const SESSION_SECURITY: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];

/**
 * `createRoute` for a feature's signed-in routes: each under the feature's tag, behind `auth` (the handler gets
 * `c.var.user`), documented as needing a session.
 */
export function signedInRoute(tag: string, auth: MiddlewareHandler<AuthedEnv>) {
  return <P extends string, R extends Omit<RouteConfig, "path" | "tags" | "security" | "middleware"> & { path: P }>(
    route: R,
  ) => createRoute({ ...route, tags: [tag], security: SESSION_SECURITY, middleware: [auth] as const });
}
