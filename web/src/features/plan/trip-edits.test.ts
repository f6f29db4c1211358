import { describe, expect, it } from "vitest";

import type { Plan, PlanItem } from "@/lib/api";

import { LISBON_PLAN } from "./fixtures";
import {
  canRemoveOrMove,
  canSwap,
  describeChange,
  editorReducer,
  IDLE,
  isEditing,
  moveDays,
  moveEdit,
  removeEdit,
  statusLabel,
  swapEdit,
} from "./trip-edits";

const museum = LISBON_PLAN.days[0].items[0];
const hotel = LISBON_PLAN.days[0].items[1];

/** The fixture with its museum visit moved to another day and time, and the total re-priced. */
function edited(change: Partial<PlanItem>, total: string): Plan {
  return {
    ...LISBON_PLAN,
    days: LISBON_PLAN.days.map((day) => ({
      ...day,
      items: [
        ...day.items.filter((item) => item.itemId !== museum.itemId),
        ...((change.date ?? museum.date) === day.date ? [{ ...museum, ...change }] : []),
      ],
    })),
    totals: { ...LISBON_PLAN.totals, total: { amount: total, currency: "USD" } },
  };
}

describe("trip editing state", () => {
  it("opens one control at a time; the same control again closes it", () => {
    const swap = { kind: "swap" as const, itemId: museum.itemId, date: museum.date };
    const opened = editorReducer(IDLE, { type: "open", editing: swap });
    expect(opened.editing).toEqual(swap);
    expect(isEditing(opened.editing, "swap", museum)).toBe(true);
    expect(isEditing(opened.editing, "move", museum)).toBe(false);
    expect(isEditing(opened.editing, "swap", hotel)).toBe(false);

    const move = editorReducer(opened, { type: "open", editing: { ...swap, kind: "move" } });
    expect(move.editing).toEqual({ ...swap, kind: "move" });
    expect(editorReducer(move, { type: "open", editing: { ...swap, kind: "move" } }).editing).toBeNull();
    const add = editorReducer(IDLE, { type: "open", editing: { kind: "add", date: "2026-12-07" } });
    expect(editorReducer(add, { type: "open", editing: { kind: "add", date: "2026-12-07" } }).editing).toBeNull();
    expect(editorReducer(add, { type: "open", editing: { kind: "add", date: "2026-12-06" } }).editing).toEqual({
      kind: "add",
      date: "2026-12-06",
    });
  });

  it("says what an applied edit changed and closes the control; a refusal keeps it open with the reason", () => {
    const open = editorReducer(IDLE, {
      type: "open",
      editing: { kind: "move", itemId: museum.itemId, date: museum.date },
    });
    const sent = editorReducer(open, { type: "sent" });
    expect(sent.pending).toBe(true);

    const refused = editorReducer(sent, {
      type: "refused",
      message: "That does not fit the trip: Museum & gallery pass cannot start at 08:00",
    });
    expect(refused).toEqual({
      editing: open.editing,
      pending: false,
      outcome: { tone: "refused", text: "That does not fit the trip: Museum & gallery pass cannot start at 08:00" },
    });

    const after = edited({ date: "2026-12-07", time: "14:30", fixedTime: true }, "1281.50");
    const applied = editorReducer(sent, { type: "applied", before: LISBON_PLAN, after });
    expect(applied.editing).toBeNull();
    expect(applied.pending).toBe(false);
    expect(applied.outcome).toEqual({
      tone: "done",
      text: "Museum & gallery pass moved to Mon 7 Dec at 14:30. Total unchanged: $1,281.50.",
    });
  });

  it("describes removals, additions, a new time and the re-priced total", () => {
    const removed: Plan = {
      ...edited({}, "1203.50"),
      days: LISBON_PLAN.days.map((day) => ({ ...day, items: day.items.filter((i) => i.itemId !== museum.itemId) })),
    };
    expect(describeChange(LISBON_PLAN, removed)).toBe(
      "Museum & gallery pass removed from Sun 6 Dec. Total: $1,281.50 → $1,203.50.",
    );
    expect(describeChange(removed, LISBON_PLAN)).toBe(
      "Museum & gallery pass added on Sun 6 Dec at 10:00. Total: $1,203.50 → $1,281.50.",
    );
    expect(describeChange(LISBON_PLAN, edited({ time: "16:00", fixedTime: true }, "1281.50"))).toBe(
      "Museum & gallery pass now at 16:00. Total unchanged: $1,281.50.",
    );
  });

  it("builds each edit as POST /trips/{id}/edits takes it", () => {
    expect(removeEdit(museum)).toEqual({ op: "remove", itemId: museum.itemId, date: museum.date });
    expect(swapEdit(hotel, "demo-hotel-9")).toEqual({
      op: "swap",
      itemId: hotel.itemId,
      date: hotel.date,
      withItemId: "demo-hotel-9",
    });
    expect(moveEdit(museum, "2026-12-07", "")).toEqual({
      edit: { op: "move", itemId: museum.itemId, date: museum.date, toDate: "2026-12-07" },
    });
    expect(moveEdit(museum, museum.date, "17:45")).toEqual({
      edit: { op: "move", itemId: museum.itemId, date: museum.date, time: "17:45" },
    });
    expect(moveEdit(museum, "2026-12-07", "09:15")).toEqual({
      edit: { op: "move", itemId: museum.itemId, date: museum.date, toDate: "2026-12-07", time: "09:15" },
    });
    expect(moveEdit(museum, museum.date, "")).toEqual({
      problem: "It is already on Sun 6 Dec: pick another day or time.",
    });
    expect(moveEdit(museum, museum.date, museum.time)).toEqual({
      problem: "It is already on Sun 6 Dec at 10:00: pick another day or time.",
    });
    expect(moveEdit(museum, museum.date, "25:00")).toEqual({ problem: "Give the time as HH:MM, e.g. 18:30." });
  });

  it("offers every day of the trip to move to, and keeps the hotel in place", () => {
    expect(moveDays(LISBON_PLAN, museum)).toEqual([
      { date: "2026-12-06", label: "Day 1 · Sun 6 Dec (now)" },
      { date: "2026-12-07", label: "Day 2 · Mon 7 Dec" },
    ]);
    expect(canRemoveOrMove(museum)).toBe(true);
    expect(canRemoveOrMove(hotel)).toBe(false);
    expect(canSwap(hotel)).toBe(true);
    expect(canSwap({ ...museum, type: "flight" })).toBe(false);
  });

  it("names a trip's status", () => {
    expect(["draft", "booked", "travelled"].map((s) => statusLabel(s as "draft"))).toEqual([
      "Draft",
      "Booked",
      "Travelled",
    ]);
  });
});
