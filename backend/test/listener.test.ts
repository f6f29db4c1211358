/**
 * The listener takes each event's time from its log (`blockTimestamp`) and, on a node whose logs carry none (it is
 * recent in geth and not every provider returns it), from the blocks: either way it stores every event with the time
 * of its block. A range read while the chain reorganised may leave blocks of the new chain above ones of the old: the
 * rewind goes below every remembered block the chain no longer has. A head announced by the node that its reads do
 * not confirm is set aside: the listener reads the head itself.
 */
import { createServer, type Server } from "node:http";

import { getDeployment, WATCHED_CONTRACTS } from "@trvl/abi";
import { and, desc, eq, gt, lt, lte } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { ChainListener, type ListenerOptions } from "../src/chain/listener.js";
import { schema } from "../src/db/index.js";
import { startWorker } from "../src/worker/worker.js";
import { createTestApp, type TestApp } from "./helpers/app.js";
import { publicClient } from "./helpers/chain.js";
import { waitUntil } from "./helpers/pipeline.js";

const { contracts } = getDeployment(31337);
const WATCHED = WATCHED_CONTRACTS.map((name) => contracts[name]);
/** Where the watched contracts start: the listener's first block on a fresh database. */
const START = BigInt(Math.min(...WATCHED.map((c) => Number(c.blockNumber))));

type RpcMessage = { method?: string; result?: unknown };

/** A JSON-RPC proxy that counts the logs with a `blockTimestamp` it passes on, and drops it if told to. */
async function startLogsProxy(target: string, dropTimes: boolean) {
  let timed = 0;
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString();
    const upstream = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body });
    const requests = [JSON.parse(body)].flat() as RpcMessage[];
    const answer = JSON.parse(await upstream.text()) as RpcMessage | RpcMessage[];
    const answers = [answer].flat();
    answers.forEach((message, i) => {
      if (requests[i]?.method !== "eth_getLogs" || !Array.isArray(message.result)) return;
      for (const log of message.result as Record<string, unknown>[]) {
        if ("blockTimestamp" in log) timed++;
        if (dropTimes) delete log.blockTimestamp;
      }
    });
    response.writeHead(upstream.status, { "content-type": "application/json" });
    response.end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    timed: () => timed,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each([
  { logs: "with block times", dropTimes: false },
  { logs: "without block times", dropTimes: true },
])("the listener on a node whose logs come $logs (pglite)", ({ dropTimes }) => {
  let proxy: Awaited<ReturnType<typeof startLogsProxy>>;
  let t: TestApp;
  beforeAll(async () => {
    proxy = await startLogsProxy(inject("chainUrl"), dropTimes);
    // Listener only (no keeper key): this test watches what is on the chain already.
    t = await createTestApp("pglite", {
      env: { CHAIN_RPC_URL: proxy.url, KEEPER_PRIVATE_KEY: undefined, LISTENER_POLL_MS: "50" },
    });
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.close();
  });

  it("stores every event of the chain once, each with its block's time", async () => {
    const client = publicClient();
    const head = await client.getBlockNumber();
    const worker = startWorker(t.services);
    try {
      await waitUntil("the listener to reach the head", async () => {
        const [cursor] = await t.services.db.select().from(schema.chainCursors);
        return cursor !== undefined && cursor.blockNumber >= head;
      });
    } finally {
      await worker.stop();
    }

    const logs = await client.getLogs({ address: WATCHED.map((c) => c.address), fromBlock: START, toBlock: head });
    const stored = await t.services.db
      .select({
        txHash: schema.chainEvents.txHash,
        logIndex: schema.chainEvents.logIndex,
        blockNumber: schema.chainEvents.blockNumber,
        blockTime: schema.chainEvents.blockTime,
      })
      .from(schema.chainEvents)
      .where(and(eq(schema.chainEvents.chainId, 31337), lte(schema.chainEvents.blockNumber, head)));
    expect(stored.length).toBe(logs.length);
    // The node does return times: both ways were exercised.
    expect(proxy.timed()).toBeGreaterThanOrEqual(logs.length);

    // Times straight from the blocks, read here independently.
    const numbers = [...new Set(stored.map((event) => event.blockNumber))];
    const blocks = await Promise.all(numbers.map((blockNumber) => client.getBlock({ blockNumber })));
    const timeOf = new Map(blocks.map((block) => [block.number, Number(block.timestamp) * 1000]));
    for (const event of stored) {
      expect(event.blockTime.getTime(), `${event.txHash}:${event.logIndex}`).toBe(timeOf.get(event.blockNumber));
    }
  });
});

const eventKey = (e: { txHash: string; logIndex: number; blockHash: string }) =>
  `${e.txHash}:${e.logIndex}:${e.blockHash}`;

