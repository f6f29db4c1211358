import { BaseError, ContractFunctionRevertedError, UserRejectedRequestError, InsufficientFundsError } from "viem";

import { formatDateTime, formatToken } from "./format";

type Args = readonly unknown[] | undefined;
const trvl = (value: unknown) => formatToken(BigInt(value as bigint), 18, "TRVL");
const date = (seconds: unknown) => formatDateTime(Number(seconds));

/** What each contract error means to the person who sent the transaction. */
const MESSAGES: Record<string, (args: Args) => string> = {
  EnforcedPause: () => "This is paused by the guardian for now. Try again later.",
  EscrowQuoteExpired: () => "This quote expired. Ask for a new one.",
  EscrowAlreadyPaid: () => "This booking is already paid.",
  EscrowNotQuoteTraveller: () => "This quote was issued to another wallet: connect the wallet you booked with.",
  EscrowTokenNotAllowed: () => "This token is not accepted for payments.",
  EscrowWrongValue: () => "The amount sent does not match the quote.",
  EscrowInvalidQuoteSigner: () => "This quote's signature is not valid. Ask for a new one.",
  EscrowInvalidAmount: () => "The quoted amount is not valid.",
  EscrowNotRefundable: () => "Only a paid booking that is not settled yet can be refunded.",
  EscrowRefundTooEarly: (a) => `You can refund this booking yourself from ${date(a?.[1])}.`,
  EscrowRefundNotAllowed: () => "Only the traveller who paid can refund this booking.",
  ERC20InsufficientBalance: () => "Your token balance is too low for this.",
  ERC20InsufficientAllowance: () => "The token allowance is too low: approve or sign the permit again.",
  ERC2612ExpiredSignature: () => "The permit signature expired. Try again.",
  ERC2612InvalidSigner: () => "The permit was signed by another account.",
  StakingZeroAmount: () => "Enter an amount above zero.",
  StakingInsufficientStake: (a) => `You have only ${trvl(a?.[1])} staked.`,
  StakingNothingPending: () => "Nothing is waiting to be withdrawn.",
  StakingCooldownActive: (a) => `Your TRVL unlocks on ${date(a?.[0])}.`,
  StakingDelegationFollowsToken: () => "Staked votes follow your TRVL delegation: delegate your TRVL instead.",
  GovernorInsufficientProposerVotes: (a) => `You need at least ${trvl(a?.[2])} of votes to propose.`,
  GovernorAlreadyCastVote: () => "You already voted on this proposal.",
  GovernorUnexpectedProposalState: () => "The proposal is not in a state that allows this right now.",
  GovernorUnableToCancel: () => "Only the proposer can withdraw a proposal, and only before its vote starts.",
  TimelockUnexpectedOperationState: () => "The timelock delay has not passed yet.",
  ReferralAlreadyRegistered: () => "You already have a referrer.",
  ReferralSelf: () => "You cannot refer yourself.",
  ReferralCycle: () => "That referrer was referred by you: referrals cannot go in a circle.",
  ReferralZeroAddress: () => "That referral link is not valid.",
  ReferralSignatureExpired: () => "The referral signature expired. Try again.",
  ReferralInvalidSignature: () => "The referral signature does not match your wallet.",
  AccessControlUnauthorizedAccount: () => "Your wallet is not allowed to do this.",
};

/** A sentence for whatever went wrong with a transaction or signature: never a stack trace or raw JSON. */
export function describeTxError(error: unknown): string {
  if (error instanceof BaseError) {
    if (error.walk((e) => e instanceof UserRejectedRequestError)) return "You rejected the request in your wallet.";
    if (error.walk((e) => e instanceof InsufficientFundsError)) {
      return "Not enough ETH in this wallet to pay for the transaction.";
    }
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError) {
      const name = reverted.data?.errorName;
      if (name && MESSAGES[name]) return MESSAGES[name](reverted.data?.args);
      if (name) return `The contract refused the transaction (${name}).`;
      if (reverted.reason) return `The contract refused the transaction: ${reverted.reason}.`;
      return "The contract refused the transaction.";
    }
    return error.shortMessage;
  }
  if (error instanceof Error && /user rejected|denied/i.test(error.message)) {
    return "You rejected the request in your wallet.";
  }
  return "Something went wrong. Please try again.";
}
