import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { streamSSE } from "hono/streaming";

import { SESSION_SECURITY } from "../auth/middleware.js";
import { errorResponses } from "../http/errors.js";
import { createRouter, type AuthedEnv } from "../http/router.js";
import type { PushBroker, PushEvent } from "./broker.js";

/** Seconds between keep-alive comments, so proxies keep an idle stream open. */
const HEARTBEAT_MS = 15_000;
/**
 * The id of the event that ends a superseded stream. EventSource reconnects after a stream ends, sending the last id
 * as Last-Event-ID: answered 204, it stops for good, rather than superseding the user's next-oldest stream in turn.
 */
const SUPERSEDED_ID = "superseded";

export function pushRoutes(push: PushBroker, auth: MiddlewareHandler<AuthedEnv>, maxStreamsPerUser: number) {
  return createRouter().openapi(
    createRoute({
      method: "get",
      path: "/",
      tags: ["push"],
      summary: "Server-sent events: the signed-in user's booking and account changes, as they happen",
      description:
        "An `EventSource` (with credentials for the session cookie). Events: `booking` ({booking: {id, status, " +
        "updatedAt}}) when one of the user's bookings changes; `account` ({address}) when their TRVL balance, stake " +
        "or votes may have changed; `refresh` when many things changed at once. A user receives only their own. " +
        `A user has at most ${maxStreamsPerUser} streams open: one more ends their oldest with a \`closed\` event ` +
        `({reason: "too_many_streams", limit}, id \`${SUPERSEDED_ID}\`); reconnecting with that Last-Event-ID gets 204.`,
      security: SESSION_SECURITY,
      middleware: [auth] as const,
      responses: {
        200: { description: "The event stream", content: { "text/event-stream": { schema: z.string() } } },
        204: { description: "A stream superseded by a newer one of the same user: EventSource stops reconnecting" },
        ...errorResponses(401, 429),
      },
    }),
    (c) => {
      if (c.req.header("last-event-id") === SUPERSEDED_ID) return c.body(null, 204);
      return streamSSE(c, async (stream) => {
        const queue: PushEvent[] = [];
        let superseded = false;
        let wake: (() => void) | undefined;
        const unsubscribe = push.subscribe(
          c.var.user.address,
          {
            send: (event) => {
              queue.push(event);
              wake?.();
            },
            supersede: () => {
              superseded = true;
              wake?.();
            },
          },
          maxStreamsPerUser,
        );
        stream.onAbort(() => {
          unsubscribe();
          wake?.();
        });
        await stream.writeSSE({ event: "ready", data: JSON.stringify({ address: c.var.user.address }) });
        while (!stream.aborted && !superseded) {
          const event = queue.shift();
          if (event) {
            await stream.writeSSE({ event: event.type, data: JSON.stringify(event) });
            continue;
          }
          await new Promise<void>((resolve) => {
            // An event wakes the stream before the heartbeat: its timer goes too, not left to hold the wait 15 s.
            const heartbeat = setTimeout(resolve, HEARTBEAT_MS);
            wake = () => {
              clearTimeout(heartbeat);
              resolve();
            };
          });
          wake = undefined;
          if (queue.length === 0 && !stream.aborted && !superseded) await stream.write(": keep-alive\n\n");
        }
        unsubscribe();
        if (superseded && !stream.aborted) {
          await stream.writeSSE({
            event: "closed",
            id: SUPERSEDED_ID,
            data: JSON.stringify({
              reason: "too_many_streams",
              limit: maxStreamsPerUser,
              message: "A newer live-update stream of yours replaced this one",
            }),
          });
        }
      });
    },
  );
}
