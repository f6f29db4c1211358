/**
 * The backend's typed client (Hono RPC, from the app's exported type) for scripts and benchmarks, and Sign-In with
 * Ethereum through it, as the web app signs in.
 */
import type { AppType } from "@trvl/backend/app";
import { hc } from "hono/client";
import type { LocalAccount } from "viem";
import { hardhat } from "viem/chains";
import { createSiweMessage } from "viem/siwe";

export type ApiClient = ReturnType<typeof hc<AppType>>;

/** The body of a successful answer; any other status throws with what the API said. */
export async function ok<T>(
  response: Promise<{ ok: boolean; status: number; json(): Promise<T>; text(): Promise<string> }>,
): Promise<T> {
  const res = await response;
  if (!res.ok) throw new Error(`the API answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/**
 * Signs `account` in on the local chain for the web app at `webUrl` (the SIWE message names its domain, which the
 * API must accept) and returns the session token with a client that sends it.
 */
export async function signIn(
  apiUrl: string,
  account: LocalAccount,
  webUrl = "http://localhost:3000",
): Promise<{ token: string; api: ApiClient }> {
  const { nonce } = await ok(hc<AppType>(apiUrl).auth.nonce.$get());
  const web = new URL(webUrl);
  const message = createSiweMessage({
    address: account.address,
    chainId: hardhat.id,
    domain: web.host,
    uri: web.origin,
    version: "1",
    nonce,
    issuedAt: new Date(),
    statement: "Sign in to TRVL",
  });
  const { token } = await ok(
    hc<AppType>(apiUrl).auth.verify.$post({ json: { message, signature: await account.signMessage({ message }) } }),
  );
  return { token, api: hc<AppType>(apiUrl, { headers: { authorization: `Bearer ${token}` } }) };
}
