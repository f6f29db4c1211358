/**
 * The profile as the planner's context, on both databases: the choices a profile page offers, and a saved profile
 * (interests, diet, budget, a mobility need) shaping a plan asked for without repeating any of it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { addDays } from "../src/catalog/dates.js";
import { call, createTestApp, signIn, testAccount, type TestApp } from "./helpers/app.js";
import { DRIVERS } from "./helpers/databases.js";
import { LISBON, futureDay } from "./helpers/trips.js";

type Json = Record<string, any>;

describe.each(DRIVERS)("profile and planner (%s)", (driver) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(driver);
  });
  afterAll(() => t.close());

  it("offers the planner's interests and the profile's lists, signed out too", async () => {
    const { status, body } = await call(t.app, "GET", "/me/profile/choices");
    expect(status).toBe(200);
    expect(body.interests.length).toBeGreaterThanOrEqual(80);
    expect(body.interests).toContainEqual({ id: "outdoors", label: "the outdoors" });
    expect(body.interests).toContainEqual({ id: "temples", label: "temples" });
    expect(body.dietary).toContain("vegetarian");
    expect(body.accessibility).toContain("wheelchair");
    expect(body.travelStyles).toContain("luxury");
  });

  it("plans with the saved interests and diet, and keeps to the saved budget", async () => {
    const token = await signIn(t.app, testAccount(11));
    const checkIn = futureDay(45);
    const plan = async (profile: Json) => {
      const saved = await call(t.app, "PUT", "/me/profile", { token, body: profile });
      expect(saved.status).toBe(200);
      const { status, body } = await call(t.app, "POST", "/planner/plan", {
        token,
        body: { text: `3 days in Lisbon from ${checkIn} for two`, newConversation: true },
      });
      expect(status).toBe(200);
      expect(body.status).toBe("plan");
      return body.plan as Json;
    };

    const unbounded = await plan({ interests: ["outdoors"], dietary: ["vegetarian"] });
    expect(unbounded).toMatchObject({
      destination: { id: LISBON },
      checkIn,
      checkOut: addDays(checkIn, 2),
      budget: null,
    });
    expect(unbounded.interests).toContain("outdoors");
    const restaurants = unbounded.days.flatMap((day: Json) => day.items).filter((i: Json) => i.type === "restaurant");
    expect(restaurants.length).toBeGreaterThan(0);
    for (const restaurant of restaurants) {
      const item = await call(t.app, "GET", `/catalog/items/${restaurant.itemId}`);
      expect(item.status).toBe(200);
      expect(item.body.details.dietaryOptions).toContain("vegetarian");
    }

    // A budget below what the unbounded plan costs: the planner fits under it.
    const budget = Math.floor(Number(unbounded.totals.total.amount) * 0.95);
    const bounded = await plan({
      interests: ["outdoors"],
      dietary: ["vegetarian"],
      budget: { perTrip: String(budget) },
    });
    expect(bounded.budget.usd).toBe(`${budget}.00`);
    expect(Number(bounded.totals.total.amount)).toBeLessThanOrEqual(budget);
    expect(bounded.interests).toContain("outdoors");
  });

  it("plans only step-free activities for a saved wheelchair need", async () => {
    const token = await signIn(t.app, testAccount(12));
    await call(t.app, "PUT", "/me/profile", { token, body: { accessibility: ["wheelchair"] } });
    const { body } = await call(t.app, "POST", "/planner/plan", {
      token,
      body: { text: `3 days in Lisbon from ${futureDay(60)}`, newConversation: true },
    });
    expect(body.status).toBe("plan");
    expect(body.plan.interests).toContain("accessibility");
    const activities = body.plan.days.flatMap((day: Json) => day.items).filter((i: Json) => i.type === "activity");
    expect(activities.length).toBeGreaterThan(0);
    for (const activity of activities) {
      const item = await call(t.app, "GET", `/catalog/items/${activity.itemId}`);
      expect(item.body.tags).toContain("step-free");
    }
  });
});
