/**
 * The LLM planner: OpenAI chat completions (any OpenAI-compatible server via OPENAI_BASE_URL) with tools that find
 * destinations, search the catalog and submit the plan. The submitted plan is checked and priced by our own code
 * (assemblePlan); problems go back to the model to fix. Streams the model's words as it writes them.
 */
import type OpenAI from "openai";
import type { ChatCompletionMessageParam, ChatCompletionTool } from "openai/resources/chat/completions";
import { z } from "zod";

import type { Catalog } from "../catalog/service.js";
import { ITEM_TYPES, type CatalogItem } from "../catalog/types.js";
import { usd } from "../http/schemas.js";
import { assemblePlan } from "./assemble.js";
import { addVisits } from "./visits.js";
import type { PlacesSource } from "../places/types.js";
import { ProviderError, providerError } from "./service.js";
import { CURRENCIES, PACES, type Answer, type PlanEvent, type PlanInput, type Planner, type Turn } from "./types.js";

export interface OpenAIPlannerOptions {
  apiKey: string;
  baseURL?: string;
  model: string;
  timeoutMs: number;
  maxRetries: number;
  /** Tokens of earlier conversation to include. */
  contextTokens: number;
  /** Places to visit between the bookings (OpenStreetMap), added to the plan the model submits, when configured. */
  places?: PlacesSource;
}

/** Rounds of tool calls before giving up (then the offline planner answers). */
const MAX_ROUNDS = 8;

const FindDestination = z.object({ query: z.string().min(1).max(120) });
const SearchCatalog = z.object({
  destinationId: z.string().min(1),
  type: z.enum(ITEM_TYPES).optional(),
  checkIn: z.string().optional(),
  checkOut: z.string().optional(),
  text: z.string().max(100).optional(),
  maxPriceUsd: z.number().positive().optional(),
  origin: z
    .string()
    .regex(/^[A-Za-z]{3}$/)
    .transform((code) => code.toUpperCase())
    .optional(),
  guests: z.number().int().min(1).max(9).optional(),
  limit: z.number().int().min(1).max(30).optional(),
});
const SubmitPlan = z.object({
  destinationId: z.string(),
  checkIn: z.string(),
  checkOut: z.string(),
  guests: z.number().int(),
  budget: z
    .object({
      amount: z.union([z.number().positive(), z.string().regex(/^\d+(\.\d+)?$/)]),
      currency: z.enum(CURRENCIES),
    })
    .nullable()
    .optional(),
  interests: z.array(z.string()).optional(),
  pace: z.enum(PACES).optional(),
  items: z.array(
    z.object({
      itemId: z.string(),
      date: z.string().optional(),
      time: z.string().optional(),
      why: z.string().optional(),
    }),
  ),
  summary: z.string().min(1),
  assumptions: z.array(z.string()).optional(),
});
const AnswerWithoutPlan = z.object({
  status: z.enum(["clarification", "cannot"]),
  missing: z.array(z.string()).optional(),
  reason: z.string().optional(),
  reply: z.string().min(1),
});

