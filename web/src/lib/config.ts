/**
 * The web app's configuration, read once at build time from NEXT_PUBLIC_* variables (Next.js inlines each one it
 * sees spelled out below). Invalid values stop the build with a message naming the variable. Checked by hand rather
 * than with zod: this module ships to every browser, and zod would be a noticeable part of the first load.
 */

class ConfigError extends Error {
  constructor(variable: string, expected: string) {
    super(`Invalid web configuration: ${variable}: ${expected}`);
    this.name = "ConfigError";
  }
}

/** `value` if it matches, else stops naming the variable and what it should be. */
function checked(variable: string, value: string, pattern: RegExp, expected: string): string {
  if (!pattern.test(value)) throw new ConfigError(variable, expected);
  return value;
}

function url(variable: string, value: string): string {
  try {
    const parsed = new URL(value);
    if (parsed.protocol === "http:" || parsed.protocol === "https:") return value;
  } catch {
    // Reported below.
  }
  throw new ConfigError(variable, "must be an http(s) URL");
}

const CHAIN_IDS = /^\d+(,\d+)*$/;
const ADDRESSES = /^0x[0-9a-fA-F]{40}(,0x[0-9a-fA-F]{40})*$/;

function parse() {
  const env = {
    NEXT_PUBLIC_API_URL: process.env.NEXT_PUBLIC_API_URL || undefined,
    NEXT_PUBLIC_CHAIN_ID: process.env.NEXT_PUBLIC_CHAIN_ID || undefined,
    NEXT_PUBLIC_CHAINS: process.env.NEXT_PUBLIC_CHAINS || undefined,
    NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID: process.env.NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID || undefined,
    NEXT_PUBLIC_TEST_WALLET: process.env.NEXT_PUBLIC_TEST_WALLET || undefined,
    // One local test account, or several separated by commas (each becomes its own test wallet).
    NEXT_PUBLIC_TEST_WALLET_ACCOUNT: process.env.NEXT_PUBLIC_TEST_WALLET_ACCOUNT || undefined,
    // RPC URLs per chain: NEXT_PUBLIC_RPC_URLS='{"84532":"https://…"}'. The local chain defaults to 127.0.0.1:8545.
    NEXT_PUBLIC_RPC_URLS: process.env.NEXT_PUBLIC_RPC_URLS || undefined,
  };

  const apiUrl = url("NEXT_PUBLIC_API_URL", env.NEXT_PUBLIC_API_URL ?? "http://127.0.0.1:8787");
  const defaultChainId = Number(
    checked("NEXT_PUBLIC_CHAIN_ID", env.NEXT_PUBLIC_CHAIN_ID ?? "31337", /^[1-9]\d*$/, "must be a chain id"),
  );
  const chainIds = env.NEXT_PUBLIC_CHAINS
    ? checked("NEXT_PUBLIC_CHAINS", env.NEXT_PUBLIC_CHAINS, CHAIN_IDS, "a comma-separated list of chain ids")
        .split(",")
        .map(Number)
    : [defaultChainId];
  const testWallet =
    checked("NEXT_PUBLIC_TEST_WALLET", env.NEXT_PUBLIC_TEST_WALLET ?? "0", /^[01]$/, 'must be "0" or "1"') === "1";
  const testWalletAccounts = env.NEXT_PUBLIC_TEST_WALLET_ACCOUNT
    ? (checked(
        "NEXT_PUBLIC_TEST_WALLET_ACCOUNT",
        env.NEXT_PUBLIC_TEST_WALLET_ACCOUNT,
        ADDRESSES,
        "an address or a comma-separated list of addresses",
      ).split(",") as `0x${string}`[])
    : [];

  let rpc: unknown;
  try {
    rpc = JSON.parse(env.NEXT_PUBLIC_RPC_URLS ?? "{}");
  } catch {
    rpc = null;
  }
  if (typeof rpc !== "object" || rpc === null || Array.isArray(rpc))
    throw new ConfigError("NEXT_PUBLIC_RPC_URLS", "must map chain ids to URLs");
  for (const [chainId, value] of Object.entries(rpc)) {
    if (!/^\d+$/.test(chainId) || typeof value !== "string")
      throw new ConfigError("NEXT_PUBLIC_RPC_URLS", "must map chain ids to URLs");
    url("NEXT_PUBLIC_RPC_URLS", value);
  }

  return {
    apiUrl: apiUrl.replace(/\/$/, ""),
    defaultChainId,
    chainIds,
    rpcUrls: { "31337": "http://127.0.0.1:8545", ...(rpc as Record<string, string>) } as Record<string, string>,
    walletConnectProjectId: env.NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID,
    testWallet,
    testWalletAccounts: testWallet ? testWalletAccounts : [],
  };
}

export const config = parse();
