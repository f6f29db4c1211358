/**
 * The soak's HTTP client: every request it makes to the API is counted by route and status, timed, and kept in the
 * 10-second window it finished in; 5xx answers and requests that got no answer keep an example each for the report.
 */
import { percentile } from "@trvl/tooling/stats";

/** Seconds per sampling window. */
export const WINDOW_SECONDS = 10;
/** A request that takes longer than this counts as unanswered. */
const REQUEST_TIMEOUT_MS = 60_000;
const EXAMPLES = 20;

export interface Answer<T = any> {
  status: number;
  body: T;
  requestId?: string;
}

export interface Incident {
  atSeconds: number;
  request: string;
  status: number | "no answer";
  body: string;
  requestId?: string;
}

interface Window {
  requests: number;
  serverErrors: number;
  unanswered: number;
  latencies: Map<string, number[]>;
}

export class SoakHttp {
  /** performance.now() when traffic started; requests before it (setup) fall in window -1. */
  start = performance.now();
  readonly windows = new Map<number, Window>();
  /** Count per route and status ("no answer" for requests that failed or timed out). */
  readonly byRoute = new Map<string, Map<string, number>>();
  readonly latencies = new Map<string, number[]>();
  readonly serverErrors: Incident[] = [];
  readonly unanswered: Incident[] = [];
  /** Answers other than the ones a caller said it expects (`expect`), e.g. a 400 to a request the soak built. */
  readonly unexpected: Incident[] = [];
  serverErrorCount = 0;
  unansweredCount = 0;
  unexpectedCount = 0;

  constructor(readonly baseUrl: string) {}

  seconds(at = performance.now()): number {
    return (at - this.start) / 1000;
  }

  window(index: number): Window {
    let window = this.windows.get(index);
    if (!window) {
      window = { requests: 0, serverErrors: 0, unanswered: 0, latencies: new Map() };
      this.windows.set(index, window);
    }
    return window;
  }

  /**
   * Sends one request. `route` names it in the figures (`GET /bookings/{id}`); `expect` lists the statuses the
   * caller handles besides 2xx (others are reported as unexpected); `ignoreBody`: a 2xx body is not parsed (reads
   * whose answer the soak does not look at, so that parsing them does not take the chain's CPU). Never throws: no
   * answer is status 0.
   */
  async request<T = any>(
    method: string,
    path: string,
    options: { route: string; token?: string; body?: unknown; expect?: number[]; ignoreBody?: boolean },
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const began = performance.now();
    let status = 0;
    let text = "";
    let requestId: string | undefined;
    try {
      const response = await fetch(this.baseUrl + path, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      text = await response.text();
      status = response.status;
      requestId = response.headers.get("x-request-id") ?? undefined;
    } catch (error) {
      text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    const ended = performance.now();
    const ms = ended - began;
    const route = `${method} ${options.route}`;
    const window = this.window(Math.floor(this.seconds(ended) / WINDOW_SECONDS));
    window.requests++;
    const statuses = this.byRoute.get(route) ?? new Map<string, number>();
    this.byRoute.set(route, statuses);
    const key = status === 0 ? "no answer" : String(status);
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
    let body: any = undefined;
    try {
      body = text && !(options.ignoreBody && status >= 200 && status < 300) ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    requestId ??= body?.error?.request_id;
    const incident = (): Incident => ({
      atSeconds: Math.round(this.seconds(ended) * 10) / 10,
      request: `${method} ${path}${options.body === undefined ? "" : ` ${JSON.stringify(options.body)}`}`,
      status: status === 0 ? "no answer" : status,
      body: text.slice(0, 600),
      requestId,
    });
    if (status === 0) {
      window.unanswered++;
      this.unansweredCount++;
      if (this.unanswered.length < EXAMPLES) this.unanswered.push(incident());
    } else {
      const latencies = this.latencies.get(route) ?? [];
      this.latencies.set(route, latencies);
      latencies.push(ms);
      const inWindow = window.latencies.get(route) ?? [];
      window.latencies.set(route, inWindow);
      inWindow.push(ms);
      if (status >= 500) {
        window.serverErrors++;
        this.serverErrorCount++;
        if (this.serverErrors.length < EXAMPLES) this.serverErrors.push(incident());
      } else if (status >= 300 && !options.expect?.includes(status)) {
        this.unexpectedCount++;
        if (this.unexpected.length < EXAMPLES) this.unexpected.push(incident());
      }
    }
    return { status, body: body as T, requestId };
  }

  /** Requests, latency and statuses per route over the whole run. */
  routeFigures() {
    return [...this.byRoute.entries()]
      .map(([route, statuses]) => {
        const latencies = this.latencies.get(route) ?? [];
        return {
          route,
          requests: [...statuses.values()].reduce((a, b) => a + b, 0),
          statuses: Object.fromEntries([...statuses.entries()].sort()),
          p50Ms: latencies.length ? Math.round(percentile(latencies, 50)) : null,
          p95Ms: latencies.length ? Math.round(percentile(latencies, 95)) : null,
          p99Ms: latencies.length ? Math.round(percentile(latencies, 99)) : null,
        };
      })
      .sort((a, b) => b.requests - a.requests);
  }
}
