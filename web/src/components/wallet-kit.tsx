"use client";

/**
 * The wallet modal (ConnectKit) on demand: ConnectKit, its animations and wallet logos are most of the app's
 * JavaScript, and a visitor who never connects a wallet never needs them. `useWalletModal().open()` loads it once and
 * opens it: the wallet list when disconnected, the account (and disconnect) when connected.
 */
import dynamic from "next/dynamic";
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from "react";

const WalletModal = dynamic(() => import("./wallet-modal"), { ssr: false });

interface WalletKit {
  open(): void;
  /** True from the first open until ConnectKit has loaded. */
  loading: boolean;
}

const WalletKitContext = createContext<WalletKit>({ open: () => undefined, loading: false });

export function WalletKitProvider({ children }: { children: ReactNode }) {
  const [wanted, setWanted] = useState(false);
  const [ready, setReady] = useState(false);
  const openModal = useRef<(() => void) | null>(null);
  const openWhenReady = useRef(false);

  const open = useCallback(() => {
    if (openModal.current) return openModal.current();
    openWhenReady.current = true;
    setWanted(true);
  }, []);
  const onReady = useCallback((opener: () => void) => {
    openModal.current = opener;
    setReady(true);
    if (openWhenReady.current) {
      openWhenReady.current = false;
      opener();
    }
  }, []);

  const value = useMemo(() => ({ open, loading: wanted && !ready }), [open, wanted, ready]);
  return (
    <WalletKitContext.Provider value={value}>
      {children}
      {wanted && <WalletModal onReady={onReady} />}
    </WalletKitContext.Provider>
  );
}

export const useWalletModal = () => useContext(WalletKitContext);
