import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface EphemeralChain {
  url: string;
  pid: number;
  close(): Promise<void>;
}

/**
 * A local chain of its own (Hardhat's EDR on a free port), with the whole system deployed and the test accounts
 * funded, as `npm start` has it. The test run shares one; a test that rewinds the chain (snapshots, reverts, manual
 * mining) starts another so it cannot disturb the others. A process of its own: what else runs in the caller (a
 * benchmark's load generator) does not delay the node's answers.
 */
export async function startEphemeralChain(
  /** The `hardhat run` script that starts it: the launch rehearsal's is scripts/rehearsal/chain.ts. */
  script = "scripts/dev/ephemeral-chain.ts",
): Promise<EphemeralChain> {
  const chain: ChildProcess = spawn(path.join(REPO_ROOT, "node_modules", ".bin", "hardhat"), ["run", script], {
    cwd: REPO_ROOT,
    env: { ...process.env, CHAIN_PORT: "0", HARDHAT_DISABLE_TELEMETRY: "true" },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const exited = new Promise((resolve) => chain.once("exit", resolve));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the local chain did not start within 150 s")), 150_000);
    chain.once("exit", (code) => reject(new Error(`the local chain exited early (code ${code})`)));
    createInterface({ input: chain.stdout! }).on("line", (line) => {
      if (!line.startsWith("{")) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    });
  });
  return {
    url,
    pid: chain.pid!,
    close: async () => {
      if (chain.exitCode !== null) return;
      chain.kill("SIGTERM");
      await exited;
    },
  };
}
