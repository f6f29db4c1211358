"use client";

import type { Booking } from "@/lib/api";
import { txUrl } from "@/lib/chains";
import { formatBps, formatDateTime, formatToken } from "@/lib/format";
import { useDeployment } from "@/lib/use-deployment";

import { progressOf, TIMELINE } from "./status";

const STEP_TEXT: Record<(typeof TIMELINE)[number], { title: string; detail: string }> = {
  quoted: { title: "Quoted", detail: "Priced and signed by TRVL; waiting for your payment." },
  paid: { title: "Paid", detail: "Your payment is held in the escrow contract." },
  confirmed: { title: "Confirmed", detail: "The provider confirmed your booking." },
  settled: { title: "Settled", detail: "The supplier was paid from the escrow; the commission went to the treasury." },
  rewarded: { title: "Rewarded", detail: "TRVL was minted to you from the booking's commission." },
};

const TX_LABEL: Partial<Record<Booking["status"], string>> = {
  paid: "payment transaction",
  settled: "settlement transaction",
  rewarded: "reward transaction",
};

/** quoted → paid → confirmed → settled → rewarded as the API's timeline records them, each step's time and transaction. */
export function StatusTimeline({ booking }: { booking: Booking }) {
  const { chainId } = useDeployment();
  const reached = progressOf(booking.status);
  const stepOf = (key: (typeof TIMELINE)[number]) => booking.timeline.find((step) => step.status === key);

  return (
    <ol className="grid gap-0" aria-label="Booking status">
      {TIMELINE.map((key, i) => {
        const done = reached >= i;
        const current = reached === i;
        const step = stepOf(key);
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
              {step?.reward && (
                <p className="text-sm font-semibold text-emerald-800" data-testid="trvl-earned">
                  You earned {formatToken(BigInt(step.reward.amount), 18, "TRVL")}
                  {step.reward.boostBps > 0 && ` (with a +${formatBps(step.reward.boostBps)} tier boost)`}
                </p>
              )}
              {step && (
                <p className="text-sm text-slate-600">
                  <time dateTime={step.at}>{formatDateTime(step.at)}</time>
                  {step.txHash && TX_LABEL[key] && (
                    <>
                      {" · "}
                      <a
                        className="text-brand-700 underline"
                        href={txUrl(chainId, step.txHash as `0x${string}`)}
                        target="_blank"
                        rel="noreferrer"
                      >
                        {TX_LABEL[key]}
                      </a>
                    </>
                  )}
                </p>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
