/**
 * The referral relayer under hostile traffic: one managed nonce however many relay at once, a gas cap checked by
 * simulation before anything is sent, daily budgets per account and in all, and only for accounts with some stake.
 */
import { eq } from "drizzle-orm";
import pg from "pg";
import type { Address, Hex, PrivateKeyAccount } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { schema } from "../src/db/index.js";
import { RESERVATION_LOCK } from "../src/referrals/budget.js";
import { call, createTestApp, expectError, siweMessage, signIn, type TestApp } from "./helpers/app.js";
import { fundedAccount, publicClient } from "./helpers/chain.js";
import { testClock } from "./helpers/clock.js";
import { insertBookingRow } from "./helpers/booking-rows.js";
import { DRIVERS } from "./helpers/databases.js";
import { deployGasBurningWallet, JUNK_SIGNATURE, setBurn } from "./helpers/hostile-wallets.js";

type Json = Record<string, any>;

const client = publicClient();
const RELAY_GAS_LIMIT = 300_000n;

/** A relayer key of its own (funded): no other test file's relays share its nonces. */
async function relayerKey(): Promise<Hex> {
  const key = generatePrivateKey();
  await client.request({
    method: "hardhat_setBalance" as never,
    params: [privateKeyToAccount(key).address, "0x3635C9ADC5DEA00000"] as never,
  });
  return key;
}

async function setBalance(address: Address, wei: bigint) {
  await client.request({ method: "hardhat_setBalance" as never, params: [address, `0x${wei.toString(16)}`] as never });
}

/** The registration `user` signs for `referrer`, as the web does: typed data from the API, signed by the wallet. */
async function registration(t: TestApp, token: string, referrer: Address, signer?: PrivateKeyAccount) {
  const typed = (await call(t.app, "GET", `/referrals/signature?referrer=${referrer}`, { token })).body as Json;
  const signature = signer
    ? await signer.signTypedData({
        domain: { ...typed.domain, chainId: BigInt(typed.domain.chainId) },
        types: typed.types,
        primaryType: "Registration",
        message: { ...typed.message, nonce: BigInt(typed.message.nonce), deadline: BigInt(typed.message.deadline) },
      })
    : JUNK_SIGNATURE;
  return { referrer, deadline: typed.message.deadline as string, signature };
}

const relay = (t: TestApp, token: string, body: Json) => call(t.app, "POST", "/referrals/signature", { token, body });

/** A new account with ETH, signed in, and its signed registration under a new referrer. */
async function readyToRelay(t: TestApp) {
  const [user, referrer] = await Promise.all([fundedAccount(), fundedAccount()]);
  const token = await signIn(t.app, user);
  return { user, token, body: await registration(t, token, referrer.address, user) };
}

