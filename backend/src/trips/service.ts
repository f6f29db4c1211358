/**
 * Saved trips: a signed-in traveller's plans, kept as drafts to edit (remove, swap, move, add an item), then booked,
 * then travelled. Every edit re-assembles the plan through the planner's checker (catalog items, availability,
 * opening hours, budget) and prices it with the bookings' own pricing, so a trip is always bookable as shown.
 */
import { randomUUID } from "node:crypto";

import { and, asc, desc, eq } from "drizzle-orm";

import type { Catalog } from "../catalog/service.js";
import type { CatalogItem } from "../catalog/types.js";
import { today as todayOf, type Clock } from "../clock.js";
import { schema, type Db } from "../db/index.js";
import { ApiError, notFound } from "../http/errors.js";
import { assemblePlan, type PlanSpec } from "../planner/assemble.js";
import type { Plan } from "../planner/types.js";

export type TripStatus = "draft" | "booked" | "travelled";

export interface Trip {
  id: string;
  status: TripStatus;
  plan: Plan;
  bookingId: string | null;
  conversationId: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * One change to a draft's items; an item is named by its id and its day (the same activity may be on two days). A move
 * goes to another day (`toDate`), to a time the traveller chooses (`time`, kept by the timetable), or both; moved to
 * another day without a time, the day's timetable places it.
 */
export type TripEdit =
  | { op: "remove"; itemId: string; date: string }
  | { op: "swap"; itemId: string; date: string; withItemId: string }
  | { op: "move"; itemId: string; date: string; toDate?: string; time?: string }
  | { op: "add"; itemId: string; date: string };

/** Alternatives offered for an item. */
export const ALTERNATIVES = 3;
/** Drafts a traveller keeps at most. */
export const MAX_TRIPS = 50;

const conflict = (code: string, message: string) => new ApiError(409, code, message);

type Row = typeof schema.trips.$inferSelect;

export class TripService {
  constructor(private readonly deps: { db: Db; catalog: Catalog; now: Clock }) {}

