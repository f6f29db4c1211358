/**
 * New blocks as the node announces them: a WebSocket subscription to `newHeads` (`eth_subscribe`), where the node
 * offers one, so that the listener reads a block the moment it is mined instead of at its next poll. Polling stays
 * underneath: while there is no subscription (none offered, or the connection dropped and is being made again)
 * nothing is missed, only read later.
 *
 * A socket of its own rather than viem's WebSocket transport: viem shares one socket per URL across the process and
 * retries a failed one by logging to the console; here each watcher owns its connection and its retry policy.
 */
import type { Logger } from "pino";
import type { Hex } from "viem";

/** A block as the node announces it: enough to know the head and to check that it is still in the chain. */
export interface AnnouncedHead {
  number: bigint;
  hash: Hex;
}

export interface HeadWatcher {
  /** Whether the subscription is live. */
  readonly subscribed: boolean;
  stop(): Promise<void>;
}

/** The WebSocket endpoint of a node from its HTTP one (`http` → `ws`, `https` → `wss`, same host, port and path). */
export function webSocketUrlOf(httpUrl: string): string {
  const url = new URL(httpUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}

const SUBSCRIBE_ID = 1;

export function watchHeads(options: {
  url: string;
  onHead: (head: AnnouncedHead) => void;
  logger: Logger;
  /** Delay before connecting again after a failure: doubling from `minMs` up to `maxMs`. */
  retry?: { minMs: number; maxMs: number };
}): HeadWatcher {
  const { url, logger } = options;
  const retry = options.retry ?? { minMs: 1_000, maxMs: 60_000 };
  let socket: WebSocket | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let subscribed = false;
  let failures = 0;
  /** Why the node refused the last subscription, if it did. */
  let refusal: string | undefined;

  const connect = () => {
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () =>
      ws.send(JSON.stringify({ jsonrpc: "2.0", id: SUBSCRIBE_ID, method: "eth_subscribe", params: ["newHeads"] }));
    ws.onmessage = (message) => {
      let data: {
        id?: number;
        result?: unknown;
        error?: { message?: string };
        method?: string;
        params?: { result?: { number?: unknown; hash?: unknown } };
      };
      try {
        data = JSON.parse(String(message.data));
      } catch {
        return;
      }
      if (data.id === SUBSCRIBE_ID) {
        if (data.error || typeof data.result !== "string") {
          refusal = data.error?.message ?? "no subscription id";
          ws.close();
          return;
        }
        if (failures > 0 || !subscribed) logger.info({ url }, "new blocks arrive over the node's WebSocket");
        subscribed = true;
        failures = 0;
      } else if (data.method === "eth_subscription") {
        const { number, hash } = data.params?.result ?? {};
        if (typeof number === "string" && typeof hash === "string") {
          options.onHead({ number: BigInt(number), hash: hash as Hex });
        }
      }
    };
    // Node's WebSocket may report a failed connection by an error alone, without the close that should follow it.
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      const wasSubscribed = subscribed;
      subscribed = false;
      if (stopped) return;
      if (failures === 0) {
        logger.info(
          { url, refusal },
          wasSubscribed
            ? "lost the WebSocket subscription to new blocks: polling until it is back"
            : "no WebSocket subscription to new blocks: the listener polls",
        );
      }
      failures++;
      ws.close();
      timer = setTimeout(connect, Math.min(retry.maxMs, retry.minMs * 2 ** (failures - 1)));
    };
    ws.onerror = end;
    ws.onclose = end;
  };
  connect();

  return {
    get subscribed() {
      return subscribed;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      socket?.close();
    },
  };
}
