"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useReducer, useState } from "react";

import { Button, Card, Notice } from "@/components/ui";
import { api, call, describeError, type PlanItem } from "@/lib/api";
import { formatMoney } from "@/lib/format";

import { PlanCard } from "./plan-card";
import { formatDay, itemTypeLabel, totalsOf } from "./plan-format";
import {
  addEdit,
  canRemoveOrMove,
  canSwap,
  editorReducer,
  IDLE,
  isEditing,
  moveDays,
  moveEdit,
  removeEdit,
  statusLabel,
  swapEdit,
  type Trip,
  type TripEdit,
} from "./trip-edits";

const BookTrip = dynamic(() => import("./book-trip").then((m) => m.BookTrip), {
  loading: () => <div aria-hidden className="mt-4 h-24 animate-pulse rounded-lg bg-slate-100" />,
});

const link = "rounded px-1.5 py-0.5 text-xs font-medium text-brand-700 hover:bg-brand-50 disabled:text-slate-400";

/**
 * A saved trip, reopened as it was left: a draft's day cards can be edited (remove, swap for one of three
 * alternatives, move to another day or time, add from search), each edit checked and re-priced by the API, and the
 * trip booked as edited. Booked and travelled trips are shown as they are.
 */
export function TripEditor({ id }: { id: string }) {
  const client = useQueryClient();
  const trip = useQuery({ queryKey: ["trips", id], queryFn: () => call(api.trips[":id"].$get({ param: { id } })) });
  const [state, dispatch] = useReducer(editorReducer, IDLE);
  const edit = useMutation({
    mutationFn: (body: TripEdit) => call(api.trips[":id"].edits.$post({ param: { id }, json: body })),
    onMutate: () => dispatch({ type: "sent" }),
    onSuccess: (after, _body) => {
      if (trip.data) dispatch({ type: "applied", before: trip.data.plan, after: after.plan });
      client.setQueryData(["trips", id], after);
      void client.invalidateQueries({ queryKey: ["trips"], exact: true });
    },
    onError: (error) => dispatch({ type: "refused", message: describeError(error) }),
  });

  if (trip.isPending) return <p className="text-sm text-slate-600">Opening your trip…</p>;
  if (trip.isError) return <Notice tone="error">This trip could not be opened: {describeError(trip.error)}</Notice>;
  const { plan, status } = trip.data;
  const draft = status === "draft";
  const send = (body: TripEdit) => edit.mutate(body);

  return (
    <div className="grid gap-4 lg:grid-cols-[1fr_20rem]">
      <section aria-label="Trip days" className="min-w-0">
        {state.outcome && (
          <div
            role={state.outcome.tone === "refused" ? "alert" : "status"}
            data-testid="trip-edit-outcome"
            className={`mb-3 rounded-md px-3 py-2 text-sm ${state.outcome.tone === "refused" ? "bg-red-50 text-red-800" : "bg-emerald-50 text-emerald-900"}`}
          >
            {state.outcome.text}
          </div>
        )}
        <PlanCard
          plan={plan}
          itemActions={
            draft
              ? (item) => (
                  <ItemControls
                    item={item}
                    tripId={id}
                    days={moveDays(plan, item)}
                    editing={state.editing}
                    pending={state.pending}
                    onOpen={(kind) =>
                      dispatch({ type: "open", editing: { kind, itemId: item.itemId, date: item.date } })
                    }
                    onEdit={send}
                  />
                )
              : undefined
          }
          dayActions={
            draft
              ? (day) =>
                  state.editing?.kind === "add" && state.editing.date === day.date ? (
                    <AddFromSearch
                      destinationId={plan.destination.id}
                      date={day.date}
                      guests={plan.booking.guests}
                      inTrip={plan.booking.items.map((line) => line.itemId)}
                      pending={state.pending}
                      onAdd={(itemId) => send(addEdit(itemId, day.date))}
                      onClose={() => dispatch({ type: "close" })}
                    />
                  ) : (
                    <button
                      type="button"
                      className={`${link} mt-2`}
                      onClick={() => dispatch({ type: "open", editing: { kind: "add", date: day.date } })}
                    >
                      + Add from search
                    </button>
                  )
              : undefined
          }
        />
      </section>
      <Card title="Your trip" className="h-fit lg:sticky lg:top-4">
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm" data-testid="trip-summary">
          <dt className="text-slate-500">Status</dt>
          <dd data-testid="trip-status">{statusLabel(status)}</dd>
          <dt className="text-slate-500">When</dt>
          <dd>
            {formatDay(plan.checkIn)} → {formatDay(plan.checkOut)}
          </dd>
          <dt className="text-slate-500">Total</dt>
          <dd className="font-semibold tabular-nums" data-testid="trip-total">
            {totalsOf(plan).total}
          </dd>
        </dl>
        {draft ? (
          <BookTrip plan={plan} tripId={id} />
        ) : (
          trip.data.bookingId && (
            <p className="mt-3 text-sm">
              <Link className="text-brand-700 underline" href={`/bookings/${trip.data.bookingId}`}>
                See the booking
              </Link>
            </p>
          )
        )}
      </Card>
    </div>
  );
}

