/** The soak's summary: its shape (summary.json), its Markdown (summary.md, also printed) and its chart's panels. */
import type { Panel } from "./plot.js";

export interface SoakSample {
  /** Seconds since traffic started, at the end of the 10-second window the figures cover. */
  t: number;
  phase: "traffic" | "drain";
  rssMb: number | null;
  /** The backend's V8 heap in use, and its event loop's delay p99 over the window (from its /metrics). */
  heapUsedMb: number | null;
  /** The V8 heap the backend holds from the system (used or not): what of its RSS the heap accounts for. */
  heapTotalMb: number | null;
  /** Garbage collections in the window: minor (young generation) and major (the whole heap); null in the first. */
  gcs: { minor: number; major: number } | null;
  eventLoopP99Ms: number | null;
  /**
   * CPU used in the window, in % of one core: the backend process, the local chain's process and this one (the
   * traffic). `chain` is null when the chain runs in this process (counted in `soak`).
   */
  cpuPercent: { backend: number | null; chain: number | null; soak: number | null };
  listenerLagBlocks: number | null;
  /** Keeper jobs waiting (pending) and in progress (running), all kinds; failed ones in all. */
  jobs: { pending: number; running: number; failed: number } | null;
  requestsPerSecond: number;
  serverErrors: number;
  unanswered: number;
  postBookingsP95Ms: number | null;
  bookings: { created: number; paid: number; rewarded: number };
  /** Of the bookings seen rewarded in the window: payment mined → rewarded seen. */
  paidToRewarded: { count: number; p50Ms: number | null; p95Ms: number | null };
}

export interface Check {
  name: string;
  ok: boolean;
  failures: string[];
}

export interface Target {
  name: string;
  target: string;
  value: string;
  ok: boolean;
}

export interface SoakSummary {
  passed: boolean;
  /** Every failed check and, when judged, every missed target, one sentence each. */
  failures: string[];
  parameters: {
    seconds: number;
    rate: number;
    readRate: number;
    travellers: number;
    twoLevelReferrals: number;
    streams: number;
    seed: number;
    database: string;
    cores: number;
    loadAverage: { start: number[]; end: number[] };
    startedAt: string;
  };
  checks: Check[];
  targets: { judged: boolean; note: string; items: Target[] };
  figures: Record<string, unknown>;
  samples: SoakSample[];
  incidents: Record<string, unknown>;
  files: Record<string, string>;
}

const table = (header: string[], rows: (string | number)[][]) =>
  [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ].join("\n");

const ms = (value: number | null | undefined) => (value === null || value === undefined ? "–" : `${Math.round(value)}`);

