import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One local Hardhat chain with the whole system deployed, shared by every test file.
    globalSetup: ["test/setup/chain.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // No test may be skipped or left unfinished and still count as a pass.
    allowOnly: false,
    passWithNoTests: false,
  },
});
