import { randomUUID } from "node:crypto";

import { and, eq, gt, isNull, lt } from "drizzle-orm";
import { sign, verify } from "hono/jwt";
import { getAddress, type Address, type Hex } from "viem";
import { generateSiweNonce, parseSiweMessage, verifySiweMessage } from "viem/siwe";

import type { ChainContext } from "../chain/index.js";
import type { Config } from "../config/index.js";
import { schema, type Db } from "../db/index.js";
import { ApiError } from "../http/errors.js";
import type { SessionUser } from "../http/router.js";
import type { Clock } from "../clock.js";

export interface AuthDeps {
  db: Db;
  config: Config;
  chain: ChainContext;
  now: Clock;
}

const reject = (code: string, message: string, details: unknown = null) => new ApiError(401, code, message, details);

export async function issueNonce({ db, config, now }: AuthDeps) {
  const issuedAt = now();
  const expiresAt = new Date(issuedAt.getTime() + config.SIWE_NONCE_TTL_SECONDS * 1000);
  const nonce = generateSiweNonce();
  await db.delete(schema.authNonces).where(lt(schema.authNonces.expiresAt, issuedAt));
  await db.insert(schema.authNonces).values({ nonce, createdAt: issuedAt, expiresAt });
  return { nonce, issuedAt, expiresAt };
}

/**
 * Checks a Sign-In with Ethereum message (EIP-4361) and its signature, consumes its nonce and opens a session.
 * Each way a message can be refused has its own error code, so the web can tell the user what went wrong.
 */
export async function signIn(deps: AuthDeps, input: { message: string; signature: Hex }) {
  const { db, config, chain, now } = deps;
  const time = now();
  let fields: ReturnType<typeof parseSiweMessage>;
  try {
    fields = parseSiweMessage(input.message);
  } catch {
    fields = {};
  }
  const { address, domain, uri, chainId, nonce, version, expirationTime, notBefore } = fields;
  if (!address || !domain || !uri || !chainId || !nonce || version !== "1") {
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

  const [stored] = await db.select().from(schema.authNonces).where(eq(schema.authNonces.nonce, nonce));
  if (!stored) throw reject("siwe_nonce_unknown", "The message's nonce was not issued by this API");
  if (stored.usedAt) throw reject("siwe_nonce_used", "The message's nonce was already used");
  if (stored.expiresAt.getTime() <= time.getTime()) throw reject("siwe_nonce_expired", "The message's nonce expired");

  let valid: boolean;
  try {
    // EOAs verify by recovery; smart-contract wallets through ERC-1271 / ERC-6492 calls on the chain.
    valid = await verifySiweMessage(chain.client, {
      message: input.message,
      signature: input.signature,
      address,
      domain,
      nonce,
      time,
    });
  } catch (error) {
    throw new ApiError(503, "chain_unavailable", "The signature could not be checked against the chain", {
      reason: error instanceof Error ? error.message.split("\n")[0] : String(error),
    });
  }
  if (!valid) throw reject("siwe_bad_signature", "The signature does not match the message's address");

  const user = getAddress(address);
  return db.transaction(async (tx) => {
    const consumed = await tx
      .update(schema.authNonces)
      .set({ usedAt: time })
      .where(
        and(
          eq(schema.authNonces.nonce, nonce),
          isNull(schema.authNonces.usedAt),
          gt(schema.authNonces.expiresAt, time),
        ),
      )
      .returning({ nonce: schema.authNonces.nonce });
    if (consumed.length === 0) throw reject("siwe_nonce_used", "The message's nonce was already used");

    await tx
      .insert(schema.users)
      .values({ address: user, lastSignInAt: time })
      .onConflictDoUpdate({ target: schema.users.address, set: { lastSignInAt: time } });
    const sessionId = randomUUID();
    const expiresAt = new Date(time.getTime() + config.SESSION_TTL_SECONDS * 1000);
    await tx.insert(schema.sessions).values({ id: sessionId, address: user, createdAt: time, expiresAt });
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
  });
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
