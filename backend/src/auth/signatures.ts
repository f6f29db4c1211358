/**
 * Sign-in signatures at a bounded cost. An EOA's signature is checked here, by recovery, without the chain. A
 * smart-contract wallet's (ERC-1271, or ERC-6492 for one not deployed yet) can only be checked by running the wallet's
 * code, which its owner chose: that runs as one eth_call with a gas cap and a time limit, only so many run at once
 * (one by default: the checks wait their turn in a short line, so that a node which runs calls one after another never
 * holds more than one of them ahead of other requests' reads), each IP holds only so many places (running or waiting),
 * and each IP may start only so many per rate-limit window (a budget that, with REDIS_URL, holds across API instances).
 */
import {
  BaseError,
  CallExecutionError,
  encodeDeployData,
  erc6492SignatureValidatorAbi,
  erc6492SignatureValidatorByteCode,
  hexToBool,
  HttpRequestError,
  isAddressEqual,
  isErc6492Signature,
  recoverAddress,
  TimeoutError,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type Transport,
} from "viem";
import { call } from "viem/actions";

import { chainRead } from "../chain/index.js";
import type { Budget } from "../http/budget.js";
import { ApiError } from "../http/errors.js";
import { WorkLimiter, type Release } from "../http/work-limit.js";

export interface SignedHash {
  address: Address;
  hash: Hex;
  signature: Hex;
}

/** True when `signature` is `address`'s own ECDSA signature of `hash`. */
export async function signedByKey({ address, hash, signature }: SignedHash): Promise<boolean> {
  try {
    return isAddressEqual(await recoverAddress({ hash, signature }), address);
  } catch {
    return false;
  }
}

/** Whether only the chain can tell: the signature deploys a wallet (ERC-6492), or `address` holds code. */
export async function needsContractCheck(client: PublicClient<Transport, Chain>, signed: SignedHash) {
  if (isErc6492Signature(signed.signature)) return true;
  const code = await chainRead(() => client.getCode({ address: signed.address }));
  return code !== undefined && code !== "0x";
}

export interface ContractCheckLimits {
  gasLimit: bigint;
  timeoutMs: number;
  /** Checks one IP may hold, running or waiting. */
  perIp: number;
  /** Checks that run on the node at once, and checks that may wait for their turn. */
  total: number;
  queue: number;
  /** Spends one of the checks an IP may start per window (a 429 when none is left). */
  budget: Budget;
}

/** The checks of contract wallets' signatures one API instance runs, and those waiting for their turn. */
export class ContractSignatureChecks {
  private readonly slots: WorkLimiter;

  constructor(
    private readonly client: PublicClient<Transport, Chain>,
    private readonly limits: ContractCheckLimits,
  ) {
    this.slots = new WorkLimiter({
      what: "smart-wallet sign-ins",
      concurrency: limits.total,
      queue: limits.queue,
      perClient: limits.perIp,
    });
  }

  /**
   * Checks a contract wallet's signature on the chain once its turn comes (a 429 at once when `ip` already holds its
   * share, a 503 when the line is full or the turn does not come within the time limit; the caller may come back).
   * `admitted` runs once the check is sure to run, before it does (the sign-in spends its nonce there). A check that
   * would start past the IP's budget for the window is refused with a 429 instead, before the chain does anything.
   * The ERC-6492 validator, deployless, covers deployed wallets (ERC-1271) and counterfactual ones alike; CCIP-Read
   * is off, so a wallet cannot make the API fetch a URL. The slot stays taken until the node answers, even when the
   * caller stopped waiting at the time limit: the bound is on the node's work. A check still waiting when `signal`
   * aborts (its client has gone) leaves the line.
   */
  async verify(ip: string, signed: SignedHash, admitted: () => Promise<void>, signal?: AbortSignal): Promise<boolean> {
    const deadline = performance.now() + this.limits.timeoutMs;
    const release = await this.admit(ip, signal);
    let answer: Promise<Hex | undefined>;
    try {
      await this.limits.budget(ip);
      await admitted();
      answer = call(
        { ...this.client, ccipRead: false },
        {
          data: encodeDeployData({
            abi: erc6492SignatureValidatorAbi,
            args: [signed.address, signed.hash, signed.signature],
            bytecode: erc6492SignatureValidatorByteCode,
          }),
          gas: this.limits.gasLimit,
        },
      ).then(({ data }) => data);
    } catch (error) {
      release();
      throw error;
    }
    answer.then(release, release);
    let data: Hex | undefined;
    try {
      data = await withTimeout(answer, Math.max(0, deadline - performance.now()));
    } catch (error) {
      if (error === TIMED_OUT) {
        throw new ApiError(
          503,
          "siwe_contract_check_timeout",
          `The wallet's signature check did not finish within ${this.limits.timeoutMs} ms`,
          null,
          this.retryAfter(),
        );
      }
      const unreachable =
        error instanceof BaseError &&
        error.walk((cause) => cause instanceof HttpRequestError || cause instanceof TimeoutError);
      // Reverted, or ran out of its gas: the wallet does not vouch for the signature.
      if (error instanceof CallExecutionError && !unreachable) return false;
      return chainRead(() => Promise.reject(error));
    }
    return hexToBool(data ?? "0x0");
  }

  private retryAfter() {
    return { "Retry-After": String(Math.max(1, Math.ceil(this.limits.timeoutMs / 1000))) };
  }

  /** A turn on the node for `ip`'s check, or the refusal that says why not (the nonce is still unspent). */
  private async admit(ip: string, signal?: AbortSignal): Promise<Release> {
    const timeout = AbortSignal.timeout(this.limits.timeoutMs);
    try {
      return await this.slots.acquire([ip], signal ? AbortSignal.any([timeout, signal]) : timeout);
    } catch (error) {
      // Gone: nobody reads the answer.
      if (!(error instanceof ApiError) || signal?.aborted) throw error;
      const retryAfter = this.retryAfter();
      if (error.status === 429)
        throw new ApiError(
          429,
          "siwe_contract_checks_busy",
          `Smart-wallet sign-ins from this address are limited to ${this.limits.perIp} at a time; try again shortly`,
          { limit: this.limits.perIp },
          retryAfter,
        );
      if (error.code === "server_busy")
        throw new ApiError(
          503,
          "siwe_contract_checks_full",
          "The API is checking as many smart-wallet signatures as it can; try again shortly",
          { limit: this.limits.total + this.limits.queue },
          retryAfter,
        );
      throw new ApiError(
        503,
        "siwe_contract_check_timeout",
        `The wallet's signature check did not start within ${this.limits.timeoutMs} ms: other checks were ahead of it`,
        null,
        retryAfter,
      );
    }
  }
}

const TIMED_OUT = Symbol("timed out");

/** `promise`, or a rejection with TIMED_OUT after `ms` (the work itself goes on). */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(TIMED_OUT), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
