"use client";

import { PROTOCOL_CONTRACTS } from "@trvl/abi";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { zeroAddress } from "viem";
import { useAccount, useReadContract } from "wagmi";

import { ConnectButton } from "@/components/connect-button";
import { Button } from "@/components/ui";
import { useSession } from "@/features/auth/session";
import { SignInButton } from "@/features/auth/sign-in-button";
import { bookingLinesOf } from "@/features/bookings/booking-body";
import { api, call, describeError, type Plan } from "@/lib/api";
import {
  emptyPassenger,
  needsPassengers,
  passengerErrorSentence,
  PassengersForm,
  type Passenger,
} from "@/features/plan/passengers-form";
import { useTrvlContractIfDeployed } from "@/lib/use-trvl-contract";

/**
 * "Book this trip": the plan's own booking body (every item a catalog item, on its day, at its time) goes to
 * POST /bookings with the chosen payment token, and the booking page takes it from there. Loaded once there is a
 * plan to book.
 */
export function BookTrip({ plan, tripId }: { plan: Plan; tripId?: string }) {
  const { address } = useSession();
  const { isConnected } = useAccount();
  const router = useRouter();
  const stablecoin = useTrvlContractIfDeployed("Stablecoin")?.address;
  const symbol = useReadContract({
    address: stablecoin,
    abi: PROTOCOL_CONTRACTS.Stablecoin.abi,
    functionName: "symbol",
    query: { enabled: !!stablecoin },
  });
  const [token, setToken] = useState<"stablecoin" | "eth">("stablecoin");
  const hasFlight = needsPassengers(plan);
  const [entered, setEntered] = useState<Passenger[]>([]);
  // One per guest, however the party changes while planning.
  const passengers = Array.from({ length: plan.booking.guests }, (_, i) => entered[i] ?? emptyPassenger());
  const editPassenger = (index: number, patch: Partial<Passenger>) =>
    setEntered(passengers.map((p, i) => (i === index ? { ...p, ...patch } : p)));

  const book = useMutation({
    mutationFn: (trip: Plan) =>
      call(
        api.bookings.$post({
          header: { "idempotency-key": crypto.randomUUID() },
          json: {
            ...trip.booking,
            items: bookingLinesOf(trip),
            paymentToken: token === "eth" || !stablecoin ? zeroAddress : stablecoin,
            ...(hasFlight ? { passengers } : {}),
          },
        }),
      ),
    onSuccess: async (result) => {
      // A saved trip records its booking, so the Trips page shows it booked.
      if (tripId)
        await call(api.trips[":id"].booking.$post({ param: { id: tripId }, json: { bookingId: result.booking.id } }));
      router.push(`/bookings/${result.booking.id}`);
    },
  });

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        book.mutate(plan);
      }}
    >
      {hasFlight && address && <PassengersForm passengers={passengers} onChange={editPassenger} />}
      <label className="mt-4 grid gap-1 text-sm">
        Pay with
        <select
          className="rounded-lg border border-slate-300 px-2 py-1.5"
          value={token}
          onChange={(e) => setToken(e.target.value as "stablecoin" | "eth")}
        >
          {stablecoin && <option value="stablecoin">{symbol.data ?? "Stablecoin"}</option>}
          <option value="eth">ETH</option>
        </select>
      </label>
      <div className="mt-4">
        {address ? (
          <Button type="submit" disabled={book.isPending} className="w-full">
            {book.isPending ? "Getting your quote…" : "Book this trip"}
          </Button>
        ) : (
          <div className="grid gap-2 text-sm text-slate-600">
            <p>{isConnected ? "Sign in with your wallet to book." : "Connect a wallet to book."}</p>
            {isConnected ? <SignInButton className="w-fit" /> : <ConnectButton className="w-fit" />}
          </div>
        )}
        {book.isError && (
          <p role="alert" className="mt-2 text-sm text-red-700">
            {passengerErrorSentence(describeError(book.error))}
          </p>
        )}
      </div>
    </form>
  );
}
