/**
 * Cross-site request forgery. The session cookie is SameSite=Lax, which still lets any page of the same site (another
 * port of the same host, a sibling subdomain) send it along with a form post or a no-cors fetch: those need no CORS
 * preflight. So a state-changing request authenticated by the cookie must say, by its Origin (or, without one, its
 * Referer), that a page of the web app sent it.
 */
import type { Context } from "hono";

import type { Config } from "../config/index.js";
import { ApiError } from "./errors.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function originOf(url: string): string | undefined {
  try {
    const { origin } = new URL(url);
    return origin === "null" ? undefined : origin;
  } catch {
    return undefined;
  }
}

/** The origins cookie-authenticated writes may come from: the web app's (CORS_ORIGINS) and the API's public one. */
export function writeOrigins(config: Pick<Config, "CORS_ORIGINS" | "PUBLIC_API_URL">): ReadonlySet<string> {
  const origins = [...config.CORS_ORIGINS, ...(config.PUBLIC_API_URL ? [config.PUBLIC_API_URL] : [])];
  return new Set(origins.map((origin) => originOf(origin) ?? origin));
}

/**
 * Throws 403 `csrf_origin_mismatch` for a state-changing request that does not come from one of `allowed`, nor from
 * the API's own origin (its docs page). The request's own origin is built from its Host header, which a browser
 * always sets to the host it sends to: a page can match it only by being served from the API itself.
 */
export function requireWriteOrigin(c: Context, allowed: ReadonlySet<string>): void {
  if (SAFE_METHODS.has(c.req.method)) return;
  const header = c.req.header("origin") ?? c.req.header("referer");
  const origin = header === undefined ? undefined : originOf(header);
  if (origin && (allowed.has(origin) || origin === originOf(c.req.url))) return;
  throw new ApiError(
    403,
    "csrf_origin_mismatch",
    header === undefined
      ? "A request that changes something with the session cookie must carry an Origin header; or send the session as a Bearer token"
      : `Requests with the session cookie that change something are accepted only from the web app, not from ${origin ?? header}`,
    { origin: origin ?? header ?? null },
  );
}
