"use client";

import dynamic from "next/dynamic";
import type { ReactNode } from "react";
import { useAccount } from "wagmi";

import { LocalChainHelp } from "@/features/burner/local-chain-help";
import { useDeployment } from "@/lib/use-deployment";

import { ConnectButton } from "./connect-button";
import { Card } from "./ui";

// Only for a wallet on the wrong network: its switch and its error sentences (viem's error classes) load then.
const WrongNetwork = dynamic(() => import("./wrong-network"));

/** Shows its children once a wallet is connected to a chain TRVL runs on; otherwise says what to do. */
export function WalletGate({ children, purpose }: { children: ReactNode; purpose: string }) {
  const { isConnected } = useAccount();
  const { deployment } = useDeployment();

  if (!isConnected) {
    return (
      <Card>
        {/* The same sentence while a wallet reconnects (the button says so): text that changes after loading
            repaints the page's largest element late. */}
        <p className="mb-3 text-slate-700">Connect a wallet to {purpose}.</p>
        <ConnectButton />
        {process.env.TRVL_LOCAL_CHAIN === "1" && <LocalChainHelp />}
      </Card>
    );
  }
  if (!deployment) return <WrongNetwork />;
  return <>{children}</>;
}
