/**
 * The worker: the chain listener and the keeper, run by exactly one instance at a time. Every instance tries to take
 * the leader lock; the one that holds it runs both loops until it stops or loses the lock, and another instance takes
 * over. Errors (RPC or database down) pause a loop with a growing delay; it resumes by itself.
 */
import { createWalletClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import type { JobKind } from "../bookings/lifecycle.js";
import { publishPendingReceipts } from "../bookings/receipts.js";
import { watchHeads, webSocketUrlOf, type AnnouncedHead } from "../chain/heads.js";
import { ChainListener } from "../chain/listener.js";
import { maintainTables } from "../db/maintenance.js";
import { Keeper } from "../keeper/keeper.js";
import { TxSender } from "../keeper/sender.js";
import type { Services } from "../services.js";
import { Wakeup } from "./wakeup.js";

/** Receipts published per round of the receipts loop (in parallel, each one content-store write). */
const RECEIPTS_PER_ROUND = 100;
/** How often the leader looks for tables that autovacuum leaves alone and that need vacuuming or analyzing. */
const TABLE_UPKEEP_EVERY_MS = 30_000;

/** How long the head the node last announced stands for the chain's head; past that the listener reads the head. */
const ANNOUNCED_HEAD_FRESH_MS = 1_000;

/** Advisory lock key of the worker (any constant shared by every instance). */
export const LEADER_LOCK_KEY = 0x7472766c; // "trvl"

export interface Worker {
  readonly leading: boolean;
  stop(): Promise<void>;
}

export function startWorker(services: Services): Worker {
  const { config, logger, metrics, database } = services;
  const log = logger.child({ component: "worker" });
  let stopped = false;
  let leading = false;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  const done = (async () => {
    while (!stopped) {
      let leadership;
      try {
        leadership = await database.tryLead(LEADER_LOCK_KEY);
      } catch (error) {
        metrics.worker.errors.inc({ loop: "leader" });
        log.warn({ err: (error as Error).message }, "cannot reach the database to take the leader lock");
      }
      if (!leadership) {
        await sleep(config.LEADER_RETRY_MS);
        continue;
      }
      leading = true;
      metrics.worker.leader.set(1);
      log.info("leading: running the chain listener and keeper");
      const stillLeading = () => !stopped && leadership.held;
      const wakeups = newWakeups(keeperConcurrency(services));
      // The loops' queries go through the worker's own connections, never queued behind the API's requests.
      const work: Services = { ...services, db: database.workerDb };
      await Promise.all([
        listenerLoop(work, stillLeading, wakeups),
        keeperLoop(work, stillLeading, wakeups),
        receiptsLoop(work, stillLeading),
        tableUpkeepLoop(work, stillLeading),
      ]);
      leading = false;
      metrics.worker.leader.set(0);
      await leadership.release().catch(() => {});
      if (!stopped) log.warn("lost the leader lock: another instance may lead now");
    }
  })();

  return {
    get leading() {
      return leading;
    },
    async stop() {
      stopped = true;
      await done;
    },
  };
}

/**
 * Settlement loops (each sends its batch's distribution after it) running at once. A chain that mines each
 * transaction on arrival answers a send only once it is mined, and the sender sends one at a time to keep the nonces
 * in order: a second loop there only splits the batches in two. Elsewhere a send returns at once, and a second batch
 * goes out while the first waits for its block.
 */
function keeperConcurrency({ config, chain }: Services): number {
  return config.KEEPER_CONCURRENCY ?? (chain.chain.id === 31337 ? 1 : 2);
}

/**
 * One alarm per loop: each step of the money path wakes the loops of the next. Settlements run `concurrency` loops
 * (see `keeperConcurrency`), each sending its batch's distribution; as many distribution loops take the rest (jobs
 * the listener queued, retries).
 */
type Wakeups = ReturnType<typeof newWakeups>;
function newWakeups(concurrency: number) {
  const several = () => Array.from({ length: concurrency }, () => new Wakeup());
  return {
    listener: new Wakeup(),
    keeper: { upkeep: [new Wakeup()], settle: several(), distribute: several() },
  };
}

/** The keeper loop that runs jobs of `kind`: upkeep asks the suppliers and sends refunds. */
function loopOf(kind: JobKind): keyof Wakeups["keeper"] {
  return kind === "settle" || kind === "distribute" ? kind : "upkeep";
}

function wakeAll(wakeups: Wakeup[]) {
  for (const wakeup of wakeups) wakeup.wake();
}

/**
 * Runs `step` until `running()` is false; a step returns how long to sleep (0: go on at once), a sleep `wakeup` may
 * cut short. After errors it pauses with a delay that doubles up to 10 s, which no wake-up shortens.
 */
async function loop(
  name: string,
  services: Services,
  running: () => boolean,
  wakeup: Wakeup,
  step: () => Promise<number>,
): Promise<void> {
  const { logger, metrics } = services;
  let failures = 0;
  while (running()) {
    try {
      const wait = await step();
      failures = 0;
      if (wait > 0) await wakeup.sleep(wait, running);
    } catch (error) {
      failures++;
      metrics.worker.errors.inc({ loop: name });
      const delay = Math.min(10_000, 250 * 2 ** Math.min(failures, 6));
      logger.warn(
        { loop: name, err: (error as Error).message?.split("\n")[0], retryInMs: delay },
        "worker loop failed",
      );
      await sleepWhile(delay, running);
    }
  }
}

async function sleepWhile(ms: number, running: () => boolean) {
  const until = Date.now() + ms;
  while (running() && Date.now() < until) await new Promise((r) => setTimeout(r, Math.min(100, until - Date.now())));
}

function listenerLoop(services: Services, running: () => boolean, wakeups: Wakeups) {
  const { config, db, chain, now, logger, metrics } = services;
  const startBlock = Object.values(chain.deployment.contracts).reduce(
    (min, c) => (BigInt(c.blockNumber) < min ? BigInt(c.blockNumber) : min),
    BigInt(Number.MAX_SAFE_INTEGER),
  );
  // A block mined wakes the listener at once where the node announces blocks; its poll stays as the fallback.
  const webSocketUrl =
    config.CHAIN_WS_URL === "off" ? undefined : (config.CHAIN_WS_URL ?? webSocketUrlOf(config.CHAIN_RPC_URL));
  let announced: { head: AnnouncedHead; at: number } | undefined;
  const heads =
    webSocketUrl === undefined
      ? undefined
      : watchHeads({
          url: webSocketUrl,
          onHead: (head) => {
            announced = { head, at: performance.now() };
            wakeups.listener.wake();
          },
          logger: logger.child({ component: "heads" }),
        });
  const listener = new ChainListener(
    {
      db,
      chain,
      projection: {
        now,
        retryBackoff: { baseMs: config.KEEPER_RETRY_BASE_MS * 8, maxMs: config.KEEPER_SKIP_RETRY_MAX_MS },
      },
      logger: logger.child({ component: "listener" }),
      metrics: {
        onEvents: (n) => metrics.worker.events.inc(n),
        onRewards: (n) => metrics.worker.rewards.inc(n),
        onCursor: (cursor, head) => {
          metrics.worker.listenerCursor.set(Number(cursor));
          metrics.worker.listenerLag.set(Number(head - cursor));
        },
        onReorg: (_depth, deep) => metrics.worker.reorgs.inc({ deep: String(deep) }),
      },
      // Trusted only while the subscription is live and the announcement recent: a stalled one falls back to reads.
      announcedHead: () =>
        heads?.subscribed && announced && performance.now() - announced.at < ANNOUNCED_HEAD_FRESH_MS
          ? announced.head
          : undefined,
    },
    {
      confirmations: config.LISTENER_CONFIRMATIONS ?? (chain.chain.id === 31337 ? 0 : 12),
      maxRange: config.LISTENER_MAX_RANGE,
      reorgWindow: config.LISTENER_REORG_WINDOW,
      startBlock,
    },
  );
  return loop("listener", services, running, wakeups.listener, async () => {
    const result = await listener.tick();
    // Only the loops that got work: under load the listener passes many times a second, and a loop woken for nothing
    // still asks the database. (Receipts, off the money path, keep to their poll and leave the process to the
    // pipeline under load.)
    for (const kind of result.changes.jobs) wakeAll(wakeups.keeper[loopOf(kind)]);
    return result.caughtUp ? config.LISTENER_POLL_MS : 0;
  }).finally(() => heads?.stop());
}

function keeperLoop(services: Services, running: () => boolean, wakeups: Wakeups) {
  const { config, db, chain, catalog, logger, metrics, now } = services;
  if (!config.KEEPER_PRIVATE_KEY) {
    logger.warn("KEEPER_PRIVATE_KEY is not set: bookings are indexed but not settled, distributed or refunded here");
    return Promise.resolve();
  }
  const wallet = createWalletClient({
    chain: chain.chain,
    transport: chain.transport,
    account: privateKeyToAccount(config.KEEPER_PRIVATE_KEY),
  });
  const sender = new TxSender(
    wallet,
    chain.client,
    {
      receiptTimeoutMs: config.KEEPER_RECEIPT_TIMEOUT_MS,
      maxReplacements: config.KEEPER_MAX_REPLACEMENTS,
      feeBumpPercent: config.KEEPER_FEE_BUMP_PERCENT,
    },
    logger.child({ component: "sender" }),
    {
      onSent: () => metrics.worker.transactions.inc({ outcome: "sent" }),
      onReplaced: () => metrics.worker.transactions.inc({ outcome: "replaced" }),
    },
  );
  const keeper = new Keeper(
    {
      db,
      chain,
      catalog,
      sender,
      now,
      logger: logger.child({ component: "keeper" }),
      signals: {
        queued: (kind) => wakeAll(wakeups.keeper[loopOf(kind)]),
        mined: () => wakeups.listener.wake(),
      },
      metrics: {
        onJobs: (rows) => {
          metrics.worker.jobs.reset();
          for (const row of rows) metrics.worker.jobs.set({ kind: row.kind, status: row.status }, row.count);
        },
        onRewardsWaiting: (rows) => {
          metrics.worker.rewardsWaiting.reset();
          for (const row of rows) metrics.worker.rewardsWaiting.set({ reason: row.reason }, row.count);
        },
      },
    },
    {
      batchSize: config.KEEPER_BATCH_SIZE,
      maxWaitMs: config.KEEPER_MAX_WAIT_MS,
      maxAttempts: config.KEEPER_MAX_ATTEMPTS,
      retryBaseMs: config.KEEPER_RETRY_BASE_MS,
      retryMaxMs: config.KEEPER_RETRY_MAX_MS,
      staleAfterMs: config.KEEPER_STALE_AFTER_MS,
      retentionMs: config.KEEPER_JOB_RETENTION_HOURS * 3_600_000,
    },
  );
  const poll = (work: number) => (work > 0 ? 0 : config.KEEPER_POLL_MS);
  return Promise.all(
    (Object.keys(keeper.rounds) as (keyof Keeper["rounds"])[]).flatMap((name) =>
      wakeups.keeper[name].map((wakeup) =>
        loop(`keeper.${name}`, services, running, wakeup, async () => poll(await keeper.rounds[name]())),
      ),
    ),
  ).then(() => undefined);
}

/** Publishes the receipts of payments the listener saw, behind it: the content store never holds up the chain. */
function receiptsLoop(services: Services, running: () => boolean) {
  const { config, db, ipfs } = services;
  // Nothing wakes it: off the money path, it keeps to its poll.
  return loop("receipts", services, running, new Wakeup(), async () => {
    const published = await publishPendingReceipts({ db, ipfs }, RECEIPTS_PER_ROUND);
    return published === RECEIPTS_PER_ROUND ? 0 : config.LISTENER_POLL_MS;
  });
}

/** Where PostgreSQL's autovacuum is off, the leader keeps its tables vacuumed and their statistics fresh itself. */
function tableUpkeepLoop(services: Services, running: () => boolean) {
  const { database, db, logger } = services;
  // The embedded database is one process's own, small, and has no autovacuum settings to honour.
  if (database.driver !== "postgres") return Promise.resolve();
  const log = logger.child({ component: "table-upkeep" });
  return loop("table-upkeep", services, running, new Wakeup(), async () => {
    const upkeep = await maintainTables(db);
    if (upkeep.vacuumed.length + upkeep.analyzed.length > 0) log.debug(upkeep, "vacuumed and analyzed tables");
    return TABLE_UPKEEP_EVERY_MS;
  });
}
