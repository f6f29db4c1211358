"use client";

import { TIER_NAMES, tierName } from "@trvl/abi";
import { useState } from "react";
import { useAccount, useConfig, useReadContracts } from "wagmi";
import { simulateContract, writeContract } from "wagmi/actions";

import { TxStatus } from "@/components/tx-status";
import { Button, Card, Notice, Stat } from "@/components/ui";
import { useTrvlUsdValue } from "@/features/rewards/use-trvl-price";
import { describeError } from "@/lib/api";
import { formatBps, formatDuration, formatToken, parseUnits, toDecimalString } from "@/lib/format";
import { signTrvlPermit } from "@/lib/permit";
import { useAccountPosition } from "@/lib/use-account-position";
import { useBlockRefresh } from "@/lib/use-block-refresh";
import { useDeployment } from "@/lib/use-deployment";
import { useNow } from "@/lib/use-now";
import { useTrvlContract } from "@/lib/use-trvl-contract";
import { useTx } from "@/lib/use-tx";
import { isBusy } from "@/lib/tx-state";

import { streamAprBps, tierIndexFor, type Tier } from "./stake-math";

const trvl = (value: bigint) => formatToken(value, 18, "TRVL");

export function StakePanel() {
  const { address: account } = useAccount();
  const { chainId } = useDeployment();
  const wagmiConfig = useConfig();
  const token = useTrvlContract("TRVLToken");
  const staking = useTrvlContract("TRVLStaking");
  const now = useNow();
  const usd = useTrvlUsdValue();

  const position = useAccountPosition(account);
  const reads = useReadContracts({
    allowFailure: false,
    contracts: [
      { ...staking, functionName: "earned", args: [account!] },
      { ...staking, functionName: "pendingUnstakeOf", args: [account!] },
      { ...staking, functionName: "tiers" },
      { ...staking, functionName: "INSTANT_UNSTAKE_FEE_BPS" },
      { ...staking, functionName: "COOLDOWN" },
      { ...staking, functionName: "rewardRate" },
      { ...staking, functionName: "totalStaked" },
      { ...staking, functionName: "periodFinish" },
    ],
  });
  useBlockRefresh(reads.refetch);

  const [stakeInput, setStakeInput] = useState("");
  const [unstakeInput, setUnstakeInput] = useState("");
  const tx = useTx({
    onConfirmed: () => {
      // The amounts typed are spent: a second click must not repeat them.
      setStakeInput("");
      setUnstakeInput("");
      void reads.refetch();
      void position.refetch();
    },
  });

  if (reads.isPending || position.isPending) return <Card>Loading your stake…</Card>;
  if (reads.isError) return <Card>Could not read your stake from the chain. Is the network reachable?</Card>;
  if (position.isError) return <Notice tone="error">{describeError(position.error)}</Notice>;
  const [earned, pending, tiers, feeBps, cooldown, rewardRate, totalStaked, periodFinish] = reads.data;
  const balance = BigInt(position.data.trvl.balance);
  const staked = BigInt(position.data.staking.staked ?? "0");
  const tierIndex = Math.max(0, TIER_NAMES.indexOf(position.data.staking.tier ?? "Explorer"));
  const apr = streamAprBps(rewardRate, totalStaked, BigInt(periodFinish), now);

  const tier = tiers[Number(tierIndex)];
  const next = tiers[Number(tierIndex) + 1];
  const stakeAmount = parseUnits(stakeInput, 18);
  const unstakeAmount = parseUnits(unstakeInput, 18);
  const fee = unstakeAmount.ok ? (unstakeAmount.value * feeBps) / 10_000n : 0n;
  const busy = isBusy(tx.state);
  const unlockIn = Number(pending.unlockAt) - now;

  const write = (
    functionName: "claim" | "withdraw" | "cancelUnstake" | "requestUnstake" | "instantUnstake",
    args: readonly bigint[] = [],
  ) =>
    tx.run(async () => {
      const { request } = await simulateContract(wagmiConfig, {
        ...staking,
        functionName,
        args,
        account,
      } as Parameters<typeof simulateContract>[1]);
      return writeContract(wagmiConfig, request);
    });

  const stake = (amount: bigint) =>
    tx.run(async (steps) => {
      const permit = await signTrvlPermit(wagmiConfig, {
        token,
        chainId,
        owner: account!,
        spender: staking.address,
        value: amount,
      });
      steps.step("Confirm the stake in your wallet");
      const { request } = await simulateContract(wagmiConfig, {
        ...staking,
        functionName: "stakeWithPermit",
        args: [amount, permit.deadline, permit.v, permit.r, permit.s],
        account,
      });
      return writeContract(wagmiConfig, request);
    }, "Sign the permit in your wallet");

  return (
    <div className="grid gap-4">
      <Card>
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
          <Stat
            label="Your tier"
            value={<span data-testid="tier-name">{tierName(tierIndex)}</span>}
            hint={`+${formatBps(tier.boostBps)} rewards · ${formatBps(tier.discountBps)} off bookings`}
          />
          <Stat label="Staked" value={<span data-testid="staked">{trvl(staked)}</span>} hint={usd(staked)} />
          <Stat label="In your wallet" value={trvl(balance)} hint={usd(balance)} />
          <Stat label="Yield to claim" value={<span data-testid="earned">{trvl(earned)}</span>} hint={usd(earned)} />
          <Stat
            label="Current APR"
            value={<span data-testid="apr">{apr === undefined ? "—" : formatBps(apr)}</span>}
            hint={
              apr === undefined
                ? "No one stakes yet: the first staker takes the whole stream."
                : apr === 0n
                  ? "The reward stream has ended."
                  : `The reward stream, shared by ${trvl(totalStaked)} staked; it falls as more stake.`
            }
          />
        </dl>
        {next ? (
          <div className="mt-4">
            <p className="text-sm text-slate-600">
              {trvl(next.minStake - staked)} more to reach {tierName(Number(tierIndex) + 1)}: +
              {formatBps(next.boostBps)} rewards and {formatBps(next.discountBps)} off bookings.
            </p>
            <progress
              className="mt-2 h-2 w-full overflow-hidden rounded [&::-webkit-progress-bar]:bg-slate-100 [&::-webkit-progress-value]:bg-brand-500"
              aria-label={`Progress to ${tierName(Number(tierIndex) + 1)}`}
              max={Number((next.minStake - tier.minStake) / 10n ** 18n) || 1}
              value={Number((staked - tier.minStake) / 10n ** 18n)}
            />
          </div>
        ) : (
          <p className="mt-4 text-sm text-slate-600">You are in the highest tier.</p>
        )}
      </Card>

      <Card title="Stake">
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            if (stakeAmount.ok) void stake(stakeAmount.value);
          }}
        >
          <label className="grid gap-1 text-sm">
            Amount of TRVL
            <input
              className="w-48 rounded-lg border border-slate-300 px-3 py-2"
              inputMode="decimal"
              value={stakeInput}
              onChange={(e) => setStakeInput(e.target.value)}
              aria-invalid={stakeInput !== "" && !stakeAmount.ok}
              aria-describedby="stake-hint"
            />
          </label>
          <Button variant="secondary" onClick={() => setStakeInput(toDecimalString(balance, 18))}>
            Max
          </Button>
          <Button
            type="submit"
            disabled={busy || !stakeAmount.ok || stakeAmount.value === 0n || stakeAmount.value > balance}
          >
            Stake
          </Button>
          <p id="stake-hint" className="w-full text-xs text-slate-500">
            {stakeInput !== "" && !stakeAmount.ok
              ? stakeAmount.error
              : stakeAmount.ok && stakeAmount.value > balance
                ? "More than you hold."
                : "One signature for the permit, one transaction: no separate approval."}
          </p>
          {stakeAmount.ok && stakeAmount.value > 0n && stakeAmount.value <= balance && (
            <TierAfter
              verb="Staking"
              amount={stakeAmount.value}
              tiers={tiers}
              from={Number(tierIndex)}
              staked={staked + stakeAmount.value}
            />
          )}
        </form>
      </Card>

      <Card title="Yield">
        <p className="mb-3 text-sm text-slate-600">
          Stakers share a reward pool funded by the guardian, second by second.
        </p>
        <Button disabled={busy || earned === 0n} onClick={() => void write("claim")}>
          Claim {trvl(earned)}
        </Button>
      </Card>

      <Card title="Unstake">
        <div className="flex flex-wrap items-end gap-3">
          <label className="grid gap-1 text-sm">
            Amount of TRVL
            <input
              className="w-48 rounded-lg border border-slate-300 px-3 py-2"
              inputMode="decimal"
              value={unstakeInput}
              onChange={(e) => setUnstakeInput(e.target.value)}
              aria-invalid={unstakeInput !== "" && !unstakeAmount.ok}
            />
          </label>
          <Button
            variant="secondary"
            disabled={busy || !unstakeAmount.ok || unstakeAmount.value === 0n || unstakeAmount.value > staked}
            onClick={() => unstakeAmount.ok && void write("requestUnstake", [unstakeAmount.value])}
          >
            Unstake in {formatDuration(Number(cooldown))}
          </Button>
          <Button
            variant="danger"
            disabled={busy || !unstakeAmount.ok || unstakeAmount.value === 0n || unstakeAmount.value > staked}
            onClick={() => unstakeAmount.ok && void write("instantUnstake", [unstakeAmount.value])}
          >
            Unstake now
          </Button>
          {unstakeAmount.ok && unstakeAmount.value > 0n && unstakeAmount.value <= staked && (
            <TierAfter
              verb="Unstaking"
              amount={unstakeAmount.value}
              tiers={tiers}
              from={Number(tierIndex)}
              staked={staked - unstakeAmount.value}
            />
          )}
          <p className="w-full text-xs text-slate-500">
            {unstakeAmount.ok && unstakeAmount.value > 0n
              ? `Unstaking now costs a ${formatBps(feeBps)} fee: ${trvl(fee)} to the treasury, ${trvl(unstakeAmount.value - fee)} to you.`
              : `Waiting ${formatDuration(Number(cooldown))} is free; unstaking now costs ${formatBps(feeBps)}.`}
          </p>
        </div>
        {pending.amount > 0n && (
          <div className="mt-4 rounded-lg bg-slate-50 p-3 text-sm" data-testid="pending-unstake">
            <p>
              {trvl(pending.amount)} in cooldown:{" "}
              {unlockIn > 0 ? <>withdrawable in {formatDuration(unlockIn)}</> : <>ready to withdraw</>}.
            </p>
            <div className="mt-2 flex gap-2">
              <Button disabled={busy || unlockIn > 0} onClick={() => void write("withdraw")}>
                Withdraw
              </Button>
              <Button variant="secondary" disabled={busy} onClick={() => void write("cancelUnstake")}>
                Stake it again
              </Button>
            </div>
          </div>
        )}
      </Card>

      <TxStatus state={tx.state} />

      <Card title="Tiers">
        <table className="w-full text-left text-sm max-sm:text-xs">
          <thead>
            <tr className="text-slate-500">
              <th className="py-1">Tier</th>
              <th>Stake from</th>
              <th>Reward boost</th>
              <th>Booking discount</th>
            </tr>
          </thead>
          <tbody>
            {tiers.map((t, i) => (
              <tr key={i} className={i === Number(tierIndex) ? "font-semibold text-brand-700" : ""}>
                <td className="py-1">{tierName(i)}</td>
                <td>{trvl(t.minStake)}</td>
                <td>+{formatBps(t.boostBps)}</td>
                <td>{formatBps(t.discountBps)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </div>
  );
}

/** The tier the stake would be in after the change, said before signing: "Unstaking 200 TRVL drops you to …". */
function TierAfter({
  verb,
  amount,
  tiers,
  from,
  staked,
}: {
  verb: string;
  amount: bigint;
  tiers: readonly Tier[];
  from: number;
  staked: bigint;
}) {
  const to = tierIndexFor(tiers, staked);
  const tier = tiers[to];
  const change = to > from ? "moves you up to" : to < from ? "drops you to" : "keeps you at";
  return (
    <p
      className={`w-full rounded-lg px-3 py-2 text-sm ${to < from ? "bg-amber-50 text-amber-800" : "bg-slate-50 text-slate-700"}`}
      data-testid="tier-after"
      aria-live="polite"
    >
      {verb} {trvl(amount)} {change} <strong>{tierName(to)}</strong>: boost +{formatBps(tier.boostBps)}, discount{" "}
      {formatBps(tier.discountBps)}.
    </p>
  );
}
