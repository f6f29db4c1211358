import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DRIVERS } from "./helpers/databases.js";
import { call, createTestApp, expectError, siweMessage, signIn, testAccount, type TestApp } from "./helpers/app.js";
import { testClock } from "./helpers/clock.js";

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

  it("refuses a signature by another key (siwe_bad_signature), and the nonce stays usable", async () => {
    const message = await siweMessage(t.app, traveller);
    const response = await verify(message, await other.signMessage({ message }));
    expect(expectError(response)).toMatchObject({ status: 401, code: "siwe_bad_signature" });
    expect((await verify(message, await traveller.signMessage({ message }))).status).toBe(200);
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
