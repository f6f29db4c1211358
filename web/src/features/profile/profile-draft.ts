/** The profile form's state, and the `PUT /me/profile` body it becomes (or what is wrong with it). */
import type { Profile, ProfileChoices, ProfileUpdate } from "@/lib/api";

type Diet = ProfileChoices["dietary"][number];
type Need = ProfileChoices["accessibility"][number];
type Style = ProfileChoices["travelStyles"][number];

export interface ProfileDraft {
  interests: string[];
  dietary: Diet[];
  accessibility: Need[];
  /** "" for no preference. */
  travelStyle: Style | "";
  /** As typed: "", "120", "$1,200.50". */
  budgetPerDay: string;
  budgetPerTrip: string;
}

export type BudgetField = "budgetPerDay" | "budgetPerTrip";

export type ProfileBody = ProfileUpdate;

export type DraftResult = { ok: true; body: ProfileBody } | { ok: false; errors: Partial<Record<BudgetField, string>> };

const LABELS: Record<BudgetField, string> = { budgetPerDay: "Budget per day", budgetPerTrip: "Budget per trip" };

/** The saved profile as the form shows it; a saved value the choices no longer offer is left out. */
export function draftOf(profile: Profile, choices: ProfileChoices): ProfileDraft {
  const offered =
    <T extends string>(list: readonly T[]) =>
    (value: string): value is T =>
      (list as readonly string[]).includes(value);
  return {
    interests: profile.interests,
    dietary: profile.dietary.filter(offered(choices.dietary)),
    accessibility: profile.accessibility.filter(offered(choices.accessibility)),
    travelStyle: profile.travelStyle ?? "",
    budgetPerDay: plainAmount(profile.budget.perDay),
    budgetPerTrip: plainAmount(profile.budget.perTrip),
  };
}

/** "1200.00" → "1200", "99.50" → "99.50": what a person would type. */
function plainAmount(amount: string | null): string {
  return amount === null ? "" : amount.replace(/\.00$/, "");
}

/** A dollar amount as the API takes it ("1200.5"), null when left empty; undefined when it is not an amount. */
export function budgetAmount(input: string): string | null | undefined {
  const value = input
    .trim()
    .replace(/^\$/, "")
    .replace(/,(?=\d{3}(\D|$))/g, "")
    .trim();
  if (value === "") return null;
  return /^\d{1,9}(\.\d{1,2})?$/.test(value) ? value : undefined;
}

/**
 * The body that replaces the profile. The past destinations the form does not show are sent back as they were, so
 * saving preferences never drops them.
 */
export function bodyOf(draft: ProfileDraft, pastDestinations: string[]): DraftResult {
  const errors: Partial<Record<BudgetField, string>> = {};
  const amounts = {} as Record<BudgetField, string | null>;
  for (const field of ["budgetPerDay", "budgetPerTrip"] as const) {
    const amount = budgetAmount(draft[field]);
    if (amount === undefined) errors[field] = `${LABELS[field]}: enter a dollar amount like 120 or 120.50.`;
    else amounts[field] = amount;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    body: {
      interests: draft.interests,
      dietary: draft.dietary,
      accessibility: draft.accessibility,
      travelStyle: draft.travelStyle === "" ? null : draft.travelStyle,
      budget: { perDay: amounts.budgetPerDay, perTrip: amounts.budgetPerTrip },
      pastDestinations,
    },
  };
}

/** The list with `value` added when `on`, removed otherwise (order kept, no duplicates). */
export function toggled<T extends string>(list: T[], value: T, on: boolean): T[] {
  const without = list.filter((v) => v !== value);
  return on ? [...without, value] : without;
}

/** How a choice reads on the page: "the outdoors" → "The outdoors", "gluten-free" → "Gluten-free". */
export function choiceLabel(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const ACCESSIBILITY_LABELS: Record<string, string> = {
  wheelchair: "Wheelchair access",
  "step-free": "Step-free access",
  "reduced-mobility": "Reduced mobility",
  hearing: "Hearing support",
  visual: "Visual support",
  "service-animal": "Travelling with a service animal",
};

export function accessibilityLabel(need: string): string {
  return ACCESSIBILITY_LABELS[need] ?? choiceLabel(need.replace(/-/g, " "));
}
