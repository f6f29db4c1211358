import { referralRegistryAbi, registrationDomain, registrationTypes } from "@trvl/abi";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Logger } from "pino";
import {
  BaseError,
  ContractFunctionRevertedError,
  encodeFunctionData,
  getContractError,
  HttpRequestError,
  InsufficientFundsError,
  TimeoutError,
  zeroAddress,
  type Address,
  type Hex,
} from "viem";

import { chainRead, chainTime, requireContract, type ChainContext } from "../chain/index.js";
import type { Clock } from "../clock.js";
import type { Config } from "../config/index.js";
import { schema, type Db } from "../db/index.js";
import { ApiError } from "../http/errors.js";
import { NonceContentionError, SimulationFailedError, TxSender } from "../keeper/sender.js";
import { cancelReservation, recordBroadcast, recordRefusal, reserveRelay } from "./budget.js";
import { requireRelayEligible } from "./eligibility.js";

export interface ReferralDeps {
  db: Db;
  chain: ChainContext;
  config: Config;
  logger: Logger;
  now: Clock;
}

const MAX_LISTED = 500;

/**
 * Own referrer (on-chain, always fresh), referee counts (on-chain), referees and earnings (from the listener's rows),
 * as the API serves them: amounts as decimal strings, times as ISO strings.
 */
export async function referralOverview({ db, chain }: ReferralDeps, user: Address) {
  const registry = requireContract(chain, "ReferralRegistry");
  const [[level1, level2], [direct, indirect]] = await chainRead(() =>
    chain.client.multicall({
      ...chain.multicallOptions,
      allowFailure: false,
      contracts: [
        { address: registry, abi: referralRegistryAbi, functionName: "uplines", args: [user] },
        { address: registry, abi: referralRegistryAbi, functionName: "refereeCounts", args: [user] },
      ],
    }),
  );
  const chainId = chain.chain.id;
  const referees = await db
    .select()
    .from(schema.referrals)
    .where(
      and(
        eq(schema.referrals.chainId, chainId),
        sql`(${schema.referrals.referrer} = ${user} or ${schema.referrals.level2} = ${user})`,
      ),
    )
    .orderBy(asc(schema.referrals.blockNumber))
    .limit(MAX_LISTED * 2);
  const earnings = await db
    .select({ role: schema.rewards.role, total: sql<string>`sum(${schema.rewards.amount})::text` })
    .from(schema.rewards)
    .where(
      and(
        eq(schema.rewards.chainId, chainId),
        eq(schema.rewards.recipient, user),
        inArray(schema.rewards.role, ["referrer_l1", "referrer_l2"]),
      ),
    )
    .groupBy(schema.rewards.role);
  const earned = (role: string) => BigInt(earnings.find((row) => row.role === role)?.total ?? "0");
  const perReferee = referees.length
    ? await db
        .select({
          referee: schema.referrals.user,
          role: schema.rewards.role,
          total: sql<string>`sum(${schema.rewards.amount})::text`,
        })
        .from(schema.rewards)
        .innerJoin(
          schema.referrals,
          and(
            eq(schema.referrals.chainId, schema.rewards.chainId),
            sql`${schema.referrals.user} = (select traveller from ${schema.bookings} where ${schema.bookings.id} = ${schema.rewards.bookingId})`,
          ),
        )
        .where(
          and(
            eq(schema.rewards.chainId, chainId),
            eq(schema.rewards.recipient, user),
            inArray(schema.rewards.role, ["referrer_l1", "referrer_l2"]),
          ),
        )
        .groupBy(schema.referrals.user, schema.rewards.role)
    : [];
  const refereeOut = (row: (typeof referees)[number]) => ({
    address: row.user as Address,
    referredBy: row.referrer as Address,
    registeredAt: row.blockTime.toISOString(),
    txHash: row.txHash,
    earned: perReferee
      .filter((entry) => entry.referee === row.user)
      .reduce((sum, entry) => sum + BigInt(entry.total ?? "0"), 0n)
      .toString(),
  });
  const [fromLevel1, fromLevel2] = [earned("referrer_l1"), earned("referrer_l2")];
  return {
    referrer: level1 === zeroAddress ? null : level1,
    referrerOfReferrer: level2 === zeroAddress ? null : level2,
    counts: { level1: direct.toString(), level2: indirect.toString() },
    level1: referees
      .filter((row) => row.referrer === user)
      .slice(0, MAX_LISTED)
      .map(refereeOut),
    level2: referees
      .filter((row) => row.level2 === user)
      .slice(0, MAX_LISTED)
      .map(refereeOut),
    earnings: {
      level1: fromLevel1.toString(),
      level2: fromLevel2.toString(),
      total: (fromLevel1 + fromLevel2).toString(),
    },
  };
}

