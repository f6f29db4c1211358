/**
 * Cross-site request forgery: the session cookie (SameSite=Lax) also rides along on form posts from any page of the
 * same site — another port of the same host included. A write carried by the cookie must come from the web app's
 * origin; bearer tokens (which a page cannot make a browser attach) and anonymous requests are unaffected.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { decodeWav, encodeWav, resample } from "../src/voice/audio.js";
import { EspeakTts } from "../src/voice/espeak.js";
import { call, createTestApp, expectError, signIn, testAccount, WEB_ORIGIN, type TestApp } from "./helpers/app.js";
import { DRIVERS } from "./helpers/databases.js";
import { tripRequest } from "./helpers/trips.js";

type Json = Record<string, any>;

/** A page on the same site as the web app and the API (same host, another port): its requests carry the cookie. */
const SAME_SITE_PAGE = "http://127.0.0.1:4444";
const FORM = { "content-type": "application/x-www-form-urlencoded" };

describe.each(DRIVERS)("writes by session cookie come only from the web app's origins (%s)", (driver) => {
  let t: TestApp;
  let token: string;
  let cookie: string;
  let speech: Buffer;

  beforeAll(async () => {
    t = await createTestApp(driver, { env: { STT_PROVIDER: "pocketsphinx", TTS_PROVIDER: "none" } });
    token = await signIn(t.app, testAccount(16));
    cookie = `trvl_session=${token}`;
    const spoken = await new EspeakTts({ binary: "espeak-ng" }).synthesize("Plan a trip to Paris for four days");
    speech = encodeWav(resample(decodeWav(spoken.audio), 16_000));
  });
  afterAll(() => t.close());

  async function newBooking() {
    const { status, body } = await call(t.app, "POST", "/bookings", { token, body: await tripRequest(t.app) });
    expect(status).toBe(201);
    return body.booking.id as string;
  }
  const statusOf = async (id: string) => (await call(t.app, "GET", `/bookings/${id}`, { token })).body.booking.status;

  it("a form post from another origin cannot cancel a booking; the same from the web app can", async () => {
    const id = await newBooking();
    const forged = await call(t.app, "POST", `/bookings/${id}/cancel`, {
      body: "",
      headers: { ...FORM, cookie, origin: SAME_SITE_PAGE },
    });
    expect(expectError(forged)).toMatchObject({ status: 403, code: "csrf_origin_mismatch", hasShape: true });
    expect(forged.body.error.details).toEqual({ origin: SAME_SITE_PAGE });
    expect(await statusOf(id)).toBe("quoted");

    const mine = await call(t.app, "POST", `/bookings/${id}/cancel`, { headers: { cookie, origin: WEB_ORIGIN } });
    expect(mine).toMatchObject({ status: 200, body: { status: "cancelled" } });
  });

  it("a bearer token works from any origin: a page cannot make the browser send it", async () => {
    const id = await newBooking();
    const response = await call(t.app, "POST", `/bookings/${id}/cancel`, {
      token,
      headers: { cookie, origin: SAME_SITE_PAGE },
    });
    expect(response).toMatchObject({ status: 200, body: { status: "cancelled" } });
  });

  it("a multipart voice request from another origin writes nothing into the planner history", async () => {
    const voice = (headers: Record<string, string>) => {
      const form = new FormData();
      form.set("audio", new Blob([Uint8Array.from(speech)], { type: "audio/wav" }), "request.wav");
      return t.app.request("/voice/plan", { method: "POST", body: form, headers });
    };
    const history = async () =>
      ((await call(t.app, "GET", "/planner/conversations", { token })).body.conversations as Json[]).length;

    const forged = await voice({ cookie, origin: SAME_SITE_PAGE });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as Json).error.code).toBe("csrf_origin_mismatch");
    expect(await history()).toBe(0);

    expect((await voice({ cookie, origin: WEB_ORIGIN })).status).toBe(200);
    expect(await history()).toBe(1);
    const byToken = await voice({ authorization: `Bearer ${token}`, origin: SAME_SITE_PAGE });
    expect(byToken.status).toBe(200);
  });

  it("without Origin the Referer decides; with neither a cookie write is refused", async () => {
    const forget = (headers: Record<string, string>) =>
      call(t.app, "DELETE", "/planner/conversations", { headers: { cookie, ...headers } });
    expect((await forget({ referer: `${WEB_ORIGIN}/plan?x=1` })).status).toBe(200);
    // Both web origins of the default configuration (npm start's), and the API's own (its docs page).
    expect((await forget({ origin: "http://127.0.0.1:3000" })).status).toBe(200);
    expect((await forget({ origin: "http://localhost" })).status).toBe(200);
    expect(expectError(await forget({ referer: `${SAME_SITE_PAGE}/page` }))).toMatchObject({
      status: 403,
      code: "csrf_origin_mismatch",
    });
    expect(expectError(await forget({}))).toMatchObject({ status: 403, code: "csrf_origin_mismatch" });
    expect(expectError(await forget({ origin: "null" }))).toMatchObject({ status: 403, code: "csrf_origin_mismatch" });
  });

  it("reads by cookie and anonymous writes are not concerned", async () => {
    const me = await call(t.app, "GET", "/auth/me", { headers: { cookie, origin: SAME_SITE_PAGE } });
    expect(me).toMatchObject({ status: 200, body: { address: testAccount(16).address } });
    // The browser keeps the answer from the page (no CORS headers for that origin); the request itself is harmless.
    expect(me.headers.get("access-control-allow-origin")).toBeNull();
    const anonymous = await call(t.app, "POST", "/planner/plan", {
      body: { text: "Three days in Rome" },
      headers: { origin: SAME_SITE_PAGE },
    });
    expect(anonymous.status).toBe(200);
  });

  it("a form post from another origin cannot sign the user out; the web app can", async () => {
    const session = `trvl_session=${await signIn(t.app, testAccount(17))}`;
    const logout = (origin: string) =>
      call(t.app, "POST", "/auth/logout", { body: "", headers: { ...FORM, cookie: session, origin } });
    const me = () => call(t.app, "GET", "/auth/me", { headers: { cookie: session } });

    expect(expectError(await logout(SAME_SITE_PAGE))).toMatchObject({ status: 403, code: "csrf_origin_mismatch" });
    expect((await me()).status).toBe(200);
    expect((await logout(WEB_ORIGIN)).status).toBe(204);
    expect((await me()).status).toBe(401);
  });
});
