"use client";

import { useChainId } from "wagmi";

import { txUrl } from "@/lib/chains";
import type { TxState } from "@/lib/tx-state";

/** Where a transaction stands, announced to screen readers as it changes. */
export function TxStatus({ state, confirmedText = "Confirmed." }: { state: TxState; confirmedText?: string }) {
  const chainId = useChainId();
  const link = (hash: string) => (
    <a className="underline" href={txUrl(chainId, hash)} target="_blank" rel="noreferrer">
      view transaction
    </a>
  );
  return (
    <p role="status" aria-live="polite" className="min-h-6 text-sm">
      {state.status === "signing" && <span className="text-slate-600">{state.step}…</span>}
      {state.status === "pending" && <span className="text-slate-600">Pending on chain… ({link(state.hash)})</span>}
      {state.status === "confirmed" && (
        <span className="text-emerald-700">
          {confirmedText} ({link(state.hash)})
        </span>
      )}
      {state.status === "failed" && (
        <span className="text-red-700">
          Failed: {state.reason}
          {state.hash && <> ({link(state.hash)})</>}
        </span>
      )}
    </p>
  );
}
