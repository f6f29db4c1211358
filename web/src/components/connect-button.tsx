"use client";

import { useAccount } from "wagmi";

import { shortAddress } from "@/lib/format";

import { useWalletModal } from "./wallet-kit";

/** "Connect Wallet", or the connected account: either opens the wallet modal (loading it the first time). */
export function ConnectButton({ className = "" }: { className?: string }) {
  const { address, isConnecting, isReconnecting } = useAccount();
  const modal = useWalletModal();
  const label = address ? shortAddress(address) : isConnecting || isReconnecting ? "Connecting…" : "Connect Wallet";
  return (
    <button
      type="button"
      onClick={modal.open}
      aria-busy={modal.loading || undefined}
      className={`rounded-lg bg-slate-100 px-3 py-2 text-sm font-medium text-slate-800 hover:bg-slate-200 ${className}`}
    >
      {address && <span aria-hidden className="mr-2 inline-block h-2 w-2 rounded-full bg-emerald-500" />}
      {label}
      {address && <span className="sr-only">: account and disconnect</span>}
    </button>
  );
}
