/**
 * Sign-In with Ethereum against the backend's /auth endpoints, in the shape ConnectKit's SIWEProvider takes. The
 * session is the API's httpOnly cookie: it survives a reload, and `getSession` asks the API who it belongs to.
 */
import type { SIWEConfig } from "connectkit";
import { createSiweMessage } from "viem/siwe";

import { api, ApiError, call } from "@/lib/api";
import { config } from "@/lib/config";

export const siweConfig: SIWEConfig = {
  getNonce: async () => (await call(api.auth.nonce.$get())).nonce,
  createMessage: ({ nonce, address, chainId }) =>
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
  verifyMessage: async ({ message, signature }) => {
    await call(api.auth.verify.$post({ json: { message, signature: signature as `0x${string}` } }));
    return true;
  },
  getSession: async () => {
    try {
      const me = await call(api.auth.me.$get());
      return { address: me.address as `0x${string}`, chainId: config.defaultChainId };
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },
  signOut: async () => {
    try {
      await call(api.auth.logout.$post());
    } catch (error) {
      // Already signed out is signed out.
      if (!(error instanceof ApiError && error.status === 401)) return false;
    }
    return true;
  },
  signOutOnAccountChange: true,
  signOutOnDisconnect: true,
  signOutOnNetworkChange: true,
};