const TOOLS: ChatCompletionTool[] = [
  {
    type: "function",
    function: {
      name: "find_destination",
      description: "Find destinations (cities) by name or country; returns ids for the other tools.",
      parameters: {
        type: "object",
        properties: { query: { type: "string", description: "City or country name" } },
        required: ["query"],
      },
    },
  },
  {
    type: "function",
    function: {
      name: "search_catalog",
      description:
        "Search bookable items of a destination: hotels (price per night per room of two), flights (per seat), activities and restaurants (per person). With checkIn/checkOut only items bookable in that window. Live suppliers' offers (per: offer) are priced whole for the stay and party they were searched for: search flights with origin, checkIn and guests, hotels with checkIn, checkOut and guests, and prefer them.",
      parameters: {
        type: "object",
        properties: {
          destinationId: { type: "string" },
          type: { type: "string", enum: [...ITEM_TYPES] },
          checkIn: { type: "string", description: "YYYY-MM-DD" },
          checkOut: { type: "string", description: "YYYY-MM-DD, the day after the last night" },
          text: { type: "string", description: "Words the item must mention, e.g. 'outdoors' or 'vegan'" },
          maxPriceUsd: { type: "number" },
          origin: { type: "string", description: "IATA code of the departure airport (flights)" },
          guests: { type: "integer", description: "Travellers: live offers are priced for the whole party" },
          limit: { type: "integer" },
        },
        required: ["destinationId"],
      },
    },
  },
  {
    type: "function",
    function: {
      name: "submit_plan",
      description:
        "Submit the day-by-day plan. Exactly one hotel (no date); every other item has a date from checkIn to checkOut (the departure day: only a morning activity before check-out at 12:00). Each item runs inside its opening hours: the checker sets the times (evening items in the evening, dinner at local dinner hours) and reports days whose items cannot all fit. Returns problems to fix, or ok.",
      parameters: {
        type: "object",
        properties: {
          destinationId: { type: "string" },
          checkIn: { type: "string" },
          checkOut: { type: "string" },
          guests: { type: "integer" },
          budget: {
            type: ["object", "null"],
            properties: {
              amount: { type: "string", description: "Exactly as the traveller said it, e.g. '10000000' or '2500.50'" },
              currency: { type: "string", enum: [...CURRENCIES] },
            },
          },
          interests: { type: "array", items: { type: "string" } },
          pace: {
            type: "string",
            enum: [...PACES],
            description: "relaxed: one activity a full day; balanced (the default): two; packed: up to three",
          },
          items: {
            type: "array",
            items: {
              type: "object",
              properties: {
                itemId: { type: "string" },
                date: { type: "string" },
                time: { type: "string" },
                why: { type: "string" },
              },
              required: ["itemId"],
            },
          },
          summary: { type: "string", description: "Two or three spoken sentences for the traveller" },
          assumptions: { type: "array", items: { type: "string" } },
        },
        required: ["destinationId", "checkIn", "checkOut", "guests", "items", "summary"],
      },
    },
  },
  {
    type: "function",
    function: {
      name: "answer_without_plan",
      description:
        "When the request is too vague (ask what is missing) or impossible (say why honestly) — never invent a plan.",
      parameters: {
        type: "object",
        properties: {
          status: { type: "string", enum: ["clarification", "cannot"] },
          missing: { type: "array", items: { type: "string" } },
          reason: { type: "string" },
          reply: { type: "string" },
        },
        required: ["status", "reply"],
      },
    },
  },
];

/** A rough token count (four characters a token), enough to budget the context. */
export const estimateTokens = (text: string) => Math.ceil(text.length / 4);

function turnSummary(turn: Turn): string {
  const result = turn.result;
  if (result.status === "plan")
    return `planned ${result.plan.destination.name} ${result.plan.checkIn}→${result.plan.checkOut} for ${result.plan.guests}, total ${result.plan.totals.total.amount} USD`;
  return `${result.status}: ${result.reply}`;
}

/**
 * Earlier turns as messages, newest kept first within the token budget; older turns are summarised in one line
 * each while that fits, and the oldest dropped.
 */
export function historyMessages(history: Turn[], budgetTokens: number): ChatCompletionMessageParam[] {
  const kept: ChatCompletionMessageParam[][] = [];
  let used = 0;
  let i = history.length - 1;
  for (; i >= 0; i--) {
    const turn = history[i];
    const pair: ChatCompletionMessageParam[] = [
      { role: "user", content: turn.request },
      { role: "assistant", content: `${turn.result.reply} (${turnSummary(turn)})` },
    ];
    const cost = estimateTokens(turn.request) + estimateTokens(String(pair[1].content)) + 8;
    if (used + cost > budgetTokens * 0.75) break;
    used += cost;
    kept.unshift(pair);
  }
  const summaries: string[] = [];
  for (let j = i; j >= 0; j--) {
    const line = `- "${history[j].request.slice(0, 120)}": ${turnSummary(history[j]).slice(0, 160)}`;
    if (used + estimateTokens(line) > budgetTokens) break;
    used += estimateTokens(line);
    summaries.unshift(line);
  }
  const out: ChatCompletionMessageParam[] = [];
  if (summaries.length > 0)
    out.push({ role: "system", content: `Earlier in this conversation (summarised):\n${summaries.join("\n")}` });
  return [...out, ...kept.flat()];
}

