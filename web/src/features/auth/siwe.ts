/**
 * Sign-In with Ethereum against the backend's /auth endpoints. The session is the API's httpOnly cookie: it survives
 * a reload, and `getSession` asks the API who it belongs to.
 */
import { createSiweMessage } from "viem/siwe";

import { api, ApiError, call } from "@/lib/api";
import { config } from "@/lib/config";

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
  verifyMessage: async ({ message, signature }: { message: string; signature: `0x${string}` }) => {
    await call(api.auth.verify.$post({ json: { message, signature } }));
  },
  getSession: async (): Promise<{ address: `0x${string}`; chainId: number } | null> => {
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
      if (!(error instanceof ApiError && error.status === 401)) throw error;
    }
  },
};
