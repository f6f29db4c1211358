/**
 * Branch coverage for Solidity, built on Hardhat's statement coverage.
 *
 * Hardhat 3 (EDR) instruments statements only and reports lines; it records, per statement tag, in how many
 * executions (transactions or test calls) the statement ran. An `if` statement's outcomes follow from those counts:
 * its true branch was taken if the first statement of its true body ran; its false branch if its `else` body ran,
 * or, without an `else`, if the `if` itself ran in more executions than its true body did. This is exact for the
 * guard clauses contracts use (`if (bad) revert Error();`) and conservative elsewhere: a loop that takes both
 * outcomes in one execution counts only the true one. Ternaries and short-circuit operators are not counted.
 */
import { addStatementCoverageInstrumentation } from "@nomicfoundation/edr";
import solc from "solc";

export interface BranchPoint {
  line: number;
  trueTaken: boolean;
  falseTaken: boolean;
}

interface AstNode {
  nodeType?: string;
  src?: string;
  trueBody?: AstNode;
  falseBody?: AstNode | null;
  [key: string]: unknown;
}

/** The `if` statements of one source file and which of their outcomes ran, given the hit count of every tag. */
export function branchPoints(
  content: string,
  sourceName: string,
  solcVersion: string,
  hits: ReadonlyMap<string, number>,
): BranchPoint[] {
  const offsets = utf16Offsets(content);
  const tagAt = statementTags(content, sourceName, solcVersion);
  const count = (node: AstNode | null | undefined): number => {
    if (!node?.src) return 0;
    const start = offsets(Number(node.src.split(":")[0]));
    const tag = tagAt.get(start);
    if (tag === undefined) throw new Error(`${sourceName}: no coverage tag for the statement at offset ${start}`);
    return hits.get(tag) ?? 0;
  };

  const points: BranchPoint[] = [];
  for (const ifStatement of ifStatements(parse(content, sourceName))) {
    const reached = count(ifStatement);
    const trueCount = count(ifStatement.trueBody);
    const falseTaken = ifStatement.falseBody ? count(ifStatement.falseBody) > 0 : reached > trueCount;
    points.push({
      line: lineOf(content, offsets(Number(ifStatement.src!.split(":")[0]))),
      trueTaken: trueCount > 0,
      falseTaken,
    });
  }
  return points;
}

/**
 * Statement tags by the UTF-16 offset where the statement's code begins (EDR's ranges include the whitespace and
 * comments before it).
 */
function statementTags(content: string, sourceName: string, solcVersion: string): Map<number, string> {
  const { metadata } = addStatementCoverageInstrumentation(content, sourceName, solcVersion);
  const tags = new Map<number, string>();
  for (const entry of metadata) {
    if (entry.kind !== "statement") continue;
    tags.set(codeStart(content, entry.startUtf16, entry.endUtf16), Buffer.from(entry.tag).toString("hex"));
  }
  return tags;
}

function codeStart(content: string, start: number, end: number): number {
  let i = start;
  while (i < end) {
    if (/\s/.test(content[i])) i++;
    else if (content.startsWith("//", i)) i = content.indexOf("\n", i) + 1 || end;
    else if (content.startsWith("/*", i)) i = content.indexOf("*/", i) + 2;
    else break;
  }
  return i;
}

function parse(content: string, sourceName: string): AstNode {
  const output = JSON.parse(
    solc.compile(
      JSON.stringify({
        language: "Solidity",
        sources: { [sourceName]: { content } },
        settings: { stopAfter: "parsing", outputSelection: { "*": { "": ["ast"] } } },
      }),
    ),
  ) as { errors?: { severity: string; formattedMessage: string }[]; sources: Record<string, { ast: AstNode }> };
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join("\n"));
  return output.sources[sourceName].ast;
}

function ifStatements(root: AstNode): AstNode[] {
  const found: AstNode[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (value === null || typeof value !== "object") return;
    const node = value as AstNode;
    if (node.nodeType === "IfStatement") found.push(node);
    Object.values(node).forEach(walk);
  };
  walk(root);
  return found;
}

/** Maps a UTF-8 byte offset (solc's) to a UTF-16 offset (EDR's). */
function utf16Offsets(content: string): (byteOffset: number) => number {
  const bytes = Buffer.from(content, "utf8");
  return (byteOffset) => bytes.subarray(0, byteOffset).toString("utf8").length;
}

function lineOf(content: string, offset: number): number {
  return content.slice(0, offset).split("\n").length;
}
