/**
 * Sends the keeper's transactions from one account without nonce collisions: nonces are handed out in order under a
 * lock, so concurrent jobs may have several transactions in flight; a transaction not mined in time is replaced
 * (same nonce) with higher fees, up to a limit.
 */
import type { Logger } from "pino";
import {
  BaseError,
  keccak256,
  WaitForTransactionReceiptTimeoutError,
  type Chain,
  type Hex,
  type LocalAccount,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from "viem";
import { call } from "viem/actions";

export interface SenderOptions {
  /** How long a transaction may stay unmined before it is replaced. */
  receiptTimeoutMs: number;
  /** How many times a stuck transaction is replaced before giving up. */
  maxReplacements: number;
  /** Fee increase of each replacement, in percent (nodes require at least 10). */
  feeBumpPercent: number;
}

export interface SenderMetrics {
  onSent(): void;
  onReplaced(): void;
}

export class TransactionStuckError extends Error {}

/** `sendCapped`'s simulation failed within its gas limit: nothing was sent. `cause` is the node's answer. */
export class SimulationFailedError extends Error {
  constructor(
    readonly gasLimit: bigint,
    cause: unknown,
  ) {
    super(`the call fails when simulated with ${gasLimit} gas`, { cause });
  }
}

/** Every nonce the sender took was taken by another sender of the same account meanwhile: nothing was sent. */
export class NonceContentionError extends Error {}

/** A call that does the same work for each of `items` items (bookings): its gas grows with their number. */
export interface Batch {
  kind: string;
  items: number;
  /**
   * The call skips the items it cannot do rather than revert (a settlement, a distribution): a batch of a proven kind
   * may go out without a simulation (see `proven`). A call that reverts on a bad item (a refund) is always simulated.
   */
  skipsBadItems?: boolean;
}

/**
 * Headroom over the gas a batch's last estimate or receipt implies: batches differ (referral levels, payment
 * tokens), calls need more gas than they use (63/64 of it is all a call passes on), and small batches pay the
 * transaction's base cost over fewer items.
 */
const GAS_HEADROOM_PERCENT = 30n;
const GAS_HEADROOM_BASE = 50_000n;
/**
 * The most gas a transaction may have: EIP-7825's cap (2^24), on every chain since Osaka; an older chain's blocks hold
 * more, so it is a safe bound there too. A limit above it makes the node refuse the call outright.
 */
const MAX_TRANSACTION_GAS = 2n ** 24n;
/** Headroom over a fresh estimate. */
const ESTIMATE_HEADROOM_PERCENT = 20n;
/**
 * How long the fees and the account's nonce read for one transaction serve the next ones: a transaction that follows
 * within it (a settlement's distribution, say) goes out without a round trip first. Within a second the chain is at
 * most a block further on the chains this runs on, a base fee rise the fees' headroom covers; a nonce another sender
 * took meanwhile is refused, and read again.
 */
const READ_FRESH_MS = 1_000;
/** Fresh nonces a send tries when another sender of the same account (another process) took the one it had. */
const NONCE_ATTEMPTS = 6;

export class TxSender {
  private nextNonce: number | undefined;
  /**
   * Gas per item of each kind of batch, by size class (⌊log2 items⌋): the most any mined transaction of that kind and
   * class took. A batch spreads a fixed cost over its items, so one of a single item costs far more per item than one
   * of a hundred: each size is sized from batches about as big.
   */
  private readonly gasPerItem = new Map<string, Map<number, bigint>>();
  /**
   * Kinds of batch whose last transaction succeeded. The next of such a kind goes out without a simulation (one
   * execution of the whole batch less on the node, and one round trip less) when its size class is known and its
   * call skips what cannot be done rather than revert (`Batch.skipsBadItems`), so what the simulation would catch is
   * rare (a pause, a revoked role, a batch far costlier than any of its size). Should one revert all the same, it
   * costs that transaction's gas, and the kind is simulated again until one succeeds.
   */
  private readonly proven = new Set<string>();
  /** Transactions sent and not yet settled (mined, or given up). */
  private inFlight = 0;
  /** Transactions broadcast so far: tells whether a nonce read before a broadcast of ours may be stale. */
  private broadcasts = 0;
  private lock: Promise<unknown> = Promise.resolve();
  /** The fees last read from the node, with the account's nonce, and when (performance.now()). */
  private lastRead: { at: number; fees: Fees } | undefined;

  constructor(
    private readonly wallet: WalletClient<Transport, Chain, LocalAccount>,
    private readonly client: PublicClient<Transport, Chain>,
    private readonly options: SenderOptions,
    private readonly logger: Logger,
    private readonly metrics?: SenderMetrics,
  ) {}

  get address() {
    return this.wallet.account.address;
  }

  /**
   * Sends `data` to `to`, and waits until it is mined. Its gas limit is found by simulating the call first (see
   * `gasLimit`), so a call that would revert fails here, with the contract's reason, before any nonce is used; but for
   * a batch of a kind whose last transaction succeeded (see `proven`).
   */
  async send(
    to: Hex,
    data: Hex,
    onBroadcast?: (hash: Hex) => Promise<void>,
    batch?: Batch,
  ): Promise<TransactionReceipt> {
    try {
      return await this.sendWithGas(to, data, this.gasLimit(to, data, batch), onBroadcast, batch);
    } catch (error) {
      // Refused by the node (a limit below what its calldata alone costs, say) or lost: simulated again next time.
      if (batch) this.proven.delete(batch.kind);
      throw error;
    }
  }

  /**
   * Like `send`, for a call whose cost cannot be trusted (it runs someone else's contract, e.g. a wallet's ERC-1271
   * check): no estimate, whose binary search would run that code a dozen times with up to a block's gas; one
   * simulation with `gasCap` gas instead, a `SimulationFailedError` before any nonce is used when it fails within
   * that, and `gasCap` as the transaction's gas limit, so it never spends more whatever it meets once mined. The
   * simulation runs without CCIP-Read: a contract cannot make this process fetch a URL of its choosing.
   */
  async sendCapped(
    to: Hex,
    data: Hex,
    gasCap: bigint,
    onBroadcast?: (hash: Hex) => Promise<void>,
  ): Promise<TransactionReceipt> {
    const simulated = call({ ...this.client, ccipRead: false }, { account: this.wallet.account, to, data, gas: gasCap })
      .then(() => gasCap)
      .catch((error: unknown) => Promise.reject(new SimulationFailedError(gasCap, error)));
    return this.sendWithGas(to, data, simulated, onBroadcast);
  }

  private async sendWithGas(
    to: Hex,
    data: Hex,
    gasLimit: Promise<bigint>,
    onBroadcast?: (hash: Hex) => Promise<void>,
    batch?: Batch,
  ): Promise<TransactionReceipt> {
    // Asked together, these go to the node as one JSON-RPC batch: one round trip. The account's nonce is read with
    // them, for the case that nothing is in flight by the time this transaction takes its nonce. Read moments ago,
    // they are not read again (see READ_FRESH_MS).
    const broadcastsBefore = this.broadcasts;
    const recent =
      this.lastRead && performance.now() - this.lastRead.at < READ_FRESH_MS && this.nextNonce !== undefined
        ? this.lastRead
        : undefined;
    const [gas, fees, pendingNonce] = await Promise.all([
      gasLimit,
      recent?.fees ?? this.fees(),
      recent ? undefined : this.pendingNonce(),
    ]);
    if (!recent) this.lastRead = { at: performance.now(), fees };
    const {
      nonce,
      hash,
      receipt: early,
    } = await this.exclusive(async () => {
      let readBefore = broadcastsBefore === this.broadcasts ? pendingNonce : undefined;
      for (let attempt = 1; ; attempt++) {
        const nonce = await this.takeNonce(readBefore, recent !== undefined);
        try {
          const { hash, receipt } = await this.broadcast({ to, data, gas, nonce, ...fees });
          this.inFlight++;
          this.broadcasts++;
          return { nonce, hash, receipt };
        } catch (error) {
          // It never reached the node (`broadcast` checks): the nonce is free again, and a nonce read before this
          // attempt is no longer to be trusted.
          this.nextNonce = undefined;
          this.broadcasts++;
          if (!isNonceClash(error)) throw error;
          // Another sender of this account (another process) took the nonce: read the account again and retry.
          if (attempt >= NONCE_ATTEMPTS) {
            throw new NonceContentionError(`${attempt} nonces in a row were taken by another sender`, { cause: error });
          }
          this.logger.info({ nonce, attempt }, "nonce taken by another sender of the account: reading it again");
          readBefore = undefined;
        }
      }
    });
    try {
      this.metrics?.onSent();
      // Recorded while the receipt is awaited: a crash before either only means sending again what the chain skips.
      const recorded = Promise.resolve(onBroadcast?.(hash));
      const [receipt] = await Promise.all([
        this.mined({ to, data, gas, nonce }, fees, hash, early, batch, async (replaced) => {
          await recorded;
          await onBroadcast?.(replaced);
        }),
        recorded,
      ]);
      return receipt;
    } finally {
      this.inFlight--;
    }
  }

  /**
   * Waits for `hash` to be mined; a version not mined in time is replaced (same nonce, higher fees, announced to
   * `onReplaced`), and whichever version is mined first is the answer.
   */
  private async mined(
    tx: { to: Hex; data: Hex; gas: bigint; nonce: number },
    initialFees: Fees,
    hash: Hex,
    /** The receipt asked for with the transaction itself (there when the chain mined it on arrival). */
    early: Promise<TransactionReceipt | undefined>,
    batch: Batch | undefined,
    onReplaced: (hash: Hex) => Promise<void>,
  ): Promise<TransactionReceipt> {
    const { nonce } = tx;
    let fees = initialFees;
    const sent: Hex[] = [hash];
    for (let replacement = 0; ; replacement++) {
      try {
        // Mined already (a chain that mines on arrival): answered with the transaction, or by one request; otherwise
        // wait for it.
        const receipt =
          (replacement === 0
            ? ((await early) ?? (await this.client.getTransactionReceipt({ hash }).catch(() => undefined)))
            : undefined) ??
          (await this.client.waitForTransactionReceipt({
            hash: sent.at(-1)!,
            timeout: this.options.receiptTimeoutMs,
          }));
        if (batch && receipt.status === "success") {
          this.learn(batch, receipt.gasUsed);
          this.proven.add(batch.kind);
        } else if (batch) {
          this.proven.delete(batch.kind);
        }
        return receipt;
      } catch (error) {
        if (!(error instanceof WaitForTransactionReceiptTimeoutError)) throw error;
      }
      // An earlier version may have been mined meanwhile.
      for (const earlier of sent) {
        const receipt = await this.client.getTransactionReceipt({ hash: earlier }).catch(() => undefined);
        if (receipt) return receipt;
      }
      if (replacement >= this.options.maxReplacements) {
        throw new TransactionStuckError(
          `transaction ${sent.at(-1)} (nonce ${nonce}) not mined after ${replacement} replacements`,
        );
      }
      fees = bump(fees, this.options.feeBumpPercent);
      try {
        const { hash: replaced } = await this.broadcast({ ...tx, ...fees });
        sent.push(replaced);
        this.metrics?.onReplaced();
        this.logger.warn({ nonce, previous: sent.at(-2), replacement: replaced, fees }, "replaced a stuck transaction");
        await onReplaced(replaced);
      } catch (error) {
        // "nonce too low": one of the versions was mined between our checks; the next round finds its receipt.
        if (!/nonce/i.test(error instanceof BaseError ? error.shortMessage : String(error))) throw error;
      }
    }
  }

  /**
   * Signs here and sends the raw transaction, and asks for its receipt in the same request to the node (a JSON-RPC
   * batch, answered in order): a chain that mines on arrival has it already. The receipt is undefined otherwise.
   */
  private async broadcast(
    tx: { to: Hex; data: Hex; gas: bigint; nonce: number } & Fees,
  ): Promise<{ hash: Hex; receipt: Promise<TransactionReceipt | undefined> }> {
    const serializedTransaction = await this.wallet.account.signTransaction({
      ...tx,
      type: "eip1559",
      chainId: this.wallet.chain.id,
    });
    const hash = keccak256(serializedTransaction);
    // Both asked in the same tick, the send first: the transport sends them as one batch, in this order.
    const sending = this.client.sendRawTransaction({ serializedTransaction });
    const receipt = this.client.getTransactionReceipt({ hash }).catch(() => undefined);
    try {
      return { hash: await sending, receipt };
    } catch (error) {
      // An error does not always mean the node refused it: a node that mines on arrival may answer a transaction that
      // reverted with an error (its nonce used all the same), and a nonce error may be about this very transaction
      // (an earlier try of this request whose answer was lost). If the node has it, it was sent: its receipt tells
      // how it went, and sending it again under another nonce would send it twice.
      if (await this.client.getTransaction({ hash }).catch(() => undefined)) return { hash, receipt };
      throw error;
    }
  }

  /**
   * The fees of viem's `estimateFeesPerGas` (the latest base fee with its chain's headroom, plus the node's priority
   * fee), with the block and the priority fee read in one round trip rather than one after the other. A chain with
   * its own fee logic gets viem's estimate as it is.
   */
  private async fees(): Promise<Fees> {
    const { chain } = this.client;
    const multiplier = chain.fees?.baseFeeMultiplier ?? 1.2;
    if (typeof multiplier !== "number" || chain.fees?.estimateFeesPerGas || chain.fees?.maxPriorityFeePerGas) {
      return this.client.estimateFeesPerGas();
    }
    const [block, maxPriorityFeePerGas] = await Promise.all([
      this.client.getBlock({ blockTag: "latest" }),
      this.client.estimateMaxPriorityFeePerGas(),
    ]);
    if (block.baseFeePerGas === null) return this.client.estimateFeesPerGas();
    const scale = 1_000n;
    const baseFee = (block.baseFeePerGas * BigInt(Math.round(multiplier * Number(scale)))) / scale;
    return { maxFeePerGas: baseFee + maxPriorityFeePerGas, maxPriorityFeePerGas };
  }

  /**
   * A gas limit the call is shown to succeed with, and then some. `eth_estimateGas` finds the least such limit by a
   * binary search, a dozen executions of the call on some nodes (Hardhat's among them); for a batch of a kind already
   * estimated, the limit the gas per item of its size implies, with headroom, is checked by one simulation instead
   * (none for a proven kind, see `proven`), and estimated afresh only when that fails. Gas is paid as used, so the
   * headroom costs nothing.
   */
  private async gasLimit(to: Hex, data: Hex, batch?: Batch): Promise<bigint> {
    const account = this.wallet.account;
    const perItem = batch && this.perItem(batch);
    if (batch && perItem) {
      const implied = (perItem * BigInt(batch.items) * (100n + GAS_HEADROOM_PERCENT)) / 100n + GAS_HEADROOM_BASE;
      const gas = min(implied, MAX_TRANSACTION_GAS);
      // Cut to the cap, the limit may be short: that is checked.
      if (batch.skipsBadItems && this.proven.has(batch.kind) && gas === implied) return gas;
      try {
        await this.client.call({ account, to, data, gas });
        return gas;
      } catch {
        // Not enough, or the call fails: the estimate says which, with the contract's reason.
      }
    }
    const estimate = await this.client.estimateGas({ account, to, data });
    // The least limit that works now may fall short once other transactions (the keeper's own, running alongside)
    // have changed the state the call reads by the time it is mined.
    return min((estimate * (100n + ESTIMATE_HEADROOM_PERCENT)) / 100n, MAX_TRANSACTION_GAS);
  }

  /**
   * Remembers the most gas per item (rounded up) a batch of its kind and size class took: items differ (a booking
   * with two new referrers mints to three fresh balances), and a limit sized from the cheapest batch would run a
   * costlier one out of gas. Gas is paid as used, so a generous limit costs nothing.
   */
  private learn(batch: Batch, gas: bigint) {
    const items = BigInt(batch.items);
    const perItem = (gas + items - 1n) / items;
    const classes = this.gasPerItem.get(batch.kind) ?? new Map<number, bigint>();
    const size = sizeClass(batch.items);
    classes.set(size, max(perItem, classes.get(size) ?? 0n));
    this.gasPerItem.set(batch.kind, classes);
  }

  /**
   * The gas per item to size `batch` with: from its own size class, else from the nearest smaller one (fewer items
   * carry more of the fixed cost each: an upper bound), else from the nearest bigger one (the simulation checks it).
   */
  private perItem(batch: Batch): bigint | undefined {
    const classes = this.gasPerItem.get(batch.kind);
    if (!classes) return undefined;
    const size = sizeClass(batch.items);
    const known = [...classes.keys()].sort((a, b) => a - b);
    const nearest = known.filter((c) => c <= size).at(-1) ?? known.find((c) => c > size);
    return nearest === undefined ? undefined : classes.get(nearest);
  }

  /**
   * The next nonce. With nothing in flight it is read from the node again (`pendingNonce`: read just before, with
   * no broadcast of this sender since), so the sender follows the chain when another process used the account or a
   * reorg dropped its transactions; but for a transaction that follows the last read closely (`followsRead`).
   */
  private async takeNonce(pendingNonce: number | undefined, followsRead: boolean): Promise<number> {
    if (this.nextNonce === undefined || (this.inFlight === 0 && !followsRead)) {
      this.nextNonce = pendingNonce ?? (await this.pendingNonce());
    }
    return this.nextNonce++;
  }

  private pendingNonce(): Promise<number> {
    return this.client.getTransactionCount({ address: this.address, blockTag: "pending" });
  }

  /** Runs `task` alone: nonces are taken and transactions broadcast one at a time, in nonce order. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.lock.then(task, task);
    this.lock = run.catch(() => undefined);
    return run;
  }
}

type Fees = { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint };

/**
 * The node refused a transaction for its nonce: used already ("nonce too low", EDR's "lower than the current nonce"),
 * or held by another transaction in its pool ("already known", "replacement transaction underpriced").
 */
function isNonceClash(error: unknown): boolean {
  const text = error instanceof BaseError ? `${error.shortMessage} ${error.details}` : String(error);
  return /nonce|already known|replacement transaction underpriced/i.test(text);
}

const max = (a: bigint, b: bigint) => (a > b ? a : b);
const min = (a: bigint, b: bigint) => (a < b ? a : b);
/** Batches of 1, 2–3, 4–7, 8–15, … items share a class. */
const sizeClass = (items: number) => Math.floor(Math.log2(Math.max(1, items)));

function bump(fees: Fees, percent: number): Fees {
  const up = (value: bigint) => (value * BigInt(100 + percent) + 99n) / 100n;
  return { maxFeePerGas: up(fees.maxFeePerGas), maxPriorityFeePerGas: up(fees.maxPriorityFeePerGas) };
}
