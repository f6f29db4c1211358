"use client";

import Link from "next/link";
import { useState } from "react";
import type { Hex } from "viem";
import { useAccount, useConfig } from "wagmi";
import { simulateContract, writeContract } from "wagmi/actions";

import { TxStatus } from "@/components/tx-status";
import { Button, Card, Notice } from "@/components/ui";
import { useLiveStatus } from "@/features/auth/live-updates";
import { useSession } from "@/features/auth/session";
import { describeError, type Booking } from "@/lib/api";
import { txUrl } from "@/lib/chains";
import { config } from "@/lib/config";
import { formatDay, formatItemWhen, formatMoney, formatToken, shortAddress } from "@/lib/format";
import { isBusy } from "@/lib/tx-state";
import { useDeployment } from "@/lib/use-deployment";
import { useTrvlContractIfDeployed } from "@/lib/use-trvl-contract";
import { useTx } from "@/lib/use-tx";

import { PayBooking } from "./pay-booking";
import { paymentAmount, STATUS_LABEL, StatusBadgeClass, titleOf } from "./status";
import { StatusTimeline } from "./status-timeline";
import { useBooking, useCancelBooking } from "./use-bookings";

export function BookingDetail({ id }: { id: string }) {
  const { address } = useSession();
  const query = useBooking(id, address);
  const live = useLiveStatus();

  if (query.isPending) return <Card>Loading the booking…</Card>;
  if (query.isError)
    return (
      <Notice tone="error">
        {describeError(query.error)}{" "}
        <Link href="/bookings" className="underline">
          Back to your bookings
        </Link>
      </Notice>
    );
  const { booking, pay } = query.data;

  return (
    <div className="grid gap-4 lg:grid-cols-[1fr_20rem]">
      <div className="grid content-start gap-4">
        <Card>
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 className="text-lg font-semibold" data-testid="booking-destination">
              {titleOf(booking)}
            </h2>
            <span className={StatusBadgeClass(booking.status)} data-testid="booking-status">
              {STATUS_LABEL[booking.status]}
            </span>
          </div>
          <p className="mt-1 text-sm text-slate-600">
            {formatDay(booking.stay.checkIn)} → {formatDay(booking.stay.checkOut)} · {booking.stay.nights} night
            {booking.stay.nights === 1 ? "" : "s"} · {booking.stay.guests} guest{booking.stay.guests === 1 ? "" : "s"}
          </p>
          <ul className="mt-3 divide-y divide-slate-100">
            {inTimeOrder(booking.items).map((item, i) => (
              <li key={`${item.itemId}@${item.date ?? i}`} className="flex justify-between gap-4 py-2 text-sm">
                <span className="min-w-0">
                  <span className="font-medium">{item.name}</span>{" "}
                  <span className="text-slate-500">
                    ({item.type}, {item.quantity} × {formatMoney(item.unitPrice.amount)})
                  </span>
                  {(item.date || item.startsAt) && (
                    <span className="block text-slate-600" data-testid="item-when">
                      {item.type === "hotel" && item.startsAt ? "Check-in " : ""}
                      {formatItemWhen(item)}
                    </span>
                  )}
                  <span className="block text-xs text-slate-500" data-testid="item-terms">
                    {item.provider === "demo" ? "Demo inventory" : `From ${item.provider}`}
                    {item.providerOfferId ? ` · offer ${item.providerOfferId}` : ""} · {itemTerms(item)}
                  </span>
                  {item.bookingReference && (
                    <span className="block text-xs text-slate-700" data-testid="item-booking-reference">
                      Booking reference{" "}
                      {item.orderCancelledAt ? (
                        <>
                          <span className="font-mono line-through">{item.bookingReference}</span>{" "}
                          <span className="font-medium text-red-700">cancelled</span> (
                          {new Date(item.orderCancelledAt).toLocaleString()})
                        </>
                      ) : (
                        <span className="font-mono">{item.bookingReference}</span>
                      )}
                    </span>
                  )}
                  {item.orderCancelRefusal && (
                    <span className="block text-xs text-amber-800" data-testid="item-cancel-refusal">
                      Not cancelled: {item.orderCancelRefusal}. It stays booked and was paid to the supplier.
                    </span>
                  )}
                </span>
                <span className="tabular-nums">{formatMoney(item.total.amount)}</span>
              </li>
            ))}
          </ul>
          {booking.destination?.timezone && booking.items.some((item) => item.startsAt) && (
            <p className="mt-1 text-xs text-slate-500">Times are local to {booking.destination.name}.</p>
          )}
          <dl className="mt-3 grid grid-cols-2 gap-1 border-t border-slate-200 pt-3 text-sm">
            <dt className="text-slate-600">Subtotal</dt>
            <dd className="text-right tabular-nums">{formatMoney(booking.pricing.subtotal.amount)}</dd>
            {booking.pricing.discount.bps > 0 && (
              <>
                <dt className="text-slate-600">Tier discount ({booking.pricing.discount.bps / 100}%)</dt>
                <dd className="text-right tabular-nums">−{formatMoney(booking.pricing.discount.amount.amount)}</dd>
              </>
            )}
            <dt className="font-semibold">Total</dt>
            <dd className="text-right font-semibold tabular-nums">
              {formatMoney(booking.pricing.total.amount)} = {paymentAmount(booking)}
            </dd>
          </dl>
        </Card>
        {pay && booking.status === "quoted" && (
          <Card title="Pay">
            <PayBooking booking={booking} pay={pay} />
          </Card>
        )}
        {booking.supplierRefusal && (
          <Notice tone="warning">
            The supplier could not confirm this booking, so it is refunded in full: {booking.supplierRefusal}
          </Notice>
        )}
        {booking.providerReference && (
          <Card title="Provider">
            <p className="text-sm text-slate-600">
              Confirmed by the provider, reference{" "}
              <span className="font-mono" data-testid="provider-reference">
                {booking.providerReference}
              </span>
            </p>
          </Card>
        )}
        <CancelBooking booking={booking} />
      </div>
      <Card title="Status">
        <p className="mb-3 text-xs text-slate-500" aria-live="polite">
          {live === "live"
            ? "Updates live as your booking moves."
            : live === "reconnecting"
              ? "Live updates are reconnecting…"
              : "Connecting to live updates…"}
        </p>
        {["cancelled", "refund_requested", "refunded", "expired"].includes(booking.status) ? (
          <LeftTimeline booking={booking} />
        ) : (
          <StatusTimeline booking={booking} />
        )}
        <p className="mt-2 break-all text-xs text-slate-500">Booking id {booking.id}</p>
        {booking.payment.receiptCid && (
          <p className="mt-1 break-all text-xs text-slate-500">
            Receipt (IPFS){" "}
            <a
              className="text-brand-700 underline"
              href={`${config.apiUrl}/ipfs/${booking.payment.receiptCid}`}
              target="_blank"
              rel="noreferrer"
              data-testid="receipt-link"
            >
              {booking.payment.receiptCid}
            </a>
          </p>
        )}
      </Card>
    </div>
  );
}

