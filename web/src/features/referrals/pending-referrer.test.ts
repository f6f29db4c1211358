import { describe, expect, it } from "vitest";

import {
  forgetReferrer,
  pendingReferrer,
  referralLink,
  referrerFromSearch,
  rememberReferrer,
} from "./pending-referrer";

const A = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

function memory() {
  const map = new Map<string, string>();
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
  };
}

describe("referral links", () => {
  it("reads a valid ?ref= address (any case) and ignores anything else", () => {
    expect(referrerFromSearch(`?ref=${A.toLowerCase()}`)).toBe(A);
    expect(referrerFromSearch("?ref=0x123")).toBeUndefined();
    expect(referrerFromSearch("?ref=<script>")).toBeUndefined();
    expect(referrerFromSearch("")).toBeUndefined();
  });

  it("builds the link and round-trips it", () => {
    const link = referralLink("http://127.0.0.1:3000", A.toLowerCase());
    expect(link).toBe(`http://127.0.0.1:3000/plan?ref=${A}`);
    expect(referrerFromSearch(new URL(link).search)).toBe(A);
  });

  it("remembers a referrer until it is forgotten, and never returns junk", () => {
    const storage = memory();
    expect(pendingReferrer(storage)).toBeUndefined();
    rememberReferrer(storage, A);
    expect(pendingReferrer(storage)).toBe(A);
    forgetReferrer(storage);
    expect(pendingReferrer(storage)).toBeUndefined();
    storage.setItem("trvl.pendingReferrer", "nope");
    expect(pendingReferrer(storage)).toBeUndefined();
  });
});
