/**
 * What an admin watches, read-only: the guardian Safe (owners, threshold, nonce, the proposals the admin CLI wrote),
 * the timelock's queue, who holds each role, what is paused, the mint limiter's headroom and the keeper's health.
 * Chain state is read live; role holders and the timelock queue are replayed from the events the listener stored.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

import {
  bookingEscrowAbi,
  GOVERNED_CONTRACTS,
  PROTOCOL_CONTRACTS,
  rewardDistributorAbi,
  safeAbi,
  timelockControllerAbi,
} from "@trvl/abi";
import { and, asc, count, eq, inArray, min, sql } from "drizzle-orm";
import {
  decodeFunctionData,
  getAddress,
  keccak256,
  stringToHex,
  zeroHash,
  type Abi,
  type Address,
  type Hex,
} from "viem";
import { z } from "zod";

import type { ChainContext } from "../chain/index.js";
import { schema, type Db } from "../db/index.js";

/** The access-controlled contracts, by their published name, with the ABI that decodes calls to them. */
const GOVERNED: Record<string, Abi> = Object.fromEntries(
  GOVERNED_CONTRACTS.map((name) => [name, PROTOCOL_CONTRACTS[name].abi]),
);
const PAUSABLE = ["BookingEscrow", "RewardDistributor", "TRVLStaking"] as const;

/** Role ids by name: every `*_ROLE` constant the ABIs declare, and the zero admin role. */
const ROLE_NAMES = new Map<string, string>([[zeroHash, "DEFAULT_ADMIN_ROLE"]]);
for (const abi of Object.values(GOVERNED)) {
  for (const item of abi) {
    if (item.type === "function" && item.name.endsWith("_ROLE") && item.inputs.length === 0) {
      ROLE_NAMES.set(keccak256(stringToHex(item.name)), item.name);
    }
  }
}

const SafeProposalFile = z.object({
  chainId: z.number(),
  safe: z.string(),
  description: z.string(),
  transaction: z.object({ nonce: z.number().int().nonnegative() }),
  safeTxHash: z.string(),
  signatures: z.array(z.object({ signer: z.string() })),
  proposedBy: z.string(),
  proposedAt: z.string(),
});

export interface OpsDeps {
  db: Db;
  chain: ChainContext;
  /** Where the admin CLI writes its Safe proposal files; unset: none are shown. */
  safeProposalsDir?: string;
}

export async function opsStatus(deps: OpsDeps) {
  const { chain } = deps;
  const names = contractNames(chain);
  const [guardian, contracts, timelock, roles, keeper] = await Promise.all([
    guardianStatus(deps),
    contractStatus(chain),
    timelockQueue(deps, names),
    roleHolders(deps, names),
    keeperHealth(deps),
  ]);
  // The keeper is whoever holds the escrow's settler role: its gas money is what keeps settlement going.
  const settlers = roles.find((r) => r.contract === "BookingEscrow" && r.role === "SETTLER_ROLE")?.holders ?? [];
  const balances = await Promise.all(
    settlers.map(async (h) => ({
      address: h.address,
      balance: (await chain.client.getBalance({ address: h.address as Address })).toString(),
    })),
  );
  return {
    chainId: chain.chain.id,
    guardian,
    contracts,
    timelock,
    roles,
    keeper: { ...keeper, accounts: balances },
  };
}

/** Published name of every deployed address, to label role holders, targets and proposers. */
function contractNames(chain: ChainContext): Map<string, string> {
  const map = new Map<string, string>();
  for (const [name, entry] of Object.entries(chain.deployment.contracts as Record<string, { address: string }>)) {
    map.set(entry.address.toLowerCase(), name);
  }
  return map;
}

async function guardianStatus(deps: OpsDeps) {
  const address = deps.chain.contract("Guardian");
  if (!address)
    return { deployed: false as const, reason: `no guardian Safe is published for chain ${deps.chain.chain.id}` };
  const [owners, threshold, nonce] = await Promise.all([
    deps.chain.client.readContract({ address, abi: safeAbi, functionName: "getOwners" }),
    deps.chain.client.readContract({ address, abi: safeAbi, functionName: "getThreshold" }),
    deps.chain.client.readContract({ address, abi: safeAbi, functionName: "nonce" }),
  ]);
  const proposals = deps.safeProposalsDir
    ? await safeProposals(deps.safeProposalsDir, deps.chain.chain.id, address, Number(nonce), Number(threshold))
    : [];
  return {
    deployed: true as const,
    address,
    owners: [...owners],
    threshold: Number(threshold),
    nonce: Number(nonce),
    proposalsDir: deps.safeProposalsDir ?? null,
    proposals,
  };
}

