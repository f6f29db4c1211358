/**
 * The soak's chart: memory, throughput, latency and backlog over time, drawn as an SVG here (no charting library,
 * nothing fetched) and rasterised to PNG by Debian's Chromium through playwright-core, as the web e2e test runs it.
 */
import { writeFile } from "node:fs/promises";

export interface Series {
  name: string;
  color: string;
  /** [seconds, value]; a null value leaves a gap. */
  points: [number, number | null][];
  dashed?: boolean;
}

export interface Panel {
  title: string;
  unit: string;
  series: Series[];
}

const WIDTH = 1200;
const PANEL_HEIGHT = 210;
const MARGIN = { left: 80, right: 190, top: 34, bottom: 28 };
const HEADER = 56;

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A round step (1, 2 or 5 × a power of ten) giving about `ticks` ticks up to `max`. */
function niceStep(max: number, ticks = 4): number {
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= raw) ?? 10 * power;
}

function format(value: number): string {
  if (value >= 10_000) return `${Math.round(value / 1000)}k`;
  if (value >= 100 || Number.isInteger(value)) return String(Math.round(value));
  return value.toFixed(1);
}

function panelSvg(panel: Panel, top: number, xMax: number, marks: { at: number; label: string }[]): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const values = panel.series.flatMap((s) => s.points.map(([, y]) => y).filter((y): y is number => y !== null));
  const yMaxRaw = Math.max(1e-9, ...values);
  const yStep = niceStep(yMaxRaw);
  const yMax = Math.ceil(yMaxRaw / yStep) * yStep || 1;
  const x = (seconds: number) => MARGIN.left + (seconds / xMax) * plotWidth;
  const y = (value: number) => top + MARGIN.top + plotHeight - (value / yMax) * plotHeight;
  const parts: string[] = [];
  parts.push(
    `<text x="${MARGIN.left}" y="${top + 20}" font-size="15" font-weight="600">${escape(panel.title)}</text>`,
    `<text x="${MARGIN.left - 8}" y="${top + 20}" font-size="12" text-anchor="end" fill="#555">${escape(panel.unit)}</text>`,
  );
  for (let v = 0; v <= yMax + 1e-9; v += yStep) {
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${y(v)}" y2="${y(v)}" stroke="#e3e3e3"/>`,
      `<text x="${MARGIN.left - 8}" y="${y(v) + 4}" font-size="11" text-anchor="end" fill="#555">${format(v)}</text>`,
    );
  }
  const xStep = niceStep(xMax, 10);
  for (let s = 0; s <= xMax + 1e-9; s += xStep) {
    parts.push(
      `<line x1="${x(s)}" x2="${x(s)}" y1="${top + MARGIN.top + plotHeight}" y2="${top + MARGIN.top + plotHeight + 4}" stroke="#888"/>`,
      `<text x="${x(s)}" y="${top + MARGIN.top + plotHeight + 17}" font-size="11" text-anchor="middle" fill="#555">${format(s)} s</text>`,
    );
  }
  for (const mark of marks) {
    parts.push(
      `<line x1="${x(mark.at)}" x2="${x(mark.at)}" y1="${top + MARGIN.top}" y2="${top + MARGIN.top + plotHeight}" stroke="#999" stroke-dasharray="4 4"/>`,
      `<text x="${x(mark.at) - 4}" y="${top + MARGIN.top + 11}" font-size="10" text-anchor="end" fill="#777">${escape(mark.label)}</text>`,
    );
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${top + MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#bbb"/>`,
  );
  panel.series.forEach((series, i) => {
    // Consecutive known points make one path each; a null breaks the line.
    let path = "";
    let pen = false;
    for (const [s, v] of series.points) {
      if (v === null) {
        pen = false;
        continue;
      }
      path += `${pen ? "L" : "M"}${x(s).toFixed(1)},${y(v).toFixed(1)} `;
      pen = true;
    }
    const dash = series.dashed ? ` stroke-dasharray="6 4"` : "";
    parts.push(`<path d="${path}" fill="none" stroke="${series.color}" stroke-width="2"${dash}/>`);
    for (const [s, v] of series.points) {
      if (v !== null)
        parts.push(`<circle cx="${x(s).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.5" fill="${series.color}"/>`);
    }
    const ly = top + MARGIN.top + 12 + i * 20;
    const lx = MARGIN.left + plotWidth + 16;
    parts.push(
      `<line x1="${lx}" x2="${lx + 22}" y1="${ly - 4}" y2="${ly - 4}" stroke="${series.color}" stroke-width="3"${dash}/>`,
      `<text x="${lx + 28}" y="${ly}" font-size="12">${escape(series.name)}</text>`,
    );
  });
  return parts.join("\n");
}

/** The whole chart as an SVG document: one panel under the other, sharing the time axis. */
export function chartSvg(title: string, subtitle: string, panels: Panel[], marks: { at: number; label: string }[]) {
  const xMax = Math.max(10, ...panels.flatMap((p) => p.series.flatMap((s) => s.points.map(([t]) => t))));
  const height = HEADER + panels.length * PANEL_HEIGHT + 10;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${MARGIN.left}" y="26" font-size="19" font-weight="700">${escape(title)}</text>`,
    `<text x="${MARGIN.left}" y="46" font-size="12" fill="#555">${escape(subtitle)}</text>`,
    ...panels.map((panel, i) => panelSvg(panel, HEADER + i * PANEL_HEIGHT, xMax, marks)),
    `</svg>`,
  ].join("\n");
}

/**
 * Writes `svg` to `svgPath` and a PNG of it to `pngPath`. Returns why there is no PNG, if there is none (no
 * playwright-core or Chromium on this machine): the soak's verdict does not depend on its picture.
 */
export async function writeChart(svg: string, svgPath: string, pngPath: string): Promise<string | undefined> {
  await writeFile(svgPath, svg);
  let chromium: typeof import("playwright-core").chromium;
  try {
    ({ chromium } = await import("playwright-core"));
  } catch (error) {
    return `no PNG: playwright-core is not installed (${String(error)})`;
  }
  const size = /width="(\d+)" height="(\d+)"/.exec(svg)!;
  try {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
    });
    try {
      const page = await browser.newPage({ viewport: { width: Number(size[1]), height: Number(size[2]) } });
      await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
      await page.screenshot({ path: pngPath, fullPage: true });
    } finally {
      await browser.close();
    }
  } catch (error) {
    return `no PNG: Chromium could not render it (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`;
  }
  return undefined;
}
