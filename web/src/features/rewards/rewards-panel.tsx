"use client";

import Link from "next/link";
import { useChainId } from "wagmi";

import { DataTable } from "@/components/data-table";
import { Button, Card, Notice, Stat } from "@/components/ui";
import { useSession } from "@/features/auth/session";
import { describeError } from "@/lib/api";
import { txUrl } from "@/lib/chains";
import { formatBps, formatDateTime, formatToken, shortAddress } from "@/lib/format";
import { useAccountPosition } from "@/lib/use-account-position";

import { RewardsChart } from "./rewards-chart";
import { useRewards } from "./use-rewards";
import { useTrvlUsdValue } from "./use-trvl-price";

const trvl = (value: bigint) => formatToken(value, 18, "TRVL");
const ROLE_LABEL = {
  traveller: "Traveller",
  referrer_l1: "Referrer (level 1)",
  referrer_l2: "Referrer (level 2)",
  treasury: "Treasury",
} as const;

export function RewardsPanel() {
  const { address } = useSession();
  const chainId = useChainId();
  const position = useAccountPosition(address);
  const rewards = useRewards(address);
  // USD values at the price the reward distributor uses (its TRVL/USD feed).
  const usd = useTrvlUsdValue();

  const rows = rewards.data?.pages.flatMap((p) => p.rewards) ?? [];
  const totals = rewards.data?.pages[0]?.totals;

  return (
    <div className="grid gap-4">
      <Card>
        {position.isPending ? (
          <p>Reading your balance…</p>
        ) : position.isError ? (
          <Notice tone="error">{describeError(position.error)}</Notice>
        ) : (
          <PositionFigures position={position.data} usd={usd} />
        )}
      </Card>

      {rewards.isPending ? (
        <Card>Loading your rewards…</Card>
      ) : rewards.isError ? (
        <Notice tone="error">{describeError(rewards.error)}</Notice>
      ) : (
        <>
          <Card title="Totals">
            <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
              <Stat
                label="All rewards"
                value={<span data-testid="total-all">{trvl(BigInt(totals!.all))}</span>}
                hint={usd(BigInt(totals!.all))}
              />
              <Stat
                label="As traveller"
                value={<span data-testid="total-traveller">{trvl(BigInt(totals!.traveller))}</span>}
                hint={usd(BigInt(totals!.traveller))}
              />
              <Stat
                label="As referrer"
                value={trvl(BigInt(totals!.referrer_l1) + BigInt(totals!.referrer_l2))}
                hint={`Level 1: ${trvl(BigInt(totals!.referrer_l1))} · level 2: ${trvl(BigInt(totals!.referrer_l2))}`}
              />
            </dl>
          </Card>
          <Card title="History">
            {rows.length === 0 ? (
              <p className="text-slate-700">
                No rewards yet. Each booking pays you TRVL once it is settled,{" "}
                <Link href="/plan" className="underline">
                  so plan a trip
                </Link>
                , or share your{" "}
                <Link href="/referrals" className="underline">
                  referral link
                </Link>
                .
              </p>
            ) : (
              <>
                <RewardsChart
                  rewards={rows.map((r) => ({ time: Date.parse(r.blockTime), amount: BigInt(r.amount) }))}
                />
                <div className="mt-4">
                  <DataTable
                    caption="Your rewards, newest first"
                    rows={rows}
                    rowKey={(r) => `${r.txHash}-${r.bookingId}-${r.role}`}
                    columns={[
                      { header: "When", cell: (r) => formatDateTime(r.blockTime) },
                      { header: "Role", cell: (r) => ROLE_LABEL[r.role] },
                      { header: "Booking", cell: (r) => shortAddress(r.bookingId), className: "font-mono text-xs" },
                      { header: "TRVL", cell: (r) => trvl(BigInt(r.amount)), align: "right" },
                      { header: "USD now", cell: (r) => usd(BigInt(r.amount)) ?? "—", align: "right" },
                      {
                        header: "Transaction",
                        align: "right",
                        cell: (r) => (
                          <a
                            className="text-brand-700 underline"
                            href={txUrl(chainId, r.txHash)}
                            target="_blank"
                            rel="noreferrer"
                          >
                            view<span className="sr-only"> transaction {shortAddress(r.txHash)}</span>
                          </a>
                        ),
                      },
                    ]}
                  />
                </div>
                {rewards.hasNextPage && (
                  <div className="mt-3">
                    <Button
                      variant="secondary"
                      disabled={rewards.isFetchingNextPage}
                      onClick={() => void rewards.fetchNextPage()}
                    >
                      {rewards.isFetchingNextPage ? "Loading…" : "Show older rewards"}
                    </Button>
                  </div>
                )}
              </>
            )}
          </Card>
        </>
      )}
    </div>
  );
}

function PositionFigures({
  position,
  usd,
}: {
  position: NonNullable<ReturnType<typeof useAccountPosition>["data"]>;
  usd: (trvl: bigint) => string | undefined;
}) {
  const balance = BigInt(position.trvl.balance);
  const { staking } = position;
  const staked = staking.staked === null ? null : BigInt(staking.staked);
  return (
    <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3">
      <Stat
        label="TRVL balance"
        value={<span data-testid="trvl-balance">{trvl(balance)}</span>}
        hint={<span data-testid="trvl-balance-usd">{usd(balance)}</span>}
      />
      <Stat
        label="Staked"
        value={staked === null ? "—" : trvl(staked)}
        hint={staked === null ? undefined : usd(staked)}
      />
      <Stat
        label="Tier"
        value={
          <span
            className="inline-block rounded-full bg-brand-50 px-3 py-0.5 text-base text-brand-700"
            data-testid="tier-badge"
          >
            {staking.tier ?? "—"}
          </span>
        }
        hint={
          staking.boostBps === null ? (
            (staking.reason ?? undefined)
          ) : (
            <>
              +{formatBps(staking.boostBps)} on booking rewards ·{" "}
              <Link href="/stake" className="underline">
                stake for more
              </Link>
            </>
          )
        }
      />
    </dl>
  );
}
