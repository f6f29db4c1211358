import { loadConfig, type Config } from "../src/config/index.js";

/** The configuration of the in-process benchmarks: offline planner and embeddings, the local speech binaries. */
export function offlineBenchConfig(): Config {
  return loadConfig({
    QUOTE_SIGNER_PRIVATE_KEY: `0x${"11".repeat(32)}`,
    SUPPLIER_ADDRESS: `0x${"22".repeat(20)}`,
    JWT_SECRET: "bench-only-secret-that-is-long-enough-0123456789",
    LOG_LEVEL: "silent",
    PLANNER_PROVIDER: "offline",
    EMBEDDINGS_PROVIDER: "hashing",
    STT_PROVIDER: "pocketsphinx",
    TTS_PROVIDER: "espeak",
  });
}