export function summaryMarkdown(s: SoakSummary): string {
  const p = s.parameters;
  const f = s.figures as any;
  const lines = [
    `# Soak: ${s.passed ? "PASSED" : "FAILED"}`,
    "",
    `${p.seconds} s of traffic at ${p.rate} bookings/s (${p.readRate} reads/s) from ${p.travellers} travellers ` +
      `(${p.twoLevelReferrals} with two levels of referrers), ${p.streams} live-update streams; PostgreSQL: ` +
      `${p.database}; seed ${p.seed}; ${p.cores} cores, load average ${p.loadAverage.start.join(" ")} at the start, ` +
      `${p.loadAverage.end.join(" ")} at the end; started ${p.startedAt}.`,
    "",
    ...(s.failures.length ? ["## Failures", "", ...s.failures.map((x) => `- ${x}`), ""] : []),
    "## Correctness (enforced)",
    "",
    table(
      ["check", "result"],
      s.checks.map((c) => [c.name, c.ok ? "ok" : `**FAIL** (${c.failures.length})`]),
    ),
    "",
    `## Targets of a 10-minute run (${s.targets.judged ? "judged" : "not judged"})`,
    "",
    s.targets.note,
    "",
    table(
      ["target", "wanted", "measured", "result"],
      s.targets.items.map((t) => [t.name, t.target, t.value, s.targets.judged ? (t.ok ? "ok" : "**missed**") : "–"]),
    ),
    "",
    "## Bookings",
    "",
    table(
      ["", "count"],
      [
        ["created", f.bookings.created],
        ["paid in ETH (`pay`)", f.bookings.paid.eth],
        ["paid in test dollars (`payWithPermit`)", f.bookings.paid.permit],
        ["cancelled before paying", f.bookings.cancelledBeforePaying],
        ...Object.entries(f.bookings.cancelledAfterPaying as Record<string, number>).map(([k, v]) => [
          `cancelled after paying: ${k}`,
          v,
        ]),
        ["settled (on chain)", f.bookings.settled],
        ["refunded (on chain)", f.bookings.refunded],
        ["rewarded (on chain)", f.bookings.rewarded],
        ...Object.entries(f.bookings.rewardSkips as Record<string, number>).map(([k, v]) => [
          `RewardSkipped ${k} (retried by the keeper)`,
          v,
        ]),
        ["bookings not created (answer other than 201)", f.createFailures],
        ["booking flows shed (stack behind)", f.shed.bookings],
        ["reads shed (stack behind)", f.shed.reads],
      ],
    ),
    "",
    `TRVL minted: ${f.rewards.trvlMinted} to ${f.rewards.recipients} recipients; live pushes of rewarded bookings: ` +
      `${f.pushes.direct} direct, ${f.pushes.byRefresh} through a refresh, ${f.pushes.duplicates} repeated; ` +
      `events received: ${Object.entries(f.pushes.events as Record<string, number>)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}; stream drops: ${f.pushes.drops}.`,
    "",
    "## Latency and load",
    "",
    table(
      ["figure", "value"],
      [
        [
          "paid → rewarded p50 / p95 / max (ms)",
          `${ms(f.latency.p50Ms)} / ${ms(f.latency.p95Ms)} / ${ms(f.latency.maxMs)}`,
        ],
        [
          `paid → rewarded p95, first ${f.latency.windowSeconds} s vs last ${f.latency.windowSeconds} s (ms)`,
          `${ms(f.latency.firstP95Ms)} vs ${ms(f.latency.lastP95Ms)} (×${f.latency.ratio?.toFixed(2) ?? "–"})`,
        ],
        [
          `backend RSS after ${f.memory.warmupSeconds} s warm-up: slope (MB/min)`,
          f.memory.slopeMbPerMin === null ? "–" : f.memory.slopeMbPerMin.toFixed(2),
        ],
        ["backend RSS first / last / max (MB)", `${f.memory.firstMb} / ${f.memory.lastMb} / ${f.memory.maxMb}`],
        [
          "backend V8 heap after major GCs (MB, at s) and its slope (MB/min)",
          `${(f.memory.heapFloorsMb as [number, number][]).map(([t, mb]) => `${mb}@${t}`).join(", ") || "–"}; ` +
            (f.memory.heapFloorSlopeMbPerMin === null ? "–" : f.memory.heapFloorSlopeMbPerMin.toFixed(2)),
        ],
        ["requests / achieved req/s during traffic", `${f.requests.total} / ${f.requests.perSecond.toFixed(1)}`],
        ["5xx (soak's count / API's own metrics)", `${f.serverErrors.seen} / ${f.serverErrors.apiMetrics ?? "–"}`],
        ["requests without an answer", f.unanswered],
        ["unexpected 4xx", f.unexpected],
        ["deadlocks (pg_stat_database delta)", f.deadlocks.delta ?? "–"],
        [
          "backend log lines at error level / mentioning a deadlock",
          `${f.backendLog.errors} / ${f.backendLog.deadlocks}`,
        ],
        ["drain: every paid booking final after traffic (s)", f.drainSeconds.toFixed(1)],
      ],
    ),
    "",
    "## Requests by route",
    "",
    table(
      ["route", "requests", "statuses", "p50 ms", "p95 ms", "p99 ms"],
      (f.requests.byRoute as any[]).map((r) => [
        `\`${r.route}\``,
        r.requests,
        Object.entries(r.statuses)
          .map(([k, v]) => `${k}: ${v}`)
          .join(", "),
        ms(r.p50Ms),
        ms(r.p95Ms),
        ms(r.p99Ms),
      ]),
    ),
    "",
    "## Every 10 seconds",
    "",
    table(
      [
        "t (s)",
        "phase",
        "RSS / heap used / heap held MB",
        "GCs minor / major",
        "CPU % backend / chain / soak driver",
        "event loop p99 ms",
        "req/s",
        "created",
        "paid",
        "rewarded",
        "paid→rewarded p50/p95 ms",
        "POST /bookings p95 ms",
        "listener lag",
        "jobs pending/running/failed",
        "5xx",
      ],
      s.samples.map((x) => [
        x.t,
        x.phase,
        `${x.rssMb ?? "–"} / ${x.heapUsedMb ?? "–"} / ${x.heapTotalMb ?? "–"}`,
        x.gcs ? `${x.gcs.minor} / ${x.gcs.major}` : "–",
        `${x.cpuPercent.backend ?? "–"} / ${x.cpuPercent.chain ?? "–"} / ${x.cpuPercent.soak ?? "–"}`,
        ms(x.eventLoopP99Ms),
        x.requestsPerSecond.toFixed(1),
        x.bookings.created,
        x.bookings.paid,
        x.bookings.rewarded,
        `${ms(x.paidToRewarded.p50Ms)} / ${ms(x.paidToRewarded.p95Ms)}`,
        ms(x.postBookingsP95Ms),
        x.listenerLagBlocks ?? "–",
        x.jobs ? `${x.jobs.pending}/${x.jobs.running}/${x.jobs.failed}` : "–",
        x.serverErrors,
      ]),
    ),
    "",
  ];
  const incidents = s.incidents as Record<string, unknown[]>;
  for (const [name, list] of Object.entries(incidents)) {
    if (!Array.isArray(list) || list.length === 0) continue;
    lines.push(`## ${name}`, "", "```", ...list.map((x) => (typeof x === "string" ? x : JSON.stringify(x))), "```", "");
  }
  lines.push(`Files: ${Object.values(s.files).join(", ")}`);
  return lines.join("\n");
}

