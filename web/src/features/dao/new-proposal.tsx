"use client";

import { useQueryClient } from "@tanstack/react-query";
import { GOVERNED_CONTRACTS, type GovernedContractName } from "@trvl/abi";
import { useEffect, useId, useMemo, useState } from "react";
import type { Address, PublicClient } from "viem";
import { useAccount, useConfig, usePublicClient } from "wagmi";
import { readContract, simulateContract, writeContract } from "wagmi/actions";

import { TxStatus } from "@/components/tx-status";
import { Button, Card, Notice } from "@/components/ui";
import { api, call, describeError } from "@/lib/api";
import { isBusy } from "@/lib/tx-state";
import { useTrvlContracts } from "@/lib/use-trvl-contract";
import { useTx } from "@/lib/use-tx";

import { CallBuilder } from "./call-builder";
import { describeCall, simulateProposal, type Simulation } from "./simulate";
import { TEMPLATE_CONTRACTS, TEMPLATES, type Built, type ProposalCall, type Values } from "./templates";

const CUSTOM = "custom";

/** "New proposal": a template per governed parameter or calls built from the ABIs, simulated, pinned, proposed. */
export function NewProposal() {
  const { address } = useAccount();
  const wagmiConfig = useConfig();
  const client = usePublicClient();
  const queryClient = useQueryClient();
  const ids = useId();
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState(TEMPLATES[0].id);
  const [values, setValues] = useState<Values>({});
  const [current, setCurrent] = useState<Values>({});
  const [loadError, setLoadError] = useState<string>();
  const [customCalls, setCustomCalls] = useState<ProposalCall[]>([]);
  const [title, setTitle] = useState("");
  const [summary, setSummary] = useState("");
  const [simulation, setSimulation] = useState<{ key: string; result: Simulation }>();
  const [simulating, setSimulating] = useState(false);
  const [pinError, setPinError] = useState<string>();

  const contracts = useTrvlContracts(TEMPLATE_CONTRACTS);
  const governed = useTrvlContracts(GOVERNED_CONTRACTS);
  const nameOf = useMemo(() => {
    const names = new Map<string, GovernedContractName>();
    for (const name of GOVERNED_CONTRACTS) {
      if (governed) names.set(governed[name].address.toLowerCase(), name);
    }
    return (a: Address) => names.get(a.toLowerCase());
  }, [governed]);

  const template = TEMPLATES.find((t) => t.id === kind);
  // Starting values: what the chain holds now, reloaded when a field that chooses what to read changes.
  const selector = (template?.selects ?? []).map((k) => values[k] ?? "").join("|");
  useEffect(() => {
    if (!template || !contracts || !open) return;
    let cancelled = false;
    setLoadError(undefined);
    template
      .current((request) => readContract(wagmiConfig, request as Parameters<typeof readContract>[1]), contracts, values)
      .then((loaded) => {
        if (cancelled) return;
        setCurrent(loaded);
        setValues((v) => ({ ...loaded, ...pick(v, template.selects ?? []) }));
      })
      .catch((error: unknown) => !cancelled && setLoadError(describeError(error)));
    return () => {
      cancelled = true;
    };
    // `values` is read only for what `selector` names.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [template, contracts, open, wagmiConfig, selector]);

  const built: Built | undefined =
    kind === CUSTOM
      ? customCalls.length > 0
        ? { ok: true, title: "", calls: customCalls, effects: [] }
        : { ok: false, errors: {} }
      : template?.build(values, current, contracts!);
  const calls = built?.ok ? built.calls : [];
  const proposalTitle = title.trim() || (built?.ok ? built.title : "");
  const draftKey = JSON.stringify({
    calls: calls.map((c) => [c.target, c.value.toString(), c.data]),
    proposalTitle,
    summary,
  });
  const simulated = simulation?.key === draftKey ? simulation.result : undefined;

  const tx = useTx({
    onConfirmed: () => {
      void queryClient.invalidateQueries({ queryKey: ["governance"] });
      setSimulation(undefined);
    },
  });

  if (!contracts || !governed || !address) return null;
  const governor = governed.TRVLGovernor;

  const simulate = async () => {
    setSimulating(true);
    try {
      const result = await simulateProposal({
        client: client as PublicClient,
        governor,
        timelock: governed.Timelock.address,
        proposer: address,
        calls,
        description: `# ${proposalTitle}\n\n${summary}`,
        nameOf,
      });
      setSimulation({ key: draftKey, result });
    } finally {
      setSimulating(false);
    }
  };

  const submit = () =>
    tx.run(async (steps) => {
      setPinError(undefined);
      steps.step("Pinning the description to IPFS");
      const pinned = await call(
        api.governance.descriptions.$post({
          json: {
            title: proposalTitle,
            summary,
            calls: calls.map((c) => ({ target: c.target, value: c.value.toString(), data: c.data })),
          },
        }),
      ).catch((error: unknown) => {
        setPinError(describeError(error));
        throw error;
      });
      steps.step("Confirm the proposal in your wallet");
      const { request } = await simulateContract(wagmiConfig, {
        ...governor,
        functionName: "propose",
        args: [calls.map((c) => c.target), calls.map((c) => c.value), calls.map((c) => c.data), pinned.description],
        account: address,
      });
      return writeContract(wagmiConfig, request);
    });

  if (!open) {
    return (
      <div>
        <Button onClick={() => setOpen(true)}>New proposal</Button>
      </div>
    );
  }

  return (
    <Card title="New proposal">
      <div className="grid gap-4">
        <label className="grid gap-1 text-sm" htmlFor={`${ids}-kind`}>
          What to change
          <select
            id={`${ids}-kind`}
            className="rounded-lg border border-slate-300 px-3 py-2"
            value={kind}
            onChange={(e) => {
              // Picking the same kind again keeps what was loaded and typed.
              if (e.target.value === kind) return;
              setKind(e.target.value);
              setValues({});
              setCurrent({});
              setTitle("");
            }}
          >
            {TEMPLATES.map((t) => (
              <option key={t.id} value={t.id}>
                {t.label}
              </option>
            ))}
            <option value={CUSTOM}>Any call (built from the contracts&apos; ABIs)</option>
          </select>
        </label>

        {loadError && <Notice tone="error">Could not read the current values: {loadError}</Notice>}

        {template && (
          <fieldset className="grid gap-3 sm:grid-cols-2">
            <legend className="sr-only">{template.label}</legend>
            {template.fields.map((field) => {
              const id = `${ids}-${field.name}`;
              // No complaints about empty fields while the current values are still being read.
              const error =
                built && !built.ok && Object.keys(current).length > 0 ? built.errors[field.name] : undefined;
              return (
                <div key={field.name} className="grid gap-1 text-sm">
                  <label htmlFor={id}>{field.label}</label>
                  {field.kind === "choice" ? (
                    <select
                      id={id}
                      className="rounded-lg border border-slate-300 px-3 py-2"
                      value={values[field.name] ?? ""}
                      onChange={(e) => setValues({ ...values, [field.name]: e.target.value })}
                    >
                      {field.options!.map((o) => (
                        <option key={o.value} value={o.value}>
                          {o.label}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <input
                      id={id}
                      className={`rounded-lg border px-3 py-2 ${field.kind === "address" ? "font-mono text-xs" : "tabular-nums"} ${error ? "border-red-500" : "border-slate-300"}`}
                      inputMode={field.kind === "address" ? "text" : "decimal"}
                      value={values[field.name] ?? ""}
                      onChange={(e) => setValues({ ...values, [field.name]: e.target.value })}
                      aria-invalid={error !== undefined}
                      aria-describedby={`${id}-hint`}
                    />
                  )}
                  <p id={`${id}-hint`} className={`text-xs ${error ? "text-red-700" : "text-slate-500"}`}>
                    {error ?? field.hint ?? (current[field.name] !== undefined ? `Now: ${current[field.name]}` : "")}
                  </p>
                </div>
              );
            })}
          </fieldset>
        )}

        {kind === CUSTOM && (
          <CallBuilder
            contracts={governed}
            calls={customCalls}
            onChange={setCustomCalls}
            describe={(c) => describeCall(c, nameOf)}
          />
        )}

        <div className="grid gap-3">
          <label className="grid gap-1 text-sm" htmlFor={`${ids}-title`}>
            Title
            <input
              id={`${ids}-title`}
              className="rounded-lg border border-slate-300 px-3 py-2"
              value={title}
              placeholder={built?.ok ? built.title : "What the proposal does, in a line"}
              onChange={(e) => setTitle(e.target.value)}
            />
          </label>
          <label className="grid gap-1 text-sm" htmlFor={`${ids}-summary`}>
            Why (shown with the proposal and pinned to IPFS)
            <textarea
              id={`${ids}-summary`}
              className="min-h-20 rounded-lg border border-slate-300 px-3 py-2"
              value={summary}
              onChange={(e) => setSummary(e.target.value)}
            />
          </label>
        </div>

        {built?.ok && built.effects.length > 0 && (
          <div className="text-sm">
            <p className="font-semibold">What changes</p>
            <ul className="list-disc pl-5" data-testid="proposal-effects">
              {built.effects.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </div>
        )}

        <div className="flex flex-wrap gap-2">
          <Button
            variant="secondary"
            disabled={!built?.ok || calls.length === 0 || proposalTitle.length < 3 || simulating}
            onClick={() => void simulate()}
          >
            {simulating ? "Simulating…" : "Simulate"}
          </Button>
          <Button disabled={!simulated?.ok || isBusy(tx.state)} onClick={() => void submit()}>
            Propose
          </Button>
          <Button variant="secondary" onClick={() => setOpen(false)}>
            Close
          </Button>
        </div>

        {simulated && (
          <div role="status" data-testid="simulation" className="grid gap-1 text-sm">
            <p className="font-semibold">
              {simulated.ok
                ? "Simulated against the current chain: every call succeeds as the timelock would run it."
                : "The simulation found a problem:"}
            </p>
            <ul className="grid gap-1">
              {simulated.calls.map((c, i) => (
                <li key={i} className={c.ok ? "text-emerald-800" : "text-red-700"}>
                  {c.ok ? "✓" : "✗"} <span className="break-all font-mono text-xs">{c.text}</span>
                  {c.reason && <> — reverts: {c.reason}</>}
                </li>
              ))}
              {!simulated.propose.ok && (
                <li className="text-red-700">
                  ✗ The governor would refuse the proposal from you: {simulated.propose.reason}
                </li>
              )}
            </ul>
          </div>
        )}
        {!simulated && built?.ok && calls.length > 0 && (
          <p className="text-xs text-slate-500">Simulate the proposal before proposing it.</p>
        )}
        {pinError && <Notice tone="error">The description could not be pinned: {pinError}</Notice>}
        <TxStatus state={tx.state} confirmedText="Proposed." />
      </div>
    </Card>
  );
}

function pick(values: Values, keys: string[]): Values {
  return Object.fromEntries(keys.filter((k) => k in values).map((k) => [k, values[k]]));
}
