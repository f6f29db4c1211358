import { randomUUID } from "node:crypto";

import { and, eq, gt, isNull, lt, sql } from "drizzle-orm";
import { sign, verify } from "hono/jwt";
import { getAddress, hashMessage, type Address, type Hex } from "viem";
import { generateSiweNonce, parseSiweMessage } from "viem/siwe";

import type { ChainContext } from "../chain/index.js";
import type { Config } from "../config/index.js";
import { schema, type Db } from "../db/index.js";
import { ApiError } from "../http/errors.js";
import type { SessionUser } from "../http/router.js";
import type { Clock } from "../clock.js";
import { needsContractCheck, signedByKey, type ContractSignatureChecks } from "./signatures.js";

export interface AuthDeps {
  db: Db;
  config: Config;
  chain: ChainContext;
  now: Clock;
}

const reject = (code: string, message: string, details: unknown = null) => new ApiError(401, code, message, details);

/** A single-use nonce for a sign-in message, with what the message must name (domains, chain). */
export async function issueNonce({ db, config, now }: AuthDeps) {
  const issuedAt = now();
  const expiresAt = new Date(issuedAt.getTime() + config.SIWE_NONCE_TTL_SECONDS * 1000);
  const nonce = generateSiweNonce();
  // One statement: the nonces that expired go as the new one is stored.
  const expired = db
    .$with("expired")
    .as(
      db
        .delete(schema.authNonces)
        .where(lt(schema.authNonces.expiresAt, issuedAt))
        .returning({ nonce: schema.authNonces.nonce }),
    );
  await db.with(expired).insert(schema.authNonces).values({ nonce, createdAt: issuedAt, expiresAt });
  return {
    nonce,
    issuedAt: issuedAt.toISOString(),
    expiresAt: expiresAt.toISOString(),
    domains: config.SIWE_DOMAINS,
    chainId: config.CHAIN_ID,
  };
}

/**
 * Checks a Sign-In with Ethereum message (EIP-4361) and its signature, consumes its nonce and opens a session.
 * Each way a message can be refused has its own error code, so the web can tell the user what went wrong.
 *
 * A nonce buys one signature check, whatever its outcome: it is spent before a smart-contract wallet's check runs on
 * the chain (so one nonce cannot replay that work), and by a bad EOA signature too, although recovering one costs
 * nothing: one rule for every wallet, and an honest client loses nothing by it, since the web fetches a fresh nonce
 * after any refusal. Only a check refused before it starts (too many at once) leaves the nonce unspent.
 */
export async function signIn(
  deps: AuthDeps,
  input: { message: string; signature: Hex },
  attempt: { ip: string; contractChecks: ContractSignatureChecks; signal?: AbortSignal },
) {
  const { db, config, chain, now } = deps;
  const time = now();
  let fields: ReturnType<typeof parseSiweMessage>;
  try {
    fields = parseSiweMessage(input.message);
  } catch {
    fields = {};
  }
  const { address, domain, uri, chainId, nonce, version, issuedAt, expirationTime, notBefore } = fields;
  const badDate = [issuedAt, expirationTime, notBefore].some((date) => date && Number.isNaN(date.getTime()));
  if (!address || !domain || !uri || !chainId || !nonce || !issuedAt || badDate || version !== "1") {
    throw reject("siwe_malformed_message", "The message is not a valid EIP-4361 sign-in message");
  }
  if (!config.SIWE_DOMAINS.includes(domain)) {
    throw reject("siwe_domain_mismatch", `The message is for ${domain}, not for this site`, {
      expected: config.SIWE_DOMAINS,
    });
  }
  let uriHost: string | undefined;
  try {
    uriHost = new URL(uri).host;
  } catch {
    uriHost = undefined;
  }
  if (uriHost !== domain) throw reject("siwe_uri_mismatch", `The message's URI ${uri} is not on ${domain}`);
  if (chainId !== config.CHAIN_ID) {
    throw reject(
      "siwe_chain_mismatch",
      `The message is for chain ${chainId}; this API serves chain ${config.CHAIN_ID}`,
      {
        expected: config.CHAIN_ID,
      },
    );
  }
  if (expirationTime && expirationTime.getTime() <= time.getTime()) {
    throw reject("siwe_expired", "The message has expired");
  }
  if (notBefore && notBefore.getTime() > time.getTime()) {
    throw reject("siwe_not_yet_valid", "The message is not valid yet");
  }
  checkIssuedAt(config, issuedAt, time);

  const user = getAddress(address);
  const signed = { address: user, hash: hashMessage(input.message), signature: input.signature };
  const session = { user, time, expiresAt: new Date(time.getTime() + config.SESSION_TTL_SECONDS * 1000) };
  // The common case, a key's own signature, costs one statement: spend the nonce and open the session together.
  if (await signedByKey(signed)) {
    const opened = await openSession(db, session, nonce);
    if (!opened) throw await nonceRefusal(db, nonce, time);
    return sessionToken(config, session, opened);
  }

  const [stored] = await db.select().from(schema.authNonces).where(eq(schema.authNonces.nonce, nonce));
  const refusal = nonceProblem(stored, time);
  if (refusal) throw refusal;
  const spendNonce = () => spend(db, nonce, time);
  let valid: boolean;
  if (await needsContractCheck(chain.client, signed)) {
    valid = await attempt.contractChecks.verify(attempt.ip, signed, spendNonce, attempt.signal);
  } else {
    await spendNonce();
    valid = false;
  }
  if (!valid) throw reject("siwe_bad_signature", "The signature does not match the message's address");
  const opened = await openSession(db, session);
  if (!opened) throw new Error(`no session opened for ${user}`);
  return sessionToken(config, session, opened);
}

