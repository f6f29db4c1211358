/**
 * Builds the subgraph from its sources for a test that lives outside this workspace (the backend's cross-check), so
 * that it never indexes with a stale or missing build/: the same `npm run build` (generate from @trvl/abi, graph
 * codegen, graph build), with graph build writing to a directory of the caller's.
 */
import { spawn } from "node:child_process";

import { SUBGRAPH_DIR } from "../paths.js";

/** Runs `npm run build` of the subgraph with its output in `outputDir`; rejects with the build's output on failure. */
export function buildSubgraph(outputDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const build = spawn("npm", ["run", "build", "--", "--output-dir", outputDir], {
      cwd: SUBGRAPH_DIR,
      env: { ...process.env, GRAPH_SKIP_NEW_VERSION_CHECK: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    build.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    build.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    build.once("error", reject);
    build.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`subgraph build failed (exit ${code}):\n${output.slice(-4_000)}`)),
    );
  });
}
