import { OpenAPIHono } from "@hono/zod-openapi";
import type { Logger } from "pino";

import { errorBody } from "./errors.js";

export interface SessionUser {
  address: `0x${string}`;
  sessionId: string;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    /** The client's IP address (see http/client-ip.ts). */
    clientIp: string;
  };
}

export interface AuthedEnv {
  Variables: AppEnv["Variables"] & { user: SessionUser };
}

/** Issues of a failed zod validation, each with the field it names (`query.priceMin`, `body.items.0.id`). */
export function fieldIssues(target: string, issues: { path: PropertyKey[]; message: string }[]) {
  const prefix = target === "json" || target === "form" ? "body" : target;
  return issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].join("."),
    message: issue.message,
  }));
}

/**
 * A feature router. Every validation failure becomes the standard 400 error naming each bad field, so no handler
 * ever sees unvalidated input.
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const fields = fieldIssues(result.target, result.error.issues);
      const first = fields[0];
      return c.json(
        errorBody(c, "validation_failed", first ? `${first.field}: ${first.message}` : "Invalid request", { fields }),
        400,
      );
    },
  });
}
