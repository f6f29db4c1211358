/**
 * Conversations through the HTTP API, on both databases: each follow-up changes only what it says and keeps the rest,
 * signed out (the visitor holds the conversation's id; it expires and stays small) and signed in (it survives a
 * reload, and a visitor's conversation becomes the traveller's on signing in).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { addDays } from "../src/catalog/dates.js";
import { VISITOR_CONVERSATION_TTL_MS, VISITOR_MAX_TURNS } from "../src/planner/service.js";
import { call, createTestApp, signIn, testAccount, type TestApp } from "./helpers/app.js";
import { testClock } from "./helpers/clock.js";
import { DRIVERS } from "./helpers/databases.js";
import { futureDay, LISBON } from "./helpers/trips.js";

type Json = Record<string, any>;

/** What a plan says about the trip, for "what changed and what stayed". */
const facts = (plan: Json) => ({
  destination: plan.destination.id,
  checkIn: plan.checkIn,
  checkOut: plan.checkOut,
  nights: plan.nights,
  guests: plan.guests,
  budget: plan.budget,
  interests: [...plan.interests].sort(),
  pace: plan.pace,
});

/** Activities on each full day (neither the arrival nor the departure day). */
const activitiesOnFullDays = (plan: Json): number[] =>
  plan.days.slice(1, -1).map((day: Json) => day.items.filter((item: Json) => item.type === "activity").length);
const sum = (counts: number[]) => counts.reduce((a, b) => a + b, 0);

