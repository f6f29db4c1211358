/**
 * The real HTTP server (as main.ts starts it) with a keep-alive client on one connection: a request rejected before
 * its body or headers were read gets the standard error envelope, and the requests after it still get answers.
 */
import { connect, type AddressInfo } from "node:net";

import type { ServerType } from "@hono/node-server";
import { Agent, request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { serveApp } from "../src/http/server.js";
import { createTestApp, type TestApp } from "./helpers/app.js";

type Json = Record<string, any>;

describe("a keep-alive connection survives early rejections", () => {
  let t: TestApp;
  let server: ServerType;
  let base: string;

  beforeAll(async () => {
    // Room for a 415 body big enough to be still arriving when it is rejected, as the oversized ones are.
    t = await createTestApp("pglite", { env: { BODY_LIMIT_BYTES: String(1024 * 1024) } });
    const { port } = await new Promise<AddressInfo>((resolve) => {
      server = serveApp(t.app, { hostname: "127.0.0.1", port: 0 }, resolve);
    });
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  async function send(agent: Agent, path: string, options: Omit<Parameters<typeof request>[1], "dispatcher"> = {}) {
    const response = await request(`${base}${path}`, { ...options, dispatcher: agent });
    return { status: response.statusCode, headers: response.headers, body: (await response.body.json()) as Json };
  }

  /** The rejected request, then two ordinary ones, all on one keep-alive connection. */
  async function rejectThenContinue(rejected: (agent: Agent) => ReturnType<typeof send>) {
    const agent = new Agent({ connections: 1, pipelining: 1, keepAliveTimeout: 30_000 });
    try {
      const first = await rejected(agent);
      const next = [await send(agent, "/health"), await send(agent, "/health")];
      for (const response of next) expect(response).toMatchObject({ status: 200, body: { status: "ok" } });
      const { error } = first.body;
      expect(Object.keys(error).sort()).toEqual(["code", "details", "message", "request_id", "timestamp"]);
      expect(error.request_id).toBe(first.headers["x-request-id"]);
      return { status: first.status, code: error.code };
    } finally {
      await agent.close();
    }
  }

  const json = { "content-type": "application/json" };
  const oversized = JSON.stringify({ message: "x".repeat(2_500_000), signature: "0x" });

  it("413 for a body over the limit (with Content-Length)", async () => {
    const result = await rejectThenContinue((agent) =>
      send(agent, "/auth/verify", { method: "POST", headers: json, body: oversized }),
    );
    expect(result).toEqual({ status: 413, code: "payload_too_large" });
  });

  it("413 for a chunked body that grows over the limit", async () => {
    async function* chunks() {
      for (let i = 0; i < 10; i++) yield Buffer.from(oversized.slice(i * 250_000, (i + 1) * 250_000));
    }
    const result = await rejectThenContinue((agent) =>
      send(agent, "/auth/verify", { method: "POST", headers: json, body: chunks() }),
    );
    expect(result).toEqual({ status: 413, code: "payload_too_large" });
  });

  it("415 for a body of a type the route does not take", async () => {
    const result = await rejectThenContinue((agent) =>
      send(agent, "/auth/verify", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `message=${"x".repeat(900_000)}`,
      }),
    );
    expect(result).toEqual({ status: 415, code: "unsupported_media_type" });
  });

  it("431 for headers over Node's limit, in the same envelope", async () => {
    const result = await rejectThenContinue((agent) =>
      send(agent, "/health", { headers: { "x-padding": "x".repeat(20_000) } }),
    );
    expect(result).toEqual({ status: 431, code: "headers_too_large" });
  });

  it("400 in the same envelope for a request that is not HTTP", async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      let text = "";
      const socket = connect(Number(new URL(base).port), "127.0.0.1", () => socket.write("NOT HTTP\r\n\r\n"));
      socket.on("data", (chunk) => (text += chunk));
      socket.on("close", () => resolve(text));
      socket.on("error", reject);
    });
    const [head, body] = raw.split("\r\n\r\n");
    const [statusLine, ...headers] = head!.split("\r\n");
    expect(statusLine).toBe("HTTP/1.1 400 Bad Request");
    expect(headers).toContain("Connection: close");
    expect(JSON.parse(body!)).toMatchObject({ error: { code: "malformed_request", details: null } });
  });
});
