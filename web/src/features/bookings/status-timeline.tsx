"use client";

import { useChainId } from "wagmi";

import type { Booking } from "@/lib/api";
import { txUrl } from "@/lib/chains";
import { formatToken } from "@/lib/format";

import { progressOf, TIMELINE } from "./status";
import type { BookingChainHistory, ChainStep } from "./use-bookings";

const STEP_TEXT: Record<(typeof TIMELINE)[number], { title: string; detail: string }> = {
  quoted: { title: "Quoted", detail: "Priced and signed by TRVL; waiting for your payment." },
  paid: { title: "Paid", detail: "Your payment is held in the escrow contract." },
  confirmed: { title: "Confirmed", detail: "The provider confirmed your booking." },
  settled: { title: "Settled", detail: "The supplier was paid from the escrow; the commission went to the treasury." },
  rewarded: { title: "Rewarded", detail: "TRVL was minted to you from the booking's commission." },
};

/** quoted → paid → confirmed → settled → rewarded, with the transaction of each on-chain step. */
export function StatusTimeline({ booking, chain }: { booking: Booking; chain: BookingChainHistory | undefined }) {
  const chainId = useChainId();
  const reached = progressOf(booking.status);
  const link = (step: ChainStep | undefined, label: string) =>
    step && (
      <a className="text-brand-700 underline" href={txUrl(chainId, step.txHash)} target="_blank" rel="noreferrer">
        {label}
      </a>
    );
  const txOf = (key: (typeof TIMELINE)[number]) =>
    key === "paid"
      ? link(chain?.paid, "payment transaction")
      : key === "settled"
        ? link(chain?.settled, "settlement transaction")
        : key === "rewarded"
          ? link(chain?.rewarded, "reward transaction")
          : null;

  return (
    <ol className="grid gap-0" aria-label="Booking status">
      {TIMELINE.map((key, i) => {
        const done = reached >= i;
        const current = reached === i;
        return (
          <li
            key={key}
            className="flex gap-3"
            aria-current={current ? "step" : undefined}
            data-testid={`step-${key}`}
            data-done={done}
          >
            <div className="flex flex-col items-center">
              <span
                aria-hidden
                className={`mt-1 flex h-6 w-6 items-center justify-center rounded-full border-2 text-xs font-bold ${
                  done ? "border-emerald-600 bg-emerald-600 text-white" : "border-slate-300 bg-white text-slate-400"
                }`}
              >
                {done ? "✓" : i + 1}
              </span>
              {i < TIMELINE.length - 1 && (
                <span aria-hidden className={`w-0.5 flex-1 ${reached > i ? "bg-emerald-600" : "bg-slate-200"}`} />
              )}
            </div>
            <div className="pb-4">
              <p className={`font-semibold ${done ? "text-slate-900" : "text-slate-500"}`}>
                {STEP_TEXT[key].title}
                <span className="sr-only">{done ? " (done)" : " (not yet)"}</span>
              </p>
              <p className="text-sm text-slate-600">{STEP_TEXT[key].detail}</p>
              {key === "rewarded" && chain?.rewarded && (
                <p className="text-sm font-semibold text-emerald-800" data-testid="trvl-earned">
                  You earned {formatToken(chain.rewarded.travellerAmount, 18, "TRVL")}
                  {chain.rewarded.boostBps > 0n && ` (with a +${Number(chain.rewarded.boostBps) / 100}% tier boost)`}
                </p>
              )}
              {done && <p className="text-sm">{txOf(key)}</p>}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
