/**
 * The plan page's conversation as messages: what the traveller asked (typed or said) and what the planner answered
 * (a plan, a question back, or why it cannot), built from the API's own result types.
 */
import type { Plan, PlannerTurn, PlanResult, VoicePlan } from "@/lib/api";

export type Message =
  | { id: number; role: "user"; text: string; via: "text" | "voice" }
  | {
      id: number;
      role: "assistant";
      status: PlanResult["status"];
      text: string;
      plan?: Plan;
      /** Destinations suggested for a request without one, best first; picking one plans it. */
      suggestions?: Suggestion[];
      /** Said when a configured provider failed and the offline one answered. */
      note?: string;
      /** An answer to a spoken request is spoken too: from this audio (an object URL), else by the browser. */
      spoken?: boolean;
      audioUrl?: string;
    }
  | { id: number; role: "assistant-error"; text: string };

/** A message before it has an id (Omit distributed over the union). */
export type Suggestion = NonNullable<Extract<PlanResult, { status: "clarification" }>["suggestions"]>[number];

/** What picking a suggestion says: its name and country, so that a name several places share is not asked about. */
export const pickSuggestion = (suggestion: Suggestion) =>
  `${suggestion.destination.name}, ${suggestion.destination.countryName}`;

export type NewMessage = Message extends infer M ? (M extends Message ? Omit<M, "id"> : never) : never;

const PROVIDER_NAME: Record<string, string> = {
  openai: "The AI planner",
  deepgram: "Speech recognition (Deepgram)",
  elevenlabs: "The voice (ElevenLabs)",
};

function fallbackNote(fallback: { provider: string; reason: string } | null, what: string): string | undefined {
  if (!fallback) return undefined;
  const who = PROVIDER_NAME[fallback.provider] ?? fallback.provider;
  return `${who} is unavailable right now (${fallback.reason}), so ${what}.`;
}

/** The planner's answer as an assistant message. */
export function replyOf(result: PlanResult): Extract<NewMessage, { role: "assistant" }> {
  return {
    role: "assistant",
    status: result.status,
    text: result.reply,
    ...(result.status === "plan" ? { plan: result.plan } : {}),
    ...(result.status === "clarification" && result.suggestions?.length ? { suggestions: result.suggestions } : {}),
    ...(result.fallback ? { note: fallbackNote(result.fallback, "the offline planner answered") } : {}),
  };
}

/**
 * A spoken request's messages: what was heard, as the traveller's message, then the answer. A recognition fallback
 * is said on the answer.
 */
export function voiceMessages(voice: VoicePlan): NewMessage[] {
  const reply = replyOf(voice.result);
  const notes = [fallbackNote(voice.stt.fallback, "the offline recogniser listened instead"), reply.note].filter(
    (note): note is string => note !== undefined,
  );
  return [
    { role: "user", text: voice.transcript, via: "voice" },
    { ...reply, ...(notes.length > 0 ? { note: notes.join(" ") } : {}) },
  ];
}

/** A conversation the API remembers, as messages again (oldest first). */
export function turnsToMessages(turns: PlannerTurn[]): NewMessage[] {
  return turns.flatMap((turn): NewMessage[] => [
    { role: "user", text: turn.request, via: "text" },
    replyOf(turn.result),
  ]);
}

/** The most recent plan in the conversation: the one "Book this trip" books. */
export function latestPlan(messages: Message[]): Plan | undefined {
  return plans(messages)[0];
}

/** The plan before the latest one, which a follow-up changed. */
export function previousPlan(messages: Message[]): Plan | undefined {
  return plans(messages)[1];
}

function plans(messages: Message[]): Plan[] {
  const found: Plan[] = [];
  for (let i = messages.length - 1; i >= 0 && found.length < 2; i--) {
    const message = messages[i];
    if (message.role === "assistant" && message.plan) found.push(message.plan);
  }
  return found;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const budgetOf = (plan: Plan) =>
  plan.budget ? `${Number(plan.budget.amount).toLocaleString("en-US")} ${plan.budget.currency}` : "none";

/** What a follow-up changed between two plans, as the trip panel says it: "Nights: 4 → 2". */
export function planChanges(before: Plan, after: Plan): string[] {
  const changes: string[] = [];
  const said = (what: string, a: string, b: string) => a !== b && changes.push(`${what}: ${a} → ${b}`);
  said(
    "Where",
    `${before.destination.name}, ${before.destination.countryName}`,
    `${after.destination.name}, ${after.destination.countryName}`,
  );
  said("Arrive", before.checkIn, after.checkIn);
  said("Nights", String(before.nights), String(after.nights));
  said("Who", plural(before.guests, "traveller"), plural(after.guests, "traveller"));
  said("Budget", budgetOf(before), budgetOf(after));
  said("Pace", before.pace ?? "balanced", after.pace ?? "balanced");
  const added = after.interests.filter((i) => !before.interests.includes(i));
  const dropped = before.interests.filter((i) => !after.interests.includes(i));
  if (added.length > 0) changes.push(`Interests added: ${added.join(", ")}`);
  if (dropped.length > 0) changes.push(`Interests dropped: ${dropped.join(", ")}`);
  return changes;
}
