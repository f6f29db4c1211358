import { eq } from "drizzle-orm";
import { createPublicClient, hashMessage, http, type Address, type Hex } from "viem";
import { hardhat } from "viem/chains";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { ContractSignatureChecks } from "../src/auth/signatures.js";
import { schema } from "../src/db/index.js";
import { ApiError } from "../src/http/errors.js";
import { DRIVERS } from "./helpers/databases.js";
import { call, createTestApp, expectError, siweMessage, signIn, testAccount, type TestApp } from "./helpers/app.js";
import { testClock } from "./helpers/clock.js";
import { counterfactualGasBurner, deployGasBurningWallet, JUNK_SIGNATURE } from "./helpers/hostile-wallets.js";
import { isDeploylessCall, startRpcGate, type RpcGate } from "./helpers/rpc-gate.js";

describe.each(DRIVERS)("Sign-In with Ethereum (%s)", (driver) => {
  let t: TestApp;
  const traveller = testAccount("traveller");
  const other = testAccount("referrer");

  beforeAll(async () => {
    t = await createTestApp(driver);
  });
  afterAll(() => t.close());

  async function verify(message: string, signature: `0x${string}`) {
    return call(t.app, "POST", "/auth/verify", { body: { message, signature } });
  }

  it("signs in with a real signature, then /auth/me knows the address by bearer token and by cookie", async () => {
    const message = await siweMessage(t.app, traveller);
    const signature = await traveller.signMessage({ message });
    const response = await verify(message, signature);
    expect(response.status).toBe(200);
    expect(response.body.address).toBe(traveller.address);
    const token = response.body.token as string;
    const cookie = response.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^trvl_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);

    const byBearer = await call(t.app, "GET", "/auth/me", { token });
    expect(byBearer).toMatchObject({ status: 200, body: { address: traveller.address } });
    const byCookie = await call(t.app, "GET", "/auth/me", { headers: { cookie: cookie.split(";")[0] } });
    expect(byCookie).toMatchObject({ status: 200, body: { address: traveller.address } });
  });

  it("logout ends the session everywhere: the same token is refused afterwards", async () => {
    const token = await signIn(t.app, traveller);
    expect((await call(t.app, "POST", "/auth/logout", { token })).status).toBe(204);
    const after = expectError(await call(t.app, "GET", "/auth/me", { token }));
    expect(after).toMatchObject({ status: 401, code: "invalid_session", hasShape: true });
  });

  it("refuses requests without a session, with a forged token, or a malformed Authorization header", async () => {
    expect(expectError(await call(t.app, "GET", "/auth/me"))).toMatchObject({ status: 401, code: "unauthenticated" });
    const forged = expectError(await call(t.app, "GET", "/auth/me", { token: "eyJhbGciOiJIUzI1NiJ9.e30.x" }));
    expect(forged).toMatchObject({ status: 401, code: "invalid_session" });
    const malformed = await call(t.app, "GET", "/auth/me", { headers: { authorization: "Token abc" } });
    expect(expectError(malformed)).toMatchObject({ status: 401, code: "invalid_session" });
  });

  it("GET /auth/session answers 200 signed in or out: the address, or null without a valid session", async () => {
    const token = await signIn(t.app, traveller);
    expect(await call(t.app, "GET", "/auth/session", { token })).toMatchObject({
      status: 200,
      body: { address: traveller.address },
    });
    expect(await call(t.app, "GET", "/auth/session")).toMatchObject({ status: 200, body: { address: null } });
    const forged = await call(t.app, "GET", "/auth/session", { token: "eyJhbGciOiJIUzI1NiJ9.e30.x" });
    expect(forged).toMatchObject({ status: 200, body: { address: null } });
    const malformed = await call(t.app, "GET", "/auth/session", { headers: { authorization: "Token abc" } });
    expect(malformed).toMatchObject({ status: 200, body: { address: null } });
    expect((await call(t.app, "POST", "/auth/logout", { token })).status).toBe(204);
    expect(await call(t.app, "GET", "/auth/session", { token })).toMatchObject({
      status: 200,
      body: { address: null },
    });
  });

  it("refuses a replayed nonce (siwe_nonce_used)", async () => {
    const message = await siweMessage(t.app, traveller);
    const signature = await traveller.signMessage({ message });
    expect((await verify(message, signature)).status).toBe(200);
    expect(expectError(await verify(message, signature))).toMatchObject({
      status: 401,
      code: "siwe_nonce_used",
      hasShape: true,
    });
  });

  it("the same signed message sent five times at once opens exactly one session", async () => {
    const message = await siweMessage(t.app, other);
    const signature = await other.signMessage({ message });
    const sessionsOf = async () =>
      (await t.services.db.select().from(schema.sessions).where(eq(schema.sessions.address, other.address))).length;
    const before = await sessionsOf();
    const answers = await Promise.all(Array.from({ length: 5 }, () => verify(message, signature)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401, 401, 401, 401]);
    for (const answer of answers.filter((answer) => answer.status === 401)) {
      expect(expectError(answer)).toMatchObject({ code: "siwe_nonce_used", hasShape: true });
    }
    expect(await sessionsOf()).toBe(before + 1);
  });

  it("refuses a message for another domain (siwe_domain_mismatch)", async () => {
    const message = await siweMessage(t.app, traveller, { domain: "evil.example", uri: "https://evil.example" });
    const response = await verify(message, await traveller.signMessage({ message }));
    expect(expectError(response)).toMatchObject({ status: 401, code: "siwe_domain_mismatch" });
  });

  it("refuses a URI that is not on the message's domain (siwe_uri_mismatch)", async () => {
    const message = await siweMessage(t.app, traveller, { uri: "https://evil.example/login" });
    const response = await verify(message, await traveller.signMessage({ message }));
    expect(expectError(response)).toMatchObject({ status: 401, code: "siwe_uri_mismatch" });
  });

  it("refuses a message for another chain (siwe_chain_mismatch)", async () => {
    const message = await siweMessage(t.app, traveller, { chainId: 1 });
    const response = await verify(message, await traveller.signMessage({ message }));
    expect(expectError(response)).toMatchObject({ status: 401, code: "siwe_chain_mismatch" });
  });

  it("refuses an expired message (siwe_expired) and one not valid yet (siwe_not_yet_valid)", async () => {
    const expired = await siweMessage(t.app, traveller, { expirationTime: new Date(testClock().getTime() - 1_000) });
    expect(expectError(await verify(expired, await traveller.signMessage({ message: expired })))).toMatchObject({
      status: 401,
      code: "siwe_expired",
    });
    const early = await siweMessage(t.app, traveller, { notBefore: new Date(testClock().getTime() + 3_600_000) });
    expect(expectError(await verify(early, await traveller.signMessage({ message: early })))).toMatchObject({
      status: 401,
      code: "siwe_not_yet_valid",
    });
  });

  it("refuses a nonce it never issued (siwe_nonce_unknown)", async () => {
    const message = await siweMessage(t.app, traveller, { nonce: "neverIssued12345" });
    const response = await verify(message, await traveller.signMessage({ message }));
    expect(expectError(response)).toMatchObject({ status: 401, code: "siwe_nonce_unknown" });
  });

  it("refuses a signature by another key (siwe_bad_signature) and spends the nonce: a retry takes a new one", async () => {
    const message = await siweMessage(t.app, traveller);
    const response = await verify(message, await other.signMessage({ message }));
    expect(expectError(response)).toMatchObject({ status: 401, code: "siwe_bad_signature" });
    const again = await verify(message, await traveller.signMessage({ message }));
    expect(expectError(again)).toMatchObject({ status: 401, code: "siwe_nonce_used" });
    const fresh = await siweMessage(t.app, traveller);
    expect((await verify(fresh, await traveller.signMessage({ message: fresh }))).status).toBe(200);
  });

  it("refuses a message issued in the future (siwe_issued_in_future) or long ago (siwe_issued_too_long_ago)", async () => {
    const minutes = (n: number) => new Date(testClock().getTime() + n * 60_000);
    // SIWE_NONCE_TTL_SECONDS is 10 minutes and SIWE_ISSUED_AT_SKEW_SECONDS 5: from 15 minutes ago to 5 ahead.
    const future = await siweMessage(t.app, traveller, { issuedAt: minutes(10) });
    const early = expectError(await verify(future, await traveller.signMessage({ message: future })));
    expect(early).toMatchObject({ status: 401, code: "siwe_issued_in_future", hasShape: true });
    expect(new Date(early.details.issuedAt).getTime()).toBeGreaterThan(new Date(early.details.latest).getTime());
    const years = await siweMessage(t.app, traveller, {
      issuedAt: new Date(testClock().getTime() + 3 * 365 * 86_400_000),
    });
    expect(expectError(await verify(years, await traveller.signMessage({ message: years })))).toMatchObject({
      status: 401,
      code: "siwe_issued_in_future",
    });
    const old = await siweMessage(t.app, traveller, { issuedAt: minutes(-20) });
    expect(expectError(await verify(old, await traveller.signMessage({ message: old })))).toMatchObject({
      status: 401,
      code: "siwe_issued_too_long_ago",
    });
    // A device whose clock runs a few minutes ahead or behind still signs in.
    for (const skewed of [minutes(4), minutes(-12)]) {
      const message = await siweMessage(t.app, traveller, { issuedAt: skewed });
      expect((await verify(message, await traveller.signMessage({ message }))).status).toBe(200);
    }
  });

  it("refuses text that is not a SIWE message (siwe_malformed_message) and a missing field (400 naming it)", async () => {
    const response = await verify("hello", await traveller.signMessage({ message: "hello" }));
    expect(expectError(response)).toMatchObject({ status: 401, code: "siwe_malformed_message" });
    const missing = expectError(await call(t.app, "POST", "/auth/verify", { body: { message: "x" } }));
    expect(missing).toMatchObject({ status: 400, code: "validation_failed" });
    expect(String(missing.message)).toContain("body.signature");
  });
});

