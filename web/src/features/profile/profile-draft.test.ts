import { describe, expect, it } from "vitest";

import type { Profile, ProfileChoices } from "@/lib/api";

import {
  accessibilityLabel,
  bodyOf,
  budgetAmount,
  choiceLabel,
  draftOf,
  toggled,
  type ProfileDraft,
} from "./profile-draft";

const SAVED: Profile = {
  address: "0x00000000000000000000000000000000000000a1",
  interests: ["outdoors", "jazz"],
  travelStyle: "luxury",
  budget: { currency: "USD", perDay: "250.00", perTrip: "1999.50" },
  dietary: ["vegetarian"],
  accessibility: ["step-free"],
  pastDestinations: ["lisbon-pt-2267057"],
  updatedAt: "2027-03-01T12:00:00.000Z",
};

const CHOICES: ProfileChoices = {
  interests: [{ id: "outdoors", label: "the outdoors" }],
  dietary: ["vegetarian", "vegan"],
  accessibility: ["step-free", "wheelchair"],
  travelStyles: ["budget", "luxury"],
};

describe("the profile form's draft", () => {
  it("starts from the saved profile, amounts as a person types them", () => {
    expect(draftOf(SAVED, CHOICES)).toEqual({
      interests: ["outdoors", "jazz"],
      dietary: ["vegetarian"],
      accessibility: ["step-free"],
      travelStyle: "luxury",
      budgetPerDay: "250",
      budgetPerTrip: "1999.50",
    });
  });

  it("leaves out a saved value the choices no longer offer, so saving is not refused for it", () => {
    const draft = draftOf({ ...SAVED, dietary: ["vegetarian", "fruitarian"] }, CHOICES);
    expect(draft.dietary).toEqual(["vegetarian"]);
  });

  it("saves what was chosen and keeps the past destinations it does not show", () => {
    const draft: ProfileDraft = {
      ...draftOf(SAVED, CHOICES),
      interests: ["temples"],
      travelStyle: "",
      budgetPerDay: "",
      budgetPerTrip: "$2,500",
    };
    expect(bodyOf(draft, SAVED.pastDestinations)).toEqual({
      ok: true,
      body: {
        interests: ["temples"],
        dietary: ["vegetarian"],
        accessibility: ["step-free"],
        travelStyle: null,
        budget: { perDay: null, perTrip: "2500" },
        pastDestinations: ["lisbon-pt-2267057"],
      },
    });
  });

  it("names each budget that is not a dollar amount, and sends nothing", () => {
    const draft = { ...draftOf(SAVED, CHOICES), budgetPerDay: "lots", budgetPerTrip: "12.345" };
    expect(bodyOf(draft, [])).toEqual({
      ok: false,
      errors: {
        budgetPerDay: "Budget per day: enter a dollar amount like 120 or 120.50.",
        budgetPerTrip: "Budget per trip: enter a dollar amount like 120 or 120.50.",
      },
    });
  });

  it("reads amounts as typed", () => {
    expect(budgetAmount(" 120 ")).toBe("120");
    expect(budgetAmount("$1,200.50")).toBe("1200.50");
    expect(budgetAmount("1,000,000")).toBe("1000000");
    expect(budgetAmount("")).toBeNull();
    expect(budgetAmount("-5")).toBeUndefined();
    expect(budgetAmount("1,20")).toBeUndefined();
    expect(budgetAmount("10000000000")).toBeUndefined();
  });

  it("toggles choices without duplicates, and labels them for reading", () => {
    expect(toggled(["food"], "jazz", true)).toEqual(["food", "jazz"]);
    expect(toggled(["food", "jazz"], "jazz", true)).toEqual(["food", "jazz"]);
    expect(toggled(["food", "jazz"], "food", false)).toEqual(["jazz"]);
    expect(choiceLabel("the outdoors")).toBe("The outdoors");
    expect(accessibilityLabel("wheelchair")).toBe("Wheelchair access");
    expect(accessibilityLabel("something-new")).toBe("Something new");
  });
});
