"use client";

import { useEffect, useState } from "react";

import { Button, Card, Notice, Stat } from "@/components/ui";
import { useSession } from "@/features/auth/session-gate";
import { useRewards } from "@/features/rewards/use-rewards";
import { describeError } from "@/lib/api";
import { formatToken, shortAddress } from "@/lib/format";

import { referralLink } from "./pending-referrer";
import { useReferrals } from "./use-referrals";

const referees = (count: string) => `${count} referee${count === "1" ? "" : "s"}`;
const trvl = (value: string | bigint) => formatToken(BigInt(value), 18, "TRVL");

export function ReferralsPanel() {
  const { address } = useSession();
  const referrals = useReferrals(address);
  const rewards = useRewards(address);
  const [origin, setOrigin] = useState("");
  const [copied, setCopied] = useState(false);
  useEffect(() => setOrigin(window.location.origin), []);
  const link = address && origin ? referralLink(origin, address) : "";

  const perBooking = (rewards.data?.pages.flatMap((p) => p.rewards) ?? []).filter((r) => r.role !== "traveller");

  return (
    <div className="grid gap-4">
      <Card title="Your referral link">
        <p className="mb-3 text-sm text-slate-600">
          Share it. When someone signs in through it and accepts you as their referrer, each of their bookings mints
          TRVL for you too (7% of the booking's reward value by default), and 3% on the bookings of the people they
          refer.
        </p>
        <div className="flex flex-wrap items-center gap-2">
          <label htmlFor="referral-link" className="sr-only">
            Your referral link
          </label>
          <input
            id="referral-link"
            readOnly
            value={link}
            className="min-w-0 flex-1 rounded-lg border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-xs"
            onFocus={(e) => e.currentTarget.select()}
          />
          <Button
            variant="secondary"
            onClick={async () => {
              try {
                await navigator.clipboard.writeText(link);
                setCopied(true);
                setTimeout(() => setCopied(false), 2000);
              } catch {
                setCopied(false);
              }
            }}
          >
            {copied ? "Copied" : "Copy link"}
          </Button>
        </div>
        <p role="status" className="sr-only">
          {copied ? "Link copied" : ""}
        </p>
      </Card>

      {referrals.isPending ? (
        <Card>Loading your referrals…</Card>
      ) : referrals.isError ? (
        <Notice tone="error">{describeError(referrals.error)}</Notice>
      ) : (
        <>
          <Card>
            <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
              <Stat
                label="Earned from referrals"
                value={<span data-testid="referral-earnings">{trvl(referrals.data.earnings.total)}</span>}
              />
              <Stat
                label="Level 1"
                value={trvl(referrals.data.earnings.level1)}
                hint={referees(referrals.data.counts.level1)}
              />
              <Stat
                label="Level 2"
                value={trvl(referrals.data.earnings.level2)}
                hint={referees(referrals.data.counts.level2)}
              />
              <Stat
                label="Your referrer"
                value={
                  <span className="font-mono text-base" data-testid="my-referrer">
                    {referrals.data.referrer ? shortAddress(referrals.data.referrer) : "None"}
                  </span>
                }
              />
            </dl>
          </Card>
          {(["level1", "level2"] as const).map((level) => (
            <Card key={level} title={level === "level1" ? "People you referred" : "People they referred (level 2)"}>
              {referrals.data[level].length === 0 ? (
                <p className="text-sm text-slate-600">
                  {level === "level1"
                    ? "Nobody yet. Share your link: when someone accepts it, they appear here."
                    : "Nobody yet. When your referees refer others, they appear here."}
                </p>
              ) : (
                <div className="overflow-x-auto">
                  <table className="w-full min-w-[28rem] text-left text-sm">
                    <caption className="sr-only">
                      {level === "level1" ? "Level 1 referees" : "Level 2 referees"}
                    </caption>
                    <thead>
                      <tr className="text-slate-500">
                        <th scope="col" className="py-1">
                          Account
                        </th>
                        {level === "level2" && <th scope="col">Referred by</th>}
                        <th scope="col">Since</th>
                        <th scope="col" className="text-right">
                          Earned you
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {referrals.data[level].map((r) => (
                        <tr key={r.address} className="border-t border-slate-100">
                          <td className="py-1.5 font-mono text-xs">{shortAddress(r.address)}</td>
                          {level === "level2" && <td className="font-mono text-xs">{shortAddress(r.referredBy)}</td>}
                          <td>{new Date(r.registeredAt).toLocaleDateString()}</td>
                          <td className="text-right tabular-nums" data-testid={`referee-earned-${r.address}`}>
                            {trvl(r.earned)}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </Card>
          ))}
          <Card title="Earnings by booking">
            {rewards.isError ? (
              <Notice tone="error">{describeError(rewards.error)}</Notice>
            ) : perBooking.length === 0 ? (
              <p className="text-sm text-slate-600">
                No referral earnings yet: they arrive when your referees' bookings are settled.
              </p>
            ) : (
              <div className="overflow-x-auto">
                <table className="w-full min-w-[28rem] text-left text-sm">
                  <caption className="sr-only">What each referee booking earned you</caption>
                  <thead>
                    <tr className="text-slate-500">
                      <th scope="col" className="py-1">
                        When
                      </th>
                      <th scope="col">Booking</th>
                      <th scope="col">Level</th>
                      <th scope="col" className="text-right">
                        TRVL
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {perBooking.map((r) => (
                      <tr key={`${r.txHash}-${r.bookingId}-${r.role}`} className="border-t border-slate-100">
                        <td className="py-1.5">{new Date(r.blockTime).toLocaleString()}</td>
                        <td className="font-mono text-xs">{shortAddress(r.bookingId)}</td>
                        <td>{r.role === "referrer_l1" ? "1" : "2"}</td>
                        <td className="text-right tabular-nums">{trvl(r.amount)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Card>
        </>
      )}
    </div>
  );
}