describe.each(DRIVERS)("nonce expiry (%s)", (driver) => {
  let t: TestApp;
  let clock = testClock().getTime();

  beforeAll(async () => {
    t = await createTestApp(driver, { now: () => new Date(clock), env: { SIWE_NONCE_TTL_SECONDS: "60" } });
  });
  afterAll(() => t.close());

  it("refuses a nonce older than SIWE_NONCE_TTL_SECONDS (siwe_nonce_expired)", async () => {
    const traveller = testAccount("traveller");
    const message = await siweMessage(t.app, traveller);
    clock += 61_000;
    const signature = await traveller.signMessage({ message });
    const response = await call(t.app, "POST", "/auth/verify", { body: { message, signature } });
    expect(expectError(response)).toMatchObject({ status: 401, code: "siwe_nonce_expired" });
  });
});

describe.each(DRIVERS)("smart-contract wallets sign in at a bounded cost (%s)", (driver) => {
  const GAS_CAP = 300_000n;
  const anyone = testAccount("traveller");
  let gate: RpcGate;
  let t: TestApp;
  let cheap: Address;
  let burner: Address;

  beforeAll(async () => {
    gate = await startRpcGate(inject("chainUrl"));
    t = await createTestApp(driver, {
      env: {
        CHAIN_RPC_URL: gate.url,
        TRUST_PROXY: "true",
        SIWE_CONTRACT_GAS_LIMIT: String(GAS_CAP),
        SIWE_CONTRACT_CHECKS_PER_IP: "1",
        SIWE_CONTRACT_CHECKS_MAX: "1",
        SIWE_CONTRACT_CHECKS_QUEUE: "1",
        // A check waits its turn at most this long: far more than this test's steps take.
        SIWE_CONTRACT_TIMEOUT_MS: "30000",
      },
    });
    [cheap, burner] = await Promise.all([deployGasBurningWallet(0n), deployGasBurningWallet(5_000_000n)]);
  });
  afterAll(async () => {
    await t?.close();
    await gate?.close();
  });

  const messageFor = (address: Address) => siweMessage(t.app, anyone, { address });
  const verify = (message: string, signature: Hex, ip = "203.0.113.1") =>
    call(t.app, "POST", "/auth/verify", { body: { message, signature }, headers: { "x-forwarded-for": ip } });
  /** The checks of contract signatures the node was asked to run since `from`. */
  const checksSince = (from: number) => gate.calls.slice(from).filter(isDeploylessCall);

  it("a wallet whose ERC-1271 check is cheap signs in, through one eth_call capped at SIWE_CONTRACT_GAS_LIMIT", async () => {
    const from = gate.calls.length;
    const signedIn = await verify(await messageFor(cheap), JUNK_SIGNATURE);
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    expect(signedIn.body.address).toBe(cheap);
    const checks = checksSince(from);
    expect(checks).toHaveLength(1);
    expect(BigInt(checks[0]!.params[0].gas)).toBe(GAS_CAP);
  });

  it("a wallet whose check burns more than the cap is refused within the cap, and its nonce is spent", async () => {
    const message = await messageFor(burner);
    const from = gate.calls.length;
    const refused = expectError(await verify(message, JUNK_SIGNATURE));
    expect(refused).toMatchObject({ status: 401, code: "siwe_bad_signature", hasShape: true });
    const checks = checksSince(from);
    expect(checks).toHaveLength(1);
    expect(BigInt(checks[0]!.params[0].gas)).toBe(GAS_CAP);

    // The same message again: the nonce is gone, and the node is not asked a second time.
    const replayFrom = gate.calls.length;
    expect(expectError(await verify(message, JUNK_SIGNATURE))).toMatchObject({ status: 401, code: "siwe_nonce_used" });
    expect(checksSince(replayFrom)).toHaveLength(0);
  });

  it("an ERC-6492 signature (deploy through a factory, then check) runs under the same cap: cheap signs in, costly not", async () => {
    const cheapLater = await counterfactualGasBurner(0n);
    const signedIn = await verify(await messageFor(cheapLater.address), cheapLater.signature);
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);

    const costly = await counterfactualGasBurner(5_000_000n);
    const message = await messageFor(costly.address);
    const from = gate.calls.length;
    expect(expectError(await verify(message, costly.signature))).toMatchObject({
      status: 401,
      code: "siwe_bad_signature",
    });
    expect(checksSince(from).map((check) => BigInt(check.params[0].gas))).toEqual([GAS_CAP]);
    expect(expectError(await verify(message, costly.signature))).toMatchObject({
      status: 401,
      code: "siwe_nonce_used",
    });
  });

  it("checks take turns on the node: 429 for an IP holding its share, a short line, 503 beyond it; EOAs sign in meanwhile", async () => {
    const from = gate.calls.length;
    gate.hold(isDeploylessCall);
    try {
      const first = verify(await messageFor(cheap), JUNK_SIGNATURE, "198.51.100.1");
      await gate.held(1);

      // Same IP, while its check runs: refused at once, not queued behind it.
      const secondMessage = await messageFor(cheap);
      const second = await Promise.race([
        verify(secondMessage, JUNK_SIGNATURE, "198.51.100.1"),
        gate.held(2).then(() => "held" as const),
      ]);
      expect(second).not.toBe("held");
      const busy = expectError(second as Awaited<ReturnType<typeof verify>>);
      expect(busy).toMatchObject({ status: 429, code: "siwe_contract_checks_busy", hasShape: true });
      expect(Number((second as Awaited<ReturnType<typeof verify>>).headers.get("retry-after"))).toBeGreaterThan(0);

      // Two other IPs at once: one waits for its turn in the line's one place, the other finds the line full.
      const [messageA, messageB] = await Promise.all([messageFor(cheap), messageFor(cheap)]);
      const others = [
        verify(messageA, JUNK_SIGNATURE, "198.51.100.2"),
        verify(messageB, JUNK_SIGNATURE, "198.51.100.3"),
      ];
      const refused = await Promise.race(others.map((answer, index) => answer.then(() => index)));
      const full = await others[refused]!;
      expect(expectError(full)).toMatchObject({ status: 503, code: "siwe_contract_checks_full" });
      expect(Number(full.headers.get("retry-after"))).toBeGreaterThan(0);
      // The waiting one has not reached the node: the first check is the only one there.
      expect(checksSince(from)).toHaveLength(1);

      // An EOA needs no check on the chain: it signs in while the checks wait, from the busy IP too.
      const message = await siweMessage(t.app, anyone);
      const eoa = await verify(message, await anyone.signMessage({ message }), "198.51.100.1");
      expect(eoa.status, JSON.stringify(eoa.body)).toBe(200);

      gate.release();
      expect((await first).status).toBe(200);
      // Its turn came once the first was answered.
      const waited = await others[1 - refused]!;
      expect(waited.status, JSON.stringify(waited.body)).toBe(200);
      expect(checksSince(from)).toHaveLength(2);
      // The refused attempts never reached the chain: their nonces are still good.
      const retried = await verify(secondMessage, JUNK_SIGNATURE, "198.51.100.1");
      expect(retried.status, JSON.stringify(retried.body)).toBe(200);
      const retriedFull = await verify(refused === 0 ? messageA : messageB, JUNK_SIGNATURE, "198.51.100.3");
      expect(retriedFull.status, JSON.stringify(retriedFull.body)).toBe(200);
    } finally {
      gate.release();
    }
  });
});

