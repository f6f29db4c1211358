"use client";

import { useCallback } from "react";
import { keccak256, stringToHex, zeroAddress, type Address, type Hex } from "viem";
import { useAccount, useBlock, useBlockNumber, useConfig, usePublicClient, useReadContracts } from "wagmi";
import { simulateContract, writeContract } from "wagmi/actions";

import { TxStatus } from "@/components/tx-status";
import { Button } from "@/components/ui";
import { config } from "@/lib/config";
import { formatDuration, formatToken, shortAddress } from "@/lib/format";
import { isBusy } from "@/lib/tx-state";
import { useBlockRefresh } from "@/lib/use-block-refresh";
import { useTrvlContract } from "@/lib/use-trvl-contract";
import { useNow } from "@/lib/use-now";
import { useTx } from "@/lib/use-tx";

import { splitDescription } from "./description";
import { percent, stateName, SUPPORT } from "./proposal-state";
import { useMyVotes, type useProposals } from "./use-governance";

type Proposal = NonNullable<ReturnType<typeof useProposals>["data"]>["proposals"][number];
const trvl = (value: bigint) => formatToken(value, 18, "TRVL", 2);
const SIDES = ["against", "for", "abstain"] as const;

/** Seconds now on the chain: the latest block's time, or the wall clock when that is later (blocks come on demand locally). */
function useChainNow(): number {
  const wall = useNow();
  const { data: blockNumber } = useBlockNumber({ watch: true });
  const { data: block } = useBlock({ blockNumber, query: { enabled: blockNumber !== undefined } });
  return Math.max(wall, Number(block?.timestamp ?? 0n));
}

