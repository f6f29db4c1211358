/**
 * The planner and recommendations over HTTP, on both databases: anonymous and signed-in planning, conversation
 * memory, the SSE stream, a plan booked as is through POST /bookings, interactions changing recommendations.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { addDays } from "../src/catalog/dates.js";
import { call, createTestApp, expectError, signIn, testAccount, type TestApp } from "./helpers/app.js";
import { DRIVERS } from "./helpers/databases.js";
import { parseSse } from "./helpers/sse.js";
import { LISBON, STABLECOIN, availableItems, futureDay } from "./helpers/trips.js";

type Json = Record<string, any>;

describe.each(DRIVERS)("planner API (%s)", (driver) => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp(driver);
    token = await signIn(t.app, testAccount(5));
  });
  afterAll(() => t.close());

  it("plans anonymously, in a visitor's conversation; rejects an empty request naming the field", async () => {
    const { status, body } = await call(t.app, "POST", "/planner/plan", { body: { text: "3 days in Lisbon for 2" } });
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "plan", source: "offline", fallback: null });
    expect(body.conversationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.plan.destination.id).toBe(LISBON);
    expect(body.plan.guests).toBe(2);
    const bad = expectError(await call(t.app, "POST", "/planner/plan", { body: { text: " " } }));
    expect(bad).toMatchObject({ status: 400, code: "validation_failed", hasShape: true });
    expect(bad.message).toContain("body.text");
  });

  it("remembers a signed-in traveller's conversation, lists it and forgets it", async () => {
    const first = await call(t.app, "POST", "/planner/plan", { token, body: { text: "a trip to Lisbon" } });
    expect(first.body).toMatchObject({ status: "clarification", missing: ["dates"] });
    const conversationId = first.body.conversationId as string;
    expect(conversationId).toMatch(/^[0-9a-f-]{36}$/);

    const checkIn = futureDay(50);
    const second = await call(t.app, "POST", "/planner/plan", {
      token,
      body: {
        text: `from ${checkIn} to ${addDays(checkIn, 3)} for two, we love food`,
        profile: { dietary: ["vegetarian"] },
      },
    });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ status: "plan", conversationId });
    expect(second.body.plan.destination.id).toBe(LISBON);
    expect(second.body.plan).toMatchObject({ checkIn, checkOut: addDays(checkIn, 3), guests: 2 });
    expect(second.body.plan.interests).toContain("food");

    // Bookable as is: the plan's booking body (plus a payment token) is accepted by POST /bookings at the same price.
    const booked = await call(t.app, "POST", "/bookings", {
      token,
      body: { ...second.body.plan.booking, paymentToken: STABLECOIN },
    });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    expect(booked.body.booking.pricing.subtotal.amount).toBe(second.body.plan.totals.total.amount);

    const listed = await call(t.app, "GET", "/planner/conversations", { token });
    expect(listed.status).toBe(200);
    expect(listed.body.conversations).toHaveLength(1);
    expect(listed.body.conversations[0].turns.map((turn: Json) => turn.result.status)).toEqual([
      "clarification",
      "plan",
    ]);

    const fresh = await call(t.app, "POST", "/planner/plan", {
      token,
      body: { text: "3 days", newConversation: true },
    });
    expect(fresh.body).toMatchObject({ status: "clarification", missing: ["destination"] });
    expect(fresh.body.conversationId).not.toBe(conversationId);

    const deleted = await call(t.app, "DELETE", `/planner/conversations?id=${conversationId}`, { token });
    expect(deleted.body).toEqual({ deleted: 1 });
    const rest = await call(t.app, "DELETE", "/planner/conversations", { token });
    expect(rest.body).toEqual({ deleted: 1 });
    expect((await call(t.app, "GET", "/planner/conversations", { token })).body.conversations).toEqual([]);
    expect(expectError(await call(t.app, "GET", "/planner/conversations")).status).toBe(401);
    const unknown = await call(t.app, "POST", "/planner/plan", {
      token,
      body: { text: "3 days in Rome", conversationId: "00000000-0000-4000-8000-000000000000" },
    });
    expect(expectError(unknown)).toMatchObject({ status: 404, code: "not_found" });
  });

  it("streams progress, each day, then the result", async () => {
    const response = await t.app.request("/planner/plan/stream", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "4 days in Rome for 2" }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const events = parseSse(await response.text());
    const kinds = events.map((e) => e.event);
    expect(kinds.filter((k) => k === "status").length).toBeGreaterThan(2);
    expect(kinds.filter((k) => k === "day")).toHaveLength(4);
    expect(kinds.at(-1)).toBe("result");
    const result = events.at(-1)!.data;
    expect(result.status).toBe("plan");
    expect(events.filter((e) => e.event === "day").map((e) => e.data.day)).toEqual(result.plan.days);
  });

  it("recommends popular items to a new traveller, then learns from what they book", async () => {
    const traveller = await signIn(t.app, testAccount(6));
    const activityCategory = (entry: Json) => entry.item.details.category as string;

    const before = await call(t.app, "GET", "/recommendations?type=activity&limit=20", { token: traveller });
    expect(before.status).toBe(200);
    expect(before.body.personalised).toBe(false);
    expect(before.body.embedder).toBe("hashing");
    expect(before.body.items).toHaveLength(20);
    expect(before.body.items[0].reason).toMatch(/^Popular in /);
    const outdoorsBefore = before.body.items.filter((e: Json) => activityCategory(e) === "outdoors").length;

    // Books three outdoors activities (hikes, bike tours) in different cities.
    const outdoors = (
      await call(t.app, "GET", "/catalog/search?type=activity&q=outdoors&limit=3", { token: traveller })
    ).body.items as Json[];
    expect(outdoors).toHaveLength(3);
    for (const item of outdoors) {
      const recorded = await call(t.app, "POST", "/interactions", {
        token: traveller,
        body: { itemId: item.id, kind: "book" },
      });
      expect(recorded.status).toBe(201);
      expect(recorded.body).toMatchObject({ itemId: item.id, kind: "book", destinationId: item.destination.id });
    }

    const after = await call(t.app, "GET", "/recommendations?type=activity&limit=20", { token: traveller });
    expect(after.body.personalised).toBe(true);
    const outdoorsAfter = after.body.items.filter((e: Json) => activityCategory(e) === "outdoors").length;
    expect(outdoorsAfter).toBeGreaterThanOrEqual(18);
    expect(outdoorsAfter).toBeGreaterThan(outdoorsBefore + 10);
    expect(after.body.items[0].reason).toMatch(/^Because you booked /);
    expect(after.body.items[0].score).toBeGreaterThan(0.8);

    // In one destination, on given dates: outdoors first, and everything bookable in the window.
    const checkIn = futureDay(30);
    const checkOut = addDays(checkIn, 2);
    const lisbon = await call(
      t.app,
      "GET",
      `/recommendations?destination=${LISBON}&checkIn=${checkIn}&checkOut=${checkOut}&limit=30`,
      { token: traveller },
    );
    const items = lisbon.body.items as Json[];
    expect(items.every((e) => e.item.destination.id === LISBON)).toBe(true);
    // Outdoors first whenever an outdoors activity is free in the window (on some days none is).
    const outdoorsFree = (await availableItems(t.app, "activity", checkIn, checkOut)).filter(
      (i) => (i as Json).details.category === "outdoors",
    );
    if (outdoorsFree.length > 0) expect(items[0].item.details.category).toBe("outdoors");
    else expect(items.some((e) => e.item.details.category === "outdoors")).toBe(false);
    for (const entry of items) {
      const query = new URLSearchParams({
        destination: LISBON,
        type: entry.item.type,
        checkIn,
        checkOut,
        limit: "100",
      });
      const search = await call(t.app, "GET", `/catalog/search?${query}`);
      expect(search.body.items.map((i: Json) => i.id)).toContain(entry.item.id);
    }
    const scores = items.map((e) => e.score as number);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);

    // The planner uses the same signal: an outdoors-loving traveller's plan leads with outdoors when one is free on
    // the first day, and says so when none is (the calendar suite checks both on chosen days).
    const plan = await call(t.app, "POST", "/planner/plan", {
      token: traveller,
      body: { text: `3 days in Lisbon from ${checkIn}` },
    });
    const firstActivity = plan.body.plan.days[0].items.find((i: Json) => i.type === "activity");
    const outdoorsOnDayOne = (await availableItems(t.app, "activity", checkIn, addDays(checkIn, 1))).filter(
      (i) => (i as Json).details.category === "outdoors",
    );
    if (outdoorsOnDayOne.length > 0) {
      expect(outdoorsOnDayOne.map((i) => i.id)).toContain(firstActivity.itemId);
      expect(firstActivity.why).toMatch(/close to what you liked before \(outdoors\)/);
    } else {
      expect(plan.body.plan.assumptions).toContainEqual(
        expect.stringMatching(/^No outdoors activity, which you liked/),
      );
    }
  });

  it("validates interactions and recommendation filters", async () => {
    expect(
      expectError(await call(t.app, "POST", "/interactions", { body: { itemId: "x", kind: "like" } })).status,
    ).toBe(401);
    expect(
      expectError(await call(t.app, "POST", "/interactions", { token, body: { itemId: "demo-nope", kind: "like" } })),
    ).toMatchObject({ status: 422, code: "item_not_found" });
    expect(
      expectError(await call(t.app, "POST", "/interactions", { token, body: { itemId: "demo-nope", kind: "love" } })),
    ).toMatchObject({ status: 400, code: "validation_failed" });
    expect(expectError(await call(t.app, "GET", "/recommendations?destination=atlantis", { token }))).toMatchObject({
      status: 400,
      message: "query.destination: unknown destination",
    });
    expect(expectError(await call(t.app, "GET", "/recommendations?checkOut=2031-01-01", { token })).message).toBe(
      "query.checkIn: is required with checkOut",
    );
  });
});
