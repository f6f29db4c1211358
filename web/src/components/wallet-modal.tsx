"use client";

/**
 * ConnectKit's modal, loaded only when the wallet modal is first opened (see ./wallet-kit.tsx), with ConnectKit's
 * Sign-In with Ethereum: once a wallet connects, the modal's next step is "Sign In" (ConnectKit's `SIWEProvider`,
 * against the API through the same ../features/auth/siwe.ts as the app's own sign-in).
 */
import { useQueryClient } from "@tanstack/react-query";
import { ConnectKitProvider, SIWEProvider, useModal } from "connectkit";
import { useEffect, useMemo, useRef } from "react";

import { CONNECTKIT_NONCE_KEY, SESSION_KEY, siwe } from "@/features/auth/siwe";
import { config } from "@/lib/config";

export default function WalletModal({ onReady }: { onReady: (open: () => void) => void }) {
  const siweProps = useConnectKitSiwe();
  return (
    // Outside ConnectKitProvider, as ConnectKit requires.
    <SIWEProvider {...siweProps}>
      <ConnectKitProvider
        mode="light"
        options={{
          initialChainId: config.defaultChainId,
          enforceSupportedChains: false,
          hideNoWalletCTA: false,
          disclaimer: "TRVL runs on your wallet: it never holds your keys.",
        }}
      >
        <Opener onReady={onReady} />
      </ConnectKitProvider>
    </SIWEProvider>
  );
}

/**
 * ConnectKit's SIWE configuration. The app's SessionProvider (../features/auth/session.tsx) stays the one that signs
 * out on disconnect, account or network change (it runs whether or not this modal was ever loaded): ConnectKit's own
 * sign-outs are off so that a disconnect does not log out twice. ConnectKit's sign-in and sign-out refresh the app's
 * session at once, so the header and the pages follow without a reload.
 */
function useConnectKitSiwe() {
  const queryClient = useQueryClient();
  return useMemo(
    () => ({
      ...siwe,
      verifyMessage: async (args: { message: string; signature: string }) => {
        try {
          return await siwe.verifyMessage(args);
        } finally {
          // The API's nonces are single-use (and expire): ConnectKit fetches one when it loads and every 5 minutes,
          // but not after a sign-in, so that a later sign-in (after a sign-out or another account) or a retry after
          // a refusal gets a fresh one.
          void queryClient.invalidateQueries({ queryKey: CONNECTKIT_NONCE_KEY });
        }
      },
      signOutOnDisconnect: false,
      signOutOnAccountChange: false,
      signOutOnNetworkChange: false,
      onSignIn: () => void queryClient.invalidateQueries({ queryKey: SESSION_KEY }),
      onSignOut: () => void queryClient.invalidateQueries({ queryKey: SESSION_KEY }),
    }),
    [queryClient],
  );
}

function Opener({ onReady }: { onReady: (open: () => void) => void }) {
  const modal = useModal();
  // The latest `setOpen` knows whether a wallet is connected (wallet list or account view).
  const latest = useRef(modal.setOpen);
  latest.current = modal.setOpen;
  useEffect(() => {
    // ConnectKit's modal ignores an open in the very commit it mounts in: hand out the opener a frame later.
    const frame = requestAnimationFrame(() => onReady(() => latest.current(true)));
    return () => cancelAnimationFrame(frame);
  }, [onReady]);
  return null;
}
