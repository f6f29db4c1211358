import { getCoverageLibrary } from "@nomicfoundation/edr/coverage";
import type { SolidityHooks } from "hardhat/types/hooks";

import { BRANCH_LIBRARY_FILE, instrumentDecisions } from "./instrument.js";

export default async (): Promise<Partial<SolidityHooks>> => ({
  preprocessProjectFileBeforeBuilding: async (context, sourceName, fsPath, fileContent, solcVersion, next) => {
    const statementsInstrumented = await next(context, sourceName, fsPath, fileContent, solcVersion);
    // Hardhat leaves tests, skipped files and builds without --coverage as they are; so do we.
    if (!context.globalOptions.coverage || statementsInstrumented === fileContent) return statementsInstrumented;
    return instrumentDecisions(fileContent, statementsInstrumented, sourceName);
  },
  preprocessSolcInputBeforeBuilding: async (context, solcInput, next) => {
    if (context.globalOptions.coverage) {
      solcInput.sources[BRANCH_LIBRARY_FILE] = { content: branchLibrary(getCoverageLibrary().filename) };
    }
    return next(context, solcInput);
  },
});

export function branchLibrary(coverageLibraryFile: string): string {
  return `// SPDX-License-Identifier: MIT
pragma solidity >=0.7.0 <0.9.0;
import "${coverageLibraryFile}";
library __TRVLBranchCoverage {
  function decide(bool value, uint256 ifTrue, uint256 ifFalse) internal pure returns (bool) {
    __NomicFoundationCoverage.sendHit(value ? ifTrue : ifFalse);
    return value;
  }
  function arm(uint256 tag) internal pure {
    __NomicFoundationCoverage.sendHit(tag);
  }
}
`;
}
