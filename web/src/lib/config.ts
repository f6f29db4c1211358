import { z } from "zod";

/**
 * The web app's configuration, read once at build time from NEXT_PUBLIC_* variables (Next.js inlines each one it
 * sees spelled out below). Invalid values stop the build with a message naming the variable.
 */
const chainIdList = z
  .string()
  .regex(/^\d+(,\d+)*$/, "a comma-separated list of chain ids")
  .transform((s) => s.split(",").map(Number));

const schema = z.object({
  NEXT_PUBLIC_API_URL: z.url().default("http://127.0.0.1:8787"),
  NEXT_PUBLIC_CHAIN_ID: z.coerce.number().int().positive().default(31337),
  NEXT_PUBLIC_CHAINS: chainIdList.optional(),
  NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID: z.string().optional(),
  NEXT_PUBLIC_TEST_WALLET: z.enum(["0", "1"]).default("0"),
  // One local test account, or several separated by commas (each becomes its own test wallet).
  NEXT_PUBLIC_TEST_WALLET_ACCOUNT: z
    .string()
    .regex(/^0x[0-9a-fA-F]{40}(,0x[0-9a-fA-F]{40})*$/, "an address or a comma-separated list of addresses")
    .transform((s) => s.split(",") as `0x${string}`[])
    .optional(),
});

const rpcUrls = z.record(z.string(), z.url());

function parse() {
  const parsed = schema.safeParse({
    NEXT_PUBLIC_API_URL: process.env.NEXT_PUBLIC_API_URL || undefined,
    NEXT_PUBLIC_CHAIN_ID: process.env.NEXT_PUBLIC_CHAIN_ID || undefined,
    NEXT_PUBLIC_CHAINS: process.env.NEXT_PUBLIC_CHAINS || undefined,
    NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID: process.env.NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID || undefined,
    NEXT_PUBLIC_TEST_WALLET: process.env.NEXT_PUBLIC_TEST_WALLET || undefined,
    NEXT_PUBLIC_TEST_WALLET_ACCOUNT: process.env.NEXT_PUBLIC_TEST_WALLET_ACCOUNT || undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid web configuration: ${issue.path.join(".")}: ${issue.message}`);
  }
  const env = parsed.data;
  // RPC URLs per chain: NEXT_PUBLIC_RPC_URLS='{"84532":"https://…"}'. The local chain defaults to 127.0.0.1:8545.
  const rpc = rpcUrls.safeParse(JSON.parse(process.env.NEXT_PUBLIC_RPC_URLS || "{}"));
  if (!rpc.success) throw new Error("Invalid web configuration: NEXT_PUBLIC_RPC_URLS must map chain ids to URLs");
  return {
    apiUrl: env.NEXT_PUBLIC_API_URL.replace(/\/$/, ""),
    defaultChainId: env.NEXT_PUBLIC_CHAIN_ID,
    chainIds: env.NEXT_PUBLIC_CHAINS ?? [env.NEXT_PUBLIC_CHAIN_ID],
    rpcUrls: { "31337": "http://127.0.0.1:8545", ...rpc.data } as Record<string, string>,
    walletConnectProjectId: env.NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID,
    testWallet: env.NEXT_PUBLIC_TEST_WALLET === "1",
    testWalletAccounts: env.NEXT_PUBLIC_TEST_WALLET === "1" ? (env.NEXT_PUBLIC_TEST_WALLET_ACCOUNT ?? []) : [],
  };
}

export const config = parse();