/** The EIP-712 Registration a user signs so that the relayer can register their referrer for them. */
export async function registrationRequest({ chain }: ReferralDeps, user: Address, referrer: Address) {
  const registry = requireContract(chain, "ReferralRegistry");
  const [nonce, chainNow] = await Promise.all([
    chainRead(() =>
      chain.client.readContract({ address: registry, abi: referralRegistryAbi, functionName: "nonces", args: [user] }),
    ),
    chainTime(chain),
  ]);
  // The registry checks the deadline against block.timestamp: an hour of the chain's time.
  const deadline = chainNow + 3600n;
  return {
    domain: { ...registrationDomain(chain.chain.id, registry), chainId: chain.chain.id },
    types: registrationTypes,
    primaryType: "Registration" as const,
    message: { user, referrer, nonce: nonce.toString(), deadline: deadline.toString() },
  };
}

const REVERT_STATUS: Record<string, [number, string]> = {
  ReferralAlreadyRegistered: [409, "already_registered"],
  ReferralCycle: [409, "referral_cycle"],
  ReferralSelf: [422, "self_referral"],
  ReferralZeroAddress: [422, "zero_address"],
  ReferralSignatureExpired: [422, "signature_expired"],
  ReferralInvalidSignature: [422, "invalid_signature"],
};

/**
 * The relayer's one sender (one per API instance): it hands out the relayer account's nonces in order, so concurrent
 * relays never take the same one, takes a fresh one when another instance took it, and replaces a stuck transaction
 * with higher fees (the keeper's settings). Undefined without a relayer key.
 */
export function createRelayer({ chain, config, logger }: ReferralDeps): TxSender | undefined {
  if (!chain.relayer) return undefined;
  return new TxSender(
    chain.relayer,
    chain.client,
    {
      receiptTimeoutMs: config.KEEPER_RECEIPT_TIMEOUT_MS,
      maxReplacements: config.KEEPER_MAX_REPLACEMENTS,
      feeBumpPercent: config.KEEPER_FEE_BUMP_PERCENT,
    },
    logger.child({ component: "relayer" }),
  );
}

/**
 * Relays a user's signed registration (`registerWithSig`) with the relayer key, so the user pays no gas: for accounts
 * that pass the eligibility check, within the daily budgets, and with RELAY_GAS_LIMIT gas. The call is simulated with
 * that gas first: a registration the contract would refuse, or whose signature check (a contract wallet's code) needs
 * more, costs nothing and comes back as a 4xx naming why. Answers once the transaction is out; the sender watches it
 * after that.
 */
