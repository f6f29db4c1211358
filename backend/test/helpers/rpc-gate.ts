import http from "node:http";

export interface RpcCall {
  method: string;
  params: any[];
}

/**
 * A JSON-RPC proxy in front of the chain that records every call, and holds the requests a test picks until it lets
 * them through: a node busy with them for exactly as long as the test says, whatever the machine's speed.
 */
export async function startRpcGate(target: string) {
  const calls: RpcCall[] = [];
  let holding: ((call: RpcCall) => boolean) | undefined;
  let held: (() => void)[] = [];
  let waiters: { count: number; resolve: () => void }[] = [];
  const notify = () => {
    waiters = waiters.filter((waiter) => (held.length >= waiter.count ? (waiter.resolve(), false) : true));
  };

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const parsed = JSON.parse(body) as RpcCall | RpcCall[];
      const batch = (Array.isArray(parsed) ? parsed : [parsed]).map(({ method, params }) => ({ method, params }));
      calls.push(...batch);
      if (holding && batch.some(holding)) {
        await new Promise<void>((resolve) => {
          held.push(resolve);
          notify();
        });
      }
      try {
        const upstream = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body });
        response.writeHead(upstream.status, { "content-type": "application/json" });
        response.end(await upstream.text());
      } catch {
        response.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}`,
    /** Every call so far, in arrival order (a batch's calls one by one). */
    calls,
    /** Holds every request with a call that `predicate` picks, from now until `release`. */
    hold(predicate: (call: RpcCall) => boolean) {
      holding = predicate;
    },
    /** Resolves once `count` requests are being held. */
    held(count: number): Promise<void> {
      return new Promise((resolve) => {
        waiters.push({ count, resolve });
        notify();
      });
    },
    /** Lets the held requests through and stops holding. */
    release() {
      holding = undefined;
      const waiting = held;
      held = [];
      for (const resolve of waiting) resolve();
    },
    close() {
      this.release();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type RpcGate = Awaited<ReturnType<typeof startRpcGate>>;

/** An eth_call that deploys code instead of calling an address: how a smart wallet's signature check runs. */
export const isDeploylessCall = (call: RpcCall) => call.method === "eth_call" && !call.params?.[0]?.to;
