import { formatDateTime, formatToken } from "@/lib/format";

import { cumulative, stepPath, type RewardPoint } from "./series";

const W = 600;
const H = 160;

/** TRVL earned over time as a running total: a small inline SVG, described in words for screen readers. */
export function RewardsChart({ rewards }: { rewards: RewardPoint[] }) {
  const series = cumulative(rewards);
  if (series.length === 0) return null;
  const total = series[series.length - 1].total;
  const from = formatDateTime(series[0].time / 1000);
  const to = formatDateTime(series[series.length - 1].time / 1000);
  const summary = `TRVL earned over time: ${formatToken(total, 18, "TRVL")} in ${series.length} rewards from ${from} to ${to}.`;
  return (
    <figure>
      <svg viewBox={`0 0 ${W} ${H + 20}`} className="h-auto w-full" role="img" aria-label={summary}>
        <line x1="0" y1={H} x2={W} y2={H} className="stroke-slate-300" strokeWidth="1" />
        <path d={`${stepPath(series, W, H)} V${H} Z`} className="fill-brand-50" />
        <path d={stepPath(series, W, H)} className="fill-none stroke-brand-600" strokeWidth="2" />
        <text x="0" y={H + 16} className="fill-slate-500 text-[12px]">
          {from}
        </text>
        <text x={W} y={H + 16} textAnchor="end" className="fill-slate-500 text-[12px]">
          {to}
        </text>
        <text x="4" y="14" className="fill-slate-700 text-[12px] font-semibold">
          {formatToken(total, 18, "TRVL")}
        </text>
      </svg>
      <figcaption className="text-xs text-slate-500">Running total of TRVL earned, all roles.</figcaption>
    </figure>
  );
}