/** Remove, Swap (three alternatives) and Move (another day, another time) under one item. */
function ItemControls({
  item,
  tripId,
  days,
  editing,
  pending,
  onOpen,
  onEdit,
}: {
  item: PlanItem;
  tripId: string;
  days: { date: string; label: string }[];
  editing: Parameters<typeof isEditing>[0];
  pending: boolean;
  onOpen: (kind: "swap" | "move") => void;
  onEdit: (edit: TripEdit) => void;
}) {
  const swapping = isEditing(editing, "swap", item);
  const moving = isEditing(editing, "move", item);
  return (
    <div className="mt-1" data-testid="item-controls">
      <div className="flex flex-wrap gap-1">
        {canSwap(item) && (
          <button type="button" className={link} aria-expanded={swapping} onClick={() => onOpen("swap")}>
            Swap
          </button>
        )}
        {canRemoveOrMove(item) && (
          <>
            <button type="button" className={link} aria-expanded={moving} onClick={() => onOpen("move")}>
              Move
            </button>
            <button
              type="button"
              className={`${link} text-red-700 hover:bg-red-50`}
              disabled={pending}
              onClick={() => onEdit(removeEdit(item))}
            >
              Remove
            </button>
          </>
        )}
      </div>
      {swapping && (
        <Alternatives tripId={tripId} item={item} pending={pending} onPick={(id) => onEdit(swapEdit(item, id))} />
      )}
      {moving && <MoveForm item={item} days={days} pending={pending} onMove={onEdit} />}
    </div>
  );
}

function Alternatives({
  tripId,
  item,
  pending,
  onPick,
}: {
  tripId: string;
  item: PlanItem;
  pending: boolean;
  onPick: (itemId: string) => void;
}) {
  const alternatives = useQuery({
    queryKey: ["trips", tripId, "alternatives", item.itemId, item.date],
    queryFn: () =>
      call(
        api.trips[":id"].alternatives.$get({ param: { id: tripId }, query: { itemId: item.itemId, date: item.date } }),
      ),
  });
  if (alternatives.isPending) return <p className="mt-1 text-xs text-slate-500">Finding alternatives…</p>;
  if (alternatives.isError) return <p className="mt-1 text-xs text-red-700">{describeError(alternatives.error)}</p>;
  if (alternatives.data.items.length === 0)
    return (
      <p className="mt-1 text-xs text-slate-600">No other {itemTypeLabel(item.type).toLowerCase()} is free that day.</p>
    );
  return (
    <ul className="mt-1 grid gap-1" aria-label={`Alternatives to ${item.name}`} data-testid="alternatives">
      {alternatives.data.items.map((alternative) => (
        <li
          key={alternative.id}
          className="flex items-center justify-between gap-2 rounded-md bg-slate-50 px-2 py-1 text-xs"
        >
          <span>
            <span className="font-medium">{alternative.name}</span>{" "}
            <span className="text-slate-500">
              · {formatMoney(alternative.price.amount)}{" "}
              {alternative.priceUnit === "offer" ? "" : `a ${alternative.priceUnit}`}
            </span>
          </span>
          <button type="button" className={link} disabled={pending} onClick={() => onPick(alternative.id)}>
            Swap for this
          </button>
        </li>
      ))}
    </ul>
  );
}

