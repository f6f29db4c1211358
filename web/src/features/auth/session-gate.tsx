"use client";

import type { ReactNode } from "react";

import { Card, Notice } from "@/components/ui";
import { WalletGate } from "@/components/wallet-gate";

import { useSessionState } from "./session";
import { SignInButton } from "./sign-in-button";

/** Shows its children to a connected wallet that has signed in; otherwise asks it to sign in. */
export function SessionGate({ children, purpose }: { children: ReactNode; purpose: string }) {
  return (
    <WalletGate purpose={purpose}>
      <SignedIn purpose={purpose}>{children}</SignedIn>
    </WalletGate>
  );
}

function SignedIn({ children, purpose }: { children: ReactNode; purpose: string }) {
  const { address, signInStatus } = useSessionState();
  if (address) return <>{children}</>;
  return (
    <Card>
      <p className="mb-3 text-slate-700">
        Sign in with your wallet to {purpose}. Signing a message proves the wallet is yours; it costs nothing and sends
        no transaction.
      </p>
      <SignInButton />
      {signInStatus === "rejected" && (
        <div className="mt-3">
          <Notice tone="warning">You declined the sign-in request. Sign in when you are ready.</Notice>
        </div>
      )}
      {signInStatus === "error" && (
        <div className="mt-3">
          <Notice tone="error">Signing in did not work. Check that your wallet is unlocked and try again.</Notice>
        </div>
      )}
    </Card>
  );
}
