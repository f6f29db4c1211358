import { bookingEscrowAbi, trvlStakingAbi } from "@trvl/abi";
import {
  BaseError,
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  InsufficientFundsError,
  UserRejectedRequestError,
  encodeErrorResult,
} from "viem";
import { describe, expect, it } from "vitest";

import { formatDateTime } from "./format";
import { describeTxError } from "./tx-errors";

/** The error viem throws when a contract call reverts with `errorName(args)`. */
function revert(abi: typeof bookingEscrowAbi | typeof trvlStakingAbi, errorName: string, args: unknown[]) {
  const data = encodeErrorResult({ abi, errorName, args } as Parameters<typeof encodeErrorResult>[0]);
  const cause = new ContractFunctionRevertedError({ abi, data, functionName: "pause" });
  return new ContractFunctionExecutionError(cause, { abi, functionName: "pause", args: [] });
}

describe("describeTxError", () => {
  it("turns the contracts' custom errors into sentences", () => {
    expect(describeTxError(revert(bookingEscrowAbi, "EscrowQuoteExpired", [`0x${"00".repeat(32)}`, 1n]))).toBe(
      "This quote expired. Ask for a new one.",
    );
    expect(describeTxError(revert(bookingEscrowAbi, "EnforcedPause", []))).toMatch(/paused by the guardian/);
    expect(describeTxError(revert(trvlStakingAbi, "StakingInsufficientStake", [5n * 10n ** 18n, 10n ** 18n]))).toBe(
      "You have only 1 TRVL staked.",
    );
    expect(describeTxError(revert(trvlStakingAbi, "StakingCooldownActive", [1_800_000_000n]))).toContain(
      formatDateTime(1_800_000_000),
    );
  });

  it("names an unexpected contract error rather than hiding it", () => {
    expect(describeTxError(revert(bookingEscrowAbi, "ReentrancyGuardReentrantCall", []))).toBe(
      "The contract refused the transaction (ReentrancyGuardReentrantCall).",
    );
  });

  it("explains a rejection in the wallet and a lack of gas money", () => {
    expect(describeTxError(new UserRejectedRequestError(new Error("User rejected the request.")))).toBe(
      "You rejected the request in your wallet.",
    );
    expect(describeTxError(new InsufficientFundsError({ cause: new BaseError("insufficient funds") }))).toMatch(
      /Not enough ETH/,
    );
  });

  it("never shows raw internals for anything else", () => {
    expect(describeTxError(new TypeError("x is undefined"))).toBe("Something went wrong. Please try again.");
    expect(describeTxError("boom")).toBe("Something went wrong. Please try again.");
  });
});
