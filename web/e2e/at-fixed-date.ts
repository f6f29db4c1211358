/**
 * `npm run test:e2e`: runs the end-to-end test (`hardhat run web/e2e/run.ts`) under Debian's faketime at E2E_NOW, so
 * that the whole process tree agrees on one fixed date: the chain (block timestamps, quote deadlines), the API (sign-in
 * checks, demo availability), the web server and Chromium (sign-in messages, cookies). Without faketime it warns and
 * runs at the real date, typing dates relative to today; in CI (CI set) a missing faketime is an error. A run attached
 * to a stack already running (E2E_WEB_URL…) keeps the real date too: that stack's clocks are not ours to move.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { E2E_NOW } from "./fixed-date.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const e2e = ["hardhat", "run", "web/e2e/run.ts"];

const attached = Boolean(process.env.E2E_WEB_URL && process.env.E2E_API_URL && process.env.E2E_CHAIN_URL);
const faketime = !attached && spawnSync("faketime", [E2E_NOW, "true"]).status === 0;
if (attached) {
  console.log("e2e: attached to a running stack, so at the real date");
} else if (!faketime) {
  if (process.env.CI) throw new Error("faketime is not installed: CI runs the e2e at a fixed date under it");
  console.warn("faketime is not installed: the e2e runs at the real date (apt-get install faketime)");
}

const [command, ...args] = faketime ? ["faketime", E2E_NOW, ...e2e] : e2e;
const run = spawnSync(command, args, {
  cwd: ROOT,
  stdio: "inherit",
  // TZ: the same wall-clock time on every machine, in the servers and in the browser.
  env: faketime ? { ...process.env, E2E_FIXED_DATE: "1", TZ: "UTC" } : process.env,
});
if (run.error) throw run.error;
process.exit(run.status ?? 1);
