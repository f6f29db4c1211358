/**
 * The client's IP address (the key of per-IP rate limits). Each proxy appends the address it received the request
 * from to X-Forwarded-For, so only the header's right-hand end, written by proxies we trust, is reliable: whatever
 * lies to the left of it is what the client chose to send.
 */
import { BlockList, isIP, isIPv4 } from "node:net";

import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";

import type { Config } from "../config/index.js";
import { parseIpRange } from "./ip-range.js";

/** An X-Forwarded-For entry or socket address as a bare address: no port, no brackets, IPv4 not IPv6-mapped. */
function bareAddress(entry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  const address = bracketed
    ? bracketed[1]!
    : /^[\d.]+:\d+$/.test(entry)
      ? entry.slice(0, entry.lastIndexOf(":"))
      : entry;
  const mapped = /^::ffff:(.+)$/i.exec(address)?.[1];
  return mapped && isIPv4(mapped) ? mapped : address;
}

function socketAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    // No socket: a request made in-process (app.request).
    return "unknown";
  }
}

/**
 * How the client IP is found, from TRUST_PROXY and TRUSTED_PROXIES:
 * - not trusting proxies: the socket's peer;
 * - with a list of trusted proxies: walking from the peer leftwards through X-Forwarded-For, the first address that
 *   is not a trusted proxy (a peer that is not one is the client itself, whatever its header says);
 * - with a hop count n (`true` is 1): the address the n-th proxy from us received the request from.
 */
export function clientIpResolver(config: Pick<Config, "TRUST_PROXY" | "TRUSTED_PROXIES">): (c: Context) => string {
  const hops = config.TRUST_PROXY === true ? 1 : config.TRUST_PROXY;
  if (hops === false) return (c) => bareAddress(socketAddress(c));

  const forwardedChain = (c: Context) => [
    ...(c.req.header("x-forwarded-for") ?? "")
      .split(",")
      .map((entry) => bareAddress(entry.trim()))
      .filter(Boolean),
    bareAddress(socketAddress(c)),
  ];

  if (config.TRUSTED_PROXIES) {
    const trusted = new BlockList();
    for (const range of config.TRUSTED_PROXIES.map(parseIpRange)) {
      if (!range) continue; // the configuration has refused these already
      const type = range.family === 4 ? "ipv4" : "ipv6";
      if (range.prefix === undefined) trusted.addAddress(range.address, type);
      else trusted.addSubnet(range.address, range.prefix, type);
    }
    const isTrusted = (address: string) => {
      const family = isIP(address);
      return family !== 0 && trusted.check(address, family === 4 ? "ipv4" : "ipv6");
    };
    return (c) => {
      const chain = forwardedChain(c);
      for (let i = chain.length - 1; i > 0; i--) if (!isTrusted(chain[i]!)) return chain[i]!;
      return chain[0]!;
    };
  }

  return (c) => {
    const chain = forwardedChain(c);
    // Fewer entries than proxies: the request skipped the outer ones; the left-most was still written by one of ours.
    return chain[Math.max(0, chain.length - 1 - hops)]!;
  };
}