interface NewSession {
  user: Address;
  time: Date;
  expiresAt: Date;
}

/**
 * Records the sign-in and opens a session in one statement (so in one round trip, and atomically); with `nonce`, only
 * if that nonce is still open, spending it in the same statement. Resolves with the session's id, or undefined when
 * the nonce was not open.
 */
async function openSession(db: Db, { user, time, expiresAt }: NewSession, nonce?: string) {
  const id = randomUUID();
  const at = time.toISOString();
  const spent = nonce
    ? sql`with spent as (
        update ${schema.authNonces} set used_at = ${at}::timestamptz where ${openNonce(nonce, time)} returning nonce
      ), `
    : sql`with `;
  const result = await db.execute(sql`${spent}signed_in as (
      insert into users (address, last_sign_in_at)
      select ${user}, ${at}::timestamptz ${nonce ? sql`from spent` : sql``}
      on conflict (address) do update set last_sign_in_at = excluded.last_sign_in_at
      returning address
    )
    insert into sessions (id, address, created_at, expires_at)
    select ${id}, address, ${at}::timestamptz, ${expiresAt.toISOString()}::timestamptz from signed_in
    returning id`);
  return (result as unknown as { rows: { id: string }[] }).rows[0]?.id;
}

async function sessionToken(config: Config, { user, time, expiresAt }: NewSession, sessionId: string) {
  const token = await sign(
    {
      sub: user,
      sid: sessionId,
      iat: Math.floor(time.getTime() / 1000),
      exp: Math.floor(expiresAt.getTime() / 1000),
    },
    config.JWT_SECRET,
    "HS256",
  );
  return { address: user, token, expiresAt };
}

/** Why a nonce cannot be spent at `time`, or undefined when it can. */
function nonceProblem(stored: typeof schema.authNonces.$inferSelect | undefined, time: Date) {
  if (!stored) return reject("siwe_nonce_unknown", "The message's nonce was not issued by this API");
  if (stored.usedAt) return reject("siwe_nonce_used", "The message's nonce was already used");
  if (stored.expiresAt.getTime() <= time.getTime()) return reject("siwe_nonce_expired", "The message's nonce expired");
  return undefined;
}

/** The refusal for a nonce that could not be spent: unknown, used or expired. */
async function nonceRefusal(db: Db, nonce: string, time: Date) {
  const [stored] = await db.select().from(schema.authNonces).where(eq(schema.authNonces.nonce, nonce));
  return nonceProblem(stored, time) ?? reject("siwe_nonce_used", "The message's nonce was already used");
}

/**
 * A message must have been written for this sign-in: Issued At no later than the clock allows for a client's clock
 * running ahead, and no earlier than a nonce lives (with the same allowance for one running behind).
 */
function checkIssuedAt(config: Config, issuedAt: Date, time: Date) {
  const skew = config.SIWE_ISSUED_AT_SKEW_SECONDS * 1000;
  const latest = new Date(time.getTime() + skew);
  const earliest = new Date(time.getTime() - config.SIWE_NONCE_TTL_SECONDS * 1000 - skew);
  const details = { issuedAt: issuedAt.toISOString(), earliest: earliest.toISOString(), latest: latest.toISOString() };
  if (issuedAt.getTime() > latest.getTime()) {
    throw reject(
      "siwe_issued_in_future",
      "The message's Issued At is in the future: check the device's clock",
      details,
    );
  }
  if (issuedAt.getTime() < earliest.getTime()) {
    throw reject("siwe_issued_too_long_ago", "The message was issued too long ago: sign a new one", details);
  }
}

/** `nonce` as long as it may still be spent at `time`: issued here, not used, not expired. */
function openNonce(nonce: string, time: Date) {
  return and(
    eq(schema.authNonces.nonce, nonce),
    isNull(schema.authNonces.usedAt),
    gt(schema.authNonces.expiresAt, time),
  );
}

/** Marks `nonce` used, or refuses when another attempt spent it first (or it expired meanwhile). */
async function spend(db: Db, nonce: string, time: Date) {
  const spent = await db
    .update(schema.authNonces)
    .set({ usedAt: time })
    .where(openNonce(nonce, time))
    .returning({ nonce: schema.authNonces.nonce });
  if (spent.length === 0) throw reject("siwe_nonce_used", "The message's nonce was already used");
}

/** The signed-in user for a session token, or a 401. The session must exist and not be revoked or expired. */
export async function authenticate({ db, config, now }: AuthDeps, token: string): Promise<SessionUser> {
  let payload: Record<string, unknown>;
  try {
    // Expiry is judged by the service's clock below, not by the JWT library's own reading of the system time.
    payload = await verify(token, config.JWT_SECRET, { alg: "HS256", exp: false, iat: false, nbf: false });
  } catch {
    throw reject("invalid_session", "The session token is invalid or expired");
  }
  if (typeof payload.exp !== "number" || payload.exp * 1000 <= now().getTime()) {
    throw reject("invalid_session", "The session token is invalid or expired");
  }
  const sessionId = payload.sid;
  if (typeof sessionId !== "string" || typeof payload.sub !== "string") {
    throw reject("invalid_session", "The session token is invalid or expired");
  }
  const [session] = await db.select().from(schema.sessions).where(eq(schema.sessions.id, sessionId));
  if (
    !session ||
    session.revokedAt ||
    session.expiresAt.getTime() <= now().getTime() ||
    session.address !== payload.sub
  ) {
    throw reject("invalid_session", "The session has ended; sign in again");
  }
  return { address: session.address as Address, sessionId };
}

export async function signOut({ db, now }: AuthDeps, user: SessionUser) {
  await db.update(schema.sessions).set({ revokedAt: now() }).where(eq(schema.sessions.id, user.sessionId));
}
