"use client";

import { useEffect, useState } from "react";

import { DataTable } from "@/components/data-table";
import { Button, Card, Notice, Stat } from "@/components/ui";
import { useSession } from "@/features/auth/session";
import { useRewards } from "@/features/rewards/use-rewards";
import { useTrvlUsdValue } from "@/features/rewards/use-trvl-price";
import { describeError } from "@/lib/api";
import { formatDateTime, formatDay, formatToken, shortAddress } from "@/lib/format";

import { referralLink } from "./pending-referrer";
import { useReferrals } from "./use-referrals";

type Referee = NonNullable<ReturnType<typeof useReferrals>["data"]>["level1"][number];
const referees = (count: string) => `${count} referee${count === "1" ? "" : "s"}`;
const trvl = (value: string | bigint) => formatToken(BigInt(value), 18, "TRVL");

export function ReferralsPanel() {
  const { address } = useSession();
  const referrals = useReferrals(address);
  const rewards = useRewards(address);
  // USD values at the price the reward distributor uses (its TRVL/USD feed).
  const usd = useTrvlUsdValue();
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
                hint={usd(BigInt(referrals.data.earnings.total))}
              />
              <Stat
                label="Level 1"
                value={trvl(referrals.data.earnings.level1)}
                hint={[referees(referrals.data.counts.level1), usd(BigInt(referrals.data.earnings.level1))]
                  .filter(Boolean)
                  .join(" · ")}
              />
              <Stat
                label="Level 2"
                value={trvl(referrals.data.earnings.level2)}
                hint={[referees(referrals.data.counts.level2), usd(BigInt(referrals.data.earnings.level2))]
                  .filter(Boolean)
                  .join(" · ")}
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
                <DataTable
                  caption={level === "level1" ? "Level 1 referees" : "Level 2 referees"}
                  rows={referrals.data[level]}
                  rowKey={(r) => r.address}
                  columns={[
                    { header: "Account", cell: (r) => shortAddress(r.address), className: "font-mono text-xs" },
                    ...(level === "level2"
                      ? [
                          {
                            header: "Referred by",
                            cell: (r: Referee) => shortAddress(r.referredBy),
                            className: "font-mono text-xs",
                          },
                        ]
                      : []),
                    { header: "Since", cell: (r) => formatDay(r.registeredAt) },
                    {
                      header: "Earned you",
                      cell: (r) => trvl(r.earned),
                      align: "right",
                      testId: (r) => `referee-earned-${r.address}`,
                    },
                    { header: "USD now", cell: (r) => usd(BigInt(r.earned)) ?? "—", align: "right" },
                  ]}
                />
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
              <DataTable
                caption="What each referee booking earned you"
                rows={perBooking}
                rowKey={(r) => `${r.txHash}-${r.bookingId}-${r.role}`}
                columns={[
                  { header: "When", cell: (r) => formatDateTime(r.blockTime) },
                  { header: "Booking", cell: (r) => shortAddress(r.bookingId), className: "font-mono text-xs" },
                  { header: "Level", cell: (r) => (r.role === "referrer_l1" ? "1" : "2") },
                  { header: "TRVL", cell: (r) => trvl(r.amount), align: "right" },
                  { header: "USD now", cell: (r) => usd(BigInt(r.amount)) ?? "—", align: "right" },
                ]}
              />
            )}
          </Card>
        </>
      )}
    </div>
  );
}