/** The admin CLI's proposal files that are still waiting: not yet executed, for this Safe, and how far along. */
export async function safeProposals(dir: string, chainId: number, safe: Address, nonce: number, threshold: number) {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith(".json")).sort();
  const out = [];
  for (const file of files) {
    let parsed;
    try {
      parsed = SafeProposalFile.safeParse(JSON.parse(await readFile(path.join(dir, file), "utf8")));
    } catch {
      continue;
    }
    if (!parsed.success) continue;
    const p = parsed.data;
    if (p.chainId !== chainId || p.safe.toLowerCase() !== safe.toLowerCase()) continue;
    if (p.transaction.nonce < nonce) continue;
    const signers = p.signatures.map((s) => getAddress(s.signer));
    out.push({
      file,
      description: p.description,
      nonce: p.transaction.nonce,
      safeTxHash: p.safeTxHash,
      signers,
      proposedBy: getAddress(p.proposedBy),
      proposedAt: p.proposedAt,
      state:
        signers.length < threshold
          ? `needs ${threshold - signers.length} more signature(s)`
          : p.transaction.nonce > nonce
            ? `signed; waits for nonce ${nonce}`
            : "ready to execute",
    });
  }
  return out.sort((a, b) => a.nonce - b.nonce);
}

async function contractStatus(chain: ChainContext) {
  const paused = await Promise.all(
    PAUSABLE.map(async (name) => {
      const address = chain.contract(name);
      if (!address) return { name, address: null, paused: null };
      const value = await chain.client.readContract({ address, abi: bookingEscrowAbi, functionName: "paused" });
      return { name, address, paused: value };
    }),
  );
  const distributor = chain.contract("RewardDistributor");
  let mintLimit = null;
  if (distributor) {
    const [capacity, window, available] = await chain.client.readContract({
      address: distributor,
      abi: rewardDistributorAbi,
      functionName: "mintLimit",
    });
    mintLimit = {
      capacity: capacity.toString(),
      windowSeconds: Number(window),
      available: available.toString(),
      // Whole percent of the capacity still mintable now.
      headroomPercent: capacity === 0n ? 0 : Number((available * 10_000n) / capacity) / 100,
    };
  }
  return { paused, mintLimit };
}

function roleName(id: string): string {
  return ROLE_NAMES.get(id.toLowerCase()) ?? id;
}

/** Current holders of every role on every contract, replaying RoleGranted/RoleRevoked in chain order. */
async function roleHolders(deps: OpsDeps, names: Map<string, string>) {
  const rows = await deps.db
    .select({
      contract: schema.chainEvents.contract,
      name: schema.chainEvents.name,
      args: schema.chainEvents.args,
    })
    .from(schema.chainEvents)
    .where(
      and(
        eq(schema.chainEvents.chainId, deps.chain.chain.id),
        inArray(schema.chainEvents.name, ["RoleGranted", "RoleRevoked"]),
      ),
    )
    .orderBy(asc(schema.chainEvents.blockNumber), asc(schema.chainEvents.logIndex));
  const held = new Map<string, Set<string>>();
  for (const row of rows) {
    const key = `${row.contract}\u0000${String(row.args.role).toLowerCase()}`;
    const holders = held.get(key) ?? new Set<string>();
    const account = getAddress(String(row.args.account));
    if (row.name === "RoleGranted") holders.add(account);
    else holders.delete(account);
    held.set(key, holders);
  }
  return [...held.entries()]
    .map(([key, holders]) => {
      const [contract, role] = key.split("\u0000");
      return {
        contract,
        role: roleName(role),
        holders: [...holders].sort().map((address) => ({ address, name: names.get(address.toLowerCase()) ?? null })),
      };
    })
    .sort((a, b) => a.contract.localeCompare(b.contract) || a.role.localeCompare(b.role));
}

/**
 * Operations the timelock has scheduled and not yet executed or cancelled, with when each becomes executable (read
 * from the timelock itself) and each call decoded when it targets a protocol contract.
 */
