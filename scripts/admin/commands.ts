import path from "node:path";

import { EthSafeSignature, EthSafeTransaction } from "@safe-global/protocol-kit";
import type { SafeTransaction } from "@safe-global/types-kit";
import { getAddress, type Hex } from "viem";

import { planAction } from "./actions.js";
import { readProposal, readProposals, writeProposal, type Proposal } from "./proposal.js";
import { AdminError, type AdminContext } from "./safe.js";

/** Builds the Safe transaction of an action at the Safe's next free nonce, signs it, and writes the proposal file. */
export async function propose(ctx: AdminContext, action: string, args: string[], file: string): Promise<Proposal> {
  await requireOwner(ctx);
  const planned = await planAction(ctx, action, args);
  const nonce = await nextFreeNonce(ctx, path.dirname(file));
  const unsigned = await ctx.protocolKit.createTransaction({
    transactions: planned.calls.map((c) => ({ ...c, operation: 0 })),
    options: { nonce },
  });
  const signed = await ctx.protocolKit.signTransaction(unsigned);
  const proposal: Proposal = {
    version: 1,
    chainId: ctx.chainId,
    safe: ctx.safeAddress,
    description: planned.description,
    action: { name: action, args },
    transaction: {
      ...signed.data,
      operation: signed.data.operation as 0 | 1,
      value: String(signed.data.value),
      nonce: Number(signed.data.nonce),
    },
    safeTxHash: await ctx.protocolKit.getTransactionHash(signed),
    signatures: signaturesOf(signed),
    proposedBy: ctx.account,
    proposedAt: new Date().toISOString(),
  };
  await writeProposal(file, proposal);
  return proposal;
}

/** Adds the connected owner's signature to a proposal file. */
export async function sign(ctx: AdminContext, file: string): Promise<Proposal> {
  await requireOwner(ctx);
  const proposal = await readProposal(file);
  const tx = await loadTransaction(ctx, proposal);
  if (tx.getSignature(ctx.account.toLowerCase())) throw new AdminError(`${ctx.account} has already signed ${file}`);
  const signed = await ctx.protocolKit.signTransaction(tx);
  const updated = { ...proposal, signatures: signaturesOf(signed) };
  await writeProposal(file, updated);
  return updated;
}

/** Executes a proposal whose signatures meet the Safe's threshold; returns the transaction hash. */
export async function execute(ctx: AdminContext, file: string): Promise<Hex> {
  const proposal = await readProposal(file);
  const tx = await loadTransaction(ctx, proposal);
  const threshold = await ctx.protocolKit.getThreshold();
  if (tx.signatures.size < threshold) {
    throw new AdminError(
      `threshold not met: ${tx.signatures.size} of ${threshold} signatures ` +
        `(${[...tx.signatures.keys()].map((s) => getAddress(s)).join(", ")}); another owner must run \`sign\``,
    );
  }
  const current = await ctx.protocolKit.getNonce();
  if (proposal.transaction.nonce > current) {
    throw new AdminError(`this proposal has nonce ${proposal.transaction.nonce}; execute nonce ${current} first`);
  }
  const result = await ctx.protocolKit.executeTransaction(tx);
  const receipt = await ctx.client.waitForTransactionReceipt({ hash: result.hash as Hex });
  if (receipt.status !== "success") throw new AdminError(`execution ${result.hash} reverted`);
  return result.hash as Hex;
}

export interface SafeStatus {
  safe: string;
  chainId: number;
  threshold: number;
  owners: string[];
  nonce: number;
  proposals: { file: string; description?: string; nonce?: number; signatures?: string[]; state: string }[];
}

/** The Safe's owners, threshold and nonce, and where every proposal file in `dir` stands. */
export async function status(ctx: AdminContext, dir: string): Promise<SafeStatus> {
  const [threshold, owners, nonce] = await Promise.all([
    ctx.protocolKit.getThreshold(),
    ctx.protocolKit.getOwners(),
    ctx.protocolKit.getNonce(),
  ]);
  const proposals = (await readProposals(dir)).map(({ file, proposal, error }) => {
    if (!proposal) return { file, state: `unreadable: ${error}` };
    const signatures = proposal.signatures.map((s) => getAddress(s.signer));
    let state: string;
    if (proposal.chainId !== ctx.chainId || getAddress(proposal.safe) !== getAddress(ctx.safeAddress)) {
      state = "for another Safe or chain";
    } else if (proposal.transaction.nonce < nonce) state = "stale: its nonce is used (executed or replaced)";
    else if (signatures.length < threshold) state = `needs ${threshold - signatures.length} more signature(s)`;
    else if (proposal.transaction.nonce > nonce) state = `signed; waits for nonce ${nonce}`;
    else state = "ready to execute";
    return { file, description: proposal.description, nonce: proposal.transaction.nonce, signatures, state };
  });
  return { safe: ctx.safeAddress, chainId: ctx.chainId, threshold, owners, nonce, proposals };
}

async function requireOwner(ctx: AdminContext) {
  if (!(await ctx.protocolKit.isOwner(ctx.account))) {
    const owners = await ctx.protocolKit.getOwners();
    throw new AdminError(`${ctx.account} is not an owner of the Safe ${ctx.safeAddress}; owners: ${owners.join(", ")}`);
  }
}

/** Rebuilds the Safe transaction from a proposal, checking that it targets this Safe and was not altered. */
async function loadTransaction(ctx: AdminContext, proposal: Proposal): Promise<SafeTransaction> {
  if (proposal.chainId !== ctx.chainId || getAddress(proposal.safe) !== getAddress(ctx.safeAddress)) {
    throw new AdminError(
      `the proposal is for Safe ${proposal.safe} on chain ${proposal.chainId}, not ${ctx.safeAddress} on ${ctx.chainId}`,
    );
  }
  const nonce = await ctx.protocolKit.getNonce();
  if (proposal.transaction.nonce < nonce) {
    throw new AdminError(
      `stale proposal: it has nonce ${proposal.transaction.nonce} but the Safe is at nonce ${nonce} ` +
        `(executed or replaced); propose again`,
    );
  }
  const tx = new EthSafeTransaction(proposal.transaction);
  const hash = await ctx.protocolKit.getTransactionHash(tx);
  if (hash !== proposal.safeTxHash) {
    throw new AdminError(`the proposal's transaction does not match its hash ${proposal.safeTxHash}: it was altered`);
  }
  for (const { signer, data } of proposal.signatures) tx.addSignature(new EthSafeSignature(signer, data));
  return tx;
}

function signaturesOf(tx: SafeTransaction): Proposal["signatures"] {
  return [...tx.signatures.values()].map((s) => ({ signer: getAddress(s.signer), data: s.data }));
}

/**
 * The Safe's next nonce, after the proposals in `dir` still waiting for this Safe: proposals made before the previous
 * one is executed queue up at the following nonces.
 */
async function nextFreeNonce(ctx: AdminContext, dir: string): Promise<number> {
  const current = await ctx.protocolKit.getNonce();
  const waiting = (await readProposals(dir)).flatMap(({ proposal }) =>
    proposal &&
    proposal.chainId === ctx.chainId &&
    getAddress(proposal.safe) === getAddress(ctx.safeAddress) &&
    proposal.transaction.nonce >= current
      ? [proposal.transaction.nonce + 1]
      : [],
  );
  return Math.max(current, ...waiting);
}
