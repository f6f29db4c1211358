import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import { CID } from "multiformats/cid";
import * as json from "multiformats/codecs/json";
import { sha256 } from "multiformats/hashes/sha2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ConfigError, loadConfig } from "../src/config/index.js";
import { EmbeddedStore, cidOf, putJson, verifies } from "../src/ipfs/store.js";
import { call, createTestApp, expectError, testEnv, type TestApp } from "./helpers/app.js";

describe("content-addressed receipts", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "trvl-ipfs-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("names a JSON document by a real CIDv1 (json codec, sha2-256) and gives the same bytes back", async () => {
    const store = new EmbeddedStore(dir);
    const document = { type: "trvl.booking-receipt", amount: "125000000" };
    const cid = await putJson(store, document);
    const bytes = json.encode(document);
    expect(cid.version).toBe(1);
    expect(cid.code).toBe(json.code);
    expect(cid.equals(CID.createV1(json.code, await sha256.digest(bytes)))).toBe(true);
    expect(Buffer.from((await store.get(cid))!)).toEqual(Buffer.from(bytes));
    expect(await verifies(cid, bytes)).toBe(true);
    expect(await verifies(cid, json.encode({ ...document, amount: "1" }))).toBe(false);
    expect((await readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});

describe("GET /ipfs/:cid", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp("pglite");
  });
  afterAll(() => t.close());

  it("serves a stored document, and refuses tampered bytes, unknown and invalid CIDs", async () => {
    const cid = await putJson(t.services.ipfs, { hello: "world" });
    const ok = await t.app.request(`/ipfs/${cid}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("etag")).toBe(`"${cid}"`);
    expect(await ok.json()).toEqual({ hello: "world" });

    await writeFile(path.join(t.config.DATA_DIR, "ipfs", cid.toString()), json.encode({ hello: "tampered" }));
    expect(expectError(await call(t.app, "GET", `/ipfs/${cid}`))).toMatchObject({
      status: 502,
      code: "content_corrupted",
    });

    const unknown = CID.createV1(json.code, await sha256.digest(json.encode({ never: "stored" })));
    expect(expectError(await call(t.app, "GET", `/ipfs/${unknown}`))).toMatchObject({ status: 404 });
    expect(expectError(await call(t.app, "GET", "/ipfs/not-a-cid"))).toMatchObject({ status: 400 });
  });
});

describe("Kubo store (against a local stub of Kubo's RPC API)", () => {
  let server: Server;
  let t: TestApp;
  const blocks = new Map<string, Buffer>();
  const puts: URLSearchParams[] = [];

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const url = new URL(req.url ?? "/", "http://stub");
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === "/api/v0/block/put") {
        puts.push(url.searchParams);
        // One multipart part: the block's bytes sit between the part's headers and the closing boundary.
        const body = Buffer.concat(chunks);
        const boundary = `--${/boundary=(.+)$/.exec(req.headers["content-type"] ?? "")![1]}`;
        const start = body.indexOf("\r\n\r\n") + 4;
        const bytes = body.subarray(start, body.indexOf(`\r\n${boundary}--`, start));
        const cid = await cidOf(bytes);
        blocks.set(cid.toString(), Buffer.from(bytes));
        return reply(200, { Key: cid.toString(), Size: bytes.length });
      }
      if (url.pathname === "/api/v0/block/get") {
        const bytes = blocks.get(url.searchParams.get("arg") ?? "");
        if (!bytes) return reply(500, { Message: "block was not found locally (offline)", Code: 0, Type: "error" });
        res.writeHead(200, { "content-type": "application/octet-stream" });
        return res.end(bytes);
      }
      reply(404, { Message: "no such stub route", Code: 0, Type: "error" });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    t = await createTestApp("pglite", { env: { IPFS_API_URL: `http://127.0.0.1:${port}` } });
  });
  afterAll(async () => {
    await t.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it("puts and pins receipts on the node with the same CID, and serves them back verified", async () => {
    expect(t.services.ipfs.kind).toBe("kubo");
    const document = { type: "trvl.booking-receipt", bookingId: "0x01" };
    const cid = await putJson(t.services.ipfs, document);
    expect(cid.equals(await cidOf(json.encode(document)))).toBe(true);
    expect(puts.at(-1)?.get("format")).toBe("json");
    expect(puts.at(-1)?.get("mhtype")).toBe("sha2-256");
    expect(puts.at(-1)?.get("pin")).toBe("true");
    const served = await t.app.request(`/ipfs/${cid}`);
    expect(served.status).toBe(200);
    expect(await served.json()).toEqual(document);

    blocks.set(cid.toString(), Buffer.from(json.encode({ ...document, bookingId: "0x02" })));
    expect(expectError(await call(t.app, "GET", `/ipfs/${cid}`))).toMatchObject({
      status: 502,
      code: "content_corrupted",
    });
    const unknown = await cidOf(json.encode({ never: "put" }));
    expect(expectError(await call(t.app, "GET", `/ipfs/${unknown}`))).toMatchObject({ status: 404 });
  });
});

describe("configuration", () => {
  it("stops with a message naming each missing or malformed variable", () => {
    const attempt = (env: Record<string, string | undefined>) => {
      try {
        loadConfig(env);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).message;
      }
      throw new Error("expected a ConfigError");
    };
    const missing = attempt({});
    expect(missing).toContain("QUOTE_SIGNER_PRIVATE_KEY is required");
    expect(missing).toContain("SUPPLIER_ADDRESS is required");
    expect(missing).toContain("JWT_SECRET is required");
    const base = testEnv({ CHAIN_RPC_URL: "http://127.0.0.1:8545" });
    expect(attempt({ ...base, API_PORT: "eighty" })).toContain("API_PORT");
    expect(attempt({ ...base, DATABASE_URL: "mysql://x" })).toContain("DATABASE_URL");
    expect(attempt({ ...base, QUOTE_SIGNER_PRIVATE_KEY: "0x1234" })).toContain("QUOTE_SIGNER_PRIVATE_KEY");
    expect(attempt({ ...base, JWT_SECRET: "short" })).toContain("JWT_SECRET");
    expect(attempt({ ...base, COOKIE_SECURE: "yes" })).toContain("COOKIE_SECURE");
  });

  it("applies defaults and reads lists", () => {
    const config = loadConfig(
      testEnv({ CHAIN_RPC_URL: "http://127.0.0.1:8545", CORS_ORIGINS: "https://a.example, https://b.example" }),
    );
    expect(config.API_PORT).toBe(8787);
    expect(config.CORS_ORIGINS).toEqual(["https://a.example", "https://b.example"]);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.DATA_DIR.endsWith(".data")).toBe(true);
  });

  it("every variable the API reads is documented in .env.example", async () => {
    const { readFile } = await import("node:fs/promises");
    const { REPO_ROOT } = await import("../src/config/index.js");
    const example = await readFile(path.join(REPO_ROOT, ".env.example"), "utf8");
    const source = await readFile(path.join(REPO_ROOT, "backend", "src", "config", "index.ts"), "utf8");
    const names = [...source.matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(20);
    for (const name of names) expect(example, name).toMatch(new RegExp(`^#? ?${name}=`, "m"));
  });
});
