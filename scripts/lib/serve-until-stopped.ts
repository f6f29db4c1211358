/**
 * Keeps a chain script (`hardhat run`, spawned by tests, benchmarks or `npm start`) serving until it gets SIGINT or
 * SIGTERM or its parent closes stdin, which happens when the parent dies without signalling; then closes it once.
 */
export async function serveUntilStopped(close: () => Promise<void>): Promise<never> {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.stdin.on("end", stop);
  process.stdin.resume();
  return new Promise<never>(() => {});
}
