/**
 * The contracts the backend's listener watches, at the addresses `@trvl/abi` publishes for the chain, from their
 * deployment blocks, on the chain the benchmark gives (PONDER_RPC_URL; PONDER_CHAIN_ID, default 31337).
 * PGlite in PONDER_PGLITE_DIR by default, PostgreSQL when DATABASE_URL is set (Ponder's own rule).
 */
import { getDeployment, PROTOCOL_CONTRACTS, WATCHED_CONTRACTS, type WatchedContractName } from "@trvl/abi";
import { createConfig } from "ponder";

const rpc = process.env.PONDER_RPC_URL;
if (!rpc) throw new Error("PONDER_RPC_URL is not set: the benchmark passes the local chain's URL");
const chainId = Number(process.env.PONDER_CHAIN_ID ?? 31337);
const deployment = getDeployment(chainId);

const contract = (name: WatchedContractName) => ({
  chain: "trvl" as const,
  abi: PROTOCOL_CONTRACTS[name].abi,
  address: deployment.contracts[name].address,
  startBlock: deployment.contracts[name].blockNumber,
});

export default createConfig({
  database: process.env.DATABASE_URL
    ? { kind: "postgres", connectionString: process.env.DATABASE_URL }
    : { kind: "pglite", directory: process.env.PONDER_PGLITE_DIR ?? ".ponder/pglite" },
  chains: {
    // A local chain: nothing worth caching between runs; blocks polled as often as the backend's listener polls them.
    trvl: { id: chainId, rpc, disableCache: true, pollingInterval: Number(process.env.PONDER_POLLING_MS ?? 100) },
  },
  contracts: {
    TRVLToken: contract("TRVLToken"),
    ReferralRegistry: contract("ReferralRegistry"),
    BookingEscrow: contract("BookingEscrow"),
    RewardDistributor: contract("RewardDistributor"),
    TRVLStaking: contract("TRVLStaking"),
    TRVLGovernor: contract("TRVLGovernor"),
    Timelock: contract("Timelock"),
  },
});
