"use client";

import type { ReactNode } from "react";
import { useAccount, useSwitchChain } from "wagmi";

import { LocalChainHelp } from "@/features/burner/local-chain-help";
import { appChains } from "@/lib/chains";
import { describeTxError } from "@/lib/tx-errors";
import { useDeployment } from "@/lib/use-deployment";

import { ConnectButton } from "./connect-button";
import { Button, Card, Notice } from "./ui";

/** Shows its children once a wallet is connected to a chain TRVL runs on; otherwise says what to do. */
export function WalletGate({ children, purpose }: { children: ReactNode; purpose: string }) {
  const { isConnected } = useAccount();
  const { deployment } = useDeployment();
  const { switchChain, isPending, error } = useSwitchChain();

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
  if (!deployment) {
    const target = appChains[0];
    return (
      <Card>
        <Notice tone="warning">
          <p className="mb-2">Your wallet is on a network where TRVL does not run. TRVL runs on {target.name}.</p>
          <Button disabled={isPending} onClick={() => switchChain({ chainId: target.id })}>
            {isPending ? "Switching…" : `Switch to ${target.name}`}
          </Button>
          {error && <p className="mt-2">{describeTxError(error)}</p>}
        </Notice>
      </Card>
    );
  }
  return <>{children}</>;
}
