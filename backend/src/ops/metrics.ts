import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import client from "prom-client";

export interface Metrics {
  registry: client.Registry;
  middleware: MiddlewareHandler;
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
  return { registry, middleware };
}
