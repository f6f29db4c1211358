/**
 * Serves the app over HTTP/1.1 with @hono/node-server. Requests Node's parser rejects before the app sees them
 * (headers over `maxHeaderSize`, malformed HTTP, timeouts) get the standard error envelope instead of Node's bare
 * status line.
 */
import { randomUUID } from "node:crypto";
import { maxHeaderSize, STATUS_CODES, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";

import { serve, type ServerType } from "@hono/node-server";
import type { Logger } from "pino";
import { WebSocketServer } from "ws";

/** Largest WebSocket message a client may send (voice audio arrives in frames of a few kilobytes). */
const MAX_WEBSOCKET_MESSAGE_BYTES = 64 * 1024;

// Node's own answers to these (see socketOnError in node:_http_server), in our envelope.
const CLIENT_ERRORS: Record<string, [status: number, code: string, message: string]> = {
  HPE_HEADER_OVERFLOW: [431, "headers_too_large", `Request headers are limited to ${maxHeaderSize} bytes`],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, "payload_too_large", "Chunk extensions are too large"],
  ERR_HTTP_REQUEST_TIMEOUT: [408, "request_timeout", "The request took too long to arrive"],
};
const MALFORMED: [number, string, string] = [400, "malformed_request", "The request is not valid HTTP/1.1"];

/** A complete HTTP/1.1 error response for a socket no request object was made for; the connection closes after. */
function rawErrorResponse(status: number, code: string, message: string): string {
  const requestId = randomUUID();
  const body = JSON.stringify({
    error: { code, message, details: null, timestamp: new Date().toISOString(), request_id: requestId },
  });
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    "Content-Type: application/json",
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Request-Id: ${requestId}`,
    "Connection: close",
    "",
    body,
  ].join("\r\n");
}

export function serveApp(
  app: { fetch: Parameters<typeof serve>[0]["fetch"] },
  options: { hostname: string; port: number; logger?: Logger },
  onListening?: (info: AddressInfo) => void,
): ServerType {
  // WebSocket routes (GET /voice/stream) are upgraded through the app's own middleware and handlers.
  const websocket = { server: new WebSocketServer({ noServer: true, maxPayload: MAX_WEBSOCKET_MESSAGE_BYTES }) };
  const server = serve({ fetch: app.fetch, hostname: options.hostname, port: options.port, websocket }, onListening);
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    const [status, code, message] = CLIENT_ERRORS[error.code ?? ""] ?? MALFORMED;
    // As Node does: answer only if no response on this connection has started, or the bytes would corrupt it.
    const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
    if (error.code !== "ECONNRESET" && socket.writable && !inFlight?.headersSent) {
      options.logger?.info({ status, code: error.code }, "request rejected by the HTTP parser");
      socket.end(rawErrorResponse(status, code, message), () => socket.destroy());
    } else {
      socket.destroy();
    }
  });
  return server;
}