function MoveForm({
  item,
  days,
  pending,
  onMove,
}: {
  item: PlanItem;
  days: { date: string; label: string }[];
  pending: boolean;
  onMove: (edit: TripEdit) => void;
}) {
  const [toDate, setToDate] = useState(item.date);
  const [time, setTime] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <form
      className="mt-1 flex flex-wrap items-end gap-2 rounded-md bg-slate-50 px-2 py-1.5 text-xs"
      aria-label={`Move ${item.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        const move = moveEdit(item, toDate, time);
        if ("problem" in move) setProblem(move.problem);
        else {
          setProblem(null);
          onMove(move.edit);
        }
      }}
    >
      <label className="grid gap-0.5">
        Day
        <select
          className="rounded border border-slate-300 px-1 py-0.5"
          value={toDate}
          onChange={(e) => setToDate(e.target.value)}
        >
          {days.map((day) => (
            <option key={day.date} value={day.date}>
              {day.label}
            </option>
          ))}
        </select>
      </label>
      <label className="grid gap-0.5">
        Time (optional)
        <input
          type="time"
          step={900}
          className="rounded border border-slate-300 px-1 py-0.5"
          value={time}
          onChange={(e) => setTime(e.target.value)}
        />
      </label>
      <Button type="submit" variant="secondary" className="px-2 py-1 text-xs" disabled={pending}>
        Move it
      </Button>
      {problem && (
        <p role="alert" className="w-full text-red-700">
          {problem}
        </p>
      )}
    </form>
  );
}

/**
 * A day's search to add from: activities, restaurants, or flights that day (from an airport: a live supplier's offers
 * for the trip's party come first when one is configured).
 */
function AddFromSearch({
  destinationId,
  date,
  guests,
  inTrip,
  pending,
  onAdd,
  onClose,
}: {
  destinationId: string;
  date: string;
  guests: number;
  inTrip: string[];
  pending: boolean;
  onAdd: (itemId: string) => void;
  onClose: () => void;
}) {
  const [text, setText] = useState("");
  const [type, setType] = useState<"activity" | "restaurant" | "flight">("activity");
  const [from, setFrom] = useState("");
  const origin = type === "flight" && /^[A-Za-z]{3}$/.test(from.trim()) ? from.trim().toUpperCase() : undefined;
  const results = useQuery({
    queryKey: ["catalog", "search", destinationId, date, type, text, origin, guests],
    queryFn: () =>
      call(
        api.catalog.search.$get({
          query: {
            destination: destinationId,
            type,
            checkIn: date,
            sort: "rating_desc",
            limit: "8",
            ...(text.trim() ? { q: text.trim() } : {}),
            ...(type === "flight" ? { guests: String(guests), ...(origin ? { origin } : {}) } : {}),
          },
        }),
      ),
  });
  const found = results.data?.items.filter((item) => !inTrip.includes(item.id)) ?? [];
  return (
    <div className="mt-2 grid gap-2 rounded-md bg-slate-50 p-2 text-xs" data-testid="add-from-search">
      <div className="flex flex-wrap items-end gap-2">
        <label className="grid gap-0.5">
          Search
          <input
            className="rounded border border-slate-300 px-1 py-0.5"
            placeholder="e.g. fado, museum"
            value={text}
            maxLength={100}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <label className="grid gap-0.5">
          Kind
          <select
            className="rounded border border-slate-300 px-1 py-0.5"
            value={type}
            onChange={(e) => setType(e.target.value as "activity" | "restaurant" | "flight")}
          >
            <option value="activity">Activities</option>
            <option value="restaurant">Restaurants</option>
            <option value="flight">Flights</option>
          </select>
        </label>
        {type === "flight" && (
          <label className="grid gap-0.5">
            From (airport code)
            <input
              className="w-20 rounded border border-slate-300 px-1 py-0.5 uppercase"
              placeholder="e.g. JFK"
              value={from}
              maxLength={3}
              onChange={(e) => setFrom(e.target.value)}
            />
          </label>
        )}
        <button type="button" className={link} onClick={onClose}>
          Close
        </button>
      </div>
      {results.isPending && <p className="text-slate-500">Searching…</p>}
      {results.isError && <p className="text-red-700">{describeError(results.error)}</p>}
      {results.isSuccess && found.length === 0 && <p className="text-slate-600">Nothing free that day matches.</p>}
      <ul className="grid gap-1" aria-label={`Found for ${formatDay(date)}`}>
        {found.map((item) => (
          <li key={item.id} className="flex items-center justify-between gap-2">
            <span>
              <span className="font-medium">{item.name}</span>{" "}
              <span className="text-slate-500">· {formatMoney(item.price.amount)}</span>
            </span>
            <button type="button" className={link} disabled={pending} onClick={() => onAdd(item.id)}>
              Add
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
