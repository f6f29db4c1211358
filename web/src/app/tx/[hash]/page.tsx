import type { Metadata } from "next";

import { Notice, PageTitle } from "@/components/ui";
import { config } from "@/lib/config";
import { TxDetails } from "@/features/tx/tx-details";

export const metadata: Metadata = { title: "Transaction" };

export default async function TxPage({
  params,
  searchParams,
}: {
  params: Promise<{ hash: string }>;
  searchParams: Promise<{ chain?: string }>;
}) {
  const { hash } = await params;
  const { chain } = await searchParams;
  const chainId = Number(chain ?? config.defaultChainId);
  return (
    <>
      <PageTitle lead={<span className="break-all font-mono text-sm">{hash}</span>}>Transaction</PageTitle>
      {/^0x[0-9a-fA-F]{64}$/.test(hash) && Number.isInteger(chainId) ? (
        <TxDetails hash={hash as `0x${string}`} chainId={chainId} />
      ) : (
        <Notice tone="error">That is not a transaction hash.</Notice>
      )}
    </>
  );
}
