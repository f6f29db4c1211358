/**
 * Lighthouse over the production web app: for each page, the performance score (median of several runs), LCP, TBT and
 * CLS, and the JavaScript the page actually loaded during the run (every script response Lighthouse recorded, with
 * its transfer size as `next start` served it, gzip-compressed). Debian's Chromium, headless, through chrome-launcher;
 * Lighthouse's default (mobile) settings with simulated throttling unless `preset` says "desktop". Nothing is sent
 * anywhere: the run fails if the page requested anything off this machine.
 */
import { launch } from "chrome-launcher";
import lighthouse, { desktopConfig } from "lighthouse";

import { median } from "@trvl/tooling/stats";

export interface PageFigures {
  path: string;
  preset: "mobile" | "desktop";
  runs: number;
  /** 0–100, each run's, then the median. */
  scores: number[];
  performance: number;
  lcpMs: number;
  tbtMs: number;
  cls: number;
  /** Scripts loaded, their transferred and decoded bytes, from the run with the median score. */
  scripts: number;
  jsTransferBytes: number;
  jsResourceBytes: number;
  /** How the server encodes the scripts when the browser accepts compression (e.g. "gzip"). */
  jsEncoding: string;
}

interface NetworkRequest {
  url: string;
  resourceType?: string;
  mimeType?: string;
  transferSize?: number;
  resourceSize?: number;
}

const LOCAL = /^(https?|wss?):\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\//;

async function encodingOf(url: string): Promise<string> {
  const response = await fetch(url, { headers: { "accept-encoding": "gzip, deflate, br" } });
  await response.arrayBuffer();
  return response.headers.get("content-encoding") ?? "none";
}

export async function measurePages(options: {
  baseUrl: string;
  paths: string[];
  runs?: number;
  preset?: "mobile" | "desktop";
  chromePath?: string;
}): Promise<PageFigures[]> {
  const runs = options.runs ?? 3;
  const preset = options.preset ?? "mobile";
  const chrome = await launch({
    chromePath: options.chromePath ?? process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-pings"],
    logLevel: "silent",
  });
  try {
    const figures: PageFigures[] = [];
    for (const path of options.paths) {
      const url = new URL(path, options.baseUrl).href;
      // One unmeasured load first: the server's first render of a page and the browser's compile caches warm up.
      await lighthouse(url, { port: chrome.port, logLevel: "error", onlyCategories: ["performance"] });
      const results = [];
      for (let i = 0; i < runs; i++) {
        const result = await lighthouse(
          url,
          { port: chrome.port, logLevel: "error", onlyCategories: ["performance"] },
          preset === "desktop" ? desktopConfig : undefined,
        );
        if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
        const { lhr } = result;
        if (lhr.runtimeError) throw new Error(`Lighthouse failed on ${url}: ${lhr.runtimeError.message}`);
        const requests = (lhr.audits["network-requests"].details as { items: NetworkRequest[] }).items;
        const offMachine = requests.filter((r) => !LOCAL.test(r.url) && !r.url.startsWith("data:"));
        if (offMachine.length > 0)
          throw new Error(`${url} requested outside this machine: ${offMachine.map((r) => r.url).join(", ")}`);
        const scripts = requests.filter((r) => r.resourceType === "Script");
        results.push({
          score: Math.round((lhr.categories.performance.score ?? 0) * 100),
          lcp: lhr.audits["largest-contentful-paint"].numericValue ?? NaN,
          tbt: lhr.audits["total-blocking-time"].numericValue ?? NaN,
          cls: lhr.audits["cumulative-layout-shift"].numericValue ?? NaN,
          scripts: scripts.length,
          jsBytes: scripts.reduce((sum, r) => sum + (r.transferSize ?? 0), 0),
          jsResourceBytes: scripts.reduce((sum, r) => sum + (r.resourceSize ?? 0), 0),
          firstScript: scripts[0]?.url,
        });
      }
      const scores = results.map((r) => r.score);
      const typical = results.find((r) => r.score === median(scores)) ?? results[0];
      figures.push({
        path,
        preset,
        runs,
        scores,
        performance: median(scores),
        lcpMs: median(results.map((r) => r.lcp)),
        tbtMs: median(results.map((r) => r.tbt)),
        cls: median(results.map((r) => r.cls)),
        scripts: typical.scripts,
        jsTransferBytes: typical.jsBytes,
        jsResourceBytes: typical.jsResourceBytes,
        jsEncoding: typical.firstScript ? await encodingOf(typical.firstScript) : "none",
      });
    }
    return figures;
  } finally {
    chrome.kill();
  }
}

/** Targets: a performance score of at least 90, and at most 300 kB of JavaScript (gzip) on the plan page's first load. */
export function printWebFigures(figures: PageFigures[]) {
  console.log("\nWeb app (Lighthouse, production build, median of runs)\n");
  console.log(
    `  ${"page".padEnd(9)} ${"settings".padEnd(8)} ${"perf".padStart(4)}  ${"runs".padEnd(12)} ${"LCP ms".padStart(7)} ${"TBT ms".padStart(7)} ${"CLS".padStart(6)}  JS loaded (gzip / decoded)`,
  );
  for (const f of figures) {
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} kB`;
    console.log(
      `  ${f.path.padEnd(9)} ${f.preset.padEnd(8)} ${String(f.performance).padStart(4)}  ${f.scores.join(", ").padEnd(12)} ${f.lcpMs.toFixed(0).padStart(7)} ${f.tbtMs.toFixed(0).padStart(7)} ${f.cls.toFixed(3).padStart(6)}  ${kb(f.jsTransferBytes)} / ${kb(f.jsResourceBytes)} in ${f.scripts} scripts (${f.jsEncoding})`,
    );
  }
  console.log("  (targets: mobile performance ≥ 95 on /plan and /rewards; first-load JS ≤ 300 kB gzip)");
}