/** The chart's panels from the samples. */
export function chartPanels(samples: SoakSample[]): Panel[] {
  const series = (name: string, color: string, value: (x: SoakSample) => number | null, dashed = false) => ({
    name,
    color,
    dashed,
    points: samples.map((x) => [x.t, value(x)] as [number, number | null]),
  });
  return [
    {
      title: "Backend memory",
      unit: "MB",
      series: [
        series("RSS", "#7b3fb5", (x) => x.rssMb),
        series("V8 heap held", "#17becf", (x) => x.heapTotalMb, true),
        series("V8 heap used", "#bcbd22", (x) => x.heapUsedMb, true),
      ],
    },
    {
      title: "CPU (% of one core)",
      unit: "%",
      series: [
        series("backend", "#7b3fb5", (x) => x.cpuPercent.backend),
        series("chain", "#8c564b", (x) => x.cpuPercent.chain, true),
        series("soak driver", "#17becf", (x) => x.cpuPercent.soak, true),
      ],
    },
    {
      title: "Requests",
      unit: "req/s",
      series: [series("all requests", "#1f77b4", (x) => x.requestsPerSecond)],
    },
    {
      title: "Bookings",
      unit: "per s",
      series: [
        series("created", "#8c8c8c", (x) => x.bookings.created / 10),
        series("paid", "#ff7f0e", (x) => x.bookings.paid / 10),
        series("rewarded", "#2ca02c", (x) => x.bookings.rewarded / 10),
      ],
    },
    {
      title: "Latency",
      unit: "ms",
      series: [
        series("paid→rewarded p50", "#2ca02c", (x) => x.paidToRewarded.p50Ms),
        series("paid→rewarded p95", "#d62728", (x) => x.paidToRewarded.p95Ms),
        series("POST /bookings p95", "#1f77b4", (x) => x.postBookingsP95Ms, true),
      ],
    },
    {
      title: "Backlog",
      unit: "count",
      series: [
        series("listener lag (blocks)", "#9467bd", (x) => x.listenerLagBlocks),
        series("keeper jobs pending", "#e377c2", (x) => x.jobs?.pending ?? null),
        series("keeper jobs running", "#17becf", (x) => x.jobs?.running ?? null, true),
      ],
    },
  ];
}