describe("the listener on its own, from a fresh database (pglite)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp("pglite", { env: { KEEPER_PRIVATE_KEY: undefined } });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A listener on the test app's database and chain, its tables emptied first. */
  async function freshListener(
    deps: Pick<ConstructorParameters<typeof ChainListener>[0], "metrics" | "announcedHead">,
    options: Omit<ListenerOptions, "confirmations" | "startBlock">,
  ) {
    const { db, chain } = t.services;
    await db.delete(schema.chainEvents);
    await db.delete(schema.chainBlocks);
    await db.delete(schema.chainCursors);
    return new ChainListener(
      {
        db,
        chain,
        projection: { now: () => new Date("2026-12-07T10:00:00Z"), retryBackoff: { baseMs: 1_000, maxMs: 60_000 } },
        logger: pino({ level: "silent" }),
        ...deps,
      },
      { confirmations: 0, startBlock: START, ...options },
    );
  }

  it("after a range read across a reorg, rewinds below every remembered block the chain no longer has, not only below the newest, and reads back to the same events", async () => {
    const { db } = t.services;
    const reorgs: { depth: bigint; deep: boolean }[] = [];
    const listener = await freshListener(
      {
        metrics: {
          onEvents: () => {},
          onCursor: () => {},
          onRewards: () => {},
          onReorg: (depth, deep) => reorgs.push({ depth, deep }),
        },
      },
      // Small ranges, a window that reaches back to the start: many remembered blocks.
      { maxRange: 5, reorgWindow: 100_000 },
    );
    const head = await publicClient().getBlockNumber({ cacheTime: 0 });
    const catchUp = async () => {
      for (;;) {
        const result = await listener.tick();
        const [cursor] = await db.select().from(schema.chainCursors);
        if (result.caughtUp && cursor!.blockNumber >= head) return cursor!;
      }
    };
    const cursor = await catchUp();
    const storedBefore = await db.select().from(schema.chainEvents);

    // What a range read across a reorg leaves: the cursor's block and an older remembered block from a chain that is
    // gone, with blocks of the current chain between them.
    const remembered = await db
      .select()
      .from(schema.chainBlocks)
      .where(lt(schema.chainBlocks.number, cursor.blockNumber))
      .orderBy(desc(schema.chainBlocks.number));
    expect(remembered.length).toBeGreaterThan(4);
    const gone = remembered[3]!;
    const ancestor = remembered[4]!;
    const orphan = `0x${"0b".repeat(32)}`;
    await db.update(schema.chainCursors).set({ blockHash: orphan });
    await db.update(schema.chainBlocks).set({ hash: orphan }).where(eq(schema.chainBlocks.number, cursor.blockNumber));
    await db.update(schema.chainBlocks).set({ hash: orphan }).where(eq(schema.chainBlocks.number, gone.number));

    await listener.tick();
    expect(reorgs).toEqual([{ depth: cursor.blockNumber - ancestor.number, deep: false }]);
    const [rewound] = await db.select().from(schema.chainCursors);
    expect(rewound).toMatchObject({ blockNumber: ancestor.number, blockHash: ancestor.hash });
    expect(
      await db.select().from(schema.chainEvents).where(gt(schema.chainEvents.blockNumber, ancestor.number)),
    ).toEqual([]);

    await catchUp();
    // The blocks read before, read back (the shared chain may have grown meanwhile).
    const readBack = await db
      .select()
      .from(schema.chainEvents)
      .where(lte(schema.chainEvents.blockNumber, cursor.blockNumber));
    expect(new Set(readBack.map(eventKey))).toEqual(new Set(storedBefore.map(eventKey)));
  });

  // A head announced, then reorged away (same height, another hash), or announced by a node ahead of the one that
  // answers reads: the listener reads the head itself, and indexes the chain it reads.
  it.each([
    { announced: "a hash the chain no longer has", ahead: 0n },
    { announced: "a block the node has not mined", ahead: 50n },
  ])("with $announced, it indexes every event up to the real head", async ({ ahead }) => {
    const { db } = t.services;
    const head = await publicClient().getBlockNumber({ cacheTime: 0 });
    const listener = await freshListener(
      { announcedHead: () => ({ number: head + ahead, hash: `0x${"0c".repeat(32)}` }) },
      { maxRange: 2_000, reorgWindow: 128 },
    );
    for (let ticks = 0; ; ticks++) {
      expect(ticks, "ticks to catch up").toBeLessThan(50);
      await listener.tick();
      const [cursor] = await db.select().from(schema.chainCursors);
      if (cursor && cursor.blockNumber >= head) break;
    }
    const logs = await publicClient().getLogs({
      address: WATCHED.map((c) => c.address),
      fromBlock: START,
      toBlock: head,
    });
    const stored = await db.select().from(schema.chainEvents).where(lte(schema.chainEvents.blockNumber, head));
    expect(new Set(stored.map(eventKey))).toEqual(
      new Set(
        logs.map((l) => eventKey({ txHash: l.transactionHash!, logIndex: l.logIndex!, blockHash: l.blockHash! })),
      ),
    );
  });
});
