/**
 * Saved trips over HTTP, on both databases: a plan saved as a draft, edited on its day cards (swap for one of three
 * alternatives of the same kind, remove, move to another day, add from search), re-priced by the bookings' pricing
 * each time, reopened as left, then booked as edited (POST /bookings charges exactly the trip's total) and marked
 * booked, then travelled once its check-out day has come; nobody else sees it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { addDays } from "../src/catalog/dates.js";
import { TripService } from "../src/trips/service.js";
import { call, createTestApp, expectError, signIn, testAccount, type TestApp } from "./helpers/app.js";
import { DRIVERS } from "./helpers/databases.js";
import { futureDay, LISBON, STABLECOIN } from "./helpers/trips.js";

type Json = Record<string, any>;

const cents = (amount: string) => BigInt(amount.replace(".", ""));
/** The trip's total must be the sum of its items, each priced by the catalog for the party. */
function expectPricedByItems(plan: Json) {
  const items = plan.days.flatMap((day: Json) => day.items);
  const sum = items.reduce((total: bigint, item: Json) => total + cents(item.total.amount), 0n);
  expect(cents(plan.totals.total.amount)).toBe(sum);
  expect(items.length).toBe(plan.booking.items.length);
}

describe.each(DRIVERS)("trips (%s)", (driver) => {
  let t: TestApp;
  let token: string;
  let other: string;

  beforeAll(async () => {
    t = await createTestApp(driver);
    token = await signIn(t.app, testAccount(8));
    other = await signIn(t.app, testAccount(9));
  });
  afterAll(() => t.close());

  const edit = (id: string, body: Json) => call(t.app, "POST", `/trips/${id}/edits`, { token, body });

  it("saves a plan, edits it on its day cards, reopens it as left and books it as edited", async () => {
    const checkIn = futureDay(55);
    const planned = await call(t.app, "POST", "/planner/plan", {
      token,
      body: { text: `4 nights in Lisbon from ${checkIn} for 2, we like museums and food` },
    });
    expect(planned.body.status, planned.body.reply).toBe("plan");
    const saved = await call(t.app, "POST", "/trips", {
      token,
      body: { plan: planned.body.plan, conversationId: planned.body.conversationId },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    expect(saved.body).toMatchObject({ status: "draft", bookingId: null, conversationId: planned.body.conversationId });
    expect(saved.body.plan.totals.total).toEqual(planned.body.plan.totals.total);
    const id = saved.body.id as string;
    let plan = saved.body.plan as Json;

    // Swap: three alternatives of the same kind, free that day, none already in the trip. The demo inventory has
    // days with no other activity free, so the swap is tried on the first planned activity whose day has one.
    const inTrip = new Set(plan.booking.items.map((line: Json) => line.itemId));
    let activity: Json = {};
    let free: Json[] = [];
    for (const item of plan.days.flatMap((day: Json) => day.items).filter((i: Json) => i.type === "activity")) {
      const open = await call(
        t.app,
        "GET",
        `/catalog/search?destination=${LISBON}&type=activity&checkIn=${item.date}&limit=100`,
      );
      free = open.body.items.filter((other: Json) => !inTrip.has(other.id));
      activity = item;
      if (free.length > 0) break;
    }
    expect(activity.itemId, "the plan has an activity").toBeDefined();
    const alternatives = await call(
      t.app,
      "GET",
      `/trips/${id}/alternatives?itemId=${encodeURIComponent(activity.itemId)}&date=${activity.date}`,
      { token },
    );
    expect(alternatives.status).toBe(200);
    expect(free.length).toBeGreaterThan(0);
    // Free that day and fitting the day's timetable and the budget once swapped in: at most three.
    expect(alternatives.body.items.length).toBeGreaterThan(0);
    expect(alternatives.body.items.length).toBeLessThanOrEqual(Math.min(3, free.length));
    for (const alternative of alternatives.body.items) {
      expect(alternative.type).toBe("activity");
      expect(inTrip.has(alternative.id)).toBe(false);
    }
    const replacement = alternatives.body.items[0];
    const swapped = await edit(id, {
      op: "swap",
      itemId: activity.itemId,
      date: activity.date,
      withItemId: replacement.id,
    });
    expect(swapped.status, JSON.stringify(swapped.body)).toBe(200);
    plan = swapped.body.plan;
    const onDay = plan.days.find((day: Json) => day.date === activity.date).items.map((item: Json) => item.itemId);
    expect(onDay).toContain(replacement.id);
    expect(onDay).not.toContain(activity.itemId);
    expectPricedByItems(plan);

    // Remove: the item goes and the total drops by exactly its price.
    const dinner = plan.days.flatMap((day: Json) => day.items).find((item: Json) => item.type === "restaurant");
    const before = cents(plan.totals.total.amount);
    const removed = await edit(id, { op: "remove", itemId: dinner.itemId, date: dinner.date });
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    plan = removed.body.plan;
    expect(cents(plan.totals.total.amount)).toBe(before - cents(dinner.total.amount));
    expect(plan.booking.items).not.toContainEqual({ itemId: dinner.itemId, date: dinner.date });
    expectPricedByItems(plan);

    // Move the swapped-in activity to another day of the stay.
    const toDate = plan.days
      .map((day: Json) => day.date)
      .find((date: string) => date !== activity.date && date !== plan.checkOut);
    const moved = await edit(id, { op: "move", itemId: replacement.id, date: activity.date, toDate });
    if (moved.status === 200) {
      plan = moved.body.plan;
      expect(plan.booking.items).toContainEqual({ itemId: replacement.id, date: toDate });
    } else {
      // Closed that day: the answer says why, and the trip is unchanged.
      expect(moved.status).toBe(409);
      expect(moved.body.error.code).toBe("trip_does_not_fit");
    }

    // Add a restaurant found by search, on the day whose dinner was removed (a fourth meal would not fit a day).
    const day = dinner.date as string;
    const search = await call(
      t.app,
      "GET",
      `/catalog/search?destination=${LISBON}&type=restaurant&checkIn=${day}&sort=price_asc&limit=20`,
    );
    const extra = search.body.items.find((item: Json) => !plan.booking.items.some((l: Json) => l.itemId === item.id));
    const added = await edit(id, { op: "add", itemId: extra.id, date: day });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    plan = added.body.plan;
    expect(plan.booking.items).toContainEqual({ itemId: extra.id, date: day });
    expectPricedByItems(plan);

    // The hotel stays; an item not in the trip is named as missing; bad input names the field.
    const hotel = plan.days[0].items.find((item: Json) => item.type === "hotel");
    expect(expectError(await edit(id, { op: "remove", itemId: hotel.itemId, date: plan.checkIn })).code).toBe(
      "trip_needs_hotel",
    );
    expect((await edit(id, { op: "remove", itemId: "demo-nothing", date: day })).status).toBe(404);
    const bad = expectError(await edit(id, { op: "teleport", itemId: hotel.itemId, date: day }));
    expect(bad.status).toBe(400);

    // Reopened as it was left, on the list of trips; nobody else's to see.
    const reopened = await call(t.app, "GET", `/trips/${id}`, { token });
    expect(reopened.body.plan).toEqual(plan);
    const listed = await call(t.app, "GET", "/trips", { token });
    expect(listed.body.trips.map((trip: Json) => trip.id)).toContain(id);
    expect((await call(t.app, "GET", `/trips/${id}`, { token: other })).status).toBe(404);
    expect((await call(t.app, "GET", "/trips", { token: other })).body.trips).toEqual([]);

    // Booked as edited: POST /bookings prices the trip's booking at exactly the trip's total.
    const booked = await call(t.app, "POST", "/bookings", {
      token,
      body: { ...plan.booking, paymentToken: STABLECOIN },
    });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    expect(booked.body.booking.pricing.subtotal.amount).toBe(plan.totals.total.amount);
    const marked = await call(t.app, "POST", `/trips/${id}/booking`, {
      token,
      body: { bookingId: booked.body.booking.id },
    });
    expect(marked.status, JSON.stringify(marked.body)).toBe(200);
    expect(marked.body).toMatchObject({ status: "booked", bookingId: booked.body.booking.id });
    expect(expectError(await edit(id, { op: "remove", itemId: extra.id, date: day })).code).toBe("trip_booked");

    // Travelled once its check-out day has come, by the services' clock: booked the day before, travelled on it.
    const at = (date: string) =>
      new TripService({ ...t.services, now: () => new Date(`${date}T09:00:00Z`) }).get(testAccount(8).address, id);
    expect((await at(addDays(plan.checkOut, -1))).status).toBe("booked");
    expect((await at(plan.checkOut)).status).toBe("travelled");
    expect((await at(addDays(plan.checkOut, 30))).status).toBe("travelled");
  });

  it("moves an item to a time the traveller chooses, keeps that time through later edits, and says when it cannot", async () => {
    const planned = await call(t.app, "POST", "/planner/plan", {
      token,
      body: { text: `3 nights in Lisbon from ${futureDay(62)} for 2`, newConversation: true },
    });
    expect(planned.body.status, planned.body.reply).toBe("plan");
    const saved = await call(t.app, "POST", "/trips", { token, body: { plan: planned.body.plan } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    const id = saved.body.id as string;
    const plan = saved.body.plan as Json;
    const day = plan.days[1];
    const activity = day.items.find((item: Json) => item.type === "activity");
    const item = (await call(t.app, "GET", `/catalog/items/${encodeURIComponent(activity.itemId)}`)).body;
    const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3));
    const clock = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
    const opens = minutes(item.details.opens);

    // Before it opens: refused with the reason, the trip unchanged.
    const early = await edit(id, { op: "move", itemId: activity.itemId, date: day.date, time: clock(opens - 60) });
    expect(expectError(early).code).toBe("trip_does_not_fit");
    expect(early.body.error.message).toContain(`cannot start at ${clock(opens - 60)}`);
    expect((await call(t.app, "GET", `/trips/${id}`, { token })).body.plan).toEqual(plan);

    // Neither a day nor a time: 400 naming both fields.
    const neither = expectError(await edit(id, { op: "move", itemId: activity.itemId, date: day.date }));
    expect(neither.status).toBe(400);
    expect(neither.message).toMatch(/toDate.*time/);
    expect(
      expectError(await edit(id, { op: "move", itemId: activity.itemId, date: day.date, time: "9:5" })).status,
    ).toBe(400);

    // A time inside its hours that leaves room for the rest of the day: kept exactly, the others around it.
    let moved: Json | undefined;
    let chosen = "";
    for (let start = opens; start <= opens + 6 * 60 && !moved; start += 30) {
      if (clock(start) === activity.time) continue;
      const answer = await edit(id, { op: "move", itemId: activity.itemId, date: day.date, time: clock(start) });
      if (answer.status === 200) {
        moved = answer.body.plan;
        chosen = clock(start);
      } else expect(answer.body.error.code).toBe("trip_does_not_fit");
    }
    expect(moved, "some time in its opening hours fits the day").toBeDefined();
    const placed = (p: Json) => p.days.find((d: Json) => d.date === day.date).items;
    const pinned = placed(moved!).find((i: Json) => i.itemId === activity.itemId);
    expect(pinned).toMatchObject({ time: chosen, fixedTime: true });
    const timed = placed(moved!)
      .filter((i: Json) => i.endTime)
      .map((i: Json) => [
        minutes(i.time),
        minutes(i.endTime) < minutes(i.time) ? minutes(i.endTime) + 1440 : minutes(i.endTime),
      ])
      .sort((a: number[], b: number[]) => a[0] - b[0]);
    for (let i = 1; i < timed.length; i++) expect(timed[i][0]).toBeGreaterThanOrEqual(timed[i - 1][1]);
    expectPricedByItems(moved!);
    expect(moved!.totals.total).toEqual(plan.totals.total);

    // Another edit keeps the chosen time; moving it to another day without a time lets that day's timetable place it.
    const dinner = moved!.days.flatMap((d: Json) => d.items).find((i: Json) => i.type === "restaurant");
    const afterRemove = await edit(id, { op: "remove", itemId: dinner.itemId, date: dinner.date });
    expect(afterRemove.status, JSON.stringify(afterRemove.body)).toBe(200);
    expect(placed(afterRemove.body.plan).find((i: Json) => i.itemId === activity.itemId)).toMatchObject({
      time: chosen,
      fixedTime: true,
    });
    const elsewhere = await edit(id, {
      op: "move",
      itemId: activity.itemId,
      date: day.date,
      toDate: plan.days[2].date,
    });
    if (elsewhere.status === 200) {
      const there = elsewhere.body.plan.days[2].items.find((i: Json) => i.itemId === activity.itemId);
      expect(there.fixedTime).toBeUndefined();
    } else expect(elsewhere.body.error.code).toBe("trip_does_not_fit");
  });

  it("refuses a booking of other items, and needs a signed-in traveller", async () => {
    const planned = await call(t.app, "POST", "/planner/plan", {
      token,
      body: { text: `2 nights in Lisbon from ${futureDay(70)} for 2`, newConversation: true },
    });
    const saved = await call(t.app, "POST", "/trips", { token, body: { plan: planned.body.plan } });
    const otherPlan = await call(t.app, "POST", "/planner/plan", {
      token,
      body: { text: `3 nights in Lisbon from ${futureDay(80)} for 2`, newConversation: true },
    });
    const booked = await call(t.app, "POST", "/bookings", {
      token,
      body: { ...otherPlan.body.plan.booking, paymentToken: STABLECOIN },
    });
    expect(booked.status).toBe(201);
    const wrong = await call(t.app, "POST", `/trips/${saved.body.id}/booking`, {
      token,
      body: { bookingId: booked.body.booking.id },
    });
    expect(expectError(wrong).code).toBe("booking_differs");
    expect((await call(t.app, "GET", "/trips")).status).toBe(401);
  });
});