describe.each(DRIVERS)("the referral relayer (%s)", (driver) => {
  let key: Hex;
  let relayer: Address;
  let t: TestApp;

  beforeAll(async () => {
    key = await relayerKey();
    relayer = privateKeyToAccount(key).address;
    t = await createTestApp(driver, {
      env: { RELAYER_PRIVATE_KEY: key, RELAY_GAS_LIMIT: String(RELAY_GAS_LIMIT), RELAY_MAX_PER_DAY: "100" },
    });
  });
  afterAll(() => t?.close());

  it("ten users relaying at once through two API instances sharing the key: all sent, each with its own nonce", async () => {
    const replica = await createTestApp(driver, { env: { RELAYER_PRIVATE_KEY: key } });
    try {
      const apps = [t, replica];
      const ready = await Promise.all(Array.from({ length: 10 }, (_, i) => readyToRelay(apps[i % 2]!)));
      const start = await client.getTransactionCount({ address: relayer, blockTag: "pending" });
      const answers = await Promise.all(ready.map(({ token, body }, i) => relay(apps[i % 2]!, token, body)));
      for (const answer of answers) expect(answer.status, JSON.stringify(answer.body)).toBe(202);

      const hashes = answers.map((answer) => answer.body.txHash as Hex);
      expect(new Set(hashes).size).toBe(10);
      const receipts = await Promise.all(hashes.map((hash) => client.waitForTransactionReceipt({ hash })));
      expect(receipts.map((receipt) => receipt.status)).toEqual(Array(10).fill("success"));
      const nonces = await Promise.all(hashes.map(async (hash) => (await client.getTransaction({ hash })).nonce));
      expect([...nonces].sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => start + i));
    } finally {
      await replica.close();
    }
  });

  it("refuses before sending a wallet whose signature check burns gas (422 naming the revert): no relayer gas spent", async () => {
    // Cheap to check at sign-in; then the wallet makes its check burn 5,000,000 gas for the relayer's turn.
    const wallet = await deployGasBurningWallet(0n);
    await setBalance(wallet, 10n ** 18n);
    const message = await siweMessage(t.app, await fundedAccount(), { address: wallet });
    const session = await call(t.app, "POST", "/auth/verify", { body: { message, signature: JUNK_SIGNATURE } });
    expect(session.status, JSON.stringify(session.body)).toBe(200);
    const token = session.body.token as string;
    await setBurn(wallet, 5_000_000n);

    const body = await registration(t, token, (await fundedAccount()).address);
    const [nonceBefore, balanceBefore] = await Promise.all([
      client.getTransactionCount({ address: relayer, blockTag: "pending" }),
      client.getBalance({ address: relayer }),
    ]);
    const refused = expectError(await relay(t, token, body));
    expect(refused).toMatchObject({
      status: 422,
      code: "invalid_signature",
      details: { revert: "ReferralInvalidSignature", gasLimit: Number(RELAY_GAS_LIMIT) },
      hasShape: true,
    });
    expect(await client.getTransactionCount({ address: relayer, blockTag: "pending" })).toBe(nonceBefore);
    expect(await client.getBalance({ address: relayer })).toBe(balanceBefore);

    // Cheap again, the same wallet's registration is relayed, with RELAY_GAS_LIMIT as its transaction's gas limit.
    await setBurn(wallet, 0n);
    const relayed = await relay(t, token, body);
    expect(relayed.status, JSON.stringify(relayed.body)).toBe(202);
    const hash = relayed.body.txHash as Hex;
    expect((await client.waitForTransactionReceipt({ hash })).status).toBe("success");
    expect((await client.getTransaction({ hash })).gas).toBe(RELAY_GAS_LIMIT);
  });
});

