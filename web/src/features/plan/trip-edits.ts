/**
 * Editing a saved trip on its day cards: which item is being changed and how (swap, move, add), the edit each choice
 * sends to POST /trips/{id}/edits, and what the re-priced answer changed. The API re-checks and re-prices every edit
 * (the same code prices quotes); this module only decides what to ask and how to say what happened.
 */
import type { InferRequestType, InferResponseType } from "hono/client";

import type { api, Plan, PlanItem } from "@/lib/api";
import { formatMoney } from "@/lib/format";

import { formatDay } from "./plan-format";

export type Trip = InferResponseType<(typeof api.trips)[":id"]["$get"], 200>;
export type TripEdit = InferRequestType<(typeof api.trips)[":id"]["edits"]["$post"]>["json"];

/** What the traveller has open on the day cards: one item's swap or move, or a day's search to add from. */
export type Editing = { kind: "swap" | "move"; itemId: string; date: string } | { kind: "add"; date: string } | null;

export type EditorAction =
  | { type: "open"; editing: Exclude<Editing, null> }
  | { type: "close" }
  | { type: "sent" }
  | { type: "applied"; before: Plan; after: Plan }
  | { type: "refused"; message: string };

export interface EditorState {
  editing: Editing;
  pending: boolean;
  /** What the last edit changed ("Total: $1,234.00 → $1,180.00"), or why it was refused. */
  outcome: { tone: "done" | "refused"; text: string } | null;
}

export const IDLE: EditorState = { editing: null, pending: false, outcome: null };

export function editorReducer(state: EditorState, action: EditorAction): EditorState {
  switch (action.type) {
    case "open":
      // The same control again closes it.
      return sameEditing(state.editing, action.editing)
        ? { ...state, editing: null }
        : { editing: action.editing, pending: false, outcome: null };
    case "close":
      return { ...state, editing: null };
    case "sent":
      return { ...state, pending: true, outcome: null };
    case "applied":
      return {
        editing: null,
        pending: false,
        outcome: { tone: "done", text: describeChange(action.before, action.after) },
      };
    case "refused":
      // The trip is as it was: the control stays open to try something else.
      return { ...state, pending: false, outcome: { tone: "refused", text: action.message } };
  }
}

function sameEditing(a: Editing, b: Exclude<Editing, null>): boolean {
  if (!a || a.kind !== b.kind || a.date !== b.date) return false;
  return a.kind === "add" || (b.kind !== "add" && a.itemId === b.itemId);
}

/** Whether an item's controls are open. */
export function isEditing(editing: Editing, kind: "swap" | "move", item: PlanItem): boolean {
  return editing?.kind === kind && editing.itemId === item.itemId && editing.date === item.date;
}

/** The hotel is booked for the whole stay: it can be swapped, never removed or moved. */
export const canRemoveOrMove = (item: PlanItem) => item.type !== "hotel" && item.type !== "flight";
export const canSwap = (item: PlanItem) => item.type !== "flight";

export function removeEdit(item: PlanItem): TripEdit {
  return { op: "remove", itemId: item.itemId, date: item.date };
}

export function swapEdit(item: PlanItem, withItemId: string): TripEdit {
  return { op: "swap", itemId: item.itemId, date: item.date, withItemId };
}

export function addEdit(itemId: string, date: string): TripEdit {
  return { op: "add", itemId, date };
}

/**
 * A move to another day, another time, or both; an empty time leaves the time to the day's timetable. Returns the
 * edit, or a sentence saying what is missing.
 */
export function moveEdit(item: PlanItem, toDate: string, time: string): { edit: TripEdit } | { problem: string } {
  const at = time.trim();
  if (at !== "" && !/^([01]\d|2[0-3]):[0-5]\d$/.test(at)) return { problem: "Give the time as HH:MM, e.g. 18:30." };
  const sameDay = toDate === item.date;
  if (sameDay && (at === "" || at === item.time))
    return { problem: `It is already on ${formatDay(item.date)}${at ? ` at ${at}` : ""}: pick another day or time.` };
  return {
    edit: {
      op: "move",
      itemId: item.itemId,
      date: item.date,
      ...(sameDay ? {} : { toDate }),
      ...(at ? { time: at } : {}),
    },
  };
}

/** The days an item can move to, each labelled, the one it is on first marked. */
export function moveDays(plan: Plan, item: PlanItem): { date: string; label: string }[] {
  return plan.days.map((day, index) => ({
    date: day.date,
    label: `Day ${index + 1} · ${formatDay(day.date)}${day.date === item.date ? " (now)" : ""}`,
  }));
}

/** What an edit changed, as the page says it: the items that came and went, then the new total. */
export function describeChange(before: Plan, after: Plan): string {
  const key = (item: PlanItem) => `${item.itemId}@${item.date}`;
  const items = (plan: Plan) => plan.days.flatMap((day) => day.items);
  const was = new Map(items(before).map((item) => [key(item), item]));
  const now = new Map(items(after).map((item) => [key(item), item]));
  const parts: string[] = [];
  const gone = [...was.values()].filter((item) => !now.has(key(item)));
  const came = [...now.values()].filter((item) => !was.has(key(item)));
  for (const item of came) {
    const moved = gone.find((g) => g.itemId === item.itemId);
    if (moved) parts.push(`${item.name} moved to ${formatDay(item.date)} at ${item.time}`);
    else parts.push(`${item.name} added on ${formatDay(item.date)} at ${item.time}`);
  }
  for (const item of gone)
    if (!came.some((c) => c.itemId === item.itemId)) parts.push(`${item.name} removed from ${formatDay(item.date)}`);
  for (const item of now.values()) {
    const old = was.get(key(item));
    if (old && old.time !== item.time && item.fixedTime) parts.push(`${item.name} now at ${item.time}`);
  }
  const total = (plan: Plan) => formatMoney(plan.totals.total.amount);
  parts.push(
    before.totals.total.amount === after.totals.total.amount
      ? `Total unchanged: ${total(after)}`
      : `Total: ${total(before)} → ${total(after)}`,
  );
  return `${parts.join(". ")}.`;
}

/** A trip's status as the Trips page shows it. */
export function statusLabel(status: Trip["status"]): string {
  return { draft: "Draft", booked: "Booked", travelled: "Travelled" }[status];
}
