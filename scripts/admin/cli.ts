/**
 * Multisig administration of TRVL: admins act only through the guardian Safe.
 *
 *   npm run admin -- propose <action> [args…] [--out file]   build a Safe transaction, sign it, write a proposal file
 *   npm run admin -- sign <file>                              add your signature (files move between owners)
 *   npm run admin -- execute <file>                           execute once the threshold is met
 *   npm run admin -- status [dir]                             owners, threshold, nonce, and each proposal's state
 *   npm run admin -- export <file> [--out file]               the proposal as a Safe{Wallet} Transaction Builder
 *                                                             batch file (no key needed), for owners who sign there
 *
 * Environment: SAFE_OWNER_PRIVATE_KEY (the owner signing or sending; never on the command line), RPC_URL (default
 * http://127.0.0.1:8545), SAFE_ADDRESS (default: the guardian that @trvl/abi publishes for the chain).
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";

import { z } from "zod";

import { ACTIONS } from "./actions.js";
import { execute, propose, sign, status } from "./commands.js";
import { readProposal } from "./proposal.js";
import { AdminError, connect } from "./safe.js";
import { toBatchFile } from "./tx-builder.js";

const DEFAULT_DIR = "safe-proposals";
// Exports go beside, not among, the proposals: the proposal directory holds only proposal files.
const EXPORT_DIR = "safe-tx-builder";

const env = z
  .object({
    SAFE_OWNER_PRIVATE_KEY: z
      .string({ error: "SAFE_OWNER_PRIVATE_KEY is not set: export the key of a Safe owner" })
      .regex(/^0x[0-9a-fA-F]{64}$/, "SAFE_OWNER_PRIVATE_KEY must be a 32-byte hex private key"),
    RPC_URL: z.url("RPC_URL must be a URL").default("http://127.0.0.1:8545"),
    SAFE_ADDRESS: z
      .string()
      .regex(/^0x[0-9a-fA-F]{40}$/, "SAFE_ADDRESS must be an address")
      .optional(),
  })
  .safeParse(process.env);

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: "string" } },
  });
  const [command, ...rest] = positionals;
  if (!command || !["propose", "sign", "execute", "status", "export"].includes(command)) {
    throw new AdminError(
      `usage: admin propose|sign|execute|status|export …\nactions for propose:\n  ${Object.values(ACTIONS).join("\n  ")}`,
    );
  }
  if (command === "export") {
    const file = requireFile(rest[0]);
    const batch = toBatchFile(await readProposal(file), Date.now());
    const out = values.out ?? path.join(EXPORT_DIR, path.basename(file));
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(batch, null, 2)}\n`);
    console.log(
      `Exported ${file} (${batch.transactions.length} call(s)) for Safe{Wallet}'s Transaction Builder: ${out}`,
    );
    return;
  }
  if (!env.success) throw new AdminError(env.error.issues.map((i) => i.message).join("; "));
  const ctx = await connect({
    rpcUrl: env.data.RPC_URL,
    privateKey: env.data.SAFE_OWNER_PRIVATE_KEY as `0x${string}`,
    safeAddress: env.data.SAFE_ADDRESS as `0x${string}` | undefined,
  });

  switch (command) {
    case "propose": {
      const [action, ...args] = rest;
      if (!action) throw new AdminError(`usage: admin propose <action> …\n  ${Object.values(ACTIONS).join("\n  ")}`);
      const nonce = await ctx.protocolKit.getNonce();
      const file = values.out ?? path.join(DEFAULT_DIR, `${ctx.chainId}-${nonce}-${action}-${Date.now()}.json`);
      const proposal = await propose(ctx, action, args, file);
      console.log(`Proposed: ${proposal.description}`);
      console.log(`  nonce ${proposal.transaction.nonce}, safeTxHash ${proposal.safeTxHash}`);
      console.log(`  signed by ${ctx.account} (1 of ${await ctx.protocolKit.getThreshold()}); file: ${file}`);
      return;
    }
    case "sign": {
      const file = requireFile(rest[0]);
      const proposal = await sign(ctx, file);
      console.log(`Signed by ${ctx.account}: ${proposal.signatures.length} signature(s) on ${file}`);
      return;
    }
    case "execute": {
      const file = requireFile(rest[0]);
      const hash = await execute(ctx, file);
      console.log(`Executed ${file}: transaction ${hash}`);
      return;
    }
    case "status": {
      const report = await status(ctx, rest[0] ?? DEFAULT_DIR);
      console.log(
        `Safe ${report.safe} on chain ${report.chainId}: ${report.threshold}-of-${report.owners.length}, nonce ${report.nonce}`,
      );
      console.log(`  owners: ${report.owners.join(", ")}`);
      if (report.proposals.length === 0) console.log("  no proposals");
      for (const p of report.proposals) {
        console.log(`  ${p.file}: ${p.description ?? ""}`);
        console.log(`    nonce ${p.nonce ?? "?"}, signed by ${p.signatures?.join(", ") || "nobody"}: ${p.state}`);
      }
      return;
    }
  }
}

function requireFile(file: string | undefined): string {
  if (!file) throw new AdminError("give the proposal file");
  return file;
}

try {
  await main();
} catch (error) {
  if (error instanceof AdminError) {
    console.error(`error: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
