/**
 * A burner wallet for the local chain, as a wagmi connector: a key made in this browser and kept in its storage
 * (./burner-key.ts), topped up from the node's test accounts when it connects (./faucet.ts). It signs at once, with
 * no prompt: it exists so that someone without a wallet extension is in with one click. Only builds for the local
 * chain include it (see ../../lib/wagmi.ts).
 */
import { contract } from "@trvl/abi";
import { createConnector } from "wagmi";
import {
  createWalletClient,
  getAddress,
  http,
  numberToHex,
  SwitchChainError,
  type Chain,
  type EIP1193RequestFn,
  type Hex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { burnerKey } from "./burner-key";
import { fundFromNode } from "./faucet";

export const BURNER_CONNECTOR_ID = "burnerWallet";
const CONNECTED = "trvl.burnerWallet.connected";

// Built when asked for, so that nothing of this module runs on import.
const icon = () =>
  `data:image/svg+xml,${encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#ea580c"/><path d="M16 6c1 4 6 6 6 12a6 6 0 0 1-12 0c0-3 2-5 3-6 0 2 1 3 2 3 0-3-1-6 1-9z" fill="#fff"/></svg>',
  )}`;

interface RpcTransaction {
  to?: Hex;
  data?: Hex;
  value?: Hex;
  gas?: Hex;
  nonce?: Hex;
}

const big = (value?: Hex) => (value === undefined ? undefined : BigInt(value));

/** An EIP-1193 provider for the burner's key on `chain`: signs locally, forwards every other request to the node. */
export function burnerProvider(chain: Chain, key: Hex) {
  const account = privateKeyToAccount(key);
  const url = chain.rpcUrls.default.http[0];
  const node = http(url)({ chain }).request as EIP1193RequestFn;
  const wallet = createWalletClient({ account, chain, transport: http(url) });
  const request = async ({ method, params }: { method: string; params?: unknown }) => {
    const args = (params ?? []) as unknown[];
    switch (method) {
      case "eth_accounts":
      case "eth_requestAccounts":
        return [account.address];
      case "eth_chainId":
        return numberToHex(chain.id);
      case "personal_sign":
        return account.signMessage({ message: { raw: args[0] as Hex } });
      case "eth_signTypedData_v4":
        return account.signTypedData(JSON.parse(args[1] as string));
      case "eth_sendTransaction": {
        const tx = args[0] as RpcTransaction;
        return wallet.sendTransaction({
          to: tx.to,
          data: tx.data,
          value: big(tx.value),
          gas: big(tx.gas),
          nonce: tx.nonce === undefined ? undefined : Number(tx.nonce),
        });
      }
      case "wallet_switchEthereumChain":
        if (Number((args[0] as { chainId: Hex }).chainId) === chain.id) return null;
        throw new SwitchChainError(new Error(`The burner wallet lives on the local chain (${chain.id}) only`));
      default:
        return node({ method, params } as never);
    }
  };
  return { address: account.address, request: request as EIP1193RequestFn, node };
}

/** The wagmi connector for the burner wallet on the config's local chain. */
export function burnerWallet(localChainId: number) {
  return createConnector((config) => {
    let provider: ReturnType<typeof burnerProvider> | undefined;
    const remembered = () => typeof window !== "undefined" && window.localStorage.getItem(CONNECTED) === "1";
    const chain = () => {
      const found = config.chains.find((c) => c.id === localChainId);
      if (!found) throw new Error(`The burner wallet needs the local chain ${localChainId} configured`);
      return found;
    };
    const getProvider = () => (provider ??= burnerProvider(chain(), burnerKey()));
    return {
      id: BURNER_CONNECTOR_ID,
      name: "Burner wallet (local chain)",
      type: "burner",
      icon: icon(),
      async connect(parameters?: { chainId?: number; isReconnecting?: boolean }) {
        const burner = getProvider();
        if (!parameters?.isReconnecting)
          await fundFromNode(burner.node, burner.address, contract(localChainId, "Stablecoin"));
        window.localStorage.setItem(CONNECTED, "1");
        // wagmi's connect result type depends on capabilities it was asked for; the burner has none.
        return { accounts: [burner.address], chainId: localChainId } as never;
      },
      async disconnect() {
        window.localStorage.removeItem(CONNECTED);
      },
      async getAccounts() {
        return [getAddress(getProvider().address)];
      },
      async getChainId() {
        return localChainId;
      },
      async getProvider() {
        return getProvider();
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