describe("a smart-wallet check whose client has gone while it waited", () => {
  let gate: RpcGate;

  beforeAll(async () => {
    gate = await startRpcGate(inject("chainUrl"));
  });
  afterAll(async () => {
    await gate?.close();
  });

  it("leaves the line at once, and the next check takes its place", async () => {
    const wallet = await deployGasBurningWallet(0n);
    const checks = new ContractSignatureChecks(createPublicClient({ chain: hardhat, transport: http(gate.url) }), {
      gasLimit: 500_000n,
      timeoutMs: 30_000,
      perIp: 1,
      total: 1,
      queue: 1,
      budget: async () => {},
    });
    const signed = { address: wallet, hash: hashMessage("sign in"), signature: JUNK_SIGNATURE };
    const admitted: string[] = [];
    const check = (ip: string, signal?: AbortSignal) =>
      checks.verify(ip, signed, async () => void admitted.push(ip), signal);
    gate.hold(isDeploylessCall);
    try {
      const first = check("192.0.2.1");
      await gate.held(1);
      const client = new AbortController();
      const gone = check("192.0.2.2", client.signal).catch((error: unknown) => error);
      // The line's one place is taken: a third is refused.
      await expect(check("192.0.2.3")).rejects.toMatchObject({ status: 503, code: "siwe_contract_checks_full" });
      client.abort();
      const next = check("192.0.2.3");
      expect(await gone).toBeInstanceOf(ApiError);
      gate.release();
      expect(await first).toBe(true);
      expect(await next).toBe(true);
      // The check that left never started: its sign-in's nonce was not spent.
      expect(admitted).toEqual(["192.0.2.1", "192.0.2.3"]);
    } finally {
      gate.release();
    }
  });
});

