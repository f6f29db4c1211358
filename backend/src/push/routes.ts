import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { streamSSE } from "hono/streaming";

import { SESSION_SECURITY } from "../auth/middleware.js";
import { errorResponses } from "../http/errors.js";
import { createRouter, type AuthedEnv } from "../http/router.js";
import type { PushBroker, PushEvent } from "./broker.js";

/** Seconds between keep-alive comments, so proxies keep an idle stream open. */
const HEARTBEAT_MS = 15_000;

export function pushRoutes(push: PushBroker, auth: MiddlewareHandler<AuthedEnv>) {
  return createRouter().openapi(
    createRoute({
      method: "get",
      path: "/events",
      tags: ["push"],
      summary: "Server-sent events: the signed-in user's booking and account changes, as they happen",
      description:
        "An `EventSource` (with credentials for the session cookie). Events: `booking` ({booking: {id, status, " +
        "updatedAt}}) when one of the user's bookings changes; `account` ({address}) when their TRVL balance, stake " +
        "or votes may have changed; `refresh` when many things changed at once. A user receives only their own.",
      security: SESSION_SECURITY,
      middleware: [auth] as const,
      responses: {
        200: { description: "The event stream", content: { "text/event-stream": { schema: z.string() } } },
        ...errorResponses(401, 429),
      },
    }),
    (c) =>
      streamSSE(c, async (stream) => {
        const queue: PushEvent[] = [];
        let wake: (() => void) | undefined;
        const unsubscribe = push.subscribe(c.var.user.address, (event) => {
          queue.push(event);
          wake?.();
        });
        stream.onAbort(() => {
          unsubscribe();
          wake?.();
        });
        await stream.writeSSE({ event: "ready", data: JSON.stringify({ address: c.var.user.address }) });
        while (!stream.aborted) {
          const event = queue.shift();
          if (event) {
            await stream.writeSSE({ event: event.type, data: JSON.stringify(event) });
            continue;
          }
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, HEARTBEAT_MS);
          });
          wake = undefined;
          if (queue.length === 0 && !stream.aborted) await stream.write(": keep-alive\n\n");
        }
        unsubscribe();
      }),
  );
}
