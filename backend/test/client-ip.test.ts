/**
 * The per-IP rate limit behind proxies, on the real HTTP server (the peer address comes from its socket, here always
 * 127.0.0.1): whatever a client writes into X-Forwarded-For, it cannot pick its own rate-limit bucket.
 */
import type { AddressInfo } from "node:net";

import type { ServerType } from "@hono/node-server";
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";

import { ConfigError, loadConfig } from "../src/config/index.js";
import { serveApp } from "../src/http/server.js";
import { createTestApp, testEnv, type TestApp } from "./helpers/app.js";

const LIMIT = 3;

describe("the client IP behind proxies", () => {
  let t: TestApp | undefined;
  let server: ServerType | undefined;

  afterEach(async () => {
    if (server) await new Promise((resolve) => server!.close(resolve));
    await t?.close();
    server = undefined;
    t = undefined;
  });

  /** The API on a real socket with a per-IP limit of LIMIT requests (a window far longer than the test). */
  async function start(env: Record<string, string>): Promise<string> {
    t = await createTestApp("pglite", {
      env: { RATE_LIMIT_PER_IP: String(LIMIT), RATE_LIMIT_WINDOW_MS: "3600000", ...env },
    });
    const { port } = await new Promise<AddressInfo>((resolve) => {
      server = serveApp(t!.app, { hostname: "127.0.0.1", port: 0 }, resolve);
    });
    return `http://127.0.0.1:${port}`;
  }

  /** The status of one request per X-Forwarded-For value, in order. */
  async function statuses(base: string, forwardedFor: string[]): Promise<number[]> {
    const result: number[] = [];
    for (const value of forwardedFor) {
      const response = await request(`${base}/catalog/destinations?limit=1`, {
        headers: { "x-forwarded-for": value },
      });
      await response.body.dump();
      result.push(response.statusCode);
    }
    return result;
  }

  const spoofed = (count: number, rest: string) =>
    Array.from({ length: count }, (_, i) => `192.0.2.${i + 1}, ${rest}`.replace(/, $/, ""));
  const limitedAfterLimit = [...Array<number>(LIMIT).fill(200), 429, 429, 429];

  it("with trusted proxies, the right-most address no trusted proxy wrote is the client, whatever it prepends", async () => {
    const base = await start({ TRUST_PROXY: "true", TRUSTED_PROXIES: "127.0.0.1,10.0.0.0/8" });
    // client 203.0.113.9 → proxy 10.1.2.3 → proxy 127.0.0.1 → API; the client rotates what it sends on the left.
    expect(await statuses(base, spoofed(6, "203.0.113.9, 10.1.2.3"))).toEqual(limitedAfterLimit);
    // Another client behind the same proxies has a bucket of its own.
    expect(await statuses(base, ["198.51.100.4, 10.1.2.3"])).toEqual([200]);
  });

  it("a peer that is not a trusted proxy is the client: its X-Forwarded-For is ignored", async () => {
    const base = await start({ TRUST_PROXY: "true", TRUSTED_PROXIES: "10.0.0.0/8" });
    expect(await statuses(base, spoofed(6, ""))).toEqual(limitedAfterLimit);
  });

  it("a hop count trusts that many proxies: the address the outermost one saw is the client", async () => {
    const base = await start({ TRUST_PROXY: "2" });
    expect(await statuses(base, spoofed(6, "203.0.113.9, 10.1.2.3"))).toEqual(limitedAfterLimit);
    expect(await statuses(base, ["198.51.100.4, 10.1.2.3"])).toEqual([200]);
  });

  it("TRUST_PROXY=true alone trusts one proxy: the right-most X-Forwarded-For entry is the client", async () => {
    const base = await start({ TRUST_PROXY: "true" });
    expect(await statuses(base, spoofed(6, "203.0.113.9"))).toEqual(limitedAfterLimit);
    expect(await statuses(base, ["203.0.113.10"])).toEqual([200]);
  });

  it("without TRUST_PROXY, X-Forwarded-For is ignored", async () => {
    const base = await start({});
    expect(await statuses(base, spoofed(6, ""))).toEqual(limitedAfterLimit);
  });

  it("a malformed proxy setting stops the API at start-up, naming it", () => {
    const bad = (env: Record<string, string>) => () => loadConfig(testEnv(env));
    expect(bad({ TRUST_PROXY: "true", TRUSTED_PROXIES: "10.0.0.0/33" })).toThrow(/TRUSTED_PROXIES/);
    expect(bad({ TRUST_PROXY: "true", TRUSTED_PROXIES: "proxy.internal" })).toThrow(ConfigError);
    expect(bad({ TRUSTED_PROXIES: "10.0.0.0/8" })).toThrow(/TRUSTED_PROXIES needs TRUST_PROXY=true/);
    expect(bad({ TRUST_PROXY: "2", TRUSTED_PROXIES: "10.0.0.0/8" })).toThrow(/TRUSTED_PROXIES/);
    expect(bad({ TRUST_PROXY: "yes" })).toThrow(/TRUST_PROXY/);
  });
});
