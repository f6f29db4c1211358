/**
 * GET /voice/stream: a voice conversation over a WebSocket (see session.ts for the messages). The upgrade passes the
 * same session, per-IP and per-user budgets as POST /voice/plan; each turn then holds a slot of the voice work, and a
 * page of another site cannot open one with the traveller's cookie (its Origin must be one of CORS_ORIGINS).
 */
import { upgradeWebSocket, type WebSocketLike } from "@hono/node-server";
import type { MiddlewareHandler } from "hono";
import { Hono } from "hono";

import { ApiError, errorResponse } from "../http/errors.js";
import type { AuthedEnv } from "../http/router.js";
import { clientKeys, type WorkGuard } from "../http/work-limit.js";
import { userOf } from "../planner/routes.js";
import { VoiceSession, type ServerEvent, type SessionDeps } from "./session.js";

/** Bytes queued towards a slow client beyond which the reply waits for it to read. */
const HIGH_WATER_BYTES = 256 * 1024;
const DRAIN_POLL_MS = 10;

export interface StreamOptions extends Omit<SessionDeps, "admit"> {
  allowedOrigins: string[];
}

/** Delivers events in order; while the client reads slower than the reply is made, the reply waits. */
function peerOf(ws: WebSocketLike & { bufferedAmount?: number; readyState?: number }) {
  return {
    async send(event: ServerEvent) {
      if (ws.readyState !== 1) return;
      ws.send(JSON.stringify(event));
      while (ws.readyState === 1 && (ws.bufferedAmount ?? 0) > HIGH_WATER_BYTES)
        await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
    },
  };
}

export function voiceStreamRoute(options: StreamOptions, maybeAuth: MiddlewareHandler<AuthedEnv>, work?: WorkGuard) {
  const sameSite: MiddlewareHandler = async (c, next) => {
    const origin = c.req.header("origin");
    if (origin && !options.allowedOrigins.includes(origin))
      return errorResponse(c, new ApiError(403, "origin_not_allowed", `Voice streams are opened by the web app only`));
    await next();
  };
  return new Hono<AuthedEnv>().get(
    "/voice/stream",
    sameSite,
    maybeAuth,
    ...(work?.guards ?? []),
    upgradeWebSocket((c) => {
      const keys = clientKeys(c);
      let session: VoiceSession | undefined;
      return {
        onOpen(_event, ws) {
          session = new VoiceSession(
            {
              ...options,
              admit: async (signal) => (work ? work.limiter.acquire(keys, signal) : () => undefined),
            },
            peerOf(ws.raw as WebSocketLike),
            { address: userOf(c)?.address },
          );
          void session.open();
        },
        onMessage(event) {
          const data: unknown = event.data;
          if (typeof data === "string") void session?.onText(data);
          else if (data instanceof ArrayBuffer) void session?.onAudio(new Uint8Array(data));
        },
        onClose() {
          session?.close();
        },
        onError() {
          session?.close();
        },
      };
    }),
    (c) =>
      errorResponse(
        c,
        new ApiError(426, "upgrade_required", "GET /voice/stream is a WebSocket: send Upgrade: websocket", null, {
          Upgrade: "websocket",
        }),
      ),
  );
}
