"use client";

import { GOVERNED_CONTRACTS, type GovernedContractName } from "@trvl/abi";
import { useId, useState } from "react";
import { encodeFunctionData, type Abi, type AbiFunction, type Address } from "viem";

import { Button } from "@/components/ui";
import { parseUnits } from "@/lib/format";

import { describeParam, parseAbiArg } from "./abi-args";
import type { Governed } from "./simulate";
import type { ProposalCall } from "./templates";

/** The state-changing functions of a contract's ABI, each once (overloads by their signature). */
export function writableFunctions(abi: Abi): AbiFunction[] {
  return abi.filter(
    (item): item is AbiFunction =>
      item.type === "function" && (item.stateMutability === "nonpayable" || item.stateMutability === "payable"),
  );
}

export function signature(fn: AbiFunction): string {
  return `${fn.name}(${fn.inputs.map((i) => i.type).join(",")})`;
}

/** A call from typed arguments, or the first argument that is wrong, by name. */
export function encodeCall(
  target: Address,
  fn: AbiFunction,
  texts: string[],
  ethValue: string,
): { ok: true; call: ProposalCall } | { ok: false; error: string } {
  const args: unknown[] = [];
  for (const [i, input] of fn.inputs.entries()) {
    const parsed = parseAbiArg(input, texts[i] ?? "");
    if (!parsed.ok) return { ok: false, error: `${input.name || `argument ${i + 1}`}: ${parsed.error}` };
    args.push(parsed.value);
  }
  let value = 0n;
  if (fn.stateMutability === "payable" && ethValue.trim() !== "") {
    const parsed = parseUnits(ethValue, 18);
    if (!parsed.ok) return { ok: false, error: `ETH value: ${parsed.error}` };
    value = parsed.value;
  }
  return { ok: true, call: { target, value, data: encodeFunctionData({ abi: [fn], functionName: fn.name, args }) } };
}

/** Free-form calls: pick a protocol contract and one of its functions, fill in its arguments, add the call. */
export function CallBuilder(props: {
  contracts: Governed;
  calls: ProposalCall[];
  onChange(calls: ProposalCall[]): void;
  describe(call: ProposalCall): string;
}) {
  const ids = useId();
  const [contract, setContract] = useState<GovernedContractName>(GOVERNED_CONTRACTS[0]);
  const functions = writableFunctions(props.contracts[contract].abi as Abi);
  const [fnSignature, setFnSignature] = useState(signature(functions[0]));
  const fn = functions.find((f) => signature(f) === fnSignature) ?? functions[0];
  const [texts, setTexts] = useState<string[]>([]);
  const [ethValue, setEthValue] = useState("");
  const [error, setError] = useState<string>();

  const add = () => {
    const encoded = encodeCall(props.contracts[contract].address, fn, texts, ethValue);
    if (!encoded.ok) {
      setError(encoded.error);
      return;
    }
    setError(undefined);
    props.onChange([...props.calls, encoded.call]);
    setTexts([]);
  };

  return (
    <fieldset className="grid gap-3 rounded-lg border border-slate-200 p-3">
      <legend className="px-1 text-sm font-semibold">Calls the timelock will make</legend>
      {props.calls.length > 0 && (
        <ol className="grid list-decimal gap-1 pl-5 text-sm">
          {props.calls.map((c, i) => (
            <li key={i} className="break-all">
              <span className="font-mono text-xs">{props.describe(c)}</span>{" "}
              <button
                type="button"
                className="text-xs text-red-700 underline"
                onClick={() => props.onChange(props.calls.filter((_, j) => j !== i))}
              >
                Remove
              </button>
            </li>
          ))}
        </ol>
      )}
      <div className="grid gap-3 sm:grid-cols-2">
        <label className="grid gap-1 text-sm" htmlFor={`${ids}-contract`}>
          Contract
          <select
            id={`${ids}-contract`}
            className="rounded-lg border border-slate-300 px-3 py-2"
            value={contract}
            onChange={(e) => {
              const next = e.target.value as GovernedContractName;
              setContract(next);
              setFnSignature(signature(writableFunctions(props.contracts[next].abi as Abi)[0]));
              setTexts([]);
            }}
          >
            {GOVERNED_CONTRACTS.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label className="grid gap-1 text-sm" htmlFor={`${ids}-function`}>
          Function
          <select
            id={`${ids}-function`}
            className="rounded-lg border border-slate-300 px-3 py-2"
            value={signature(fn)}
            onChange={(e) => {
              setFnSignature(e.target.value);
              setTexts([]);
            }}
          >
            {functions.map((f) => (
              <option key={signature(f)} value={signature(f)}>
                {signature(f)}
              </option>
            ))}
          </select>
        </label>
        {fn.inputs.map((input, i) => (
          <label key={`${signature(fn)}-${i}`} className="grid gap-1 text-sm" htmlFor={`${ids}-arg-${i}`}>
            {input.name || `Argument ${i + 1}`} <span className="text-xs text-slate-500">{describeParam(input)}</span>
            <input
              id={`${ids}-arg-${i}`}
              className="rounded-lg border border-slate-300 px-3 py-2 font-mono text-xs"
              value={texts[i] ?? ""}
              onChange={(e) => {
                const next = [...texts];
                next[i] = e.target.value;
                setTexts(next);
              }}
            />
          </label>
        ))}
        {fn.stateMutability === "payable" && (
          <label className="grid gap-1 text-sm" htmlFor={`${ids}-value`}>
            ETH sent with the call
            <input
              id={`${ids}-value`}
              className="rounded-lg border border-slate-300 px-3 py-2"
              value={ethValue}
              onChange={(e) => setEthValue(e.target.value)}
            />
          </label>
        )}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <Button variant="secondary" onClick={add}>
          Add call
        </Button>
        {error && (
          <p role="alert" className="text-sm text-red-700">
            {error}
          </p>
        )}
      </div>
    </fieldset>
  );
}
