"use client";

/**
 * What paying a quote earns, before paying: the commission in the payment token, the TRVL the reward distributor
 * would mint to the traveller for it now (its `previewReward`: the traveller's split, plus the staking tier's boost),
 * that TRVL's USD value at the distributor's TRVL/USD feed, and how long the quote is still good for.
 */
import type { Address } from "viem";
import { useReadContracts } from "wagmi";

import { useTrvlUsdPrice } from "@/features/rewards/use-trvl-price";
import type { Booking, PaymentInstructions } from "@/lib/api";
import { formatBps, formatDuration, formatToken, formatUsdValue } from "@/lib/format";
import { useTrvlContract } from "@/lib/use-trvl-contract";
import { useNow } from "@/lib/use-now";

/** The commission the escrow records for a payment, rounded down as it is (BookingEscrow._commission). */
export function commissionOf(amount: bigint, commissionBps: number): bigint {
  return (amount * BigInt(commissionBps)) / 10_000n;
}

export function RewardPreview({ booking, pay }: { booking: Booking; pay: PaymentInstructions }) {
  const distributor = useTrvlContract("RewardDistributor");
  const { token } = booking.payment;
  const commission = commissionOf(BigInt(pay.quote.amount), pay.quote.commissionBps);
  const reads = useReadContracts({
    allowFailure: false,
    contracts: [
      {
        ...distributor,
        functionName: "previewReward",
        args: [pay.quote.traveller as Address, pay.quote.token as Address, commission],
      },
      { ...distributor, functionName: "split" },
    ],
  });
  const price = useTrvlUsdPrice();
  const now = useNow();
  const left = Number(pay.quote.expiresAt) - now;
  const [preview, split] = reads.data ?? [];
  const allocation = preview?.[0];

  return (
    <dl
      className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-1 rounded-lg bg-slate-50 p-3 text-sm"
      data-testid="reward-preview"
    >
      <dt className="text-slate-600">Commission ({formatBps(pay.quote.commissionBps)})</dt>
      <dd className="text-right tabular-nums">{formatToken(commission, token.decimals, token.symbol)}</dd>
      <dt className="text-slate-600">
        You earn
        {split && allocation && (
          <span className="block text-xs text-slate-500">
            your {formatBps(split.traveller)} of the commission&apos;s value
            {allocation.boostBps > 0n ? `, +${formatBps(allocation.boostBps)} tier boost` : ""}
          </span>
        )}
      </dt>
      <dd className="text-right font-semibold tabular-nums">
        {allocation ? (
          <>
            <span data-testid="expected-trvl">{formatToken(allocation.traveller, 18, "TRVL")}</span>
            {price && (
              <span className="block text-xs font-normal text-slate-500" data-testid="expected-trvl-usd">
                ≈ {formatUsdValue(allocation.traveller, 18, price.answer, price.decimals)}
              </span>
            )}
          </>
        ) : reads.isError ? (
          <span className="font-normal text-slate-500">Not available right now</span>
        ) : (
          <span className="font-normal text-slate-500">…</span>
        )}
      </dd>
      <dt className="text-slate-600">Quote expires</dt>
      <dd className="text-right tabular-nums" data-testid="quote-expiry">
        {left > 0 ? `in ${formatDuration(left)}` : "expired"}
      </dd>
    </dl>
  );
}
