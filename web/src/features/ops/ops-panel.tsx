"use client";

import { useQuery } from "@tanstack/react-query";
import type { InferResponseType } from "hono/client";
import type { ReactNode } from "react";

import { Card, Notice, Stat } from "@/components/ui";
import { api, call, describeError } from "@/lib/api";
import { formatDateTime, formatDuration, formatToken, shortAddress } from "@/lib/format";
import { useNow } from "@/lib/use-now";

type Status = InferResponseType<typeof api.ops.status.$get, 200>;

function Address({ address, name }: { address: string; name?: string | null }) {
  return (
    <span className="font-mono text-xs" title={address}>
      {name ? `${name} (${shortAddress(address)})` : shortAddress(address)}
    </span>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return <Card title={title}>{children}</Card>;
}

/** Read-only admin overview from GET /ops/status: nothing here signs or sends anything. */
export function OpsPanel() {
  const status = useQuery({
    queryKey: ["ops", "status"],
    queryFn: () => call(api.ops.status.$get()),
    refetchInterval: 10_000,
  });
  const now = useNow();
  if (status.isPending) return <Card>Reading the protocol&apos;s state…</Card>;
  if (status.isError) return <Notice tone="error">{describeError(status.error)}</Notice>;
  const s: Status = status.data;
  const guardian = s.guardian;

  return (
    <div className="grid gap-4">
      <Section title="Guardian Safe">
        {!guardian.deployed ? (
          <Notice tone="warning">{guardian.reason}</Notice>
        ) : (
          <div className="grid gap-3 text-sm">
            <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3">
              <Stat label="Address" value={<Address address={guardian.address} />} />
              <Stat
                label="Threshold"
                value={<span data-testid="safe-threshold">{`${guardian.threshold} of ${guardian.owners.length}`}</span>}
              />
              <Stat label="Next nonce" value={guardian.nonce} />
            </dl>
            <div>
              <h3 className="font-semibold">Owners</h3>
              <ul className="grid gap-1" data-testid="safe-owners">
                {guardian.owners.map((owner) => (
                  <li key={owner} className="break-all font-mono text-xs">
                    {owner}
                  </li>
                ))}
              </ul>
            </div>
            <div>
              <h3 className="font-semibold">Waiting proposals</h3>
              {guardian.proposals.length === 0 ? (
                <p className="text-slate-600">
                  {guardian.proposalsDir
                    ? "None: every proposal file has been executed or there are none."
                    : "The API is not told where the admin CLI's proposal files are (SAFE_PROPOSALS_DIR)."}
                </p>
              ) : (
                <ul className="grid gap-2" data-testid="safe-proposals">
                  {guardian.proposals.map((p) => (
                    <li key={p.file} className="rounded-lg border border-slate-200 p-3">
                      <p className="font-medium">{p.description}</p>
                      <p className="text-xs text-slate-600">
                        Nonce {p.nonce} · {p.state} · signed by{" "}
                        {p.signers.map((signer) => shortAddress(signer)).join(", ") || "nobody"} · {p.file}
                      </p>
                    </li>
                  ))}
                </ul>
              )}
              <p className="mt-2 text-xs text-slate-500">
                Owners sign with <code>npm run admin -- sign &lt;file&gt;</code>, or load{" "}
                <code>npm run admin -- export &lt;file&gt;</code> in Safe&#123;Wallet&#125;&apos;s Transaction Builder.
              </p>
            </div>
          </div>
        )}
      </Section>

      <Section title="Timelock queue">
        <p className="mb-2 text-sm text-slate-600">
          Passed proposals wait {s.timelock.minDelaySeconds === null ? "—" : formatDuration(s.timelock.minDelaySeconds)}{" "}
          before they can be executed; meanwhile the guardian can veto them through its GuardianCanceller, except those
          that change its own roles.
        </p>
        {s.timelock.operations.length === 0 ? (
          <p className="text-sm text-slate-600">Nothing queued.</p>
        ) : (
          <ul className="grid gap-2" data-testid="timelock-queue">
            {s.timelock.operations.map((op) => (
              <li key={op.id} className="rounded-lg border border-slate-200 p-3 text-sm">
                <p className="text-xs text-slate-600">
                  Operation <span className="font-mono">{shortAddress(op.id)}</span> · queued{" "}
                  {formatDateTime(op.scheduledAt)} ·{" "}
                  {op.eta <= now ? "executable now" : `executable in ${formatDuration(op.eta - now)}`} (
                  {formatDateTime(op.eta)})
                </p>
                <ul className="mt-1 grid gap-1">
                  {op.calls.map((c, i) => (
                    <li key={i} className="break-all font-mono text-xs">
                      {c.targetName ?? c.target}.{c.call}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section title="Contracts">
        <ul className="grid gap-1 text-sm" data-testid="pause-state">
          {s.contracts.paused.map((c) => (
            <li key={c.name}>
              {c.name}:{" "}
              {c.paused === null ? (
                "not deployed"
              ) : c.paused ? (
                <strong className="text-red-700">paused</strong>
              ) : (
                <span className="text-emerald-800">running</span>
              )}
            </li>
          ))}
        </ul>
        {s.contracts.mintLimit && (
          <dl className="mt-3 grid grid-cols-2 gap-4 sm:grid-cols-3">
            <Stat
              label="Mintable now"
              value={formatToken(BigInt(s.contracts.mintLimit.available), 18, "TRVL", 0)}
              hint={`${s.contracts.mintLimit.headroomPercent}% of the limit`}
            />
            <Stat
              label="Mint limit"
              value={formatToken(BigInt(s.contracts.mintLimit.capacity), 18, "TRVL", 0)}
              hint={`per ${formatDuration(s.contracts.mintLimit.windowSeconds)}, refilling steadily`}
            />
          </dl>
        )}
      </Section>

      <Section title="Roles">
        {s.roles.length === 0 ? (
          <p className="text-sm text-slate-600">No role changes indexed yet.</p>
        ) : (
          <ul className="grid gap-2 text-sm" data-testid="roles">
            {s.roles.map((r) => (
              <li key={`${r.contract}-${r.role}`}>
                <span className="font-medium">
                  {r.contract} · {r.role}
                </span>
                :{" "}
                {r.holders.length === 0
                  ? "nobody"
                  : r.holders.map((h, i) => (
                      <span key={h.address}>
                        {i > 0 && ", "}
                        <Address address={h.address} name={h.name} />
                      </span>
                    ))}
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section title="Keeper and indexer">
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
          <Stat
            label="Indexer lag"
            value={
              <span data-testid="listener-lag">
                {s.keeper.lagBlocks === null ? "not started" : `${s.keeper.lagBlocks} blocks`}
              </span>
            }
            hint={`head ${s.keeper.headBlock}, indexed ${s.keeper.indexedBlock ?? "—"}`}
          />
          <Stat
            label="Jobs waiting"
            value={s.keeper.jobs.pending + s.keeper.jobs.running}
            hint={
              s.keeper.jobs.oldestPendingSince
                ? `oldest since ${formatDateTime(s.keeper.jobs.oldestPendingSince)}`
                : "none pending"
            }
          />
          <Stat label="Jobs failed" value={s.keeper.jobs.failed} />
          <Stat
            label="Keeper gas money"
            value={
              s.keeper.accounts.length === 0
                ? "no settler"
                : s.keeper.accounts.map((a) => formatToken(BigInt(a.balance), 18, "ETH", 3)).join(", ")
            }
            hint={s.keeper.accounts.map((a) => shortAddress(a.address)).join(", ")}
          />
        </dl>
      </Section>
    </div>
  );
}
