/**
 * A referral link is any TRVL page with `?ref=<address>`. The referrer is remembered in this browser until the
 * visitor signs in and accepts (or declines) it; nothing is registered without their consent.
 */
import { getAddress, isAddress, type Address } from "viem";

const KEY = "trvl.pendingReferrer";

/** The referrer named by a query string, if it is a valid address. */
export function referrerFromSearch(search: string): Address | undefined {
  const ref = new URLSearchParams(search).get("ref")?.trim();
  return ref && isAddress(ref, { strict: false }) ? getAddress(ref) : undefined;
}

export function referralLink(origin: string, referrer: string): string {
  return `${origin}/plan?ref=${getAddress(referrer)}`;
}

export function rememberReferrer(storage: Pick<Storage, "setItem">, referrer: Address) {
  storage.setItem(KEY, referrer);
}

export function pendingReferrer(storage: Pick<Storage, "getItem">): Address | undefined {
  const value = storage.getItem(KEY);
  return value && isAddress(value, { strict: false }) ? getAddress(value) : undefined;
}

export function forgetReferrer(storage: Pick<Storage, "removeItem">) {
  storage.removeItem(KEY);
}
