import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The PostgreSQL server every database test also runs on (TEST_DATABASE_URL, else 127.0.0.1:5432, else a throwaway
    // one started for the run), and one local Hardhat chain with the whole system deployed, shared by every test file.
    globalSetup: ["test/setup/postgres.ts", "test/setup/chain.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // No test may be skipped or left unfinished and still count as a pass.
    allowOnly: false,
    passWithNoTests: false,
  },
});
