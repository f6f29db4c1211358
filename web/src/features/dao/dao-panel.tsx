"use client";

import Link from "next/link";

import { Card, Notice } from "@/components/ui";
import { WalletGate } from "@/components/wallet-gate";
import { describeError } from "@/lib/api";

import { NewProposal } from "./new-proposal";
import { ProposalCard } from "./proposal-card";
import { useProposals } from "./use-governance";
import { VotingPower } from "./voting-power";

/** Proposals are public: anyone reads them; delegating, proposing and voting need a wallet. */
export function DaoPanel() {
  const proposals = useProposals();
  return (
    <div className="grid gap-4">
      <WalletGate purpose="delegate, propose and vote">
        <div className="grid gap-4">
          <VotingPower />
          <NewProposal />
        </div>
      </WalletGate>
      <section aria-labelledby="proposals-title" className="grid gap-3">
        <h2 id="proposals-title" className="text-lg font-semibold">
          Proposals
        </h2>
        {proposals.isPending ? (
          <Card>Loading proposals…</Card>
        ) : proposals.isError ? (
          <Notice tone="error">{describeError(proposals.error)}</Notice>
        ) : !proposals.data.governance.deployed ? (
          <Notice tone="warning">Governance is not live on this network yet.</Notice>
        ) : proposals.data.proposals.length === 0 ? (
          <Card>
            <p className="text-slate-700">No proposals yet. Holders with enough delegated TRVL can propose changes.</p>
          </Card>
        ) : (
          proposals.data.proposals.map((p) => <ProposalCard key={p.id} proposal={p} />)
        )}
        <p className="text-xs text-slate-500">
          Passed proposals wait in a timelock before they take effect, so anyone affected can react; the guardian
          multisig can cancel a malicious one. Admins: the{" "}
          <Link className="text-brand-700 underline" href="/ops">
            ops overview
          </Link>{" "}
          shows the timelock queue, roles and pauses.
        </p>
      </section>
    </div>
  );
}
