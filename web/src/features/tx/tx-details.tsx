"use client";

import { PROTOCOL_CONTRACTS, WATCHED_CONTRACTS } from "@trvl/abi";
import { decodeEventLog, type Log } from "viem";
import { usePublicClient, useTransactionReceipt } from "wagmi";

import { Card, Notice } from "@/components/ui";
import { shortAddress } from "@/lib/format";

/** The ABIs of every contract whose events TRVL records. */
const ABIS = WATCHED_CONTRACTS.map((name) => PROTOCOL_CONTRACTS[name].abi);

/** A TRVL event in plain words: its name and arguments, if any of our contracts emitted it. */
function describeLog(log: Log): { name: string; args: [string, string][] } | null {
  for (const abi of ABIS) {
    try {
      const event = decodeEventLog({ abi, data: log.data, topics: log.topics });
      const args = Object.entries((event.args ?? {}) as Record<string, unknown>).map(
        ([k, v]) => [k, String(v)] as [string, string],
      );
      return { name: event.eventName ?? "", args };
    } catch {
      // Not this contract's event.
    }
  }
  return null;
}

/**
 * A transaction on a chain without a public explorer (the local chain): status, block, and the TRVL events it
 * emitted, decoded.
 */
export function TxDetails({ hash, chainId }: { hash: `0x${string}`; chainId: number }) {
  const client = usePublicClient({ chainId });
  const receipt = useTransactionReceipt({ hash, chainId });
  if (!client) return <Notice tone="error">This app is not configured for chain {chainId}.</Notice>;
  if (receipt.isPending) return <Card>Looking up the transaction…</Card>;
  if (receipt.isError || !receipt.data) {
    return <Notice tone="warning">No transaction {shortAddress(hash)} on this chain (yet).</Notice>;
  }
  const r = receipt.data;
  return (
    <Card>
      <dl className="grid gap-2 text-sm sm:grid-cols-[10rem_1fr]">
        <dt className="text-slate-500">Status</dt>
        <dd className={r.status === "success" ? "text-emerald-700" : "text-red-700"}>
          {r.status === "success" ? "Confirmed" : "Reverted"}
        </dd>
        <dt className="text-slate-500">Block</dt>
        <dd>{r.blockNumber.toString()}</dd>
        <dt className="text-slate-500">From</dt>
        <dd className="break-all font-mono">{r.from}</dd>
        <dt className="text-slate-500">To</dt>
        <dd className="break-all font-mono">{r.to ?? "contract creation"}</dd>
        <dt className="text-slate-500">Gas used</dt>
        <dd>{r.gasUsed.toString()}</dd>
      </dl>
      <h2 className="mb-2 mt-5 font-semibold">Events</h2>
      <ol className="grid gap-2 text-sm">
        {r.logs.map((log, i) => {
          const event = describeLog(log);
          return (
            <li key={i} className="rounded-lg bg-slate-50 p-3">
              <p className="font-medium">{event?.name ?? "Other contract event"}</p>
              <p className="text-xs text-slate-500">emitted by {log.address}</p>
              {event && (
                <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 text-xs">
                  {event.args.map(([k, v]) => (
                    <div key={k} className="contents">
                      <dt className="text-slate-500">{k}</dt>
                      <dd className="break-all font-mono">{v}</dd>
                    </div>
                  ))}
                </dl>
              )}
            </li>
          );
        })}
      </ol>
    </Card>
  );
}
