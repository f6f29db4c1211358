"use client";

/**
 * On the local chain only: how to use MetaMask (or any browser wallet) instead of the burner wallet: the network's
 * settings, a button that adds it, and a key to import (the burner's own, or one of the node's public test accounts).
 */
import { useState } from "react";
import { numberToHex } from "viem";

import { config } from "@/lib/config";

import { BURNER_KEY_STORAGE } from "./burner-key";

interface InjectedWallet {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

export function LocalChainHelp() {
  const rpcUrl = config.rpcUrls[String(config.defaultChainId)];
  const [status, setStatus] = useState<string>();
  const [key, setKey] = useState<string | null>();

  const addNetwork = async () => {
    const wallet = (window as unknown as { ethereum?: InjectedWallet }).ethereum;
    if (!wallet) return setStatus("No browser wallet found: add the network by hand with the settings above.");
    try {
      await wallet.request({
        method: "wallet_addEthereumChain",
        params: [
          {
            chainId: numberToHex(config.defaultChainId),
            chainName: "TRVL local (Hardhat)",
            nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
            rpcUrls: [rpcUrl],
          },
        ],
      });
      setStatus("Network added.");
    } catch {
      setStatus("The wallet did not add the network.");
    }
  };

  return (
    <details
      className="mt-4 rounded-lg border border-slate-200 p-3 text-sm text-slate-700"
      data-testid="local-chain-help"
    >
      <summary className="cursor-pointer font-medium">Use MetaMask on the local chain</summary>
      <p className="mt-2">This app runs against a local test chain. To use MetaMask instead of the burner wallet:</p>
      <ol className="mt-2 list-decimal space-y-1 pl-5">
        <li>
          Add the network: name <strong>TRVL local (Hardhat)</strong>, RPC URL{" "}
          <code className="break-all">{rpcUrl}</code>, chain id <strong>{config.defaultChainId}</strong>, currency{" "}
          <strong>ETH</strong>.{" "}
          <button type="button" className="font-medium text-brand-700 underline" onClick={() => void addNetwork()}>
            Add it to my wallet
          </button>
          {status && <span aria-live="polite"> {status}</span>}
        </li>
        <li>
          Import a test key (MetaMask: Add account → Import account). <code>npm start</code> prints the local
          chain&apos;s test accounts with their keys; accounts #6 to #19 hold test ETH and tUSD.{" "}
          {key === undefined ? (
            <button
              type="button"
              className="font-medium text-brand-700 underline"
              onClick={() => setKey(window.localStorage.getItem(BURNER_KEY_STORAGE))}
            >
              Show this browser&apos;s burner key
            </button>
          ) : key ? (
            <code className="block break-all" data-testid="burner-key">
              {key}
            </code>
          ) : (
            <span>This browser has no burner wallet yet.</span>
          )}
        </li>
      </ol>
      <p className="mt-2 text-xs text-slate-500">Test keys are public: never send real funds to them.</p>
    </details>
  );
}
