/** A plan and answers as the API sends them (typed by the API's own response types), for the unit tests. */
import type { Plan, PlanItem, PlanResult, VoicePlan } from "@/lib/api";

const usd = (amount: string) => ({ amount, currency: "USD" as const });

const item = (over: Partial<PlanItem> & Pick<PlanItem, "itemId" | "type" | "name" | "date">): PlanItem => ({
  time: "10:00",
  unitPrice: usd("39.00"),
  priceUnit: "person",
  quantity: 2,
  total: usd("78.00"),
  why: "you like culture",
  ...over,
});

export const LISBON_PLAN: Plan = {
  destination: { id: "lisbon-pt-2267057", name: "Lisbon", country: "PT", countryName: "Portugal" },
  checkIn: "2026-12-06",
  checkOut: "2026-12-09",
  nights: 3,
  guests: 3,
  interests: ["culture"],
  budget: { amount: "900.00", currency: "EUR", usd: "972.00" },
  days: [
    {
      date: "2026-12-06",
      items: [
        item({ itemId: "demo-activity-1", type: "activity", name: "Museum & gallery pass", date: "2026-12-06" }),
        item({
          itemId: "demo-hotel-2",
          type: "hotel",
          name: "The Anchor Lodge",
          date: "2026-12-06",
          time: "15:00",
          unitPrice: usd("89.00"),
          priceUnit: "night",
          quantity: 6,
          total: usd("534.00"),
          why: "rated 4.1 by 3933 guests",
        }),
      ],
    },
    { date: "2026-12-07", items: [] },
  ],
  totals: {
    total: usd("1281.50"),
    byType: { restaurant: usd("669.50"), hotel: usd("534.00"), activity: usd("78.00") },
    inBudgetCurrency: { amount: "1186.57", currency: "EUR" },
  },
  booking: {
    items: [{ itemId: "demo-hotel-2" }, { itemId: "demo-activity-1", date: "2026-12-06" }],
    checkIn: "2026-12-06",
    checkOut: "2026-12-09",
    guests: 3,
  },
  assumptions: ["Starting Sunday 6 December, two weeks from today; tell me your dates to change it."],
  summary: "Three nights in Lisbon for three.",
};

const common = { source: "offline" as const, fallback: null, conversationId: "6f1c2b8e-2f4e-4a57-9a53-0b6c7d8e9f10" };

export const PLAN_RESULT: PlanResult = {
  status: "plan",
  plan: LISBON_PLAN,
  reply: "Three nights in Lisbon for three, from Sunday 6 December.",
  ...common,
};

export const CLARIFICATION: PlanResult = {
  status: "clarification",
  missing: ["dates"],
  reply: "When would you like to go to Lisbon, and for how long?",
  ...common,
};

export const CANNOT: PlanResult = {
  status: "cannot",
  reason: "the moon is not somewhere we can book",
  reply: "I can't plan a trip to the moon.",
  ...common,
  source: "offline",
  fallback: { provider: "openai", reason: "openai rejected the API key" },
};

export const VOICE: VoicePlan = {
  transcript: "plan a trip to lisbon for three days",
  stt: {
    provider: "pocketsphinx",
    durationSeconds: 2.4,
    fallback: { provider: "deepgram", reason: "deepgram cannot be reached" },
  },
  result: PLAN_RESULT,
  reply: { text: PLAN_RESULT.reply, audio: null, provider: null, error: null },
  timings: { sttMs: 900, planMs: 3, ttsMs: 0, totalMs: 910 },
};
