"use client";

import { useCallback, useReducer } from "react";
import type { TransactionReceipt } from "viem";
import { useConfig } from "wagmi";
import { waitForTransactionReceipt } from "wagmi/actions";

import { describeTxError } from "./tx-errors";
import { idle, txReducer } from "./tx-state";

export interface TxSteps {
  /** Tells the person what their wallet is asking now (for multi-step actions: permit, then payment). */
  step(label: string): void;
}

/**
 * Runs an action that ends in a transaction and tracks it: wallet prompt, pending, confirmed or failed with a
 * human-readable reason. `action` returns the transaction hash.
 */
export function useTx(options: { onConfirmed?: (receipt: TransactionReceipt) => void } = {}) {
  const wagmiConfig = useConfig();
  const [state, dispatch] = useReducer(txReducer, idle);
  const { onConfirmed } = options;

  const run = useCallback(
    async (action: (steps: TxSteps) => Promise<`0x${string}`>, firstStep = "Confirm in your wallet") => {
      dispatch({ type: "start", step: firstStep });
      try {
        const hash = await action({ step: (label) => dispatch({ type: "step", step: label }) });
        dispatch({ type: "submitted", hash });
        const receipt = await waitForTransactionReceipt(wagmiConfig, { hash });
        if (receipt.status !== "success") {
          dispatch({ type: "failed", reason: "The transaction was reverted on chain." });
          return undefined;
        }
        dispatch({ type: "confirmed" });
        onConfirmed?.(receipt);
        return receipt;
      } catch (error) {
        dispatch({ type: "failed", reason: describeTxError(error) });
        return undefined;
      }
    },
    [wagmiConfig, onConfirmed],
  );

  const reset = useCallback(() => dispatch({ type: "reset" }), []);
  return { state, run, reset };
}
