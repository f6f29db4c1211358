/**
 * The chain listener: reads the logs of every TRVL contract in block ranges up to head − confirmations, stores each
 * event once and projects it, advancing its cursor in the same database transaction, so a crash at any instant
 * neither loses nor repeats an event. It keeps the hashes of the blocks it read within the reorg window; when the
 * chain no longer has one of them it rewinds to the last common block and reads again.
 */
import { WATCHED_CONTRACTS } from "@trvl/abi";
import { and, desc, eq, gt, lt, sql } from "drizzle-orm";
import type { Logger } from "pino";
import type { Address, Block, Hex, Log } from "viem";

import { schema, type Db, type Tx } from "../db/index.js";
import { unnestInsert } from "../db/unnest.js";
import { announceChanges } from "../push/changes.js";
import { decodeChainEvent, type ChainEvent, type WatchedContract } from "./events.js";
import type { AnnouncedHead } from "./heads.js";
import type { ChainContext } from "./index.js";
import { emptyChanges, project, rewind, type Changes, type ProjectionDeps } from "./projections/index.js";

export interface ListenerOptions {
  /** Blocks behind the head the listener stays (0 on the local chain). */
  confirmations: number;
  /** Largest block range per read; halved when the node refuses a range, and grown back after. */
  maxRange: number;
  /** Recent blocks whose hashes are kept to notice reorgs. */
  reorgWindow: number;
  /** Where to start on a fresh database: the earliest deployment block of the watched contracts. */
  startBlock: bigint;
}

export interface ListenerMetrics {
  onEvents(count: number): void;
  onCursor(cursor: bigint, head: bigint): void;
  onReorg(depth: bigint, deep: boolean): void;
  onRewards(count: number): void;
}

export interface TickResult {
  /** Events newly stored. */
  stored: number;
  /** The cursor reached the safe head. */
  caughtUp: boolean;
  changes: Changes;
}

/** A block by its place in the chain: a head, or a range's last block read before its logs. */
type Head = AnnouncedHead;

/** What the listener keeps of a block: where it is in the chain, and its time for the events in it. */
interface BlockStamp {
  number: bigint;
  hash: Hex;
  timestamp: bigint;
}

interface ReadRange {
  logs: Log<bigint, number, false>[];
  to: bigint;
  blocks: Map<bigint, BlockStamp>;
  /** The hash of the block asked for as `link`, read after the logs. */
  linkHash?: Hex;
}

const TOO_MANY = /(range|limit|too many|exceed|response size|10000|query returned more than)/i;

export class ChainListener {
  private range: number;
  private ahead: { from: bigint; read: Promise<(ReadRange & { head: bigint }) | null> } | undefined;
  private readonly chainId: number;
  private readonly addresses: Address[];
  private readonly contractAt: Map<string, WatchedContract>;

  constructor(
    private readonly deps: {
      db: Db;
      chain: ChainContext;
      projection: Omit<ProjectionDeps, "chainId">;
      logger: Logger;
      metrics?: ListenerMetrics;
      /**
       * The head as the node last announced it (its `newHeads` subscription), while that announcement is recent:
       * the listener then reads no head of its own, and reads a range's logs in the round trip that checks its cursor.
       */
      announcedHead?: () => AnnouncedHead | undefined;
    },
    private readonly options: ListenerOptions,
  ) {
    this.chainId = deps.chain.chain.id;
    this.range = options.maxRange;
    this.contractAt = new Map();
    for (const name of WATCHED_CONTRACTS) {
      const address = deps.chain.contract(name);
      if (address) this.contractAt.set(address.toLowerCase(), name);
    }
    this.addresses = [...this.contractAt.keys()] as Address[];
  }

