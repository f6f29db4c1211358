"use client";

import { Button } from "@/components/ui";

import { useSessionState } from "./session";

/** Asks the connected wallet to sign the SIWE message; says so while the wallet is open. */
export function SignInButton({ className }: { className?: string }) {
  const { signIn, signInStatus } = useSessionState();
  return (
    <Button onClick={signIn} disabled={signInStatus === "signing"} className={className}>
      {signInStatus === "signing" ? "Check your wallet…" : "Sign in"}
    </Button>
  );
}
