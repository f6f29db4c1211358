"use client";

import { SIWEButton, useSIWE } from "connectkit";
import type { ReactNode } from "react";
import { getAddress } from "viem";
import { useAccount } from "wagmi";

import { Card, Notice } from "@/components/ui";
import { WalletGate } from "@/components/wallet-gate";

/** The signed-in address, once the wallet has signed in with Ethereum (and is still the wallet connected). */
export function useSession(): { address: `0x${string}` | undefined; isLoading: boolean } {
  const siwe = useSIWE() as { isSignedIn: boolean; data?: { address: `0x${string}` }; isLoading: boolean };
  const { address } = useAccount();
  const signedIn = siwe.isSignedIn && siwe.data && address && getAddress(siwe.data.address) === getAddress(address);
  return { address: signedIn ? getAddress(address) : undefined, isLoading: siwe.isLoading };
}

/** Shows its children to a connected wallet that has signed in; otherwise asks it to sign in. */
export function SessionGate({ children, purpose }: { children: ReactNode; purpose: string }) {
  return (
    <WalletGate purpose={purpose}>
      <SignedIn purpose={purpose}>{children}</SignedIn>
    </WalletGate>
  );
}

function SignedIn({ children, purpose }: { children: ReactNode; purpose: string }) {
  const { address } = useSession();
  const siwe = useSIWE() as { isRejected: boolean; isError: boolean };
  if (address) return <>{children}</>;
  return (
    <Card>
      <p className="mb-3 text-slate-700">
        Sign in with your wallet to {purpose}. Signing a message proves the wallet is yours; it costs nothing and sends
        no transaction.
      </p>
      <SIWEButton showSignOutButton={false} />
      {siwe.isRejected && (
        <div className="mt-3">
          <Notice tone="warning">You declined the sign-in request. Sign in when you are ready.</Notice>
        </div>
      )}
      {siwe.isError && (
        <div className="mt-3">
          <Notice tone="error">Signing in did not work. Check that your wallet is unlocked and try again.</Notice>
        </div>
      )}
    </Card>
  );
}
