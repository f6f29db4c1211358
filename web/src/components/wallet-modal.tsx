"use client";

/** ConnectKit's modal, loaded only when the wallet modal is first opened (see ./wallet-kit.tsx). */
import { ConnectKitProvider, useModal } from "connectkit";
import { useEffect, useRef } from "react";

import { config } from "@/lib/config";

export default function WalletModal({ onReady }: { onReady: (open: () => void) => void }) {
  return (
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
