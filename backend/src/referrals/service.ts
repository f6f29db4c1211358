import { referralRegistryAbi, registrationDomain, registrationTypes } from "@trvl/abi";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { BaseError, ContractFunctionRevertedError, zeroAddress, type Address, type Hex } from "viem";

import { chainRead, chainTime, requireContract, type ChainContext } from "../chain/index.js";
import { schema, type Db } from "../db/index.js";
import { ApiError } from "../http/errors.js";

export interface ReferralDeps {
  db: Db;
  chain: ChainContext;
}

const MAX_LISTED = 500;

/** Own referrer (on-chain, always fresh), referee counts (on-chain), referees and earnings (from the listener's rows). */
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
    registeredAt: row.blockTime,
    txHash: row.txHash,
    earned: perReferee
      .filter((entry) => entry.referee === row.user)
      .reduce((sum, entry) => sum + BigInt(entry.total ?? "0"), 0n),
  });
  return {
    referrer: level1 === zeroAddress ? null : level1,
    referrerOfReferrer: level2 === zeroAddress ? null : level2,
    counts: { level1: direct, level2: indirect },
    level1: referees
      .filter((row) => row.referrer === user)
      .slice(0, MAX_LISTED)
      .map(refereeOut),
    level2: referees
      .filter((row) => row.level2 === user)
      .slice(0, MAX_LISTED)
      .map(refereeOut),
    earnings: { level1: earned("referrer_l1"), level2: earned("referrer_l2") },
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
 * Relays a user's signed registration (`registerWithSig`) with the relayer key, so the user pays no gas. The call
 * is simulated first: a registration the contract would refuse costs nothing and comes back as a 4xx naming why.
 */
export async function relayRegistration(
  { chain }: ReferralDeps,
  input: { user: Address; referrer: Address; deadline: bigint; signature: Hex },
) {
  const relayer = chain.relayer;
  if (!relayer) throw new ApiError(503, "relayer_not_configured", "Gasless referrals are not enabled on this API");
  const registry = requireContract(chain, "ReferralRegistry");
  let request;
  try {
    ({ request } = await chain.client.simulateContract({
      account: relayer.account,
      address: registry,
      abi: referralRegistryAbi,
      functionName: "registerWithSig",
      args: [input.user, input.referrer, input.deadline, input.signature],
    }));
  } catch (error) {
    const reverted =
      error instanceof BaseError ? error.walk((cause) => cause instanceof ContractFunctionRevertedError) : null;
    const name = reverted instanceof ContractFunctionRevertedError ? reverted.data?.errorName : undefined;
    if (name && REVERT_STATUS[name]) {
      const [status, code] = REVERT_STATUS[name];
      throw new ApiError(status as 409 | 422, code, `The registry refuses this registration (${name})`);
    }
    if (reverted) throw new ApiError(422, "registration_rejected", "The registry refuses this registration");
    return chainRead(() => Promise.reject(error));
  }
  const txHash = await chainRead(() => relayer.writeContract(request));
  return { txHash };
}