export async function relayRegistration(
  deps: ReferralDeps,
  relayer: TxSender | undefined,
  input: { user: Address; referrer: Address; deadline: bigint; signature: Hex },
) {
  const { db, chain, config, logger, now } = deps;
  if (!relayer) throw new ApiError(503, "relayer_not_configured", "Gasless referrals are not enabled on this API");
  const registry = requireContract(chain, "ReferralRegistry");
  await requireRelayEligible(deps, input.user);
  const reservation = await reserveRelay(deps, {
    chainId: chain.chain.id,
    user: input.user,
    referrer: input.referrer,
    time: now(),
  });
  const args = [input.user, input.referrer, input.deadline, input.signature] as const;
  const data = encodeFunctionData({ abi: referralRegistryAbi, functionName: "registerWithSig", args });
  let sent = false;
  try {
    const txHash = await new Promise<Hex>((resolve, reject) => {
      relayer
        .sendCapped(registry, data, BigInt(config.RELAY_GAS_LIMIT), async (hash) => {
          await recordBroadcast(db, reservation, hash);
          sent = true;
          resolve(hash);
        })
        .then(
          (receipt) => {
            if (receipt.status !== "success") {
              logger.warn({ tx: receipt.transactionHash, user: input.user }, "relayed registration reverted");
            }
          },
          (error: unknown) => {
            if (!sent) return reject(error);
            logger.error({ err: error, user: input.user }, "relayed registration not mined");
          },
        );
    });
    return { txHash };
  } catch (error) {
    if (!sent) {
      // A simulation the node ran and refused was work done for this user: it counts against their attempts.
      if (refusedBySimulation(error)) await recordRefusal(db, reservation);
      else await cancelReservation(db, reservation);
    }
    throw relayError(error, { registry, args: [...args], gasLimit: config.RELAY_GAS_LIMIT });
  }
}

const unreachable = (cause: unknown) =>
  cause instanceof BaseError &&
  cause.walk((inner) => inner instanceof HttpRequestError || inner instanceof TimeoutError);

const refusedBySimulation = (error: unknown): error is SimulationFailedError =>
  error instanceof SimulationFailedError && !unreachable(error.cause);

/** What went wrong with a relay, for the client: never the node's raw text as a "chain outage" when it is not one. */
function relayError(
  error: unknown,
  { registry, args, gasLimit }: { registry: Address; args: unknown[]; gasLimit: number },
): ApiError {
  if (error instanceof ApiError) return error;
  if (refusedBySimulation(error)) {
    const failure = getContractError(error.cause as BaseError, {
      abi: referralRegistryAbi,
      address: registry,
      functionName: "registerWithSig",
      args,
    });
    const reverted = failure.walk((cause) => cause instanceof ContractFunctionRevertedError);
    const name = reverted instanceof ContractFunctionRevertedError ? reverted.data?.errorName : undefined;
    const details = { revert: name ?? null, gasLimit };
    if (name && REVERT_STATUS[name]) {
      const [status, code] = REVERT_STATUS[name];
      return new ApiError(
        status as 409 | 422,
        code,
        `The registry refuses this registration (${name}) when given ${gasLimit} gas`,
        details,
      );
    }
    if (/out of gas/i.test(`${failure.message} ${String(error.cause)}`)) {
      return new ApiError(
        422,
        "relay_gas_limit_exceeded",
        `The registration needs more than the relayer's ${gasLimit} gas`,
        details,
      );
    }
    const reason = reverted instanceof ContractFunctionRevertedError ? (name ?? reverted.reason) : undefined;
    return new ApiError(
      422,
      "registration_rejected",
      `The registry refuses this registration${reason ? ` (${reason})` : ""}`,
      details,
    );
  }
  if (error instanceof NonceContentionError) {
    return new ApiError(503, "relayer_busy", "The relayer's account is busy with other transactions; try again", null, {
      "Retry-After": "1",
    });
  }
  if (error instanceof BaseError && error.walk((cause) => cause instanceof InsufficientFundsError)) {
    return new ApiError(503, "relayer_out_of_funds", "The relayer cannot pay for gas right now");
  }
  const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
  if (unreachable(error instanceof SimulationFailedError ? error.cause : error)) {
    return new ApiError(503, "chain_unavailable", "The chain node did not answer", { reason });
  }
  return new ApiError(502, "relay_failed", "The relayer could not send the registration", { reason });
}