  /** Reads and stores the next range of blocks (or handles a reorg). */
  async tick(): Promise<TickResult> {
    const tickStarted = performance.now();
    const cursor = await this.cursor();
    const from = cursor.blockNumber + 1n;
    const ahead = this.ahead;
    this.ahead = undefined;
    // The range read ahead during the last write, if it starts here and the cursor's block was still in the chain
    // after its logs were read (so it links to what is stored): no round trip before the write.
    const early = ahead?.from === from && cursor.blockHash !== null ? await ahead.read : null;
    const linked = early !== null && early.linkHash === cursor.blockHash;
    const position = linked ? { head: early.head, read: early, latest: undefined } : await this.position(cursor);
    if ("reorg" in position) return { stored: 0, caughtUp: false, changes: position.reorg };
    const { head } = position;
    const safeHead = head - BigInt(this.options.confirmations);
    this.deps.metrics?.onCursor(cursor.blockNumber, head);
    if (cursor.blockNumber >= safeHead) return { stored: 0, caughtUp: true, changes: emptyChanges() };
    const read =
      position.read !== undefined
        ? position.read
        : await this.readRange(from, min(safeHead, from + BigInt(this.range) - 1n), position.latest);
    // The chain moved under the read: read again next tick (a reorg shows at the cursor then).
    if (read === null) return { stored: 0, caughtUp: false, changes: emptyChanges() };
    const { logs, to, blocks } = read;
    const events = logs
      .map((log) =>
        decodeChainEvent(
          this.chainId,
          this.contractAt.get(log.address.toLowerCase())!,
          log,
          new Date(Number(blocks.get(log.blockNumber)!.timestamp) * 1000),
        ),
      )
      .filter((event): event is ChainEvent => event !== null);

    const toBlock = blocks.get(to)!;
    // While this range is written, the next one is read: the node and the database work side by side.
    this.ahead = { from: to + 1n, read: this.readAhead(to + 1n, to) };
    const started = performance.now();
    const { stored, changes } = await this.deps.db.transaction(async (tx) => {
      const inserted = await this.store(tx, events);
      const changes = await project(tx, this.projectionDeps(), inserted);
      await this.rememberBlocks(tx, [...blocks.values()], safeHead);
      await tx
        .update(schema.chainCursors)
        .set({ blockNumber: to, blockHash: toBlock.hash, updatedAt: this.deps.projection.now() })
        .where(eq(schema.chainCursors.chainId, this.chainId));
      await announceChanges(tx, changes);
      return { stored: inserted.length, changes };
    });
    this.deps.logger.debug(
      {
        from,
        to,
        logs: logs.length,
        stored,
        rpcMs: Math.round(started - tickStarted),
        dbMs: Math.round(performance.now() - started),
      },
      "indexed a block range",
    );
    this.deps.metrics?.onEvents(stored);
    this.deps.metrics?.onRewards(changes.rewards);
    this.deps.metrics?.onCursor(to, head);
    // Blocks mined while this range was written (read ahead meanwhile) are indexed next, without a poll's wait.
    const caughtUp = to >= safeHead && (await this.ahead.read) === null;
    return { stored, caughtUp, changes };
  }

  private projectionDeps(): ProjectionDeps {
    return { ...this.deps.projection, chainId: this.chainId };
  }

  /** The cursor, created at the start block on a fresh database; a different chain (genesis) starts over. */
  private async cursor() {
    const genesis = await this.genesisHash();
    const [row] = await this.deps.db
      .select()
      .from(schema.chainCursors)
      .where(eq(schema.chainCursors.chainId, this.chainId));
    const fresh = { blockNumber: this.options.startBlock - 1n, blockHash: null as string | null };
    if (!row) {
      await this.deps.db
        .insert(schema.chainCursors)
        .values({ chainId: this.chainId, genesisHash: genesis, ...fresh })
        .onConflictDoNothing();
      return fresh;
    }
    if (row.genesisHash !== genesis) {
      this.deps.logger.error(
        { stored: row.genesisHash, chain: genesis },
        "the chain behind the RPC is another chain than the one indexed: starting over from the deployment block",
      );
      this.deps.metrics?.onReorg(row.blockNumber - fresh.blockNumber, true);
      await this.deps.db.transaction(async (tx) => {
        await this.rewindTo(tx, fresh.blockNumber, null);
        await tx
          .update(schema.chainCursors)
          .set({ genesisHash: genesis })
          .where(eq(schema.chainCursors.chainId, this.chainId));
      });
      return fresh;
    }
    return { blockNumber: row.blockNumber, blockHash: row.blockHash };
  }

