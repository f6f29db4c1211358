import { describe, expect, it } from "vitest";

import type { PlanResult } from "@/lib/api";

import { CANNOT, CLARIFICATION, LISBON_PLAN, PLAN_RESULT, VOICE } from "./fixtures";
import {
  latestPlan,
  pickSuggestion,
  planChanges,
  previousPlan,
  replyOf,
  turnsToMessages,
  voiceMessages,
  type Message,
} from "./messages";

describe("planner answers as conversation messages", () => {
  it("a plan is the planner's reply with the plan to show and book", () => {
    expect(replyOf(PLAN_RESULT)).toEqual({
      role: "assistant",
      status: "plan",
      text: PLAN_RESULT.reply,
      plan: LISBON_PLAN,
    });
  });

  it("a question back or a refusal is the reply alone, never a plan", () => {
    expect(replyOf(CLARIFICATION)).toEqual({ role: "assistant", status: "clarification", text: CLARIFICATION.reply });
    const cannot = replyOf(CANNOT);
    expect(cannot).toMatchObject({ status: "cannot", text: "I can't plan a trip to the moon." });
    expect(cannot).not.toHaveProperty("plan");
  });

  it("says when a provider failed and the offline one answered, without raw codes", () => {
    expect(replyOf(CANNOT).note).toBe(
      "The AI planner is unavailable right now (openai rejected the API key), so the offline planner answered.",
    );
    expect(replyOf(PLAN_RESULT).note).toBeUndefined();
  });

  it("a spoken request becomes what was heard, then the answer, with any recognition fallback said", () => {
    const [heard, answer] = voiceMessages(VOICE);
    expect(heard).toEqual({ role: "user", text: "plan a trip to lisbon for three days", via: "voice" });
    expect(answer).toMatchObject({ role: "assistant", status: "plan", plan: LISBON_PLAN });
    expect(answer).toHaveProperty(
      "note",
      "Speech recognition (Deepgram) is unavailable right now (deepgram cannot be reached), so the offline recogniser listened instead.",
    );
    const clean = voiceMessages({ ...VOICE, stt: { ...VOICE.stt, fallback: null } });
    expect(clean[1]).not.toHaveProperty("note");
  });

  it("a remembered conversation comes back as request, answer, request, answer", () => {
    const messages = turnsToMessages([
      { request: "a trip to Lisbon", result: CLARIFICATION, createdAt: "2026-11-22T10:00:00.000Z" },
      { request: "3 days from 6 December for 3", result: PLAN_RESULT, createdAt: "2026-11-22T10:01:00.000Z" },
    ]);
    expect(messages.map((m) => [m.role, m.text])).toEqual([
      ["user", "a trip to Lisbon"],
      ["assistant", CLARIFICATION.reply],
      ["user", "3 days from 6 December for 3"],
      ["assistant", PLAN_RESULT.reply],
    ]);
  });

  it("books the most recent plan, even after a later question", () => {
    const older = { ...LISBON_PLAN, nights: 2 };
    const messages: Message[] = [
      { id: 1, role: "assistant", status: "plan", text: "older", plan: older },
      { id: 2, role: "assistant", status: "plan", text: "newer", plan: LISBON_PLAN },
      { id: 3, role: "user", text: "and Madrid?", via: "text" },
      { id: 4, role: "assistant", status: "clarification", text: "When?" },
      { id: 5, role: "assistant-error", text: "Could not reach the TRVL service." },
    ];
    expect(latestPlan(messages)).toBe(LISBON_PLAN);
    expect(latestPlan(messages.slice(2))).toBeUndefined();
  });
});

describe("what a follow-up changed", () => {
  it("names each changed fact of the trip, before and after, and nothing that stayed", () => {
    const after = {
      ...LISBON_PLAN,
      nights: LISBON_PLAN.nights + 1,
      guests: 5,
      interests: [...LISBON_PLAN.interests.slice(1), "wine"],
    };
    expect(planChanges(LISBON_PLAN, after)).toEqual([
      `Nights: ${LISBON_PLAN.nights} → ${LISBON_PLAN.nights + 1}`,
      `Who: ${LISBON_PLAN.guests} travellers → 5 travellers`,
      "Interests added: wine",
      ...(LISBON_PLAN.interests.length > 0 ? [`Interests dropped: ${LISBON_PLAN.interests[0]}`] : []),
    ]);
    expect(planChanges(LISBON_PLAN, LISBON_PLAN)).toEqual([]);
  });

  it("ideas for a request without a destination come with the reply, and picking one names it with its country", () => {
    const suggestion = {
      destination: { id: "barcelona-es-3128760", name: "Barcelona", country: "ES", countryName: "Spain" },
      reason: "Barcelona, Spain: 23.0 °C on average in June; beaches in the catalog.",
      climate: { month: 6, meanC: "23.0", source: "Wikipedia's climate normals" },
    };
    const ideas: PlanResult = {
      status: "clarification",
      missing: ["destination"],
      reply: CLARIFICATION.reply,
      source: "offline",
      fallback: null,
      conversationId: null,
      suggestions: [suggestion],
    };
    expect(replyOf(ideas)).toEqual({
      role: "assistant",
      status: "clarification",
      text: CLARIFICATION.reply,
      suggestions: [suggestion],
    });
    expect(replyOf({ ...ideas, suggestions: [] })).not.toHaveProperty("suggestions");
    expect(pickSuggestion(suggestion)).toBe("Barcelona, Spain");
  });

  it("a pace follow-up changes only the pace, and the panel says so", () => {
    const relaxed = { ...LISBON_PLAN, pace: "relaxed" as const };
    expect(planChanges(LISBON_PLAN, relaxed)).toEqual(["Pace: balanced → relaxed"]);
    expect(planChanges(relaxed, { ...relaxed, pace: "packed" })).toEqual(["Pace: relaxed → packed"]);
    expect(planChanges({ ...LISBON_PLAN, pace: "balanced" }, LISBON_PLAN)).toEqual([]);
  });

  it("the previous plan is the one before the latest", () => {
    const later = { ...LISBON_PLAN, nights: 9 };
    const messages: Message[] = [
      { id: 1, role: "assistant", status: "plan", text: "a", plan: LISBON_PLAN },
      { id: 2, role: "user", text: "make it 9 nights", via: "text" },
      { id: 3, role: "assistant", status: "plan", text: "b", plan: later },
    ];
    expect(latestPlan(messages)).toBe(later);
    expect(previousPlan(messages)).toBe(LISBON_PLAN);
  });
});