/** An item's cancellation terms in a few words. */
function itemTerms(item: Booking["items"][number]): string {
  if (item.orderCancelledAt) return "order cancelled with the supplier";
  if (!item.freeCancelUntil) return "free cancellation until settled";
  const until = new Date(item.freeCancelUntil).toLocaleString();
  // An airline order is cancelled with the airline, whose fare rules decide what comes back.
  if (item.bookingReference && item.type === "flight")
    return `cancellable until ${until}; the airline decides the refund`;
  return item.cancelFeeBps >= 10_000
    ? `free cancellation until ${until}, then non-refundable`
    : item.cancelFeeBps === 0
      ? `free cancellation until ${until}`
      : `free cancellation until ${until}, then a ${item.cancelFeeBps / 100}% fee`;
}

/** Items as the trip runs (day, then time); items without either keep their place at the end. */
function inTimeOrder(items: Booking["items"]): Booking["items"] {
  const when = (item: Booking["items"][number]) => item.startsAt ?? item.date ?? "~";
  return [...items].sort((a, b) => when(a).localeCompare(when(b)));
}

function LeftTimeline({ booking }: { booking: Booking }) {
  const { chainId } = useDeployment();
  const refundTx = booking.timeline.find((step) => step.status === "refunded")?.txHash as Hex | null | undefined;
  const text: Partial<Record<Booking["status"], string>> = {
    cancelled: "You cancelled this booking before paying. Nothing was charged.",
    expired: "The quote expired before it was paid. Nothing was charged.",
    refund_requested: "You asked for a refund: TRVL's keeper returns your payment from the escrow shortly.",
    refunded: "Your payment was returned from the escrow to your wallet.",
  };
  return (
    <div className="text-sm">
      <p className="font-semibold">{STATUS_LABEL[booking.status]}</p>
      <p className="text-slate-600">{text[booking.status]}</p>
      {refundTx && (
        <p className="text-slate-600">
          Refund transaction:{" "}
          <a className="text-brand-700 underline" href={txUrl(chainId, refundTx)} data-testid="refund-link">
            {shortAddress(refundTx)}
          </a>
        </p>
      )}
    </div>
  );
}

