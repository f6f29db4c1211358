import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import type { Plan } from "@/lib/api";

import { LISBON_PLAN } from "./fixtures";
import { PlanCard } from "./plan-card";

const WITH_PLACES: Plan = {
  ...LISBON_PLAN,
  days: [
    {
      ...LISBON_PLAN.days[0],
      visits: [
        {
          placeId: "osm:way/25385316",
          name: "Jerónimos Monastery",
          localName: "Mosteiro dos Jerónimos",
          kind: "place_of_worship",
          time: "12:30",
          endTime: "13:15",
          travelMinutes: 25,
          why: "because you like churches; no booking needed",
          location: { lat: 38.6979, lon: -9.2068 },
          openingHours: "Tu-Su 09:30-18:00; Mo off",
          osmUrl: "https://www.openstreetmap.org/way/25385316",
        },
      ],
    },
    ...LISBON_PLAN.days.slice(1),
  ],
  places: {
    source: "openstreetmap",
    attribution: "© OpenStreetMap contributors",
    licenseUrl: "https://www.openstreetmap.org/copyright",
  },
};

describe("a plan's free visits from OpenStreetMap", () => {
  it("shows each visit in its day's timeline, with its names, hours, a link to the place and the attribution", () => {
    const html = renderToStaticMarkup(createElement(PlanCard, { plan: WITH_PLACES }));
    expect(html).toContain("Jerónimos Monastery");
    expect(html).toContain("Mosteiro dos Jerónimos");
    expect(html).toContain("Hours: Tu-Su 09:30-18:00; Mo off");
    expect(html).toContain('href="https://www.openstreetmap.org/way/25385316"');
    expect(html).toContain('href="https://www.openstreetmap.org/copyright"');
    expect(html).toContain("© OpenStreetMap contributors");
    // Between the morning's activity and the 15:00 check-in.
    const order = ["Museum &amp; gallery pass", "Jerónimos Monastery", "The Anchor Lodge"].map((name) =>
      html.indexOf(name),
    );
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it("has no attribution when the plan has no visits", () => {
    const html = renderToStaticMarkup(createElement(PlanCard, { plan: LISBON_PLAN }));
    expect(html).not.toContain("OpenStreetMap");
  });
});
