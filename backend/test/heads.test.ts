/**
 * New blocks announced by the node: the listener reads a payment's block as it is mined, not at its next poll; a node
 * without WebSocket support leaves it polling.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { eq } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { watchHeads, webSocketUrlOf, type AnnouncedHead } from "../src/chain/heads.js";
import { schema } from "../src/db/index.js";
import { startWorker, type Worker } from "../src/worker/worker.js";
import { createTestApp, signIn, type TestApp } from "./helpers/app.js";
import { fundedAccount, publicClient } from "./helpers/chain.js";
import { bookAndPay, waitUntil } from "./helpers/pipeline.js";

const logger = pino({ level: "silent" });

describe("the node's WebSocket endpoint", () => {
  it("is the HTTP endpoint's, with ws:// or wss://", () => {
    expect(webSocketUrlOf("http://127.0.0.1:8545")).toBe("ws://127.0.0.1:8545/");
    expect(webSocketUrlOf("https://base-sepolia.example.org/v2/key")).toBe("wss://base-sepolia.example.org/v2/key");
  });
});

describe("watching new heads", () => {
  it("announces each block the node mines, with its hash", async () => {
    const heads: AnnouncedHead[] = [];
    const announced = (n: bigint) => heads.find((head) => head.number === n);
    const watcher = watchHeads({
      url: webSocketUrlOf(inject("chainUrl")),
      onHead: (head) => heads.push(head),
      logger,
    });
    try {
      // The subscription is in place once a first block has been announced; mine until then.
      const mined = await waitUntil("a block announced over the WebSocket", async () => {
        await publicClient().request({ method: "evm_mine" } as never);
        return heads.length > 0 && (await publicClient().getBlockNumber());
      });
      expect(watcher.subscribed).toBe(true);
      await publicClient().request({ method: "evm_mine" } as never);
      await waitUntil("the next block announced", async () => announced(mined + 1n) !== undefined);
      const block = await publicClient().getBlock({ blockNumber: mined + 1n });
      expect(announced(mined + 1n)).toEqual({ number: mined + 1n, hash: block.hash });
    } finally {
      await watcher.stop();
    }
  });

  it("gives up quietly on a node without WebSocket support", async () => {
    const server = createServer((_, response) => response.writeHead(404).end());
    server.on("upgrade", (_, socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const errors: string[] = [];
    const watcher = watchHeads({
      url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
      onHead: () => errors.push("a head from nowhere"),
      logger: pino({ level: "info" }, { write: (line: string) => errors.push(line) }),
    });
    try {
      await waitUntil("the failure noted", async () => errors.some((line) => line.includes("the listener polls")));
      expect(watcher.subscribed).toBe(false);
    } finally {
      await watcher.stop();
      server.close();
    }
  });
});

describe("the listener with a subscription", () => {
  let t: TestApp;
  let worker: Worker;
  beforeAll(async () => {
    // A poll far longer than the test: only the subscription can wake the listener in time.
    t = await createTestApp("postgres", { env: { LISTENER_POLL_MS: "600000", KEEPER_PRIVATE_KEY: undefined } });
    worker = startWorker(t.services);
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
  });

  it("indexes a payment as its block is mined, without waiting for its poll", async () => {
    await waitUntil("the listener caught up", async () => {
      const [cursor] = await t.services.db.select().from(schema.chainCursors);
      return cursor && cursor.blockNumber >= (await publicClient().getBlockNumber());
    });
    const account = await fundedAccount();
    const token = await signIn(t.app, account);
    const { id } = await bookAndPay(t, token, account);
    const [booking] = await waitUntil("the payment indexed", async () => {
      const rows = await t.services.db.select().from(schema.bookings).where(eq(schema.bookings.id, id));
      return rows[0]?.status === "paid" && rows;
    });
    expect(booking!.status).toBe("paid");
  });
});
