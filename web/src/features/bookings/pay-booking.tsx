"use client";

import { useQueryClient } from "@tanstack/react-query";
import { erc20Abi, type Address, type Hex } from "viem";
import { useAccount, useConfig } from "wagmi";
import { readContract, simulateContract, waitForTransactionReceipt, writeContract } from "wagmi/actions";

import { TxStatus } from "@/components/tx-status";
import { Button } from "@/components/ui";
import { api, call, type Booking, type PaymentInstructions } from "@/lib/api";
import { formatToken } from "@/lib/format";
import { signApiPermit } from "@/lib/permit";
import { isBusy } from "@/lib/tx-state";
import { liveKeys } from "@/lib/use-live-events";
import { useTrvlContractIfDeployed } from "@/lib/use-trvl-contract";
import { useTx } from "@/lib/use-tx";

import { RewardPreview } from "./reward-preview";

/** Pays a quoted booking from the wallet: a stablecoin with a permit in one transaction, or ETH. */
export function PayBooking({ booking, pay }: { booking: Booking; pay: PaymentInstructions }) {
  const { address: account } = useAccount();
  const wagmiConfig = useConfig();
  const queryClient = useQueryClient();
  const tx = useTx({
    onConfirmed: async (receipt) => {
      // The listener records the payment by itself; reporting it makes the booking show as paid at once.
      await call(
        api.bookings[":id"].payment.$post({ param: { id: booking.id }, json: { txHash: receipt.transactionHash } }),
      ).catch(() => undefined);
      void queryClient.invalidateQueries({ queryKey: liveKeys.bookings });
    },
  });
  const { token } = booking.payment;
  const amount = BigInt(pay.quote.amount);
  const quote = {
    bookingId: pay.quote.bookingId as Hex,
    traveller: pay.quote.traveller as Address,
    token: pay.quote.token as Address,
    amount,
    commissionBps: pay.quote.commissionBps,
    supplier: pay.quote.supplier as Address,
    expiresAt: BigInt(pay.quote.expiresAt),
  };
  const escrow = useTrvlContractIfDeployed("BookingEscrow");
  const signature = pay.signature as Hex;
  const expired = new Date(booking.payment.quoteExpiresAt).getTime() <= Date.now();
  const wrongWallet = account?.toLowerCase() !== booking.traveller.toLowerCase();
  // The quote is signed for one escrow: the wallet's chain must have that one.
  const wrongChain = escrow === undefined || escrow.address.toLowerCase() !== pay.escrow.toLowerCase();

  const payNow = () =>
    tx.run(
      async (steps) => {
        if (pay.method === "payWithPermit") {
          // The API builds the permit with the token's current nonce: ask for it now, so a permit signed since
          // (staking, another booking) cannot have used that nonce up.
          const fresh = await call(api.bookings[":id"].$get({ param: { id: booking.id } }));
          if (!fresh.pay?.permit) throw new Error("This booking can no longer be paid: it is not awaiting payment.");
          const permit = await signApiPermit(wagmiConfig, fresh.pay.permit);
          steps.step("Confirm the payment in your wallet");
          const { request } = await simulateContract(wagmiConfig, {
            ...escrow!,
            functionName: "payWithPermit",
            args: [quote, signature, permit.deadline, permit.v, permit.r, permit.s],
            account,
          });
          return writeContract(wagmiConfig, request);
        }
        if (pay.approve) {
          // Any ERC-20 the escrow accepts: the standard ABI, not a TRVL contract's.
          const allowance = await readContract(wagmiConfig, {
            address: pay.approve.token as Address,
            abi: erc20Abi,
            functionName: "allowance",
            args: [account!, escrow!.address],
          });
          if (allowance < amount) {
            const approval = await writeContract(wagmiConfig, {
              address: pay.approve.token as Address,
              abi: erc20Abi,
              functionName: "approve",
              args: [escrow!.address, amount],
            });
            steps.step("Waiting for the approval");
            await waitForTransactionReceipt(wagmiConfig, { hash: approval });
            steps.step("Confirm the payment in your wallet");
          }
        }
        const { request } = await simulateContract(wagmiConfig, {
          ...escrow!,
          functionName: "pay",
          args: [quote, signature],
          value: BigInt(pay.value),
          account,
        });
        return writeContract(wagmiConfig, request);
      },
      pay.method === "payWithPermit" ? "Sign the permit in your wallet" : "Confirm the payment in your wallet",
    );

  return (
    <div className="grid gap-2">
      <RewardPreview booking={booking} pay={pay} />
      <p className="text-sm text-slate-600">
        {pay.method === "payWithPermit"
          ? "One signature lets the escrow take exactly this amount, then one transaction pays: no separate approval."
          : "One transaction sends the amount to the escrow."}{" "}
        The escrow holds it until your booking is settled, and you can get it back until then.
      </p>
      <div>
        <Button disabled={isBusy(tx.state) || expired || wrongWallet || wrongChain} onClick={() => void payNow()}>
          Pay {formatToken(amount, token.decimals, token.symbol)}
        </Button>
      </div>
      {expired && <p className="text-sm text-amber-800">This quote has expired: book again for a new one.</p>}
      {wrongWallet && <p className="text-sm text-amber-800">Connect the wallet this booking was made with to pay.</p>}
      {!wrongWallet && wrongChain && (
        <p className="text-sm text-amber-800">Switch your wallet to the network this booking is quoted on to pay.</p>
      )}
      <TxStatus state={tx.state} confirmedText="Paid." />
    </div>
  );
}
