"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { WagmiProvider } from "wagmi";

import { LiveUpdates } from "@/features/auth/live-updates";
import { SessionProvider } from "@/features/auth/session";
import { wagmiConfig } from "@/lib/wagmi";

import { WalletKitProvider } from "./wallet-kit";

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } }),
  );
  return (
    <WagmiProvider config={wagmiConfig}>
      <QueryClientProvider client={queryClient}>
        <SessionProvider>
          <WalletKitProvider>
            <LiveUpdates>{children}</LiveUpdates>
          </WalletKitProvider>
        </SessionProvider>
      </QueryClientProvider>
    </WagmiProvider>
  );
}
