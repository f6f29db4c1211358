"use client";

import { useMemo } from "react";
import { usePublicClient, useTransactionReceipt } from "wagmi";

import { Card, Notice } from "@/components/ui";
import { formatToken, formatUnits, shortAddress } from "@/lib/format";

import { describeLog, namedAddresses } from "./describe-log";

/**
 * A transaction on a chain without a public explorer (the local chain): status, block, and the TRVL events it
 * emitted, decoded.
 */
export function TxDetails({ hash, chainId }: { hash: `0x${string}`; chainId: number }) {
  const client = usePublicClient({ chainId });
  const named = useMemo(() => namedAddresses(chainId), [chainId]);
  const label = (address: string) => {
    const name = named.nameOf(address);
    return name ? `${name} (${address})` : address;
  };
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
        <dd>{formatUnits(r.blockNumber, 0)}</dd>
        <dt className="text-slate-500">From</dt>
        <dd className="break-all font-mono">{label(r.from)}</dd>
        <dt className="text-slate-500">To</dt>
        <dd className="break-all font-mono">{r.to ? label(r.to) : "contract creation"}</dd>
        <dt className="text-slate-500">Gas used</dt>
        <dd>
          {formatUnits(r.gasUsed, 0)} gas
          {r.effectiveGasPrice !== undefined &&
            ` · ${formatToken(r.gasUsed * r.effectiveGasPrice, 18, "ETH", 18)} in fees`}
        </dd>
      </dl>
      <h2 className="mb-2 mt-5 font-semibold">Events</h2>
      <ol className="grid gap-2 text-sm">
        {r.logs.map((log, i) => {
          const event = describeLog(log, named);
          return (
            <li key={i} className="rounded-lg bg-slate-50 p-3">
              <p className="font-medium">{event?.name ?? "Other contract event"}</p>
              <p className="break-all text-xs text-slate-500">emitted by {label(log.address)}</p>
              {event && (
                <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 text-xs">
                  {event.args.map(({ key, value }) => (
                    <div key={key} className="contents">
                      <dt className="text-slate-500">{key}</dt>
                      <dd className="break-all font-mono">{value}</dd>
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
