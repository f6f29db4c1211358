"use client";

import dynamic from "next/dynamic";
import { useEffect, useState } from "react";

import { useSession } from "@/features/auth/session";

import { pendingReferrer, referrerFromSearch, rememberReferrer } from "./pending-referrer";

// The consent panel (its signature, relayed transaction and status) is for visitors who came through a referral
// link: everyone else's pages load without its code.
const ReferralConsentPanel = dynamic(() => import("./referral-consent-panel").then((m) => m.ReferralConsentPanel));

/** Remembers `?ref=` from the address bar on any page (rendered once, in the layout). */
export function ReferralCapture() {
  useEffect(() => {
    const referrer = referrerFromSearch(window.location.search);
    if (referrer) rememberReferrer(window.localStorage, referrer);
  }, []);
  return null;
}

/** Asks about a pending referral link (rendered once, in the layout, after `ReferralCapture`). */
export function ReferralConsent() {
  const { address } = useSession();
  const [pending, setPending] = useState(false);
  // Read again after signing in or out: the panel forgets the link once it is answered.
  useEffect(() => setPending(pendingReferrer(window.localStorage) !== undefined), [address]);
  return pending ? <ReferralConsentPanel /> : null;
}
