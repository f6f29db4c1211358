"use client";

/**
 * The header's one click in, on the local chain: connects the burner wallet (funded on first use) and signs in with
 * Ethereum right after, the burner signing without a prompt.
 */
import { useEffect, useState } from "react";
import { useAccount, useConnect } from "wagmi";

import { useSessionState } from "@/features/auth/session";

import { BURNER_CONNECTOR_ID } from "./burner-connector";

export function BurnerButton() {
  const { isConnected, connector } = useAccount();
  const { connectors, connectAsync, isPending, error } = useConnect();
  const { address, signIn } = useSessionState();
  const [signInNext, setSignInNext] = useState(false);

  useEffect(() => {
    if (!signInNext || !isConnected || connector?.id !== BURNER_CONNECTOR_ID) return;
    setSignInNext(false);
    if (!address) signIn();
  }, [signInNext, isConnected, connector, address, signIn]);

  const burner = connectors.find((c) => c.id === BURNER_CONNECTOR_ID);
  if (isConnected || !burner) return null;
  return (
    <>
      <button
        type="button"
        disabled={isPending}
        title="A wallet kept in this browser, funded with test ETH and tUSD on the local chain"
        onClick={() => {
          setSignInNext(true);
          connectAsync({ connector: burner }).catch(() => setSignInNext(false));
        }}
        className="rounded-lg bg-orange-700 px-3 py-2 text-sm font-semibold text-white hover:bg-orange-800 disabled:bg-slate-400"
      >
        {isPending ? "Connecting…" : "Burner wallet"}
      </button>
      {error && (
        <span role="alert" className="sr-only">
          The burner wallet did not connect: {error.message}
        </span>
      )}
    </>
  );
}