  private out(row: Row): Trip {
    const plan = row.plan as unknown as Plan;
    const status: TripStatus = !row.bookingId
      ? "draft"
      : plan.checkOut <= todayOf(this.deps.now)
        ? "travelled"
        : "booked";
    return {
      id: row.id,
      status,
      plan,
      bookingId: row.bookingId,
      conversationId: row.conversationId,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  private async row(address: string, id: string): Promise<Row> {
    const [row] = await this.deps.db
      .select()
      .from(schema.trips)
      .where(and(eq(schema.trips.id, id), eq(schema.trips.address, address)));
    if (!row) throw notFound("Trip");
    return row;
  }

  /** Checks a plan as the planner would and prices it as bookings do; a 409 names what does not fit. */
  private async assemble(spec: PlanSpec): Promise<Plan> {
    const assembled = await assemblePlan(this.deps.catalog, spec, todayOf(this.deps.now));
    if (!assembled.ok)
      throw conflict("trip_does_not_fit", `That does not fit the trip: ${assembled.problems.join("; ")}`);
    return assembled.plan;
  }

  async save(address: string, plan: Plan, conversationId?: string): Promise<Trip> {
    const { db } = this.deps;
    const count = await db.$count(schema.trips, eq(schema.trips.address, address));
    if (count >= MAX_TRIPS) throw conflict("too_many_trips", `You can keep ${MAX_TRIPS} trips; delete one first`);
    const checked = await this.assemble(
      specOf(
        plan,
        plan.booking.items.map((line) => ({ ...line })),
      ),
    );
    const now = this.deps.now();
    const id = randomUUID();
    await db.transaction(async (tx) => {
      await tx.insert(schema.users).values({ address }).onConflictDoNothing();
      await tx.insert(schema.trips).values({
        id,
        address,
        plan: { ...checked, summary: plan.summary } as unknown as Record<string, unknown>,
        conversationId: conversationId ?? null,
        createdAt: now,
        updatedAt: now,
      });
    });
    return this.get(address, id);
  }

  async list(address: string): Promise<Trip[]> {
    const rows = await this.deps.db
      .select()
      .from(schema.trips)
      .where(eq(schema.trips.address, address))
      .orderBy(desc(schema.trips.updatedAt), asc(schema.trips.id))
      .limit(MAX_TRIPS);
    return rows.map((row) => this.out(row));
  }

  async get(address: string, id: string): Promise<Trip> {
    return this.out(await this.row(address, id));
  }

  async remove(address: string, id: string): Promise<void> {
    const row = await this.row(address, id);
    if (row.bookingId) throw conflict("trip_booked", "A booked trip is kept; cancel its booking instead");
    await this.deps.db.delete(schema.trips).where(eq(schema.trips.id, id));
  }

  /** Applies one edit to a draft and re-prices it. */
  async edit(address: string, id: string, edit: TripEdit): Promise<Trip> {
    const row = await this.row(address, id);
    if (row.bookingId) throw conflict("trip_booked", "This trip is booked; plan a new one to change it");
    const plan = row.plan as unknown as Plan;
    const lines: Line[] = plan.booking.items.map((line) => ({ ...line }));
    const at = lines.findIndex((line) => line.itemId === edit.itemId && (line.date ?? plan.checkIn) === edit.date);
    if (edit.op !== "add" && at < 0) throw notFound(`Item ${edit.itemId} on ${edit.date}`);
    const hotel = at >= 0 && lines[at].date === undefined;
    if (edit.op === "add") lines.push({ itemId: edit.itemId, date: edit.date });
    else if (edit.op === "remove") {
      if (hotel) throw conflict("trip_needs_hotel", "A trip keeps its hotel; swap it for another instead");
      lines.splice(at, 1);
    } else if (edit.op === "move") {
      if (edit.toDate === undefined && edit.time === undefined)
        throw new ApiError(
          400,
          "validation_failed",
          "body.toDate or body.time: a move needs another day, a time or both",
          {
            fields: [
              { field: "toDate", message: "another day of the stay, or" },
              { field: "time", message: "a start time as HH:MM" },
            ],
          },
        );
      if (hotel) throw conflict("trip_needs_hotel", "The hotel is booked for the whole stay and cannot move");
      const why = plan.days
        .flatMap((day) => day.items)
        .find((i) => i.itemId === edit.itemId && i.date === edit.date)?.why;
      lines[at] = {
        itemId: edit.itemId,
        date: edit.toDate ?? edit.date,
        why,
        ...(edit.time !== undefined ? { time: edit.time, fixedTime: true } : { fixedTime: false }),
      };
    } else {
      const replacement = await this.deps.catalog.getItem(edit.withItemId);
      const current = await this.deps.catalog.getItem(edit.itemId);
      if (!replacement) throw notFound(`Item ${edit.withItemId}`);
      if (current && replacement.type !== current.type)
        throw conflict("not_the_same_kind", `${replacement.name} is a ${replacement.type}, not a ${current.type}`);
      lines[at] = hotel ? { itemId: replacement.id } : { itemId: replacement.id, date: edit.date };
    }
    const edited = await this.assemble(specOf(plan, lines));
    const summary = summaryOf(edited);
    const updated = { ...edited, summary };
    await this.deps.db
      .update(schema.trips)
      .set({ plan: updated as unknown as Record<string, unknown>, updatedAt: this.deps.now() })
      .where(eq(schema.trips.id, id));
    return this.get(address, id);
  }

  /**
   * Up to 3 catalog items of the same kind to swap for one of the trip's (an activity's own category first), free
   * on its day (a hotel: every night), in the destination, not already in the trip, that the trip would still fit
   * with (the day's timetable, the budget); best rated first.
   */
  async alternatives(address: string, id: string, itemId: string, date: string): Promise<CatalogItem[]> {
    const plan = (await this.get(address, id)).plan;
    const line = plan.booking.items.find((l) => l.itemId === itemId && (l.date ?? plan.checkIn) === date);
    if (!line) throw notFound(`Item ${itemId} on ${date}`);
    const item = await this.deps.catalog.getItem(itemId);
    if (!item) throw notFound(`Item ${itemId}`);
    const hotel = line.date === undefined;
    const { items } = await this.deps.catalog.search({
      destinationId: plan.destination.id,
      type: item.type,
      checkIn: hotel ? plan.checkIn : date,
      checkOut: hotel ? plan.checkOut : undefined,
      sort: "rating_desc",
      offset: 0,
      limit: 100,
    });
    const inTrip = new Set(plan.booking.items.map((l) => l.itemId));
    const category = (candidate: CatalogItem) =>
      candidate.details.kind === "activity" && item.details.kind === "activity"
        ? candidate.details.category === item.details.category
        : true;
    const candidates = items.filter((candidate) => !inTrip.has(candidate.id));
    const ordered = [...candidates.filter(category), ...candidates.filter((c) => !category(c))];
    // Only what the swap would leave bookable: inside that day's timetable and the budget.
    const fitting: CatalogItem[] = [];
    for (const candidate of ordered.slice(0, ALTERNATIVES * 5)) {
      const lines: Line[] = plan.booking.items.map((l) =>
        l === line ? (hotel ? { itemId: candidate.id } : { itemId: candidate.id, date }) : { ...l },
      );
      const swapped = await assemblePlan(this.deps.catalog, specOf(plan, lines), todayOf(this.deps.now));
      if (swapped.ok) fitting.push(candidate);
      if (fitting.length === ALTERNATIVES) break;
    }
    return fitting;
  }

  /** Records the booking made of a draft (POST /bookings with its `plan.booking`): the same items, the same stay. */
  async booked(address: string, id: string, bookingId: string): Promise<Trip> {
    const row = await this.row(address, id);
    const plan = row.plan as unknown as Plan;
    const { db } = this.deps;
    const [booking] = await db
      .select()
      .from(schema.bookings)
      .where(and(eq(schema.bookings.id, bookingId), eq(schema.bookings.traveller, address)));
    if (!booking) throw notFound("Booking");
    const items = await db
      .select({ itemId: schema.bookingItems.itemId })
      .from(schema.bookingItems)
      .where(eq(schema.bookingItems.bookingId, bookingId));
    const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
    if (!same(items.map((i) => i.itemId).sort(), plan.booking.items.map((i) => i.itemId).sort()))
      throw conflict("booking_differs", "That booking is not of this trip's items");
    await db.update(schema.trips).set({ bookingId, updatedAt: this.deps.now() }).where(eq(schema.trips.id, id));
    return this.get(address, id);
  }
}

/** A booking line being edited; a moved line says its own reason and whether its time is the traveller's. */
interface Line {
  itemId: string;
  date?: string;
  why?: string;
  time?: string;
  fixedTime?: boolean;
}

/**
 * A plan's items as the planner's checker takes them, with the lines given (edited): each keeps its reason and a time
 * the traveller chose, unless the edit said otherwise.
 */
function specOf(plan: Plan, lines: Line[]): PlanSpec {
  const itemOf = (line: Line) =>
    plan.days
      .flatMap((day) => day.items)
      .find((item) => item.itemId === line.itemId && (line.date === undefined || item.date === line.date));
  return {
    destinationId: plan.destination.id,
    checkIn: plan.checkIn,
    checkOut: plan.checkOut,
    guests: plan.guests,
    budget: plan.budget ? { amount: plan.budget.amount, currency: plan.budget.currency } : null,
    interests: plan.interests,
    pace: plan.pace,
    items: lines.map((line) => {
      const item = itemOf(line);
      const chosen =
        line.fixedTime !== undefined
          ? { time: line.time, fixedTime: line.fixedTime }
          : item?.fixedTime
            ? { time: item.time, fixedTime: true }
            : {};
      return { itemId: line.itemId, date: line.date, why: line.why ?? item?.why, ...chosen };
    }),
    summary: plan.summary,
  };
}

function summaryOf(plan: Plan): string {
  const count = plan.booking.items.length;
  return `Your trip to ${plan.destination.name}: ${plan.nights} night${plan.nights === 1 ? "" : "s"} for ${plan.guests}, ${count} booking${count === 1 ? "" : "s"}, $${Number(plan.totals.total.amount).toLocaleString("en-US")} in all.`;
}
