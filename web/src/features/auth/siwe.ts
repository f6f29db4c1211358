/**
 * Sign-In with Ethereum against the backend's /auth endpoints, in the shape ConnectKit's `SIWEProvider` takes (it is
 * given this object in the wallet modal, ../../components/wallet-modal.tsx; the app's own ./session.tsx uses it too).
 * The session is the API's httpOnly cookie: it survives a reload, and `getSession` asks the API who it belongs to.
 *
 * Only types come from ConnectKit here: this file is in every page's first load, ConnectKit is not.
 */
import type { SIWE_NONCE_QUERY_KEY, SIWE_SESSION_QUERY_KEY, SIWEConfig } from "connectkit";
import { createSiweMessage } from "viem/siwe";

import { api, ApiError, call } from "@/lib/api";
import { config } from "@/lib/config";

/** The app's session query (./session.tsx): the one pages read. */
export const SESSION_KEY = ["auth", "session"] as const;
/** ConnectKit's own session and nonce queries, while its SIWEProvider is mounted (the types check the names). */
export const CONNECTKIT_SESSION_KEY: readonly [typeof SIWE_SESSION_QUERY_KEY] = ["ckSiweSession"];
export const CONNECTKIT_NONCE_KEY: readonly [typeof SIWE_NONCE_QUERY_KEY] = ["ckSiweNonce"];

export const siwe = {
  getNonce: async () => (await call(api.auth.nonce.$get())).nonce,
  createMessage: ({ nonce, address, chainId }: { nonce: string; address: `0x${string}`; chainId: number }) =>
    createSiweMessage({
      domain: window.location.host,
      uri: window.location.origin,
      address,
      chainId,
      nonce,
      version: "1",
      statement: "Sign in to TRVL. This costs nothing and sends no transaction.",
      issuedAt: new Date(),
      expirationTime: new Date(Date.now() + 10 * 60_000),
    }),
  /** True once the API has opened the session; throws the API's error (e.g. `siwe_nonce_used`) otherwise. */
  verifyMessage: async ({ message, signature }: { message: string; signature: string }) => {
    await call(api.auth.verify.$post({ json: { message, signature: signature as `0x${string}` } }));
    return true;
  },
  getSession: async (): Promise<{ address: `0x${string}`; chainId: number } | null> => {
    // 200 signed in or out: a signed-out visit logs no failed request.
    const { address } = await call(api.auth.session.$get());
    // The API opens sessions for its own chain only (`siwe_chain_mismatch` otherwise).
    return address ? { address: address as `0x${string}`, chainId: config.defaultChainId } : null;
  },
  signOut: async () => {
    try {
      await call(api.auth.logout.$post());
    } catch (error) {
      // Already signed out is signed out.
      if (!(error instanceof ApiError && error.status === 401)) throw error;
    }
    return true;
  },
} satisfies Pick<SIWEConfig, "getNonce" | "createMessage" | "verifyMessage" | "getSession" | "signOut">;
