"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { ConnectKitProvider, SIWEProvider } from "connectkit";
import { useState, type ReactNode } from "react";
import { WagmiProvider } from "wagmi";

import { LiveUpdates } from "@/features/auth/live-updates";
import { siweConfig } from "@/features/auth/siwe";
import { config } from "@/lib/config";
import { wagmiConfig } from "@/lib/wagmi";

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } }),
  );
  return (
    <WagmiProvider config={wagmiConfig}>
      <QueryClientProvider client={queryClient}>
        <SIWEProvider {...siweConfig}>
          <ConnectKitProvider
            mode="light"
            options={{
              initialChainId: config.defaultChainId,
              enforceSupportedChains: false,
              hideNoWalletCTA: false,
              disclaimer: "TRVL runs on your wallet: it never holds your keys.",
            }}
          >
            <LiveUpdates>{children}</LiveUpdates>
          </ConnectKitProvider>
        </SIWEProvider>
      </QueryClientProvider>
    </WagmiProvider>
  );
}