export function ProposalCard({ proposal }: { proposal: Proposal }) {
  const { address } = useAccount();
  const wagmiConfig = useConfig();
  const client = usePublicClient();
  const now = useChainNow();
  const governor = useTrvlContract("TRVLGovernor");
  const id = BigInt(proposal.id);
  const snapshot = BigInt(proposal.voteStart);
  const reads = useReadContracts({
    contracts: [
      { ...governor, functionName: "state", args: [id] },
      { ...governor, functionName: "proposalVotes", args: [id] },
      { ...governor, functionName: "hasVoted", args: [id, address ?? zeroAddress] },
      { ...governor, functionName: "proposalEta", args: [id] },
      { ...governor, functionName: "proposalNeedsQueuing", args: [id] },
    ],
  });
  const [stateRead, votesRead, votedRead, etaRead, needsQueuingRead] = reads.data ?? [];
  // Quorum and voting weight exist only from the snapshot on, that is once the proposal is no longer pending.
  const started = stateRead?.result !== undefined && stateRead.result !== 0;
  const atSnapshot = useReadContracts({
    contracts: [
      { ...governor, functionName: "quorum", args: [snapshot] },
      { ...governor, functionName: "getVotes", args: [address ?? zeroAddress, snapshot] },
    ],
    query: { enabled: started },
  });
  const { refetch: refetchReads } = reads;
  const { refetch: refetchSnapshot } = atSnapshot;
  const refetch = useCallback(() => {
    void refetchReads();
    if (started) void refetchSnapshot();
  }, [refetchReads, refetchSnapshot, started]);
  useBlockRefresh(refetch);
  const myVotes = useMyVotes(address);
  const { refetch: refetchMyVotes } = myVotes;
  const tx = useTx({
    onConfirmed: () => {
      refetch();
      void refetchMyVotes();
    },
  });
  const myVote = myVotes.data?.get(proposal.id);

  const state = stateName(stateRead?.result);
  const [against, forVotes, abstain] = votesRead?.result ?? [0n, 0n, 0n];
  const quorum = started ? atSnapshot.data?.[0]?.result : undefined;
  const voted = votedRead?.result ?? false;
  const weight = started ? (atSnapshot.data?.[1]?.result ?? 0n) : 0n;
  const eta = Number(etaRead?.result ?? 0n);
  const total = forVotes + against + abstain;
  const counted = forVotes + abstain; // GovernorCountingSimple: for and abstain count towards quorum

  const vote = (support: number) =>
    tx.run(async () => {
      const { request } = await simulateContract(wagmiConfig, {
        ...governor,
        functionName: "castVote",
        args: [id, support],
        account: address,
      });
      return writeContract(wagmiConfig, request);
    });

  /** Queue and execute take the proposal's actions, read back from its ProposalCreated event. */
  const lifecycle = (functionName: "queue" | "execute") =>
    tx.run(async () => {
      const block = BigInt(proposal.blockNumber);
      const events = await client!.getContractEvents({
        ...governor,
        eventName: "ProposalCreated",
        fromBlock: block,
        toBlock: block,
      });
      const created = events.find((e) => e.args.proposalId === id);
      if (!created?.args.targets) throw new Error("The proposal's actions could not be read from the chain.");
      const { targets, values, calldatas, description } = created.args;
      const { request } = await simulateContract(wagmiConfig, {
        ...governor,
        functionName,
        args: [
          targets as readonly Address[],
          values as readonly bigint[],
          calldatas as readonly Hex[],
          keccak256(stringToHex(description ?? "")),
        ],
        account: address,
      });
      return writeContract(wagmiConfig, request);
    });

  const description = splitDescription(proposal.description);
  const title = description.title || `Proposal ${shortAddress(proposal.id)}`;
  const headingId = `proposal-${proposal.id}`;

  return (
    <article
      aria-labelledby={headingId}
      className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm"
      data-testid="proposal"
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h3 id={headingId} className="font-semibold">
          {title}
        </h3>
        <span
          className="rounded-full border border-slate-200 bg-slate-50 px-2.5 py-0.5 text-xs font-semibold"
          data-testid="proposal-state"
        >
          {reads.isPending ? "…" : state}
        </span>
      </div>
      <p className="mt-1 text-xs text-slate-500">
        By {shortAddress(proposal.proposer)} ·{" "}
        {now < Number(snapshot)
          ? `voting opens in ${formatDuration(Number(snapshot) - now)}`
          : now < Number(proposal.voteEnd)
            ? `voting closes in ${formatDuration(Number(proposal.voteEnd) - now)}`
            : `voting closed ${new Date(Number(proposal.voteEnd) * 1000).toLocaleString()}`}
      </p>
      {description.body && <p className="mt-2 whitespace-pre-line text-sm text-slate-700">{description.body}</p>}
      {description.cid && (
        <p className="mt-1 text-sm">
          <a
            className="text-brand-700 underline"
            href={`${config.apiUrl}/ipfs/${description.cid}`}
            target="_blank"
            rel="noreferrer"
          >
            Full proposal on IPFS
          </a>{" "}
          <span className="break-all font-mono text-xs text-slate-500">{description.cid}</span>
        </p>
      )}

      <dl className="mt-3 grid gap-2 text-sm">
        {(
          [
            ["For", forVotes, "bg-emerald-600"],
            ["Against", against, "bg-red-600"],
            ["Abstain", abstain, "bg-slate-400"],
          ] as const
        ).map(([label, value, color]) => (
          <div key={label} className="grid grid-cols-[5rem_1fr_auto] items-center gap-2">
            <dt>{label}</dt>
            <dd className="h-2 overflow-hidden rounded bg-slate-100" aria-hidden>
              <div className={`h-2 ${color}`} style={{ width: `${percent(value, total)}%` }} />
            </dd>
            <dd className="tabular-nums" data-testid={`votes-${label.toLowerCase()}`}>
              {trvl(value)}
            </dd>
          </div>
        ))}
      </dl>
      {quorum !== undefined && (
        <p className="mt-2 text-sm text-slate-600">
          Quorum: {trvl(counted)} of {trvl(quorum)} needed ({counted >= quorum ? "reached" : "not reached yet"}).
        </p>
      )}

      <div className="mt-3 flex flex-wrap items-center gap-2">
        {address && state === "Active" && !voted && weight > 0n && (
          <>
            <Button disabled={isBusy(tx.state)} onClick={() => void vote(SUPPORT.for)}>
              Vote for
            </Button>
            <Button variant="danger" disabled={isBusy(tx.state)} onClick={() => void vote(SUPPORT.against)}>
              Vote against
            </Button>
            <Button variant="secondary" disabled={isBusy(tx.state)} onClick={() => void vote(SUPPORT.abstain)}>
              Abstain
            </Button>
            <span className="text-xs text-slate-500">with {trvl(weight)}</span>
          </>
        )}
        {myVote ? (
          <p className="text-sm text-emerald-800" data-testid="my-vote">
            You voted {SIDES[myVote.support] ?? "on this proposal"} with {trvl(BigInt(myVote.weight))}.
          </p>
        ) : (
          address &&
          voted && (
            <p className="text-sm text-emerald-800" data-testid="my-vote">
              You voted on this proposal.
            </p>
          )
        )}
        {!address && state === "Active" && <p className="text-sm text-slate-600">Connect a wallet to vote.</p>}
        {address && state === "Active" && !voted && weight === 0n && (
          <p className="text-sm text-slate-600">
            You had no delegated votes when this vote opened, so you cannot vote on it.
          </p>
        )}
        {address && state === "Succeeded" && needsQueuingRead?.result !== false && (
          <Button disabled={isBusy(tx.state)} onClick={() => void lifecycle("queue")}>
            Queue in the timelock
          </Button>
        )}
        {state === "Queued" && (
          <p className="text-sm text-slate-600" data-testid="proposal-eta">
            {now >= eta
              ? "Out of the timelock: anyone may execute it."
              : `In the timelock: executable in ${formatDuration(eta - now)}`}{" "}
            (from {new Date(eta * 1000).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" })}).
          </p>
        )}
        {address && state === "Queued" && now >= eta && (
          <Button disabled={isBusy(tx.state)} onClick={() => void lifecycle("execute")}>
            Execute
          </Button>
        )}
      </div>
      <TxStatus state={tx.state} />
    </article>
  );
}
