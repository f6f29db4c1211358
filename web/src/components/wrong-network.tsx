"use client";

import { useSwitchChain } from "wagmi";

import { appChains } from "@/lib/chains";
import { describeTxError } from "@/lib/tx-errors";

import { Button, Card, Notice } from "./ui";

/** A wallet on a network where TRVL does not run: which one it runs on, and a switch to it. */
export default function WrongNetwork() {
  const { switchChain, isPending, error } = useSwitchChain();
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
