/** Runs a local binary (pocketsphinx, espeak-ng) without a shell, with a deadline, and finds binaries on PATH. */
import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { setPriority } from "node:os";
import path from "node:path";

import type { CpuQuota } from "./cpu-quota.js";

/** The niceness of the speech binaries' processes (19: the lowest priority). */
const LOWEST_PRIORITY = 19;

export function findBinary(name: string): string | undefined {
  if (name.includes("/")) {
    try {
      accessSync(name, constants.X_OK);
      return name;
    } catch {
      return undefined;
    }
  }
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export async function run(
  file: string,
  args: string[],
  options: { timeoutMs: number; signal?: AbortSignal; cpu?: CpuQuota },
): Promise<{ stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const command = options.cpu ? options.cpu.confine(file, args) : { file, args };
    const child = spawn(command.file, command.args, { stdio: ["ignore", "pipe", "pipe"], signal: options.signal });
    // Speech is batch work: at the lowest CPU priority, so it never slows the API's own requests (or anyone's).
    if (child.pid !== undefined) {
      try {
        setPriority(child.pid, LOWEST_PRIORITY);
      } catch {
        // Not allowed here: it runs at the API's priority.
      }
    }
    const out: Buffer[] = [];
    let err = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${path.basename(file)} timed out after ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => {
      if (err.length < 4_000) err += chunk.toString();
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout: Buffer.concat(out), stderr: err });
      else reject(new Error(`${path.basename(file)} exited with ${code}: ${err.trim().slice(-300)}`));
    });
  });
}