  private genesis: string | undefined;
  private async genesisHash(): Promise<string> {
    this.genesis ??= (await this.deps.chain.client.getBlock({ blockNumber: 0n })).hash;
    return this.genesis;
  }

  private async blockOrNull(n: bigint): Promise<Block | null> {
    try {
      return await this.deps.chain.client.getBlock({ blockNumber: n });
    } catch (error) {
      if ((error as { name?: string }).name === "BlockNotFoundError") return null;
      throw error;
    }
  }

  /**
   * Where the chain is, read at the start of a tick: the head, and whether the cursor's block is still in the chain
   * (in one round trip); a cursor no longer in it is a reorg, handled here. With the head announced by the node, the
   * next range's logs are read in that same round trip (`read`: null when the chain moved under it).
   */
  private async position(cursor: {
    blockNumber: bigint;
    blockHash: string | null;
  }): Promise<{ head: bigint; latest: Head; read?: ReadRange | null } | { reorg: Changes }> {
    const announced = this.announcedHead();
    const safe = announced && announced.number - BigInt(this.options.confirmations);
    const from = cursor.blockNumber + 1n;
    // Started before the cursor's check so that both go out in one batch; its result counts only if the check passes.
    const reading =
      safe !== undefined && from <= safe
        ? this.readRange(from, min(safe, from + BigInt(this.range) - 1n), announced).then(
            (read) => ({ read }),
            (error: unknown) => ({ error }),
          )
        : undefined;
    const [latest, current] = await Promise.all([
      announced ?? this.deps.chain.client.getBlock({ blockTag: "latest" }),
      cursor.blockHash === null ? null : this.blockOrNull(cursor.blockNumber),
    ]);
    if (cursor.blockHash !== null && current?.hash !== cursor.blockHash) {
      await reading;
      return { reorg: await this.handleReorg(cursor.blockNumber) };
    }
    const head = { number: latest.number, hash: latest.hash! };
    if (reading === undefined) return { head: head.number, latest: head };
    const outcome = await reading;
    if ("error" in outcome || outcome.read === null) this.refuted = head.hash;
    // The announced head may be what failed (the node no longer has it): once more, with the head read from the node.
    if ("error" in outcome) return this.position(cursor);
    return { head: head.number, latest: head, read: outcome.read };
  }

  /**
   * An announced head a read failed with, or showed is no longer in the chain (a reorg the node has not announced
   * yet): the listener reads the head itself until the node announces another.
   */
  private refuted: Hex | undefined;

  private announcedHead(): Head | undefined {
    const head = this.deps.announcedHead?.();
    return head && head.hash !== this.refuted ? head : undefined;
  }

  /**
   * The range from `from` up to the safe head as it is now, with the hash block `link` had after its logs were read
   * (the block the range follows: the next tick's cursor), or null (nothing new, or any failure: read it again).
   */
  private async readAhead(from: bigint, link: bigint): Promise<(ReadRange & { head: bigint }) | null> {
    const announced = this.announcedHead();
    try {
      const latest = announced ?? (await this.deps.chain.client.getBlock({ blockTag: "latest" }));
      const head = { number: latest.number, hash: latest.hash! };
      const safeHead = head.number - BigInt(this.options.confirmations);
      if (safeHead < from) return null;
      const read = await this.readRange(from, min(safeHead, from + BigInt(this.range) - 1n), head, link);
      if (read === null && announced) this.refuted = announced.hash;
      return read && { ...read, head: head.number };
    } catch {
      if (announced) this.refuted = announced.hash;
      return null;
    }
  }