describe("a smart-wallet check the node does not answer in time", () => {
  let gate: RpcGate;
  let t: TestApp;

  beforeAll(async () => {
    gate = await startRpcGate(inject("chainUrl"));
    t = await createTestApp("pglite", {
      env: {
        CHAIN_RPC_URL: gate.url,
        TRUST_PROXY: "true",
        // Long enough for any check the node answers, however busy the machine; the held ones run into it.
        SIWE_CONTRACT_TIMEOUT_MS: "2000",
        SIWE_CONTRACT_CHECKS_PER_IP: "1",
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await gate?.close();
  });

  it("answers 503 siwe_contract_check_timeout, spends the nonce, and keeps the slot until the node answers", async () => {
    const wallet = await deployGasBurningWallet(0n);
    const anyone = testAccount("traveller");
    const verify = (message: string, ip = "192.0.2.7") =>
      call(t.app, "POST", "/auth/verify", {
        body: { message, signature: JUNK_SIGNATURE },
        headers: { "x-forwarded-for": ip },
      });
    gate.hold(isDeploylessCall);
    try {
      const message = await siweMessage(t.app, anyone, { address: wallet });
      const slow = await verify(message);
      expect(expectError(slow)).toMatchObject({ status: 503, code: "siwe_contract_check_timeout", hasShape: true });
      expect(slow.headers.get("retry-after")).toBeTruthy();
      // The node is still at it: the IP's one slot stays taken.
      const next = await verify(await siweMessage(t.app, anyone, { address: wallet }));
      expect(expectError(next)).toMatchObject({ status: 429, code: "siwe_contract_checks_busy" });
      // Another IP's check waits for the node's one turn, and gives up at the time limit without spending its nonce.
      const waitingMessage = await siweMessage(t.app, anyone, { address: wallet });
      const waited = expectError(await verify(waitingMessage, "192.0.2.8"));
      expect(waited).toMatchObject({ status: 503, code: "siwe_contract_check_timeout" });
      expect(waited.message).toMatch(/did not start/);
      gate.release();
      expect(expectError(await verify(message))).toMatchObject({ status: 401, code: "siwe_nonce_used" });
      const later = await verify(waitingMessage, "192.0.2.8");
      expect(later.status, JSON.stringify(later.body)).toBe(200);
    } finally {
      gate.release();
    }
  });
});

describe("smart-wallet checks per IP per window", () => {
  let gate: RpcGate;
  let t: TestApp;

  beforeAll(async () => {
    gate = await startRpcGate(inject("chainUrl"));
    t = await createTestApp("pglite", {
      env: { CHAIN_RPC_URL: gate.url, TRUST_PROXY: "true", SIWE_CONTRACT_CHECKS_PER_IP_PER_WINDOW: "2" },
    });
  });
  afterAll(async () => {
    await t?.close();
    await gate?.close();
  });

  it("past its budget an IP gets 429 siwe_contract_checks_exhausted before the chain is asked, its nonce unspent", async () => {
    const burner = await deployGasBurningWallet(5_000_000n);
    const cheap = await deployGasBurningWallet(0n);
    const anyone = testAccount("traveller");
    const verify = (message: string, ip: string, signature: Hex = JUNK_SIGNATURE) =>
      call(t.app, "POST", "/auth/verify", { body: { message, signature }, headers: { "x-forwarded-for": ip } });
    const attacker = "192.0.2.60";

    for (let i = 0; i < 2; i++) {
      const refused = await verify(await siweMessage(t.app, anyone, { address: burner }), attacker);
      expect(expectError(refused)).toMatchObject({ status: 401, code: "siwe_bad_signature" });
    }
    const message = await siweMessage(t.app, anyone, { address: cheap });
    const from = gate.calls.length;
    const exhausted = await verify(message, attacker);
    expect(expectError(exhausted)).toMatchObject({
      status: 429,
      code: "siwe_contract_checks_exhausted",
      hasShape: true,
      details: { limit: 2 },
    });
    const retryAfter = Number(exhausted.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(gate.calls.slice(from).filter(isDeploylessCall)).toHaveLength(0);

    // An EOA from the same IP needs no check on the chain and signs in; the refused message's nonce still works from
    // another IP.
    const eoaMessage = await siweMessage(t.app, anyone);
    expect((await verify(eoaMessage, attacker, await anyone.signMessage({ message: eoaMessage }))).status).toBe(200);
    const elsewhere = await verify(message, "192.0.2.61");
    expect(elsewhere.status, JSON.stringify(elsewhere.body)).toBe(200);
    expect(elsewhere.body.address).toBe(cheap);
  });
});
