/**
 * Reads the coverage of the last `hardhat test --coverage` run, prints lines and branches per contract, and fails
 * below the thresholds: lines ≥ 95%, branches ≥ 90% over contracts/ (mocks excluded). Branches are the outcomes of
 * every decision (branches.ts); the report names each one that never ran.
 */
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";

import { branchPoints } from "./branches.js";

const THRESHOLDS = { lines: 95, branches: 90 };
const root = process.cwd();
const coverageDir = path.join(root, "coverage");

interface FileCoverage {
  file: string;
  linesHit: number;
  linesFound: number;
  branchesHit: number;
  branchesFound: number;
  missedBranches: string[];
}

const hits = await readHits();
const files = await readLcov();
for (const file of files) {
  const content = await readFile(path.join(root, file.file), "utf8");
  for (const point of branchPoints(content, `project/${file.file}`, hits)) {
    for (const outcome of point.outcomes) {
      file.branchesFound += 1;
      if (outcome.taken) file.branchesHit += 1;
      else file.missedBranches.push(`${point.line}:${point.kind}:${outcome.label}`);
    }
  }
}

const pct = (hit: number, found: number) => (found === 0 ? 100 : (100 * hit) / found);
const rows = files.map((f) => [
  f.file,
  pct(f.linesHit, f.linesFound).toFixed(2),
  `${pct(f.branchesHit, f.branchesFound).toFixed(2)} (${f.branchesHit}/${f.branchesFound})`,
  f.missedBranches.join(" ") || "-",
]);
const total = files.reduce(
  (t, f) => ({
    linesHit: t.linesHit + f.linesHit,
    linesFound: t.linesFound + f.linesFound,
    branchesHit: t.branchesHit + f.branchesHit,
    branchesFound: t.branchesFound + f.branchesFound,
  }),
  { linesHit: 0, linesFound: 0, branchesHit: 0, branchesFound: 0 },
);
const lines = pct(total.linesHit, total.linesFound);
const branches = pct(total.branchesHit, total.branchesFound);
rows.push(["Total", lines.toFixed(2), `${branches.toFixed(2)} (${total.branchesHit}/${total.branchesFound})`, ""]);
printTable(["Contract", "Lines %", "Branches %", "Missed branches (line:decision:outcome)"], rows);

const failures: string[] = [];
if (files.length === 0) failures.push("no contract coverage found: run `hardhat test --coverage` first");
if (lines < THRESHOLDS.lines) failures.push(`line coverage ${lines.toFixed(2)}% is below ${THRESHOLDS.lines}%`);
if (branches < THRESHOLDS.branches) {
  failures.push(`branch coverage ${branches.toFixed(2)}% is below ${THRESHOLDS.branches}%`);
}
if (failures.length > 0) {
  console.error(`\nCoverage check failed: ${failures.join("; ")}`);
  process.exit(1);
}
console.log(`\nCoverage OK: lines ${lines.toFixed(2)}% ≥ ${THRESHOLDS.lines}%, branches ${branches.toFixed(2)}% ≥ ${THRESHOLDS.branches}%`);

async function readLcov(): Promise<FileCoverage[]> {
  const lcov = await readFile(path.join(coverageDir, "lcov.info"), "utf8");
  const out: FileCoverage[] = [];
  let current: FileCoverage | undefined;
  for (const line of lcov.split("\n")) {
    if (line.startsWith("SF:")) {
      current = { file: line.slice(3), linesHit: 0, linesFound: 0, branchesHit: 0, branchesFound: 0, missedBranches: [] };
    } else if (line.startsWith("LH:") && current) current.linesHit = Number(line.slice(3));
    else if (line.startsWith("LF:") && current) current.linesFound = Number(line.slice(3));
    else if (line === "end_of_record" && current) {
      if (current.file.startsWith("contracts/") && !current.file.startsWith("contracts/mocks/")) out.push(current);
      current = undefined;
    }
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

/** Hit counts per statement tag, summed over every test run (mocha and solidity) and worker. */
async function readHits(): Promise<Map<string, number>> {
  const hits = new Map<string, number>();
  const dataDir = path.join(coverageDir, "data");
  for (const run of await readdir(dataDir)) {
    for (const file of await readdir(path.join(dataDir, run))) {
      const counts = JSON.parse(await readFile(path.join(dataDir, run, file), "utf8")) as Record<string, number>;
      for (const [tag, count] of Object.entries(counts)) hits.set(tag, (hits.get(tag) ?? 0) + count);
    }
  }
  return hits;
}

function printTable(header: string[], rows: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(" │ ");
  console.log(line(header));
  console.log(widths.map((w) => "─".repeat(w)).join("─┼─"));
  rows.forEach((r) => console.log(line(r)));
}
