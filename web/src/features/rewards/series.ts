/** Rewards over time as a running total, and its shape as an SVG path: pure, so it is unit-tested. */

export interface RewardPoint {
  time: number; // ms since epoch
  amount: bigint;
}

export interface SeriesPoint {
  time: number;
  total: bigint;
}

/** Running total after each reward, oldest first (rewards may come newest first). */
export function cumulative(rewards: readonly RewardPoint[]): SeriesPoint[] {
  const sorted = [...rewards].sort((a, b) => a.time - b.time);
  let total = 0n;
  return sorted.map((r) => {
    total += r.amount;
    return { time: r.time, total };
  });
}

/**
 * A step path of the running total in a `width` × `height` box (y grows downwards), starting from zero just before
 * the first reward. Totals are scaled through Number only after dividing by the maximum, so large wei values are safe.
 */
export function stepPath(series: readonly SeriesPoint[], width: number, height: number): string {
  if (series.length === 0) return "";
  const first = series[0].time;
  const last = series[series.length - 1].time;
  const span = Math.max(last - first, 1);
  const max = series[series.length - 1].total > 0n ? series[series.length - 1].total : 1n;
  const x = (time: number) => (series.length === 1 ? width / 2 : ((time - first) / span) * width);
  const y = (total: bigint) => height - Number((total * 10_000n) / max) / (10_000 / height);
  const round = (n: number) => Math.round(n * 100) / 100;
  let d = `M${round(series.length === 1 ? 0 : x(first))},${height}`;
  for (const point of series) d += ` H${round(x(point.time))} V${round(y(point.total))}`;
  d += ` H${width}`;
  return d;
}
