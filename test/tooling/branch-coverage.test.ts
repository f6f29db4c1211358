import { addStatementCoverageInstrumentation } from "@nomicfoundation/edr";
import { getCoverageLibrary } from "@nomicfoundation/edr/coverage";
import { expect } from "chai";
import solc from "solc";

import { branchPoints, outcomeTag } from "../../scripts/coverage/branches.js";
import { BRANCH_LIBRARY_FILE, instrumentDecisions } from "../../scripts/coverage/instrument.js";
import { branchLibrary } from "../../scripts/coverage/solidity-hooks.js";

const SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;
contract Branchy {
    error Bad();
    uint256 public x;
    function f(uint256 v) external {
        // A guard clause — with a comment (and a multi-byte dash) before it.
        if (v == 7 || (v > 1000 && v < 2000)) revert Bad();
        x = v > 100 ? v - 100 : v;
        require(v != 9, "nine");
        for (uint256 i = 0; i < v && i < 3; i++) x += 1;
        try this.g(v) returns (uint256 y) {
            x += y;
        } catch Error(string memory) {
            x = 1;
        } catch {}
    }
    function g(uint256 v) external pure returns (uint256) { return v; }
}
`;
const NAME = "project/contracts/Branchy.sol";

describe("Branch coverage", () => {
  it("finds every decision: if, ternary, each operand of && and ||, require, loop conditions, try/catch clauses", () => {
    const points = branchPoints(SOURCE, NAME, new Map());
    expect(points.map((p) => [p.line, p.kind, p.outcomes.map((o) => o.label).join("/")])).to.deep.equal([
      [8, "if", "true/false"],
      [8, "operand", "true/false"], // v == 7
      [8, "operand", "true/false"], // v > 1000
      [8, "operand", "true/false"], // v < 2000
      [9, "ternary", "true/false"],
      [10, "require", "true/false"],
      [11, "loop", "true/false"],
      [11, "operand", "true/false"], // i < v
      [11, "operand", "true/false"], // i < 3
      [12, "try", "try/catch Error/catch"],
    ]);
    expect(points.every((p) => p.outcomes.every((o) => !o.taken))).to.equal(true);
  });

  it("reads each outcome from its own hit tag", () => {
    const hits = new Map([
      [outcomeTag(NAME, 0, 1).slice(2), 3], // the if was false
      [outcomeTag(NAME, 4, 0).slice(2), 1], // the ternary was true
      [outcomeTag(NAME, 9, 2).slice(2), 1], // the bare catch ran
    ]);
    const points = branchPoints(SOURCE, NAME, hits);
    const taken = points.flatMap((p, i) => p.outcomes.filter((o) => o.taken).map((o) => `${i}:${o.label}`));
    expect(taken).to.deep.equal(["0:false", "4:true", "9:catch"]);
  });

  it("instruments statement-instrumented source so that it compiles and reports every outcome with those tags", () => {
    const statements = addStatementCoverageInstrumentation(SOURCE, NAME, "0.8.28").source;
    const instrumented = instrumentDecisions(SOURCE, statements, NAME);
    expect(instrumented).to.contain(`__TRVLBranchCoverage.decide(v == 7, ${outcomeTag(NAME, 1, 0)}, `);
    expect(instrumented).to.contain(`__TRVLBranchCoverage.arm(${outcomeTag(NAME, 9, 2)});`);
    const coverageLibrary = getCoverageLibrary();
    const output = JSON.parse(
      solc.compile(
        JSON.stringify({
          language: "Solidity",
          sources: {
            [NAME]: { content: instrumented },
            [BRANCH_LIBRARY_FILE]: { content: branchLibrary(coverageLibrary.filename) },
            [coverageLibrary.filename]: { content: coverageLibrary.content },
          },
          settings: { outputSelection: { "*": { "*": ["evm.bytecode.object"] } } },
        }),
      ),
    ) as { errors?: { severity: string; formattedMessage: string }[] };
    const errors = (output.errors ?? []).filter((e) => e.severity === "error").map((e) => e.formattedMessage);
    expect(errors).to.deep.equal([]);
  });
});
