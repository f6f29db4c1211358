"use client";

import { useAccount } from "wagmi";

import { useSessionState } from "./session";
import { SignInButton } from "./sign-in-button";

/** In the header: "Sign in" once a wallet is connected, then "Sign out". */
export function SessionBadge() {
  const { isConnected } = useAccount();
  const { address, isLoading, signOut, signingOut } = useSessionState();
  if (address)
    return (
      <button
        type="button"
        className="rounded-lg border border-slate-300 px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:text-slate-400"
        disabled={signingOut}
        onClick={() => void signOut()}
      >
        {signingOut ? "Signing out…" : "Sign out"}
      </button>
    );
  if (isConnected && !isLoading) return <SignInButton />;
  return null;
}
