/**
 * Sends the keeper's transactions from one account without nonce collisions: nonces are handed out in order under a
 * lock, so concurrent jobs may have several transactions in flight; a transaction not mined in time is replaced
 * (same nonce) with higher fees, up to a limit.
 */
import type { Logger } from "pino";
import {
  BaseError,
  WaitForTransactionReceiptTimeoutError,
  type Chain,
  type Hex,
  type LocalAccount,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from "viem";

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

export class TxSender {
  private nextNonce: number | undefined;
  /** Transactions sent and not yet settled (mined, or given up). */
  private inFlight = 0;
  private lock: Promise<unknown> = Promise.resolve();

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
   * Sends `data` to `to`, and waits until it is mined. Gas is estimated first, so a call that would revert fails
   * here, with the contract's reason, before any nonce is used.
   */
  async send(to: Hex, data: Hex, onBroadcast?: (hash: Hex) => Promise<void>): Promise<TransactionReceipt> {
    const account = this.wallet.account;
    const gas = await this.client.estimateGas({ account, to, data });
    let fees = await this.client.estimateFeesPerGas();
    const { nonce, hash } = await this.exclusive(async () => {
      const nonce = await this.takeNonce();
      try {
        const hash = await this.wallet.sendTransaction({ to, data, gas, nonce, ...fees });
        this.inFlight++;
        return { nonce, hash };
      } catch (error) {
        // It never reached the node: the nonce is free again.
        this.nextNonce = undefined;
        throw error;
      }
    });
    try {
      this.metrics?.onSent();
      await onBroadcast?.(hash);
      const sent: Hex[] = [hash];
      for (let replacement = 0; ; replacement++) {
        try {
          return await this.client.waitForTransactionReceipt({
            hash: sent.at(-1)!,
            timeout: this.options.receiptTimeoutMs,
          });
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
          const replaced = await this.wallet.sendTransaction({ to, data, gas, nonce, ...fees });
          sent.push(replaced);
          this.metrics?.onReplaced();
          this.logger.warn(
            { nonce, previous: sent.at(-2), replacement: replaced, fees },
            "replaced a stuck transaction",
          );
          await onBroadcast?.(replaced);
        } catch (error) {
          // "nonce too low": one of the versions was mined between our checks; the next round finds its receipt.
          if (!/nonce/i.test(error instanceof BaseError ? error.shortMessage : String(error))) throw error;
        }
      }
    } finally {
      this.inFlight--;
    }
  }

  /**
   * The next nonce. With nothing in flight it is read from the node again, so the sender follows the chain when
   * another process used the account or a reorg dropped its transactions.
   */
  private async takeNonce(): Promise<number> {
    if (this.inFlight === 0 || this.nextNonce === undefined) {
      this.nextNonce = await this.client.getTransactionCount({ address: this.address, blockTag: "pending" });
    }
    return this.nextNonce++;
  }

  /** Runs `task` alone: nonces are taken and transactions broadcast one at a time, in nonce order. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.lock.then(task, task);
    this.lock = run.catch(() => undefined);
    return run;
  }
}

type Fees = { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint };

function bump(fees: Fees, percent: number): Fees {
  const up = (value: bigint) => (value * BigInt(100 + percent) + 99n) / 100n;
  return { maxFeePerGas: up(fees.maxFeePerGas), maxPriorityFeePerGas: up(fees.maxPriorityFeePerGas) };
}
