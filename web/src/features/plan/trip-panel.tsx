"use client";

import { mockStablecoinAbi } from "@trvl/abi";
import { ConnectKitButton, SIWEButton } from "connectkit";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { zeroAddress } from "viem";
import { useAccount, useReadContract } from "wagmi";
import { useMutation } from "@tanstack/react-query";

import { Button, Card } from "@/components/ui";
import { useSession } from "@/features/auth/session-gate";
import { api, call, describeError, type CatalogItem } from "@/lib/api";
import { addressOf, useDeployment } from "@/lib/use-deployment";

import type { Stay } from "./use-trip";

/** The trip on the side of the conversation: dates, party, picked items, and "Book this trip". */
export function TripPanel({
  stay,
  onStay,
  picked,
  onRemove,
}: {
  stay: Stay;
  onStay: (stay: Stay) => void;
  picked: CatalogItem[];
  onRemove: (item: CatalogItem) => void;
}) {
  const { address } = useSession();
  const { isConnected } = useAccount();
  const { deployment } = useDeployment();
  const router = useRouter();
  const stablecoin = deployment ? addressOf(deployment, "Stablecoin") : undefined;
  const symbol = useReadContract({
    address: stablecoin,
    abi: mockStablecoinAbi,
    functionName: "symbol",
    query: { enabled: !!stablecoin },
  });
  const [token, setToken] = useState<"stablecoin" | "eth">("stablecoin");

  const book = useMutation({
    mutationFn: () =>
      call(
        api.bookings.$post({
          header: { "idempotency-key": crypto.randomUUID() },
          json: {
            items: picked.map((item) => ({ itemId: item.id })),
            checkIn: stay.checkIn,
            checkOut: stay.checkOut,
            guests: stay.guests,
            paymentToken: token === "eth" || !stablecoin ? zeroAddress : stablecoin,
          },
        }),
      ),
    onSuccess: (result) => router.push(`/bookings/${result.booking.id}`),
  });

  const nights = Math.round((Date.parse(stay.checkOut) - Date.parse(stay.checkIn)) / 86_400_000);
  const estimate = picked.reduce((sum, item) => {
    const cents = Math.round(Number(item.price.amount) * 100);
    const units =
      item.type === "hotel"
        ? Math.max(nights, 0) * Math.ceil(stay.guests / 2)
        : item.priceUnit === "offer"
          ? 1
          : stay.guests;
    return sum + cents * units;
  }, 0);

  return (
    <Card title="Your trip" className="lg:sticky lg:top-4">
      <div className="grid grid-cols-2 gap-2 text-sm">
        <label className="grid gap-1">
          Check-in
          <input
            type="date"
            className="rounded-lg border border-slate-300 px-2 py-1.5"
            value={stay.checkIn}
            onChange={(e) => onStay({ ...stay, checkIn: e.target.value })}
          />
        </label>
        <label className="grid gap-1">
          Check-out
          <input
            type="date"
            className="rounded-lg border border-slate-300 px-2 py-1.5"
            value={stay.checkOut}
            min={stay.checkIn}
            onChange={(e) => onStay({ ...stay, checkOut: e.target.value })}
          />
        </label>
        <label className="grid gap-1">
          Guests
          <input
            type="number"
            min={1}
            max={9}
            className="rounded-lg border border-slate-300 px-2 py-1.5"
            value={stay.guests}
            onChange={(e) => onStay({ ...stay, guests: Math.min(9, Math.max(1, Number(e.target.value) || 1)) })}
          />
        </label>
        <label className="grid gap-1">
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
      </div>
      {nights < 1 && <p className="mt-2 text-sm text-red-700">Check-out must be after check-in.</p>}

      {picked.length === 0 ? (
        <p className="mt-4 text-sm text-slate-600">
          Nothing picked yet: add hotels, flights, activities or restaurants from the results.
        </p>
      ) : (
        <ul className="mt-4 divide-y divide-slate-100 text-sm" aria-label="Picked for your trip">
          {picked.map((item) => (
            <li key={item.id} className="flex items-start justify-between gap-2 py-2">
              <span>
                <span className="font-medium">{item.name}</span>
                <span className="block text-xs text-slate-500">
                  {item.type} · ${item.price.amount} per {item.priceUnit}
                </span>
              </span>
              <button
                type="button"
                className="text-xs text-red-700 underline"
                onClick={() => onRemove(item)}
                aria-label={`Remove ${item.name}`}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {picked.length > 0 && (
        <p className="mt-2 text-sm">
          About <span className="font-semibold">${(estimate / 100).toFixed(2)}</span> before any tier discount; the
          exact price comes with the quote.
        </p>
      )}
      <div className="mt-4">
        {address ? (
          <Button
            disabled={picked.length === 0 || nights < 1 || book.isPending}
            onClick={() => book.mutate()}
            className="w-full"
          >
            {book.isPending ? "Getting your quote…" : "Book this trip"}
          </Button>
        ) : (
          <div className="grid gap-2 text-sm text-slate-600">
            <p>{isConnected ? "Sign in with your wallet to book." : "Connect a wallet to book."}</p>
            {isConnected ? <SIWEButton showSignOutButton={false} /> : <ConnectKitButton />}
          </div>
        )}
        {book.isError && (
          <p role="alert" className="mt-2 text-sm text-red-700">
            {describeError(book.error)}
          </p>
        )}
      </div>
    </Card>
  );
}