function itemView(item: CatalogItem) {
  const d = item.details;
  return {
    id: item.id,
    type: item.type,
    name: item.name,
    priceUsd: usd(item.priceCents).amount,
    per: item.priceUnit,
    rating: item.ratingTenths / 10,
    tags: item.tags,
    ...(d.kind === "activity"
      ? { category: d.category, hours: d.durationHours, timeOfDay: d.timeOfDay, opens: d.opens, closes: d.closes }
      : {}),
    ...(d.kind === "restaurant"
      ? { cuisine: d.cuisine, dietary: d.dietaryOptions, dinnerFrom: d.opens, dinnerUntil: d.closes }
      : {}),
    ...(d.kind === "hotel" ? { stars: d.stars, amenities: d.amenities } : {}),
    ...(d.kind === "flight" ? { from: d.origin, departs: d.departureTime } : {}),
  };
}

/** An OpenAI SDK client, the SDK imported when first needed. */
export async function openAIClient(options: {
  apiKey: string;
  baseURL?: string;
  timeoutMs: number;
  maxRetries: number;
}): Promise<OpenAI> {
  const { default: OpenAI } = await import("openai");
  return new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseURL,
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
  });
}

export class OpenAIPlanner implements Planner {
  readonly name = "openai" as const;
  /** The SDK, loaded on first use: seconds of start-up a server planning offline never needs. */
  private sdk?: Promise<OpenAI>;

  constructor(
    private readonly catalog: Catalog,
    private readonly options: OpenAIPlannerOptions,
  ) {}

  private client() {
    this.sdk ??= openAIClient(this.options);
    return this.sdk;
  }

  private systemPrompt(input: PlanInput): string {
    const t = input.traveller;
    const profile = [
      t.interests.length ? `interests: ${t.interests.join(", ")}` : "",
      t.travelStyle ? `travel style: ${t.travelStyle}` : "",
      t.budgetPerTripCents !== null ? `budget per trip: ${usd(t.budgetPerTripCents).amount} USD` : "",
      t.budgetPerDayCents !== null ? `budget per day: ${usd(t.budgetPerDayCents).amount} USD` : "",
      t.dietary.length ? `dietary: ${t.dietary.join(", ")}` : "",
      t.accessibility.length ? `accessibility: ${t.accessibility.join(", ")}` : "",
      t.pastDestinations.length ? `has been to: ${t.pastDestinations.slice(0, 20).join(", ")}` : "",
    ].filter(Boolean);
    return [
      "You are TRVL's trip planner. Plan one destination at a time, only with items returned by search_catalog,",
      "bookable on their dates, within the traveller's budget. Use find_destination for ids. Finish by calling",
      "submit_plan (fix any problems it reports) or answer_without_plan when the request is vague or impossible.",
      "Never invent items, prices or places. Keep replies short and spoken in style.",
      "'N days' are N day cards (N - 1 nights: checkOut = checkIn + N - 1); 'N nights' are N nights; 'from X to Y'",
      "is checkIn X, checkOut Y. A weekend is Friday to Sunday, a long weekend Friday to Monday. List the traveller's",
      "interests in submit_plan and choose an item for each (search with its words); say which you could not find.",
      "Give the pace the traveller asks for (relaxed, balanced or packed) in submit_plan.",
      `Today is ${input.today}. Stays are at most 30 nights, for 1 to 9 guests; bookings hold at most 20 items.`,
      profile.length ? `The traveller's profile — ${profile.join("; ")}.` : "The traveller has no saved profile.",
    ].join(" ");
  }

