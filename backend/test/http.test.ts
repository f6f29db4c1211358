import { hc } from "hono/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { AppType } from "../src/app.js";

import { loadConfig } from "../src/config/index.js";
import { burstPerIp } from "../src/http/middleware.js";
import { call, createTestApp, expectError, signIn, testAccount, testEnv, type TestApp } from "./helpers/app.js";
import { DRIVERS } from "./helpers/databases.js";

type Json = Record<string, any>;

describe.each(DRIVERS)("HTTP behaviour users rely on (%s)", (driver) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(driver, { env: { BODY_LIMIT_BYTES: "2048" } });
  });
  afterAll(() => t.close());

  it("health, readiness (database and chain) and Prometheus metrics by route and status", async () => {
    expect(await call(t.app, "GET", "/health")).toMatchObject({ status: 200, body: { status: "ok" } });
    const ready = await call(t.app, "GET", "/ready");
    expect(ready).toMatchObject({
      status: 200,
      body: { status: "ready", checks: { database: { ok: true, driver }, chain: { ok: true, chainId: 31337 } } },
    });
    await call(t.app, "GET", "/catalog/destinations?limit=1");
    await call(t.app, "GET", "/nope");
    const metrics = await t.app.request("/metrics");
    const text = await metrics.text();
    expect(metrics.headers.get("content-type")).toContain("text/plain");
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/catalog\/destinations",status="200"\} \d+/);
    expect(text).toMatch(
      /http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/health",status="200"\}/,
    );
    expect(text).toMatch(/route="\(unmatched\)",status="404"/);
  });

  it("readiness says which dependency is down", async () => {
    const down = await createTestApp(driver, { env: { CHAIN_RPC_URL: "http://127.0.0.1:9" } });
    try {
      const ready = await call(down.app, "GET", "/ready");
      expect(ready).toMatchObject({
        status: 503,
        body: { status: "not_ready", checks: { database: { ok: true }, chain: { ok: false } } },
      });
    } finally {
      await down.close();
    }
  });

  it("serves the OpenAPI document and the docs page from local assets only", async () => {
    const doc = await call(t.app, "GET", "/openapi.json");
    expect(doc.status).toBe(200);
    const paths = Object.keys(doc.body.paths as Json);
    for (const path of [
      "/auth/nonce",
      "/auth/verify",
      "/auth/me",
      "/auth/session",
      "/auth/logout",
      "/bookings",
      "/bookings/{id}",
      "/bookings/{id}/cancel",
      "/catalog/search",
      "/accounts/{address}",
      "/rewards",
      "/referrals",
      "/referrals/signature",
      "/governance/proposals",
      "/ipfs/{cid}",
      "/me/profile",
      "/governance/votes",
      "/governance/descriptions",
      "/interactions",
      "/recommendations",
      "/metrics",
    ]) {
      expect(paths).toContain(path);
    }
    expect((doc.body.components as Json).securitySchemes).toHaveProperty("bearer");
    const page = await t.app.request("/docs");
    const html = await page.text();
    expect(page.status).toBe(200);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      expect(asset.startsWith("/docs/")).toBe(true);
      expect((await t.app.request(asset)).status).toBe(200);
    }
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
  });

  it("the OpenAPI document's server comes from configuration, never from the request's Host", async () => {
    // As @hono/node-server builds it: the request's URL from its Host header.
    const forged = await call(t.app, "GET", "http://evil.example/openapi.json", { headers: { host: "evil.example" } });
    expect(forged.body.servers).toEqual([{ url: "/" }]);
    const configured = await createTestApp(driver, { env: { PUBLIC_API_URL: "https://api.trvl.example" } });
    try {
      const doc = await call(configured.app, "GET", "http://evil.example/openapi.json", {
        headers: { host: "evil.example" },
      });
      expect(doc.body.servers).toEqual([{ url: "https://api.trvl.example" }]);
    } finally {
      await configured.close();
    }
  });

  it("the web's typed client (hc<AppType>) calls the API with checked request and response types", async () => {
    const client = hc<AppType>("http://api.test", {
      fetch: (input: RequestInfo | URL, init?: RequestInit) => t.app.request(input, init),
    });
    const response = await client.catalog.destinations.$get({ query: { q: "lisbon", limit: "1" } });
    expect(response.status).toBe(200);
    if (response.status !== 200) return;
    const body = await response.json();
    const first: string = body.destinations[0].id;
    expect(first).toBe("lisbon-pt-2267057");
    const nonce = await (await client.auth.nonce.$get()).json();
    expect(nonce.chainId).toBe(31337);
  });

  it("every error has the same shape with the request id that the response header carries", async () => {
    const response = await call(t.app, "GET", "/no/such/route");
    const error = expectError(response);
    expect(error).toMatchObject({ status: 404, code: "route_not_found", hasShape: true });
    expect(response.body.error.request_id).toBe(response.headers.get("x-request-id"));
  });

  it("405 with an Allow header for a known path with the wrong method", async () => {
    const response = await call(t.app, "DELETE", "/catalog/search");
    expect(expectError(response)).toMatchObject({ status: 405, code: "method_not_allowed", hasShape: true });
    expect(response.headers.get("allow")).toContain("GET");
    expect((await call(t.app, "PUT", "/bookings")).status).toBe(405);
  });

  it("413 for an oversized body, 400 for malformed JSON, 415 for a wrong content type", async () => {
    const token = await signIn(t.app, testAccount(14));
    const big = await call(t.app, "PUT", "/me/profile", { token, body: { interests: ["x".repeat(5_000)] } });
    expect(expectError(big)).toMatchObject({ status: 413, code: "payload_too_large", hasShape: true });
    const malformed = await call(t.app, "PUT", "/me/profile", { token, body: "{not json" });
    expect(expectError(malformed)).toMatchObject({ status: 400, code: "malformed_body", hasShape: true });
    const wrongType = await call(t.app, "PUT", "/me/profile", {
      token,
      body: "interests=x",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(expectError(wrongType)).toMatchObject({ status: 415, code: "unsupported_media_type", hasShape: true });
  });

  it("secure headers and CORS only for allowed origins", async () => {
    const allowed = await t.app.request("/health", { headers: { origin: "http://localhost:3000" } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
    expect(allowed.headers.get("access-control-allow-credentials")).toBe("true");
    expect(allowed.headers.get("x-content-type-options")).toBe("nosniff");
    expect(allowed.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    const foreign = await t.app.request("/health", { headers: { origin: "https://evil.example" } });
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = await t.app.request("/bookings", {
      method: "OPTIONS",
      headers: { origin: "http://localhost:3000", "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toContain("Idempotency-Key");
  });
});

describe.each(DRIVERS)("rate limits (%s)", (driver) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(driver, {
      env: { RATE_LIMIT_PER_IP: "5", RATE_LIMIT_PER_USER: "3", RATE_LIMIT_WINDOW_MS: "60000" },
    });
  });
  afterAll(() => t.close());

  it("limits per IP with RateLimit-* headers, then 429 in the standard error shape; probes stay open", async () => {
    const headers = { "x-forwarded-for": "203.0.113.7" };
    const first = await t.app.request("/catalog/destinations?limit=1", { headers });
    expect(first.headers.get("ratelimit-limit")).toBe("5");
    expect(first.headers.get("ratelimit-remaining")).toBe("4");
    expect(Number(first.headers.get("ratelimit-reset"))).toBeGreaterThan(0);
    for (let i = 0; i < 4; i++) await t.app.request("/catalog/destinations?limit=1", { headers });
    const limited = await call(t.app, "GET", "/catalog/destinations?limit=1", { headers });
    expect(expectError(limited)).toMatchObject({ status: 429, code: "rate_limited", hasShape: true });
    expect((await t.app.request("/health")).status).toBe(200);
  });

  it("limits each IP's bursts over a short window too, so a window's allowance cannot be spent at once", async () => {
    const bursty = await createTestApp(driver, {
      env: {
        RATE_LIMIT_PER_IP: "600",
        RATE_LIMIT_WINDOW_MS: "3600000",
        RATE_LIMIT_BURST_PER_IP: "3",
        RATE_LIMIT_BURST_WINDOW_MS: "600000",
        TRUST_PROXY: "true",
      },
    });
    try {
      const from = (ip: string) => ({ headers: { "x-forwarded-for": ip } });
      const allowed = [];
      for (let i = 0; i < 3; i++)
        allowed.push(await bursty.app.request("/catalog/destinations?limit=1", from("203.0.113.9")));
      expect(allowed.map((r) => r.status)).toEqual([200, 200, 200]);
      // A request that goes through shows the long window's allowance.
      expect(allowed[2].headers.get("ratelimit-limit")).toBe("600");
      expect(allowed[2].headers.get("ratelimit-remaining")).toBe("597");

      const limited = await call(bursty.app, "GET", "/catalog/destinations?limit=1", from("203.0.113.9"));
      expect(expectError(limited)).toMatchObject({ status: 429, code: "rate_limited", hasShape: true });
      const retryAfter = Number(limited.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(600);
      expect(limited.headers.get("ratelimit-limit")).toBe("3");

      // Another address has its own burst; probes stay open.
      expect((await bursty.app.request("/catalog/destinations?limit=1", from("203.0.113.10"))).status).toBe(200);
      expect((await bursty.app.request("/health", from("203.0.113.9"))).status).toBe(200);
    } finally {
      await bursty.close();
    }
  });

  it("derives the burst from the per-IP limit: the window's allowance spread evenly, never below 30", () => {
    const defaults = { RATE_LIMIT_PER_IP: undefined, RATE_LIMIT_WINDOW_MS: undefined };
    expect(burstPerIp(loadConfig(testEnv(defaults)))).toBe(50);
    expect(burstPerIp(loadConfig(testEnv({ ...defaults, RATE_LIMIT_PER_IP: "12000" })))).toBe(1_000);
    expect(burstPerIp(loadConfig(testEnv({ ...defaults, RATE_LIMIT_PER_IP: "5" })))).toBe(30);
    expect(burstPerIp(loadConfig(testEnv({ ...defaults, RATE_LIMIT_BURST_PER_IP: "7" })))).toBe(7);
    expect(burstPerIp(loadConfig(testEnv({ ...defaults, RATE_LIMIT_BURST_WINDOW_MS: "60000" })))).toBeNull();
  });

  it("limits per user across IPs", async () => {
    const user = await createTestApp(driver, { env: { RATE_LIMIT_PER_USER: "3", TRUST_PROXY: "true" } });
    try {
      const token = await signIn(user.app, testAccount(15));
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push(
          (await call(user.app, "GET", "/me/profile", { token, headers: { "x-forwarded-for": `198.51.100.${i}` } }))
            .status,
        );
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
    } finally {
      await user.close();
    }
  });
});
