import type { NextConfig } from "next";

const config: NextConfig = {
  reactStrictMode: true,
  // Builds configured differently (npm start, the end-to-end test) each get their own directory.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // The shared ABI/address module is TypeScript source in the monorepo.
  transpilePackages: ["@trvl/abi"],
  poweredByHeader: false,
  // No telemetry, no remote images: everything the app shows is served by the app.
  images: { unoptimized: true },
};

export default config;
