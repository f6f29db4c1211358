import { readFile, readdir, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";

import { z } from "zod";

import { AdminError } from "./safe.js";

const hex = z.string().regex(/^0x[0-9a-fA-F]*$/, "hex string");
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "address");

/** A Safe transaction waiting for signatures: a file that moves between owners (and can be signed offline). */
export const ProposalSchema = z.object({
  version: z.literal(1),
  chainId: z.number().int().positive(),
  safe: address,
  description: z.string(),
  action: z.object({ name: z.string(), args: z.array(z.string()) }),
  transaction: z.object({
    to: address,
    value: z.string(),
    data: hex,
    operation: z.union([z.literal(0), z.literal(1)]),
    safeTxGas: z.string(),
    baseGas: z.string(),
    gasPrice: z.string(),
    gasToken: address,
    refundReceiver: address,
    nonce: z.number().int().nonnegative(),
  }),
  safeTxHash: hex,
  signatures: z.array(z.object({ signer: address, data: hex })),
  proposedBy: address,
  proposedAt: z.string(),
});
export type Proposal = z.infer<typeof ProposalSchema>;

export async function readProposal(file: string): Promise<Proposal> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new AdminError(`cannot read proposal ${file}: ${(error as Error).message}`);
  }
  const parsed = ProposalSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AdminError(`${file} is not a proposal: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return parsed.data;
}

export async function writeProposal(file: string, proposal: Proposal): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(ProposalSchema.parse(proposal), null, 2)}\n`);
}

/** Every proposal file in `dir`, oldest nonce first; files that are not proposals are reported, not fatal. */
export async function readProposals(dir: string): Promise<{ file: string; proposal?: Proposal; error?: string }[]> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith(".json")).sort();
  const out = [];
  for (const file of files) {
    const full = path.join(dir, file);
    try {
      out.push({ file: full, proposal: await readProposal(full) });
    } catch (error) {
      out.push({ file: full, error: (error as Error).message });
    }
  }
  return out.sort((a, b) => (a.proposal?.transaction.nonce ?? Infinity) - (b.proposal?.transaction.nonce ?? Infinity));
}