function CancelBooking({ booking }: { booking: Booking }) {
  const cancel = useCancelBooking(booking.id);
  const escrow = useTrvlContractIfDeployed("BookingEscrow");
  const { address: account } = useAccount();
  const wagmiConfig = useConfig();
  const tx = useTx({ onConfirmed: () => void cancel.reset() });
  const [confirming, setConfirming] = useState(false);
  const { cancellable, refund, refundAmount, settleDueAt, summary } = booking.cancellation;
  const selfRefund = booking.status === "refund_requested" && escrow !== undefined;
  const { token } = booking.payment;
  const back = refundAmount ? formatToken(BigInt(refundAmount), token.decimals, token.symbol) : null;
  const refunding = refund === "full" || refund === "part";
  return (
    <Card title={refunding ? "Cancel and refund" : "Cancellation"}>
      <p className="text-sm text-slate-600" data-testid="cancellation-policy">
        {summary}
      </p>
      {settleDueAt && !["settled", "rewarded", "refunded"].includes(booking.status) && (
        <p className="mt-1 text-sm text-slate-600">
          The supplier is paid from the escrow at {new Date(settleDueAt).toLocaleString()}.
        </p>
      )}
      {(cancellable || selfRefund) && (
        <p className="mt-2 mb-3 text-sm text-slate-600" data-testid="refund-now">
          {selfRefund
            ? `A refund of ${back ?? paymentAmount(booking)} is on its way. If it has not arrived by the booking's refund date, you can take your payment back from the escrow yourself.`
            : refund === "full"
              ? `Your payment is still in the escrow: cancelling now returns all of it (${back}) to your wallet.`
              : refund === "part"
                ? `Cancelling now returns ${back} of ${paymentAmount(booking)} to your wallet; the supplier keeps the rest under its terms.`
                : "Nothing has been paid yet: cancelling now just drops the quote."}
        </p>
      )}
      {cancellable && refunding && !confirming && (
        <Button variant="danger" onClick={() => setConfirming(true)}>
          Cancel and refund
        </Button>
      )}
      {cancellable && refunding && confirming && (
        <div className="grid gap-2" data-testid="confirm-cancel">
          <p className="text-sm font-semibold">
            You get back {back} of {paymentAmount(booking)}. Cancel this booking?
          </p>
          <div className="flex gap-2">
            <Button variant="danger" disabled={cancel.isPending} onClick={() => cancel.mutate()}>
              {cancel.isPending ? "Cancelling…" : `Cancel and get ${back} back`}
            </Button>
            <Button variant="secondary" disabled={cancel.isPending} onClick={() => setConfirming(false)}>
              Keep the booking
            </Button>
          </div>
        </div>
      )}
      {cancellable && !refunding && (
        <Button variant="danger" disabled={cancel.isPending} onClick={() => cancel.mutate()}>
          {cancel.isPending ? "Cancelling…" : "Cancel booking"}
        </Button>
      )}
      {selfRefund && (
        <Button
          variant="secondary"
          disabled={isBusy(tx.state)}
          onClick={() =>
            void tx.run(async () => {
              const { request } = await simulateContract(wagmiConfig, {
                ...escrow!,
                functionName: "refund",
                args: [booking.id as Hex],
                account,
              });
              return writeContract(wagmiConfig, request);
            })
          }
        >
          Refund it myself
        </Button>
      )}
      {cancel.isError && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {describeError(cancel.error)}
        </p>
      )}
      <TxStatus state={tx.state} confirmedText="Refunded." />
    </Card>
  );
}
