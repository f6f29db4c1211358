/**
 * A production build for a real chain (Base Sepolia) contains none of the local chain's conveniences: no burner
 * wallet, no faucet, no MetaMask how-to for the local chain. It builds the app (a minute or more) into its own
 * directory.
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

const WEB = path.resolve(import.meta.dirname, "..");
const DIST = ".next-chain-check";

// Strings only the local-only modules hold (each survives minification), with the module that holds it.
const MARKERS = [
  ["src/features/burner/burner-key.ts", "trvl.burnerWallet.key"],
  ["src/features/burner/burner-connector.ts", "Burner wallet (local chain)"],
  ["src/features/burner/faucet.ts", "offers no test account to fund the burner wallet"],
  ["src/features/burner/local-chain-help.tsx", "Use MetaMask on the local chain"],
] as const;

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe("a build for a real chain", () => {
  afterAll(() => rm(path.join(WEB, DIST), { recursive: true, force: true }));

  it("ships neither the burner wallet nor the faucet", { timeout: 900_000 }, async () => {
    for (const [file, marker] of MARKERS) expect(await readFile(path.join(WEB, file), "utf8")).toContain(marker);

    const build = spawnSync(process.execPath, [createRequire(import.meta.url).resolve("next/dist/bin/next"), "build"], {
      cwd: WEB,
      encoding: "utf8",
      env: {
        ...process.env,
        NEXT_TELEMETRY_DISABLED: "1",
        NEXT_DIST_DIR: DIST,
        NEXT_PUBLIC_CHAIN_ID: "84532",
        NEXT_PUBLIC_RPC_URLS: JSON.stringify({ 84532: "https://sepolia.base.org" }),
        NEXT_PUBLIC_TEST_WALLET: "0",
        NEXT_BUILD_SKIP_TYPECHECK: "1",
      },
    });
    expect(build.status, `${build.stdout}\n${build.stderr}`).toBe(0);

    // Everything a browser can download, and the server's pages (their HTML is prerendered from the same code).
    const shipped = [
      ...(await files(path.join(WEB, DIST, "static"))),
      ...(await files(path.join(WEB, DIST, "server"))),
    ];
    expect(shipped.length).toBeGreaterThan(0);
    for (const file of shipped.filter((f) => /\.(js|html|rsc|json)$/.test(f))) {
      const text = await readFile(file, "utf8");
      for (const [, marker] of MARKERS) expect(text.includes(marker), `${marker} in ${file}`).toBe(false);
    }
  });
});
