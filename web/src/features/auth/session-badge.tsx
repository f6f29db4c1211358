"use client";

import { useSIWE } from "connectkit";
import { useState } from "react";

import { useSession } from "./session-gate";

/** "Signed in" with a sign-out button, in the header, once the wallet has signed in. */
export function SessionBadge() {
  const { address } = useSession();
  const siwe = useSIWE() as { signOut: () => Promise<boolean> };
  const [busy, setBusy] = useState(false);
  if (!address) return null;
  return (
    <button
      type="button"
      className="rounded-lg border border-slate-300 px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:text-slate-400"
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        try {
          await siwe.signOut();
        } finally {
          setBusy(false);
        }
      }}
    >
      {busy ? "Signing out…" : "Sign out"}
    </button>
  );
}
