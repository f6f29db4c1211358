/**
 * Runs the calendar-sensitive suites again on fixed dates (a mid-year weekday, a year's last day, a leap day), after
 * the whole suite ran on the real date. Each run moves the app's injected clock (TRVL_TEST_DATE) and, where Debian's
 * faketime is installed (CI installs it), the whole process tree's clock too: the chain's blocks, PGlite and any
 * stray read of the system time then all say that day, so a test or a service that bypasses the clock shows up.
 */
import { spawn, spawnSync } from "node:child_process";

import { CALENDAR_DATES } from "./helpers/clock.js";

/** Suites whose outcome depends on the calendar: planner, recommendations, catalog, bookings, auth. */
const SUITES = [
  "test/calendar.test.ts",
  "test/planner-api.test.ts",
  "test/catalog.test.ts",
  "test/bookings.test.ts",
  "test/auth.test.ts",
  "test/authorization.test.ts",
  "test/ai-providers.test.ts",
  "test/duffel.test.ts",
  "test/fuzz.test.ts",
];

const faketime = spawnSync("faketime", ["2000-01-01 00:00:00", "true"]).status === 0;
if (!faketime) {
  if (process.env.CI) throw new Error("faketime is not installed: CI runs the calendar suites under it");
  console.warn("faketime is not installed: the calendar runs move the app's clock only (apt-get install faketime)");
}

// The dates run side by side, each with its own chain and databases (the suites mostly wait on them); each run's
// output is printed whole when it ends, so the three do not interleave.
const runs = CALENDAR_DATES.map(
  (date) =>
    new Promise<{ date: string; status: number | null; output: string }>((resolve) => {
      const vitest = ["vitest", "run", ...SUITES];
      const [command, ...args] = faketime ? ["faketime", `${date} 10:00:00`, ...vitest] : vitest;
      const child = spawn(command!, args, {
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, TRVL_TEST_DATE: date, FORCE_COLOR: process.env.FORCE_COLOR ?? "1" },
      });
      const chunks: Buffer[] = [];
      child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
      child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
      child.on("close", (status) => resolve({ date, status, output: Buffer.concat(chunks).toString("utf8") }));
      child.on("error", (error) => resolve({ date, status: 1, output: String(error) }));
    }),
);
let failed = false;
for (const { date, status, output } of await Promise.all(runs)) {
  console.log(`\nCalendar suites on ${date}${faketime ? " (faketime)" : ""}\n${output}`);
  if (status !== 0) {
    console.error(`The calendar suites failed on ${date} (exit ${status})`);
    failed = true;
  }
}
if (failed) process.exit(1);
