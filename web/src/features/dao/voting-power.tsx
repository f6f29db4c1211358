"use client";

import { useState } from "react";
import { getAddress, isAddress, type Address } from "viem";
import { useAccount, useConfig, useReadContract } from "wagmi";
import { simulateContract, waitForTransactionReceipt, writeContract } from "wagmi/actions";

import { TxStatus } from "@/components/tx-status";
import { Button, Card, Notice, Stat } from "@/components/ui";
import { describeError } from "@/lib/api";
import { formatToken, shortAddress } from "@/lib/format";
import { isBusy } from "@/lib/tx-state";
import { useAccountPosition } from "@/lib/use-account-position";
import { useBlockRefresh } from "@/lib/use-block-refresh";
import { useTrvlContract } from "@/lib/use-trvl-contract";
import { useTx } from "@/lib/use-tx";

const trvl = (value: string | bigint) => formatToken(BigInt(value), 18, "TRVL");

/** Voting power (TRVL held and staked), who it is delegated to, and delegating it to oneself or someone else. */
export function VotingPower() {
  const { address } = useAccount();
  const wagmiConfig = useConfig();
  const figures = useAccountPosition(address);
  const token = useTrvlContract("TRVLToken");
  const staking = useTrvlContract("TRVLStaking");
  const stakedDelegate = useReadContract({
    ...staking,
    functionName: "delegates",
    args: [address!],
  });
  const { refetch: refetchFigures } = figures;
  const { refetch: refetchStakedDelegate } = stakedDelegate;
  useBlockRefresh(refetchStakedDelegate);
  const [other, setOther] = useState("");
  const tx = useTx({
    onConfirmed: () => {
      void refetchFigures();
      void refetchStakedDelegate();
    },
  });

  /** Staked votes follow the token's delegation only once the staking contract syncs it. */
  const syncStaked = async () => {
    const { request } = await simulateContract(wagmiConfig, {
      ...staking,
      functionName: "syncDelegate",
      args: [address!],
      account: address,
    });
    return writeContract(wagmiConfig, request);
  };

  const delegate = (to: Address) =>
    tx.run(async (steps) => {
      const { request } = await simulateContract(wagmiConfig, {
        ...token,
        functionName: "delegate",
        args: [to],
        account: address,
      });
      const hash = await writeContract(wagmiConfig, request);
      if (!figures.data?.staking.staked || BigInt(figures.data.staking.staked) === 0n) return hash;
      steps.step("Delegation sent; now confirm moving your staked TRVL's votes too");
      await waitForTransactionReceipt(wagmiConfig, { hash });
      return syncStaked();
    });

  if (figures.isPending) return <Card>Reading your voting power…</Card>;
  if (figures.isError) return <Notice tone="error">{describeError(figures.error)}</Notice>;
  const f = figures.data;
  const delegateText = !f.trvl.delegate
    ? "Nobody: your TRVL does not count in votes yet"
    : getAddress(f.trvl.delegate) === address
      ? "Yourself"
      : shortAddress(f.trvl.delegate);
  const otherValid = isAddress(other.trim(), { strict: false });
  const tokenDelegate = f.trvl.delegate ? getAddress(f.trvl.delegate) : undefined;
  const stakedOutOfSync =
    f.staking.staked !== null &&
    BigInt(f.staking.staked) > 0n &&
    tokenDelegate !== undefined &&
    stakedDelegate.data !== undefined &&
    getAddress(stakedDelegate.data) !== tokenDelegate;

  return (
    <Card title="Your voting power">
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
        <Stat label="Voting power" value={<span data-testid="voting-power">{trvl(f.votingPower)}</span>} />
        <Stat label="TRVL held" value={trvl(f.trvl.balance)} />
        <Stat
          label="TRVL staked"
          value={f.staking.staked ? trvl(f.staking.staked) : "—"}
          hint="Staked TRVL keeps its votes"
        />
        <Stat
          label="Delegated to"
          value={
            <span className="text-base" data-testid="delegate">
              {delegateText}
            </span>
          }
        />
      </dl>
      <p className="mt-3 text-sm text-slate-600">
        Votes count only once delegated — to yourself to vote directly, or to someone you trust to vote for you. Your
        staked TRVL follows the same delegation. Voting power is counted as of each proposal's start.
      </p>
      <div className="mt-3 flex flex-wrap items-end gap-3">
        <Button disabled={isBusy(tx.state)} onClick={() => address && void delegate(address)}>
          Delegate to myself
        </Button>
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (otherValid) void delegate(getAddress(other.trim()));
          }}
        >
          <label className="grid gap-1 text-sm">
            Or delegate to address
            <input
              className="w-72 max-w-full rounded-lg border border-slate-300 px-3 py-2 font-mono text-xs"
              value={other}
              onChange={(e) => setOther(e.target.value)}
              placeholder="0x…"
              aria-invalid={other !== "" && !otherValid}
              aria-describedby="delegate-hint"
            />
          </label>
          <Button type="submit" variant="secondary" disabled={isBusy(tx.state) || !otherValid}>
            Delegate
          </Button>
          <p id="delegate-hint" className="w-full text-xs text-slate-500">
            {other !== "" && !otherValid ? "That is not an Ethereum address." : "Delegating moves votes, never tokens."}
          </p>
        </form>
      </div>
      {stakedOutOfSync && (
        <div className="mt-3">
          <Notice tone="warning">
            <p className="mb-2">Your staked TRVL&apos;s votes do not follow your delegation yet.</p>
            <Button disabled={isBusy(tx.state)} onClick={() => void tx.run(syncStaked)}>
              Move staked votes to {delegateText === "Yourself" ? "yourself" : delegateText}
            </Button>
          </Notice>
        </div>
      )}
      <TxStatus state={tx.state} confirmedText="Delegated." />
    </Card>
  );
}
