import type { NextConfig } from "next";

const config: NextConfig = {
  reactStrictMode: true,
  // Builds configured differently (npm start, the end-to-end test) each get their own directory.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // The shared ABI/address module and the backend's voice languages are TypeScript source in the monorepo.
  transpilePackages: ["@trvl/abi", "@trvl/backend"],
  poweredByHeader: false,
  // No telemetry, no remote images: everything the app shows is served by the app.
  images: { unoptimized: true },
  // "1" in builds for the local chain (the default chain id, 31337): local-only code (the burner wallet and its
  // faucet, the MetaMask how-to) sits behind `process.env.TRVL_LOCAL_CHAIN === "1"`, which the compiler folds to
  // false in builds for any other chain, so their bundles do not contain it (web/test/local-only-bundle.test.ts checks).
  // The bundle check (test/local-only-bundle.test.ts) looks at what a build ships; `npm run typecheck` checks types.
  typescript: { ignoreBuildErrors: process.env.NEXT_BUILD_SKIP_TYPECHECK === "1" },
  env: { TRVL_LOCAL_CHAIN: (process.env.NEXT_PUBLIC_CHAIN_ID || "31337") === "31337" ? "1" : "0" },
};

export default config;
