/**
 * A local Overpass API: answers POST /api/interpreter with the recorded answer (test/fixtures/overpass/) of the city
 * whose centre the query's `around` filter names, counts the queries, and can fail or hang on demand.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/overpass");

/** Recorded answers by the city's centre (as the catalog has it), rounded to a tenth of a degree. */
const CITIES: Record<string, string> = { "35.0,135.8": "kyoto.json", "38.7,-9.1": "lisbon.json" };

export type StubMode = "answer" | "fail" | "rate-limit" | "hang" | "garbage" | "cut-short";

export interface OverpassStub {
  url: string;
  /** Queries received, in order. */
  queries: string[];
  mode: StubMode;
  /** Holds each answer until this resolves (to make concurrent requests overlap). */
  gate?: Promise<void>;
  close(): Promise<void>;
}

export async function startOverpassStub(): Promise<OverpassStub> {
  const sockets = new Set<import("node:net").Socket>();
  const stub: OverpassStub = {
    url: "",
    queries: [],
    mode: "answer",
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", async () => {
      if (request.method !== "POST" || request.url !== "/api/interpreter") {
        response.writeHead(404).end();
        return;
      }
      const query = new URLSearchParams(body).get("data") ?? "";
      stub.queries.push(query);
      await stub.gate;
      const mode = stub.mode;
      if (mode === "hang") return;
      if (mode === "fail") {
        response.writeHead(504, { "content-type": "text/html" }).end("<html><body>Gateway Timeout</body></html>");
        return;
      }
      if (mode === "rate-limit") {
        response.writeHead(429, { "content-type": "text/html" }).end("<html><body>Too Many Requests</body></html>");
        return;
      }
      if (mode === "garbage") {
        response.writeHead(200, { "content-type": "text/html" }).end("<?xml version='1.0'?><osm/>");
        return;
      }
      const around = /around:\d+,(-?[\d.]+),(-?[\d.]+)/.exec(query);
      const key = around ? `${Number(around[1]).toFixed(1)},${Number(around[2]).toFixed(1)}` : "";
      const file = CITIES[key];
      const answer = file
        ? JSON.parse(readFileSync(path.join(FIXTURES, file), "utf8"))
        : { version: 0.6, generator: "Overpass API", elements: [] };
      if (mode === "cut-short") answer.remark = 'runtime error: Query timed out in "query" at line 3 after 26 seconds.';
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as import("node:net").AddressInfo;
  stub.url = `http://127.0.0.1:${port}/api/interpreter`;
  return stub;
}
