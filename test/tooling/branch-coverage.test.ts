import { addStatementCoverageInstrumentation } from "@nomicfoundation/edr";
import { expect } from "chai";

import { branchPoints } from "../../scripts/coverage/branches.js";

const SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;
contract Branchy {
    error Bad();
    uint256 public x;
    function f(uint256 v) external {
        // A guard clause, with a comment before it.
        if (v == 7) revert Bad();
        if (v > 100) {
            x = v - 100;
        } else {
            x = v;
        }
        if (v == 3) x = 33;
    }
}
`;
const NAME = "project/contracts/Branchy.sol";

/** The tag of the smallest statement containing `code`. */
function tagOf(code: string): string {
  const { metadata } = addStatementCoverageInstrumentation(SOURCE, NAME, "0.8.28");
  const [entry] = metadata
    .filter((m) => SOURCE.slice(m.startUtf16, m.endUtf16).includes(code))
    .sort((a, b) => a.endUtf16 - a.startUtf16 - (b.endUtf16 - b.startUtf16));
  if (!entry) throw new Error(`no statement contains ${code}`);
  return Buffer.from(entry.tag).toString("hex");
}

describe("Branch coverage from statement hits", () => {
  it("reads guard clauses, if/else and one-armed ifs from hit counts", () => {
    // Three executions: f(7) reverted at the guard, f(200) and f(3) passed it.
    const hits = new Map([
      [tagOf("if (v == 7)"), 3],
      [tagOf("revert Bad()"), 1],
      [tagOf("if (v > 100)"), 2],
      [tagOf("{\n            x = v - 100"), 1],
      [tagOf("x = v - 100"), 1],
      [tagOf("if (v == 3)"), 2],
      [tagOf("x = 33"), 1],
    ]);
    expect(branchPoints(SOURCE, NAME, "0.8.28", hits)).to.deep.equal([
      { line: 8, trueTaken: true, falseTaken: true },
      { line: 9, trueTaken: true, falseTaken: false }, // the else body never ran
      { line: 14, trueTaken: true, falseTaken: true },
    ]);
  });

  it("reports untaken outcomes when a statement never ran", () => {
    const hits = new Map([[tagOf("if (v == 7)"), 2]]);
    const [guard, ifElse, oneArmed] = branchPoints(SOURCE, NAME, "0.8.28", hits);
    expect(guard).to.deep.equal({ line: 8, trueTaken: false, falseTaken: true });
    expect(ifElse).to.deep.equal({ line: 9, trueTaken: false, falseTaken: false });
    expect(oneArmed).to.deep.equal({ line: 14, trueTaken: false, falseTaken: false });
  });
});
