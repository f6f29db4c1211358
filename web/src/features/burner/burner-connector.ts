/**
 * A burner wallet for the local chain, as a wagmi connector: a key made in this browser and kept in its storage
 * (./burner-key.ts), topped up from the node's test accounts when it connects (./faucet.ts). It signs at once, with
 * no prompt: it exists so that someone without a wallet extension is in with one click. Only builds for the local
 * chain include it (see ../../lib/wagmi.ts).
 */
import { createConnector } from "wagmi";
import { getAddress, SwitchChainError, type EIP1193RequestFn } from "viem";

import type { BurnerProvider } from "./burner-provider";

export const BURNER_CONNECTOR_ID = "burnerWallet";
const CONNECTED = "trvl.burnerWallet.connected";

// Built when asked for, so that nothing of this module runs on import.
const icon = () =>
  `data:image/svg+xml,${encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#ea580c"/><path d="M16 6c1 4 6 6 6 12a6 6 0 0 1-12 0c0-3 2-5 3-6 0 2 1 3 2 3 0-3-1-6 1-9z" fill="#fff"/></svg>',
  )}`;

/** The wagmi connector for the burner wallet on the config's local chain. */
export function burnerWallet(localChainId: number) {
  return createConnector((config) => {
    // The key, its account and the faucet are loaded when the burner is first used (./burner-provider.ts), not on
    // every page load: wagmi asks each connector for its provider at load (to reconnect), so it gets a stand-in that
    // loads the real one on its first request.
    let provider: Promise<BurnerProvider> | undefined;
    const remembered = () => typeof window !== "undefined" && window.localStorage.getItem(CONNECTED) === "1";
    const chain = () => {
      const found = config.chains.find((c) => c.id === localChainId);
      if (!found) throw new Error(`The burner wallet needs the local chain ${localChainId} configured`);
      return found;
    };
    // Behind the same build-time flag as the connector itself (../../lib/wagmi.ts), so that a build for another chain
    // does not even emit these chunks.
    const load = () =>
      (provider ??=
        process.env.TRVL_LOCAL_CHAIN === "1"
          ? Promise.all([import("./burner-provider"), import("./burner-key")]).then(([p, k]) =>
              p.burnerProvider(chain(), k.burnerKey()),
            )
          : Promise.reject(new Error("The burner wallet exists on the local chain only")));
    const onDemand = { request: (async (args) => (await load()).request(args)) as EIP1193RequestFn };
    return {
      id: BURNER_CONNECTOR_ID,
      name: "Burner wallet (local chain)",
      type: "burner",
      icon: icon(),
      async connect(parameters?: { chainId?: number; isReconnecting?: boolean }) {
        const burner = await load();
        if (process.env.TRVL_LOCAL_CHAIN === "1" && !parameters?.isReconnecting) {
          const [{ fundFromNode }, { contract }] = await Promise.all([import("./faucet"), import("@trvl/abi")]);
          await fundFromNode(burner.node, burner.address, contract(localChainId, "Stablecoin"));
        }
        window.localStorage.setItem(CONNECTED, "1");
        // wagmi's connect result type depends on capabilities it was asked for; the burner has none.
        return { accounts: [burner.address], chainId: localChainId } as never;
      },
      async disconnect() {
        window.localStorage.removeItem(CONNECTED);
      },
      async getAccounts() {
        return [getAddress((await load()).address)];
      },
      async getChainId() {
        return localChainId;
      },
      async getProvider() {
        return onDemand;
      },
      async isAuthorized() {
        return remembered();
      },
      async switchChain({ chainId }: { chainId: number }) {
        if (chainId !== localChainId)
          throw new SwitchChainError(new Error(`The burner wallet lives on the local chain (${localChainId}) only`));
        return chain();
      },
      onAccountsChanged() {},
      onChainChanged() {},
      onDisconnect() {
        config.emitter.emit("disconnect");
      },
    };
  });
}