describe.each(DRIVERS)("the relayer's budgets and who it pays for (%s)", (driver) => {
  let clock = testClock().getTime();
  const now = () => new Date(clock);
  let t: TestApp;

  /** Signs in on the app's clock (sessions are counted from it). */
  async function signInNow(account: PrivateKeyAccount) {
    const message = await siweMessage(t.app, account, { issuedAt: now() });
    const response = await call(t.app, "POST", "/auth/verify", {
      body: { message, signature: await account.signMessage({ message }) },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.token as string;
  }

  beforeAll(async () => {
    t = await createTestApp(driver, {
      now,
      env: {
        RELAYER_PRIVATE_KEY: await relayerKey(),
        RELAY_MAX_PER_USER_PER_DAY: "1",
        RELAY_MAX_PER_DAY: "3",
        RELAY_MAX_ATTEMPTS_PER_USER_PER_DAY: "2",
      },
    });
  });
  afterAll(() => t?.close());

  it("at most RELAY_MAX_PER_USER_PER_DAY per account and RELAY_MAX_PER_DAY in all per 24 hours (429, Retry-After)", async () => {
    const [a, b, c, d] = await Promise.all(Array.from({ length: 4 }, () => fundedAccount()));
    const referrer = (await fundedAccount()).address;
    const tokens = new Map<PrivateKeyAccount, string>();
    for (const account of [a!, b!, c!, d!]) tokens.set(account, await signInNow(account));
    const relayAs = async (account: PrivateKeyAccount) =>
      relay(t, tokens.get(account)!, await registration(t, tokens.get(account)!, referrer, account));

    expect((await relayAs(a!)).status).toBe(202);
    const again = await relayAs(a!);
    expect(expectError(again)).toMatchObject({
      status: 429,
      code: "relay_user_budget_exceeded",
      details: { limit: 1 },
      hasShape: true,
    });
    expect(Number(again.headers.get("retry-after"))).toBe(86_400);

    // A refused registration sends nothing and costs no relay (only one of the account's attempts).
    const bad = await registration(t, tokens.get(b!)!, referrer, c!);
    expect(expectError(await relay(t, tokens.get(b!)!, bad))).toMatchObject({ status: 422, code: "invalid_signature" });
    expect((await relayAs(b!)).status).toBe(202);
    expect((await relayAs(c!)).status).toBe(202);

    clock += 3_600_000;
    const full = await relayAs(d!);
    expect(expectError(full)).toMatchObject({
      status: 429,
      code: "relay_daily_budget_exceeded",
      details: { limit: 3 },
    });
    expect(Number(full.headers.get("retry-after"))).toBe(86_400 - 3_600);

    // A day after the first relay, one place is free again.
    clock += 86_400_000 - 3_600_000;
    tokens.set(d!, await signInNow(d!));
    const later = await relayAs(d!);
    expect(later.status, JSON.stringify(later.body)).toBe(202);
  });

  /** A signed-in account whose two attempts the chain refused (signed by someone else), with a referrer to try again. */
  async function spentAttempts() {
    const [account, stranger] = await Promise.all([fundedAccount(), fundedAccount()]);
    const referrer = (await fundedAccount()).address;
    const token = await signInNow(account);
    for (let i = 0; i < 2; i++) {
      const bad = await registration(t, token, referrer, stranger);
      expect(expectError(await relay(t, token, bad))).toMatchObject({ status: 422, code: "invalid_signature" });
    }
    return { account, token, referrer };
  }

  it("simulations the chain refused count against RELAY_MAX_ATTEMPTS_PER_USER_PER_DAY: then 429 before any simulation", async () => {
    const { account, token, referrer } = await spentAttempts();
    const good = await registration(t, token, referrer, account);
    const spent = await relay(t, token, good);
    expect(expectError(spent)).toMatchObject({
      status: 429,
      code: "relay_attempts_exceeded",
      details: { limit: 2 },
      hasShape: true,
    });
    expect(Number(spent.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  // Another session can hold the lock on PostgreSQL only (PGlite is one connection).
  if (driver === "postgres") {
    it("an account that spent its attempts is refused while other reservations hold the relayer's queue", async () => {
      const { account, token, referrer } = await spentAttempts();
      // Another instance's reservation in progress: it holds the lock reservations are taken under.
      const other = new pg.Client({ connectionString: t.database.url });
      await other.connect();
      try {
        await other.query("begin");
        await other.query("select pg_advisory_xact_lock($1)", [RESERVATION_LOCK]);
        const refused = await relay(t, token, await registration(t, token, referrer, account));
        expect(expectError(refused)).toMatchObject({ status: 429, code: "relay_attempts_exceeded" });
      } finally {
        await other.end();
      }
    });
  }

  it("pays only for accounts with ETH (RELAY_MIN_ETH_WEI) or a paid booking: a fresh key gets 403 relay_not_eligible", async () => {
    const fresh = privateKeyToAccount(generatePrivateKey());
    const referrer = (await fundedAccount()).address;
    const token = await signInNow(fresh);
    const body = await registration(t, token, referrer, fresh);
    const refused = expectError(await relay(t, token, body));
    expect(refused).toMatchObject({
      status: 403,
      code: "relay_not_eligible",
      details: { requires: ["paid_booking", "eth_balance"] },
      hasShape: true,
    });

    // A quoted booking it never paid does not count; a paid one does.
    const booking = await insertQuotedBooking(t, fresh.address);
    expect(expectError(await relay(t, token, body))).toMatchObject({ status: 403, code: "relay_not_eligible" });
    await t.services.db
      .update(schema.bookings)
      .set({ status: "paid", paidTxHash: `0x${"ab".repeat(32)}`, paidAt: now() })
      .where(eq(schema.bookings.id, booking));
    clock += 2 * 86_400_000; // past the last test's relays: the daily budget is free again
    const relayed = await relay(t, await signInNow(fresh), body);
    expect(relayed.status, JSON.stringify(relayed.body)).toBe(202);
  });

  it("with RELAY_MIN_ETH_WEI of ETH, a key without bookings is eligible", async () => {
    const holder = privateKeyToAccount(generatePrivateKey());
    await setBalance(holder.address, 10n ** 15n);
    const token = await signInNow(holder);
    const relayed = await relay(t, token, await registration(t, token, (await fundedAccount()).address, holder));
    expect(relayed.status, JSON.stringify(relayed.body)).toBe(202);
  });
});

/** A quoted booking of `traveller`, not paid, as the bookings service writes it. */
async function insertQuotedBooking(t: TestApp, traveller: Address) {
  const id = generatePrivateKey();
  await insertBookingRow(t.services.db, { id, traveller, status: "quoted" });
  return id;
}