  /**
   * The logs of [from, to] (`to` may shrink, see readLogs) with the hash and time of every block they are in and of
   * `to`, or null when the chain changed during the read. The block at `to` is read before and after the logs: its
   * hash commits to every block below it, so an unchanged hash means the logs came from the chain that is still
   * canonical, and their own block hashes and times (`blockTimestamp`, which geth, Hardhat and most providers return)
   * need no further reads. Logs without a time cost one block read each. `latest`, the head as read (or announced)
   * before this call, is the "before" read when the range ends at it; block `link` is read with the "after" one.
   */
  private async readRange(from: bigint, to: bigint, latest?: Head, link?: bigint): Promise<ReadRange | null> {
    const { client } = this.deps.chain;
    const { logs, to: end, before, after, linked } = await this.readLogs(from, to, latest, link);
    // Gone (a head announced, then reorged away, or one this node does not have yet) or replaced: the chain moved
    // under the read.
    if (after === null || after.hash !== before.hash) return null;
    const blocks = new Map<bigint, BlockStamp>([[end, { number: end, hash: after.hash, timestamp: after.timestamp }]]);
    const untimed = new Set<bigint>();
    for (const log of logs) {
      if (blocks.has(log.blockNumber)) continue;
      if (log.blockTimestamp === undefined || log.blockTimestamp === null) untimed.add(log.blockNumber);
      else blocks.set(log.blockNumber, { number: log.blockNumber, hash: log.blockHash, timestamp: log.blockTimestamp });
    }
    await Promise.all(
      [...untimed].map(async (n) => {
        const block = await client.getBlock({ blockNumber: n });
        blocks.set(n, { number: n, hash: block.hash, timestamp: block.timestamp });
      }),
    );
    if (logs.some((log) => blocks.get(log.blockNumber)!.hash !== log.blockHash)) return null;
    return { logs, to: end, blocks, linkHash: linked?.hash ?? undefined };
  }

  /**
   * Logs of the watched contracts in [from, to], shrinking the range while the node refuses it, with block `to` as it
   * was before (`before`) and after (`after`) them, and block `link`. The logs and the blocks after them are asked for
   * in one batch, in that order: a node answers a batch's calls in order (Hardhat and geth do). Should one not, a
   * reorg between the calls goes unseen here, and is found at the next tick's check of the cursor instead, whose
   * rewind goes below every remembered block the chain no longer has (`handleReorg`).
   */
  private async readLogs(
    from: bigint,
    to: bigint,
    latest?: Head,
    link?: bigint,
  ): Promise<{
    logs: Log<bigint, number, false>[];
    to: bigint;
    before: Head;
    after: Block | null;
    linked: Block | null | undefined;
  }> {
    const { client } = this.deps.chain;
    for (;;) {
      try {
        // The head read just now serves when the range ends there: one round trip less.
        const before = latest?.number === to ? latest : await client.getBlock({ blockNumber: to });
        const [logs, after, linked] = await Promise.all([
          client.getLogs({ address: this.addresses, fromBlock: from, toBlock: to }),
          this.blockOrNull(to),
          link === undefined ? undefined : this.blockOrNull(link),
        ]);
        // Grow back towards the configured range after successes.
        if (this.range < this.options.maxRange) this.range = Math.min(this.options.maxRange, this.range * 2);
        return {
          logs: logs as Log<bigint, number, false>[],
          to,
          before: { number: to, hash: before.hash! },
          after,
          linked,
        };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (to === from || !TOO_MANY.test(message)) throw error;
        this.range = Math.max(1, Math.floor(Number(to - from + 1n) / 2));
        to = from + BigInt(this.range) - 1n;
        this.deps.logger.warn(
          { from, to, range: this.range },
          "the node refused the block range: reading a smaller one",
        );
      }
    }
  }