describe.each(DRIVERS)("planner conversations (%s)", (driver) => {
  let t: TestApp;
  let token: string;
  // The app's clock, moved forward to expire visitors' conversations.
  let ahead = 0;

  beforeAll(async () => {
    t = await createTestApp(driver, { now: () => new Date(testClock().getTime() + ahead) });
    token = await signIn(t.app, testAccount(6));
  });
  afterAll(() => t.close());

  /** Sends one turn; returns the answer. */
  async function say(
    text: string,
    options: { conversationId?: string; token?: string; newConversation?: boolean } = {},
  ) {
    const body: Json = { text };
    if (options.conversationId) body.conversationId = options.conversationId;
    if (options.newConversation) body.newConversation = true;
    const response = await call(t.app, "POST", "/planner/plan", { body, token: options.token });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  }

  /** A turn that must be a plan; returns its facts and the conversation's id. */
  async function planned(
    text: string,
    options: { conversationId?: string; token?: string; newConversation?: boolean } = {},
  ) {
    const answer = await say(text, options);
    expect(answer.status, answer.reply).toBe("plan");
    return { facts: facts(answer.plan), conversationId: answer.conversationId as string, plan: answer.plan };
  }

  it("signed out, follow-ups change only what they say", async () => {
    const start = futureDay(40);
    const first = await planned(`4 nights in Lisbon from ${start} for 2, we love food, under $3,000`);
    expect(first.conversationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.facts).toMatchObject({ destination: LISBON, checkIn: start, nights: 4, guests: 2 });
    expect(first.facts.budget).toMatchObject({ amount: "3000.00", currency: "USD" });
    const conversationId = first.conversationId;

    const shorter = await planned("make it 2 nights", { conversationId });
    expect(shorter.conversationId).toBe(conversationId);
    expect(shorter.facts).toEqual({ ...first.facts, nights: 2, checkOut: addDays(start, 2) });

    // The reported bug: the party changed and the length went back to 4 nights.
    const party = await planned("actually we are 3 people", { conversationId });
    expect(party.facts).toEqual({ ...shorter.facts, guests: 3 });

    const later = futureDay(60);
    const moved = await planned(`move it to ${later}`, { conversationId });
    expect(moved.facts).toEqual({ ...party.facts, checkIn: later, checkOut: addDays(later, 2) });

    const porto = await planned("let's do Porto instead", { conversationId });
    expect(porto.facts).toEqual({ ...moved.facts, destination: porto.plan.destination.id });
    expect(porto.plan.destination.name).toBe("Porto");
  });

  it("signed out, budget and interests change when said and stay otherwise", async () => {
    const start = futureDay(45);
    const first = await planned(`3 nights in Lisbon from ${start} for 2 with museums and food`);
    const conversationId = first.conversationId;
    expect(first.facts.interests.length).toBeGreaterThanOrEqual(2);

    const budget = await planned("our budget is €2,000", { conversationId });
    expect(budget.facts).toEqual({ ...first.facts, budget: expect.objectContaining({ amount: "2000.00" }) });
    expect(budget.facts.budget.currency).toBe("EUR");

    const noMuseums = await planned("no museums please", { conversationId });
    const museums = first.facts.interests.filter((i: string) => !noMuseums.facts.interests.includes(i));
    expect(museums.length).toBeGreaterThanOrEqual(1);
    expect(noMuseums.facts).toEqual({ ...budget.facts, interests: noMuseums.facts.interests });

    const noBudget = await planned("forget the budget", { conversationId });
    expect(noBudget.facts).toEqual({ ...noMuseums.facts, budget: null });
  });

  it.each([
    ["signed out", false],
    ["signed in", true],
  ])("%s, the pace changes only the pace, and every day shows it", async (_, signedIn) => {
    const who = signedIn ? { token } : {};
    const start = futureDay(48);
    const first = await planned(`5 nights in Lisbon from ${start} for 2, food and history`, {
      ...who,
      newConversation: signedIn,
    });
    expect(first.facts.pace).toBe("balanced");
    const conversationId = first.conversationId;

    const relaxed = await planned("make it more relaxed", { ...who, conversationId });
    expect(relaxed.facts).toEqual({ ...first.facts, pace: "relaxed" });
    expect(Math.max(...activitiesOnFullDays(relaxed.plan))).toBe(1);
    expect(relaxed.plan.summary).toContain("relaxed pace");

    const packed = await planned("actually we want it packed", { ...who, conversationId });
    expect(packed.facts).toEqual({ ...first.facts, pace: "packed" });
    expect(Math.max(...activitiesOnFullDays(packed.plan))).toBe(3);
    expect(sum(activitiesOnFullDays(packed.plan))).toBeGreaterThan(sum(activitiesOnFullDays(first.plan)));
    expect(sum(activitiesOnFullDays(first.plan))).toBeGreaterThan(sum(activitiesOnFullDays(relaxed.plan)));

    // Other follow-ups keep the pace.
    const party = await planned("we are 3 people now", { ...who, conversationId });
    expect(party.facts).toEqual({ ...packed.facts, guests: 3 });
    const shorter = await planned("make it 4 nights", { ...who, conversationId });
    expect(shorter.facts).toEqual({ ...party.facts, nights: 4, checkOut: addDays(start, 4) });

    const balanced = await planned("a normal pace please", { ...who, conversationId });
    expect(balanced.facts).toEqual({ ...shorter.facts, pace: "balanced" });
  });

  it("signed out, a name several places share is asked about and the answer picks one", async () => {
    const start = futureDay(50);
    const asked = await say(`3 nights in Córdoba from ${start} for 2`);
    expect(asked).toMatchObject({ status: "clarification", missing: ["destination"] });
    expect(asked.reply).toContain("Which Córdoba do you mean");
    const spain = await planned("Spain", { conversationId: asked.conversationId });
    expect(spain.plan.destination).toMatchObject({ name: "Córdoba", country: "ES" });
    expect(spain.facts).toMatchObject({ checkIn: start, nights: 3, guests: 2 });
  });

  it("a visitor's conversation is read back by its id, kept small, and expires", async () => {
    const start = futureDay(40);
    const { conversationId } = await planned(`2 nights in Lisbon from ${start}`);
    for (let n = 0; n < VISITOR_MAX_TURNS + 3; n++)
      await planned(n % 2 ? "make it 3 nights" : "make it 2 nights", { conversationId });

    const read = await call(t.app, "GET", `/planner/conversations/${conversationId}`);
    expect(read.status).toBe(200);
    expect(read.body.turns).toHaveLength(VISITOR_MAX_TURNS);
    expect(read.body.turns.at(-1).result.plan.nights).toBe(2);
    expect(Date.parse(read.body.expiresAt) - Date.parse(read.body.updatedAt)).toBe(VISITOR_CONVERSATION_TTL_MS);

    // A signed-in traveller's conversation is nobody else's: a visitor with its id starts afresh.
    const own = await planned(`2 nights in Lisbon from ${start}`, { token });
    expect((await call(t.app, "GET", `/planner/conversations/${own.conversationId}`)).status).toBe(404);
    const intruder = await say("make it 5 nights", { conversationId: own.conversationId });
    expect(intruder).toMatchObject({ status: "clarification", missing: ["destination"] });
    expect(intruder.conversationId).not.toBe(own.conversationId);

    ahead = VISITOR_CONVERSATION_TTL_MS + 60_000;
    try {
      expect((await call(t.app, "GET", `/planner/conversations/${conversationId}`)).status).toBe(404);
      const after = await say("make it 4 nights", { conversationId });
      expect(after).toMatchObject({ status: "clarification", missing: ["destination"] });
      expect(after.conversationId).not.toBe(conversationId);
    } finally {
      ahead = 0;
    }
  });

  it("signed in, follow-ups build on the latest conversation, which survives a reload", async () => {
    const start = futureDay(42);
    const first = await planned(`a week in Lisbon from ${start} for 2`, { token: token });
    const fresh = await call(t.app, "POST", "/planner/plan", {
      token,
      body: { text: `3 nights in Lisbon from ${start}`, newConversation: true },
    });
    const conversationId = fresh.body.conversationId as string;
    expect(conversationId).not.toBe(first.conversationId);

    // No id sent: the latest conversation continues (as after a reload).
    const party = await planned("we are 4 people", { token });
    expect(party.conversationId).toBe(conversationId);
    expect(party.facts).toMatchObject({ nights: 3, guests: 4, checkIn: start });
    const longer = await planned("make it 5 nights", { token });
    expect(longer.facts).toEqual({ ...party.facts, nights: 5, checkOut: addDays(start, 5) });

    const listed = await call(t.app, "GET", "/planner/conversations", { token });
    expect(listed.body.conversations[0].id).toBe(conversationId);
    expect(listed.body.conversations[0].turns.map((turn: Json) => turn.request)).toEqual([
      `3 nights in Lisbon from ${start}`,
      "we are 4 people",
      "make it 5 nights",
    ]);
    const one = await call(t.app, "GET", `/planner/conversations/${conversationId}`, { token });
    expect(one.body).toMatchObject({ id: conversationId, expiresAt: null });
  });

  it("a visitor who signs in keeps their conversation, which becomes theirs", async () => {
    const start = futureDay(44);
    const visitor = await planned(`3 nights in Lisbon from ${start} for 2`);
    const traveller = await signIn(t.app, testAccount(7));
    const continued = await planned("make it 4 nights", { token: traveller, conversationId: visitor.conversationId });
    expect(continued.conversationId).toBe(visitor.conversationId);
    expect(continued.facts).toEqual({ ...visitor.facts, nights: 4, checkOut: addDays(start, 4) });
    const listed = await call(t.app, "GET", "/planner/conversations", { token: traveller });
    expect(listed.body.conversations.map((c: Json) => c.id)).toContain(visitor.conversationId);
    // Now theirs: no longer a visitor's to read.
    expect((await call(t.app, "GET", `/planner/conversations/${visitor.conversationId}`)).status).toBe(404);
  });
});
