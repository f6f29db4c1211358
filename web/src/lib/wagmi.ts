import { createConfig, createConnector, custom, http, type CreateConnectorFn, type Transport } from "wagmi";
import { coinbaseWallet, injected, mock, walletConnect } from "wagmi/connectors";
import type { Chain } from "viem";
import { mainnet } from "viem/chains";

import { burnerWallet } from "@/features/burner/burner-connector";

import { appChains } from "./chains";
import { config } from "./config";

/**
 * ConnectKit resolves ENS names on Ethereum mainnet and would use a public RPC if mainnet were missing here: it is
 * present, with a configured RPC or one that answers locally that ENS is off. Nothing leaves the machine unless an
 * RPC URL says so.
 */
const ensOff: Transport = custom({
  async request() {
    throw new Error("ENS lookups are off: set an Ethereum mainnet RPC URL (chain 1) in NEXT_PUBLIC_RPC_URLS");
  },
});

function transportFor(chain: Chain): Transport {
  const url = config.rpcUrls[String(chain.id)];
  if (url) return http(url);
  if (chain.id === mainnet.id) return ensOff;
  throw new Error(`Chain ${chain.id} (${chain.name}) needs an RPC URL in NEXT_PUBLIC_RPC_URLS`);
}

const chains = (appChains.some((c) => c.id === mainnet.id) ? appChains : [...appChains, mainnet]) as [
  Chain,
  ...Chain[],
];

/**
 * A test-only wallet on one local test account (wagmi's mock connector: the local node holds the key and signs). It
 * reconnects after a reload only if it was connected, like a real wallet; each account is its own wallet, so a test
 * can switch accounts.
 */
const TEST_WALLET_ICON = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#0b6fdb"/><text x="16" y="21" font-family="sans-serif" font-size="14" font-weight="700" fill="#fff" text-anchor="middle">T</text></svg>',
)}`;

function testWallet(account: `0x${string}`) {
  const id = `test-wallet-${account.toLowerCase()}`;
  const key = `trvl.${id}.connected`;
  const remembered = () => typeof window !== "undefined" && window.localStorage.getItem(key) === "1";
  return createConnector((wagmi) => {
    const base = mock({ accounts: [account], features: { reconnect: true, defaultConnected: remembered() } })(wagmi);
    return {
      ...base,
      id,
      name: `Test wallet ${account.slice(0, 6)}…${account.slice(-4)}`,
      icon: TEST_WALLET_ICON,
      async connect(parameters) {
        const result = await base.connect.call(this, parameters);
        window.localStorage.setItem(key, "1");
        return result;
      },
      async disconnect() {
        window.localStorage.removeItem(key);
        await base.disconnect.call(this);
      },
      async isAuthorized() {
        return remembered() && base.isAuthorized.call(this);
      },
    } as typeof base;
  });
}

/**
 * A connector whose SDK is downloaded when it is used, not on every visit: on load wagmi asks each connector for its
 * provider and whether it is authorized (to reconnect), which imports the SDK (Coinbase's is ~90 kB gzip with its
 * dependencies). Here a connector answers "no provider" without importing anything unless this browser connected
 * with it before, or someone is connecting with it now.
 */
function loadedOnUse(create: CreateConnectorFn): CreateConnectorFn {
  return createConnector((wagmi) => {
    const base = create(wagmi);
    const key = `trvl.${base.id}.connected`;
    const remembered = () => typeof window !== "undefined" && window.localStorage.getItem(key) === "1";
    let connecting = false;
    return {
      ...base,
      async connect(parameters) {
        connecting = true;
        try {
          const result = await base.connect.call(this, parameters);
          window.localStorage.setItem(key, "1");
          return result;
        } finally {
          connecting = false;
        }
      },
      async disconnect() {
        window.localStorage.removeItem(key);
        await base.disconnect.call(this);
      },
      async getProvider(parameters) {
        return connecting || remembered() ? base.getProvider.call(this, parameters) : undefined;
      },
      async isAuthorized() {
        return remembered() && base.isAuthorized.call(this);
      },
    } as typeof base;
  });
}

const connectors = [
  // On the local chain only, a burner wallet: a key kept in this browser, funded by the node's test accounts.
  ...(process.env.TRVL_LOCAL_CHAIN === "1" ? [burnerWallet(config.defaultChainId)] : []),
  injected(),
  // Its SDK reports analytics to Coinbase unless told not to.
  loadedOnUse(coinbaseWallet({ appName: "TRVL", preference: { options: "all", telemetry: false } })),
  ...(config.walletConnectProjectId
    ? [loadedOnUse(walletConnect({ projectId: config.walletConnectProjectId, showQrModal: false }))]
    : []),
  // A test-only wallet on a local test account, compiled in only when NEXT_PUBLIC_TEST_WALLET=1 at build time: the
  // local node holds the key and signs.
  ...config.testWalletAccounts.map(testWallet),
];

export const wagmiConfig = createConfig({
  chains,
  connectors,
  transports: Object.fromEntries(chains.map((c) => [c.id, transportFor(c)])),
  ssr: true,
  multiInjectedProviderDiscovery: true,
});

declare module "wagmi" {
  interface Register {
    config: typeof wagmiConfig;
  }
}
