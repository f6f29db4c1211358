import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import client from "prom-client";

export interface Metrics {
  registry: client.Registry;
  middleware: MiddlewareHandler;
  worker: WorkerMetrics;
}

/** The chain listener's and keeper's figures. */
export interface WorkerMetrics {
  leader: client.Gauge;
  listenerLag: client.Gauge;
  listenerCursor: client.Gauge;
  events: client.Counter;
  reorgs: client.Counter<"deep">;
  rewards: client.Counter;
  jobs: client.Gauge<"kind" | "status">;
  rewardsWaiting: client.Gauge<"reason">;
  transactions: client.Counter<"outcome">;
  errors: client.Counter<"loop">;
}

/** Prometheus metrics of one app: request count and latency by method, route pattern and status. */
export function createMetrics(): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "trvl_api_" });
  const labelNames = ["method", "route", "status"] as const;
  const requests = new client.Counter({
    name: "http_requests_total",
    help: "HTTP requests served",
    labelNames,
    registers: [registry],
  });
  const duration = new client.Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request latency",
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const middleware: MiddlewareHandler = async (c, next) => {
    const start = performance.now();
    try {
      await next();
    } finally {
      // The route pattern, never the raw path, so ids do not explode the label set; unmatched paths share one label.
      const route = c.res.status === 404 && routePath(c, -1) === "/*" ? "(unmatched)" : routePath(c, -1);
      const labels = { method: c.req.method, route, status: String(c.res.status) };
      requests.inc(labels);
      duration.observe(labels, (performance.now() - start) / 1000);
    }
  };
  return { registry, middleware, worker: workerMetrics(registry) };
}

function workerMetrics(registry: client.Registry): WorkerMetrics {
  const registers = [registry];
  return {
    leader: new client.Gauge({
      name: "trvl_worker_leader",
      help: "1 while this instance leads the chain listener and keeper",
      registers,
    }),
    listenerLag: new client.Gauge({
      name: "trvl_listener_lag_blocks",
      help: "Chain head minus the listener's cursor",
      registers,
    }),
    listenerCursor: new client.Gauge({ name: "trvl_listener_cursor_block", help: "Last block indexed", registers }),
    events: new client.Counter({ name: "trvl_listener_events_total", help: "Chain events stored", registers }),
    reorgs: new client.Counter({
      name: "trvl_listener_reorgs_total",
      help: "Reorgs handled; deep=true when deeper than the reorg window",
      labelNames: ["deep"],
      registers,
    }),
    rewards: new client.Counter({
      name: "trvl_rewards_distributed_total",
      help: "Reward rows recorded (one per recipient of a distribution)",
      registers,
    }),
    jobs: new client.Gauge({
      name: "trvl_keeper_jobs",
      help: "Keeper jobs by kind and status",
      labelNames: ["kind", "status"],
      registers,
    }),
    rewardsWaiting: new client.Gauge({
      name: "trvl_rewards_waiting",
      help: "Settled bookings whose reward the distributor passed over, by its reason (Queued: minted in parts as the mint limit refills)",
      labelNames: ["reason"],
      registers,
    }),
    transactions: new client.Counter({
      name: "trvl_keeper_transactions_total",
      help: "Keeper transactions: sent, replaced (stuck, fee bumped)",
      labelNames: ["outcome"],
      registers,
    }),
    errors: new client.Counter({
      name: "trvl_worker_errors_total",
      help: "Errors of the worker loops (the loop pauses and resumes by itself)",
      labelNames: ["loop"],
      registers,
    }),
  };
}