  /** Inserts the events not stored yet (one statement, see unnestInsert) and returns those. */
  private async store(tx: Tx, events: ChainEvent[]): Promise<ChainEvent[]> {
    if (events.length === 0) return [];
    const result = await tx.execute(sql`
      ${unnestInsert(schema.chainEvents, events)}
      on conflict do nothing
      returning tx_hash, log_index`);
    const rows = (result as unknown as { rows: { tx_hash: string; log_index: number }[] }).rows;
    const fresh = new Set(rows.map((row) => `${row.tx_hash}:${row.log_index}`));
    return events.filter((event) => fresh.has(`${event.txHash}:${event.logIndex}`));
  }

  /** Keeps the hashes of the blocks read within the reorg window, and forgets older ones. */
  private async rememberBlocks(tx: Tx, blocks: BlockStamp[], safeHead: bigint) {
    const floor = safeHead - BigInt(this.options.reorgWindow);
    const recent = blocks.filter((block) => block.number > floor);
    if (recent.length > 0) {
      await tx
        .insert(schema.chainBlocks)
        .values(recent.map((block) => ({ chainId: this.chainId, number: block.number, hash: block.hash })))
        .onConflictDoUpdate({
          target: [schema.chainBlocks.chainId, schema.chainBlocks.number],
          set: { hash: sql`excluded.hash` },
        });
    }
    await tx
      .delete(schema.chainBlocks)
      .where(and(eq(schema.chainBlocks.chainId, this.chainId), lt(schema.chainBlocks.number, floor)));
  }

  /**
   * The block at the cursor is no longer on the chain: find the newest remembered block below every remembered block
   * the chain no longer has, and rewind everything after it. Below every one, not only below the newest: a range read
   * while a reorg happened may hold blocks of the new chain above ones of the old (see readLogs). A reorg deeper than
   * the window rewinds to the oldest remembered block, loudly.
   */
  private async handleReorg(cursorBlock: bigint): Promise<Changes> {
    const remembered = await this.deps.db
      .select()
      .from(schema.chainBlocks)
      .where(eq(schema.chainBlocks.chainId, this.chainId))
      .orderBy(desc(schema.chainBlocks.number));
    // The window's blocks as the chain has them now, asked for together (one batch).
    const current = await Promise.all(remembered.map((block) => this.blockOrNull(block.number)));
    const lowestGone = current.findLastIndex((block, i) => block?.hash !== remembered[i]!.hash);
    const ancestor: { number: bigint; hash: string } | null = remembered[lowestGone + 1] ?? null;
    const deep = ancestor === null;
    const target = ancestor ?? {
      number: (remembered.at(-1)?.number ?? this.options.startBlock) - 1n,
      hash: null as string | null,
    };
    if (target.number < this.options.startBlock - 1n) target.number = this.options.startBlock - 1n;
    const depth = cursorBlock - target.number;
    if (deep) {
      this.deps.logger.error(
        { cursor: cursorBlock, rewindTo: target.number, window: this.options.reorgWindow },
        "reorg deeper than the window: rewinding past every remembered block and reading again",
      );
    } else {
      this.deps.logger.warn(
        { cursor: cursorBlock, ancestor: target.number, depth },
        "reorg: rewinding to the common block",
      );
    }
    this.deps.metrics?.onReorg(depth, deep);
    return this.deps.db.transaction((tx) => this.rewindTo(tx, target.number, target.hash));
  }

  private async rewindTo(tx: Tx, block: bigint, hash: string | null): Promise<Changes> {
    await tx
      .delete(schema.chainEvents)
      .where(and(eq(schema.chainEvents.chainId, this.chainId), gt(schema.chainEvents.blockNumber, block)));
    const changes = await rewind(tx, this.projectionDeps(), block);
    await tx
      .delete(schema.chainBlocks)
      .where(and(eq(schema.chainBlocks.chainId, this.chainId), gt(schema.chainBlocks.number, block)));
    await tx
      .update(schema.chainCursors)
      .set({ blockNumber: block, blockHash: hash, updatedAt: this.deps.projection.now() })
      .where(eq(schema.chainCursors.chainId, this.chainId));
    await announceChanges(tx, changes);
    return changes;
  }
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);
export type { Hex };
