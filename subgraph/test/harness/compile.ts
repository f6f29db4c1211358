/**
 * Compiles an AssemblyScript test entry point exactly as graph-cli compiles a mapping: the same compiler
 * (assemblyscript 0.19), the same flags, graph-ts's global entry beside it.
 */
import { createRequire } from "node:module";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";

const require = createRequire(import.meta.url);
const asc = require("assemblyscript/cli/asc") as {
  ready: Promise<void>;
  main(
    argv: string[],
    options: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
    callback: (error?: Error | null) => number,
  ): void;
};

export async function compileAssemblyScript(entry: string, outFile: string): Promise<Uint8Array> {
  await asc.ready;
  const graphTs = path.dirname(require.resolve("@graphprotocol/graph-ts/package.json"));
  const baseDir = path.dirname(entry);
  await mkdir(path.dirname(outFile), { recursive: true });
  let output = "";
  const sink = { write: (chunk: string) => ((output += chunk), true) } as unknown as NodeJS.WritableStream;
  let failure: Error | null | undefined;
  asc.main(
    [
      "--explicitStart",
      "--exportRuntime",
      "--runtime",
      "stub",
      path.basename(entry),
      path.relative(baseDir, path.join(graphTs, "global", "global.ts")),
      "--baseDir",
      baseDir,
      "--lib",
      path.dirname(path.dirname(graphTs)),
      "--outFile",
      outFile,
      "--optimize",
      "--debug",
    ],
    { stdout: sink, stderr: sink },
    (error?: Error | null) => {
      failure = error;
      return 0;
    },
  );
  if (failure) throw new Error(`AssemblyScript compilation of ${entry} failed: ${failure.message}\n${output}`);
  return readFile(outFile);
}
