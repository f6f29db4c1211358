import { decisions, outcomeTag } from "./branches.js";

const LIBRARY = "__TRVLBranchCoverage";
export const BRANCH_LIBRARY_FILE = `${LIBRARY}.sol`;

/**
 * Rewrites statement-instrumented source so that each decision reports its outcome: a condition `c` becomes
 * `__TRVLBranchCoverage.decide(c, tagTrue, tagFalse)` (short-circuiting is kept: an operand not evaluated reports
 * nothing), and each `try`/`catch` clause begins with `__TRVLBranchCoverage.arm(tag)`.
 */
export function instrumentDecisions(original: string, instrumented: string, sourceName: string): string {
  const found = decisions(instrumented, sourceName);
  const expected = decisions(original, sourceName).length;
  if (found.length !== expected) {
    throw new Error(`${sourceName}: ${expected} decisions in the source but ${found.length} after instrumentation`);
  }
  // Insertions at byte offsets; at one offset, closings of inner wraps come before those of outer ones, and openings
  // of outer wraps before those of inner ones.
  const insertions: { at: number; order: number; text: string }[] = [];
  found.forEach((decision, index) => {
    const tag = (arm: number) => outcomeTag(sourceName, index, arm);
    if (decision.clauses) {
      decision.clauses.forEach((clause, arm) =>
        insertions.push({ at: clause.inside, order: 0, text: `${LIBRARY}.arm(${tag(arm)});` }),
      );
      return;
    }
    const depth = found.filter((d) => !d.clauses && d.start <= decision.start && d.end >= decision.end).length;
    insertions.push({ at: decision.start, order: depth, text: `${LIBRARY}.decide(` });
    insertions.push({ at: decision.end, order: -depth, text: `, ${tag(0)}, ${tag(1)})` });
  });
  insertions.sort((a, b) => a.at - b.at || a.order - b.order);
  const bytes = Buffer.from(instrumented, "utf8");
  const parts: Buffer[] = [];
  let cursor = 0;
  for (const insertion of insertions) {
    parts.push(bytes.subarray(cursor, insertion.at), Buffer.from(insertion.text, "utf8"));
    cursor = insertion.at;
  }
  parts.push(bytes.subarray(cursor));
  return `${Buffer.concat(parts).toString("utf8")}\nimport "${BRANCH_LIBRARY_FILE}";\n`;
}