async function timelockQueue(deps: OpsDeps, names: Map<string, string>) {
  const timelock = deps.chain.contract("Timelock");
  if (!timelock) return { minDelaySeconds: null, operations: [] };
  const rows = await deps.db
    .select({ name: schema.chainEvents.name, args: schema.chainEvents.args, blockTime: schema.chainEvents.blockTime })
    .from(schema.chainEvents)
    .where(
      and(
        eq(schema.chainEvents.chainId, deps.chain.chain.id),
        eq(schema.chainEvents.contract, "Timelock"),
        inArray(schema.chainEvents.name, ["CallScheduled", "CallExecuted", "Cancelled"]),
      ),
    )
    .orderBy(asc(schema.chainEvents.blockNumber), asc(schema.chainEvents.logIndex));
  const done = new Set(rows.filter((r) => r.name !== "CallScheduled").map((r) => String(r.args.id).toLowerCase()));
  const operations = new Map<
    string,
    {
      id: string;
      scheduledAt: string;
      calls: { target: string; targetName: string | null; value: string; call: string }[];
    }
  >();
  for (const row of rows) {
    const id = String(row.args.id).toLowerCase();
    if (row.name !== "CallScheduled" || done.has(id)) continue;
    const op = operations.get(id) ?? { id, scheduledAt: row.blockTime.toISOString(), calls: [] };
    const target = getAddress(String(row.args.target));
    const targetName = names.get(target.toLowerCase()) ?? null;
    op.calls.push({
      target,
      targetName,
      value: String(row.args.value),
      call: describeCall(targetName, row.args.data as Hex),
    });
    operations.set(id, op);
  }
  const [minDelay, ...readyAt] = await Promise.all([
    deps.chain.client.readContract({ address: timelock, abi: timelockControllerAbi, functionName: "getMinDelay" }),
    ...[...operations.keys()].map((id) =>
      deps.chain.client.readContract({
        address: timelock,
        abi: timelockControllerAbi,
        functionName: "getTimestamp",
        args: [id as Hex],
      }),
    ),
  ]);
  return {
    minDelaySeconds: Number(minDelay),
    operations: [...operations.values()].map((op, i) => ({ ...op, eta: Number(readyAt[i]) })),
  };
}

/** `setSplit((7000,700,300,2000))` for a protocol contract's call, or its raw selector otherwise. */
export function describeCall(targetName: string | null, data: Hex): string {
  const abi = targetName ? GOVERNED[targetName] : undefined;
  if (abi) {
    try {
      const { functionName, args } = decodeFunctionData({ abi, data });
      const text = (args ?? []).map((a) =>
        JSON.stringify(a, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
      );
      return `${functionName}(${text.join(", ")})`;
    } catch {
      // Not one of its functions: shown raw below.
    }
  }
  return data.length > 10 ? `${data.slice(0, 10)}… (${(data.length - 2) / 2} bytes)` : data;
}

/** The listener's lag and the keeper's queue. */
async function keeperHealth(deps: OpsDeps) {
  const [cursor] = await deps.db
    .select({ blockNumber: schema.chainCursors.blockNumber, updatedAt: schema.chainCursors.updatedAt })
    .from(schema.chainCursors)
    .where(eq(schema.chainCursors.chainId, deps.chain.chain.id));
  const head = await deps.chain.client.getBlockNumber();
  const jobs = await deps.db
    .select({ status: schema.keeperJobs.status, jobs: count(), oldest: min(schema.keeperJobs.createdAt) })
    .from(schema.keeperJobs)
    .where(sql`${schema.keeperJobs.status} <> 'done'`)
    .groupBy(schema.keeperJobs.status);
  const byStatus = (status: string) => jobs.find((j) => j.status === status);
  return {
    headBlock: head.toString(),
    indexedBlock: cursor ? cursor.blockNumber.toString() : null,
    lagBlocks: cursor ? Number(head - cursor.blockNumber) : null,
    indexedAt: cursor ? cursor.updatedAt.toISOString() : null,
    jobs: {
      pending: Number(byStatus("pending")?.jobs ?? 0),
      running: Number(byStatus("running")?.jobs ?? 0),
      failed: Number(byStatus("failed")?.jobs ?? 0),
      oldestPendingSince: byStatus("pending")?.oldest?.toISOString() ?? null,
    },
  };
}
