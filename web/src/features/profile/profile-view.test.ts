import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import type { Profile, ProfileChoices, Recommendation } from "@/lib/api";

import { ForYouList } from "./for-you-list";
import { ProfileForm } from "./profile-form";

const CHOICES: ProfileChoices = {
  interests: [
    { id: "outdoors", label: "the outdoors" },
    { id: "jazz", label: "jazz" },
  ],
  dietary: ["vegetarian", "gluten-free"],
  accessibility: ["wheelchair"],
  travelStyles: ["budget", "luxury"],
};

const PROFILE: Profile = {
  address: "0x00000000000000000000000000000000000000a1",
  interests: ["jazz"],
  travelStyle: "luxury",
  budget: { currency: "USD", perDay: null, perTrip: "1800.00" },
  dietary: ["vegetarian"],
  accessibility: [],
  pastDestinations: [],
  updatedAt: null,
};

function recommendation(id: string, name: string, reason: string): Recommendation {
  return {
    item: {
      id,
      type: "activity",
      provider: "demo",
      demo: true,
      destination: { id: "lisbon-pt-2267057", name: "Lisbon", country: "PT" },
      name,
      description: "A walk in the hills above the palaces.",
      price: { amount: "1234.50", currency: "USD" },
      priceUnit: "person",
      rating: 4.5,
      reviewCount: 10,
      tags: [],
      details: { kind: "activity", category: "outdoors", durationHours: 3 },
    } as Recommendation["item"],
    score: 0.8,
    reason,
  };
}

const form = (props: Partial<Parameters<typeof ProfileForm>[0]> = {}) =>
  renderToStaticMarkup(
    createElement(ProfileForm, {
      choices: CHOICES,
      profile: PROFILE,
      saving: false,
      saved: false,
      error: null,
      onSave: () => undefined,
      ...props,
    }),
  );

describe("the profile form", () => {
  it("offers every choice, with the saved ones ticked and the budget filled in", () => {
    const html = form();
    const inputs = html.match(/<input[^>]*>/g) ?? [];
    const box = (name: string, value: string) => {
      const input = inputs.find((tag) => tag.includes(`name="${name}"`) && tag.includes(`value="${value}"`));
      if (!input) throw new Error(`no ${name} checkbox for ${value}`);
      return input.includes('checked=""');
    };
    expect(html).toContain("The outdoors");
    expect(box("interests", "jazz")).toBe(true);
    expect(box("interests", "outdoors")).toBe(false);
    expect(box("dietary", "vegetarian")).toBe(true);
    expect(box("dietary", "gluten-free")).toBe(false);
    expect(html).toContain("Wheelchair access");
    expect(html).toMatch(/<option value="luxury" selected="">Luxury<\/option>/);
    expect(html).toMatch(/name="budgetPerTrip"[^>]*value="1800"/);
    expect(html).toMatch(/name="budgetPerDay"[^>]*value=""/);
  });

  it("says when it is saving, saved, or why it was not saved", () => {
    expect(form({ saving: true })).toMatch(/<button type="submit"[^>]*disabled="">Saving…/);
    expect(form({ saved: true })).toContain("Saved. Your next plans and recommendations use these.");
    expect(form({ error: "Your session ended. Sign in again." })).toContain(
      "Your preferences were not saved: Your session ended. Sign in again.",
    );
  });
});

describe("For you", () => {
  const items = [
    recommendation("a", "Sintra hike", "Because you like the outdoors"),
    recommendation("b", "Fado night", "Because you liked Jazz cellar"),
  ];

  it("shows each item with its place, price, reason and details, and a Like button", () => {
    const html = renderToStaticMarkup(
      createElement(ForYouList, {
        items,
        liked: new Set<string>(),
        liking: null,
        onLike: () => undefined,
        onView: () => undefined,
      }),
    );
    expect(html).toContain("Activity · Lisbon");
    expect(html).toContain("$1,234.50 a person");
    expect(html).toContain("Because you like the outdoors");
    expect(html).toContain("Because you liked Jazz cellar");
    expect(html.match(/aria-pressed="false"/g)).toHaveLength(2);
    expect(html).toMatch(/>Like<span class="sr-only"> Sintra hike<\/span><\/button>/);
    expect(html).toContain("<summary");
    expect(html).toContain("A walk in the hills above the palaces.");
  });

  it("marks what was liked, and holds the buttons while a like is saved", () => {
    const liked = renderToStaticMarkup(
      createElement(ForYouList, {
        items,
        liked: new Set(["a"]),
        liking: null,
        onLike: () => undefined,
        onView: () => undefined,
      }),
    );
    expect(liked).toMatch(/aria-pressed="true"[^>]*>Liked<span class="sr-only"> Sintra hike</);
    const liking = renderToStaticMarkup(
      createElement(ForYouList, {
        items,
        liked: new Set<string>(),
        liking: "b",
        onLike: () => undefined,
        onView: () => undefined,
      }),
    );
    expect(liking).toContain("Liking…");
    expect(liking.match(/disabled=""/g)).toHaveLength(2);
  });
});
