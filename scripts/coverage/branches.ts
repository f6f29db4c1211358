/**
 * Branch coverage for Solidity, on top of Hardhat's statement coverage.
 *
 * Hardhat 3 (EDR) instruments statements only. Statement hits cannot tell which operand of `a || b` decided it or
 * which arm of `c ? x : y` ran, so the coverage build also instruments every decision (see plugin.ts): each
 * condition of `if`, `while`, `for` and `do`, each ternary condition, each operand of `&&`/`||`, the condition of each
 * `require`/`assert`, and each clause of `try`/`catch`. A decision reports its outcome with a tag of its own through
 * the same hit channel statements use. Decisions are numbered in source order, which instrumentation does not change,
 * so the tags computed here from the original source are the tags the instrumented build sent.
 */
import { keccak256, toUtf8Bytes } from "ethers";
import solc from "solc";

/** One decision of a source file: where it is and which of its outcomes ran. */
export interface BranchPoint {
  line: number;
  kind: DecisionKind;
  outcomes: { label: string; taken: boolean }[];
}

export type DecisionKind = "if" | "loop" | "ternary" | "operand" | "require" | "try";

/** A decision in parsed source: its byte range, and either a condition to wrap or clause blocks to mark. */
export interface Decision {
  kind: DecisionKind;
  /** UTF-8 byte range of the condition (or the `try` statement). */
  start: number;
  end: number;
  /** For `try`: the byte offset just inside each clause's `{`, and the clause's label. */
  clauses?: { inside: number; label: string }[];
}

interface AstNode {
  nodeType?: string;
  src?: string;
  [key: string]: unknown;
}

/** The decisions of one source file and which of their outcomes ran, given the hit count of every tag. */
export function branchPoints(content: string, sourceName: string, hits: ReadonlyMap<string, number>): BranchPoint[] {
  const bytes = Buffer.from(content, "utf8");
  const lineAt = (byteOffset: number) => bytes.subarray(0, byteOffset).toString("utf8").split("\n").length;
  return decisions(content, sourceName).map((decision, index) => {
    const labels = decision.clauses ? decision.clauses.map((c) => c.label) : ["true", "false"];
    return {
      line: lineAt(decision.start),
      kind: decision.kind,
      outcomes: labels.map((label, arm) => ({
        label,
        taken: (hits.get(outcomeTag(sourceName, index, arm).slice(2)) ?? 0) > 0,
      })),
    };
  });
}

/** The hit tag (0x-prefixed, 32 bytes) of outcome `arm` (0 = true or first clause) of decision `index` of a file. */
export function outcomeTag(sourceName: string, index: number, arm: number): string {
  return keccak256(toUtf8Bytes(`trvl-branch:${sourceName}#${index}:${arm}`));
}

/** The decisions of a source file in a stable order: by start, outer before inner. */
export function decisions(content: string, sourceName: string): Decision[] {
  const found: Decision[] = [];
  const range = (node: AstNode) => {
    const [start, length] = node.src!.split(":").map(Number);
    return { start, end: start + length };
  };
  const condition = (kind: DecisionKind, node: unknown) => {
    if (node && typeof node === "object") found.push({ kind, ...range(node as AstNode) });
  };
  const operands = (node: AstNode) => {
    for (const side of [node.leftExpression, node.rightExpression] as AstNode[]) {
      const inner = unparenthesised(side);
      if (!isShortCircuit(inner)) condition("operand", side);
    }
  };
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (value === null || typeof value !== "object") return;
    const node = value as AstNode;
    switch (node.nodeType) {
      case "IfStatement":
        condition("if", node.condition);
        break;
      case "WhileStatement":
      case "DoWhileStatement":
      case "ForStatement":
        condition("loop", node.condition);
        break;
      case "Conditional":
        condition("ternary", node.condition);
        break;
      case "BinaryOperation":
        if (isShortCircuit(node)) operands(node);
        break;
      case "FunctionCall": {
        const callee = node.expression as AstNode & { name?: string };
        const args = node.arguments as AstNode[];
        if (callee.nodeType === "Identifier" && (callee.name === "require" || callee.name === "assert") && args[0]) {
          condition("require", args[0]);
        }
        break;
      }
      case "TryStatement": {
        const clauses = (node.clauses as (AstNode & { errorName: string; block: AstNode })[]).map((clause, i) => ({
          inside: range(clause.block).start + 1,
          label: i === 0 ? "try" : clause.errorName ? `catch ${clause.errorName}` : "catch",
        }));
        found.push({ kind: "try", ...range(node), clauses });
        break;
      }
    }
    Object.values(node).forEach(walk);
  };
  walk(parse(content, sourceName));
  return found.sort((a, b) => a.start - b.start || b.end - a.end);
}

function isShortCircuit(node: AstNode): boolean {
  return node.nodeType === "BinaryOperation" && (node.operator === "&&" || node.operator === "||");
}

function unparenthesised(node: AstNode): AstNode {
  let inner = node;
  while (inner.nodeType === "TupleExpression" && (inner.components as AstNode[]).length === 1) {
    inner = (inner.components as AstNode[])[0];
  }
  return inner;
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
