"use client";

import { registrationTypes } from "@trvl/abi";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { Address, Hex } from "viem";
import { useConfig } from "wagmi";
import { signTypedData } from "wagmi/actions";

import { TxStatus } from "@/components/tx-status";
import { Button } from "@/components/ui";
import { useSession } from "@/features/auth/session";
import { api, call } from "@/lib/api";
import { shortAddress } from "@/lib/format";
import { isBusy } from "@/lib/tx-state";
import { liveKeys } from "@/lib/use-live-events";
import { useTx } from "@/lib/use-tx";

import { forgetReferrer, pendingReferrer } from "./pending-referrer";
import { useReferrals } from "./use-referrals";

/**
 * After sign-in, asks a visitor who came through a referral link whether to register that referrer. Accepting signs
 * an EIP-712 Registration that TRVL's relayer submits (registerWithSig), so it costs the visitor no gas. Loaded only
 * when a referral link is pending (see ./referral-consent.tsx).
 */
export function ReferralConsentPanel() {
  const { address } = useSession();
  const referrals = useReferrals(address);
  const [referrer, setReferrer] = useState<Address | undefined>();
  const [dismissed, setDismissed] = useState(false);
  const wagmiConfig = useConfig();
  const queryClient = useQueryClient();
  const tx = useTx({
    onConfirmed: () => {
      forgetReferrer(window.localStorage);
      void queryClient.invalidateQueries({ queryKey: liveKeys.referrals });
    },
  });

  useEffect(() => setReferrer(pendingReferrer(window.localStorage)), [address]);

  // Nothing to ask when the link is one's own or a referrer is already set (it is set once): forget the link.
  const moot =
    address !== undefined &&
    referrer !== undefined &&
    (referrer === address || (!!referrals.data?.referrer && tx.state.status === "idle"));
  useEffect(() => {
    if (moot) {
      forgetReferrer(window.localStorage);
      setReferrer(undefined);
    }
  }, [moot]);

  if (!address && referrer && !dismissed) {
    return (
      <p className="mb-6 rounded-xl border border-brand-100 bg-brand-50 p-4 text-sm text-slate-800">
        You were invited by <span className="font-mono">{shortAddress(referrer)}</span>. Connect your wallet and sign in
        to accept the invitation.
      </p>
    );
  }
  if (!address || !referrer || !referrals.data || dismissed || moot) return null;
  const done = tx.state.status === "confirmed";

  const accept = () =>
    tx.run(async (steps) => {
      const request = await call(api.referrals.signature.$get({ query: { referrer } }));
      const signature = await signTypedData(wagmiConfig, {
        account: address,
        domain: { ...request.domain, verifyingContract: request.domain.verifyingContract as Address },
        types: registrationTypes,
        primaryType: "Registration",
        message: {
          user: request.message.user as Address,
          referrer: request.message.referrer as Address,
          nonce: BigInt(request.message.nonce),
          deadline: BigInt(request.message.deadline),
        },
      });
      steps.step("Sending your registration (TRVL pays the gas)");
      const relayed = await call(
        api.referrals.signature.$post({ json: { referrer, deadline: request.message.deadline, signature } }),
      );
      return relayed.txHash as Hex;
    }, "Sign the registration in your wallet");

  return (
    <section
      aria-labelledby="referral-consent-title"
      className="mb-6 rounded-xl border border-brand-100 bg-brand-50 p-4 text-sm text-slate-800"
    >
      <h2 id="referral-consent-title" className="font-semibold">
        {done ? "Referral registered" : `You were invited by ${shortAddress(referrer)}`}
      </h2>
      {!done && (
        <>
          <p className="mt-1">
            Register them as your referrer? They earn a share of TRVL's commission on your bookings; your rewards stay
            the same. You sign a message, TRVL pays the gas, and it can be set only once.
          </p>
          <div className="mt-3 flex gap-2">
            <Button disabled={isBusy(tx.state)} onClick={() => void accept()}>
              Accept referral
            </Button>
            <Button
              variant="secondary"
              disabled={isBusy(tx.state)}
              onClick={() => {
                forgetReferrer(window.localStorage);
                setReferrer(undefined);
              }}
            >
              No thanks
            </Button>
          </div>
        </>
      )}
      <TxStatus state={tx.state} confirmedText="Registered." />
      {done && (
        <Button variant="secondary" onClick={() => setDismissed(true)}>
          Close
        </Button>
      )}
    </section>
  );
}
