import { appendFileSync } from "node:fs";

/** Where a benchmark keeps the backend's log lines: BENCH_LOG_FILE, when set (else they are dropped). */
export function benchLogSink(): ((line: string) => void) | undefined {
  const file = process.env.BENCH_LOG_FILE;
  return file ? (line) => appendFileSync(file, line + "\n") : undefined;
}
