import { isIP } from "node:net";

/** An address or CIDR range (`10.0.0.0/8`, `::1`, `fd00::/8`), or undefined when `value` is neither. */
export function parseIpRange(value: string): { address: string; prefix?: number; family: 4 | 6 } | undefined {
  const [address = "", prefix, ...rest] = value.trim().split("/");
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return undefined;
  const family = version === 4 ? 4 : 6;
  if (prefix === undefined) return { address, family };
  const bits = Number(prefix);
  if (!/^\d+$/.test(prefix) || bits > (family === 4 ? 32 : 128)) return undefined;
  return { address, prefix: bits, family };
}