  private async runTool(name: string, args: unknown, today: string): Promise<{ content: string; answer?: Answer }> {
    switch (name) {
      case "find_destination": {
        const { query } = FindDestination.parse(args);
        const { destinations } = this.catalog.searchDestinations({ text: query, offset: 0, limit: 5 });
        return {
          content: JSON.stringify(destinations.map((d) => ({ id: d.id, name: d.name, country: d.countryName }))),
        };
      }
      case "search_catalog": {
        const q = SearchCatalog.parse(args);
        if (!this.catalog.destinationsById.has(q.destinationId))
          return { content: JSON.stringify({ error: "unknown destinationId; use find_destination" }) };
        const { items } = await this.catalog.search({
          destinationId: q.destinationId,
          type: q.type,
          checkIn: q.checkIn,
          checkOut: q.checkIn ? (q.checkOut ?? undefined) : undefined,
          text: q.text,
          maxPriceCents: q.maxPriceUsd ? BigInt(Math.round(q.maxPriceUsd * 100)) : undefined,
          origin: q.origin,
          guests: q.guests,
          sort: "rating_desc",
          offset: 0,
          limit: q.limit ?? 12,
        });
        return { content: JSON.stringify(items.map(itemView)) };
      }
      case "submit_plan": {
        const spec = SubmitPlan.parse(args);
        const assembled = await assemblePlan(this.catalog, spec, today);
        if (!assembled.ok) return { content: JSON.stringify({ ok: false, problems: assembled.problems }) };
        const plan = this.options.places
          ? await addVisits(this.catalog, assembled.plan, this.options.places)
          : assembled.plan;
        return {
          content: JSON.stringify({ ok: true }),
          answer: { status: "plan", plan, reply: plan.summary },
        };
      }
      case "answer_without_plan": {
        const a = AnswerWithoutPlan.parse(args);
        const answer: Answer =
          a.status === "clarification"
            ? { status: "clarification", missing: a.missing ?? [], reply: a.reply }
            : { status: "cannot", reason: a.reason ?? a.reply, reply: a.reply };
        return { content: JSON.stringify({ ok: true }), answer };
      }
      default:
        return { content: JSON.stringify({ error: `no tool named ${name}` }) };
    }
  }

  async plan(input: PlanInput, emit?: (event: PlanEvent) => void, signal?: AbortSignal): Promise<Answer> {
    const messages: ChatCompletionMessageParam[] = [
      { role: "system", content: this.systemPrompt(input) },
      ...historyMessages(input.history, this.options.contextTokens),
      { role: "user", content: input.text },
    ];
    for (let round = 0; round < MAX_ROUNDS; round++) {
      let content = "";
      const calls: { id: string; name: string; arguments: string }[] = [];
      try {
        const stream = await (
          await this.client()
        ).chat.completions.create(
          { model: this.options.model, messages, tools: TOOLS, tool_choice: "auto", stream: true, temperature: 0.2 },
          { signal },
        );
        for await (const chunk of stream) {
          const delta = chunk.choices[0]?.delta;
          if (!delta) continue;
          if (delta.content) {
            content += delta.content;
            emit?.({ type: "delta", text: delta.content });
          }
          for (const call of delta.tool_calls ?? []) {
            const slot = (calls[call.index] ??= { id: "", name: "", arguments: "" });
            if (call.id) slot.id = call.id;
            if (call.function?.name) slot.name += call.function.name;
            if (call.function?.arguments) slot.arguments += call.function.arguments;
          }
        }
      } catch (error) {
        throw providerError("OpenAI", error);
      }
      if (calls.length === 0) {
        // The model answered in words without a tool: it is asking something, never a plan.
        if (!content.trim()) throw new ProviderError("OpenAI", "OpenAI returned an empty answer");
        return { status: "clarification", missing: [], reply: content.trim() };
      }
      messages.push({
        role: "assistant",
        content: content || null,
        tool_calls: calls.map((call) => ({
          id: call.id,
          type: "function" as const,
          function: { name: call.name, arguments: call.arguments },
        })),
      });
      let final: Answer | undefined;
      for (const call of calls) {
        emit?.({ type: "status", message: statusOf(call.name) });
        let result: { content: string; answer?: Answer };
        try {
          result = await this.runTool(call.name, JSON.parse(call.arguments || "{}"), input.today);
        } catch (error) {
          const message = error instanceof z.ZodError ? z.prettifyError(error) : (error as Error).message;
          result = { content: JSON.stringify({ error: `bad arguments: ${message}`.slice(0, 500) }) };
        }
        messages.push({ role: "tool", tool_call_id: call.id, content: result.content });
        final ??= result.answer;
      }
      if (final) {
        if (final.status === "plan") for (const day of final.plan.days) emit?.({ type: "day", day });
        return final;
      }
    }
    throw new ProviderError("OpenAI", `OpenAI did not finish a plan in ${MAX_ROUNDS} rounds`);
  }
}

function statusOf(tool: string): string {
  return (
    {
      find_destination: "Looking up the destination",
      search_catalog: "Searching the catalog",
      submit_plan: "Checking the plan against the catalog",
      answer_without_plan: "Answering",
    }[tool] ?? "Working"
  );
}
