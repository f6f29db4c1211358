/**
 * The demo catalog is plausible: an item's name agrees with when it happens ("Evening …" in the evening, "Morning …"
 * in the morning), every activity fits its own opening hours, restaurants serve dinner at the country's hours, every
 * place is in its city, and what a city is known for is on offer there.
 */
import { describe, expect, it } from "vitest";

import { distanceKm } from "../src/catalog/geodata.js";
import { Catalog } from "../src/catalog/service.js";
import type { CatalogItem } from "../src/catalog/types.js";

const catalog = new Catalog();
const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
const city = (name: string, country: string) =>
  catalog.destinations.find((d) => d.name === name && d.country === country)!;
const offered = (name: string, country: string) =>
  catalog.demo
    .candidates({ destinationId: city(name, country).id })
    .filter((item) => item.type === "activity")
    .flatMap((item) => item.tags);

describe("demo catalog", () => {
  const activities = catalog.demo.all.filter((item) => item.type === "activity");
  const restaurants = catalog.demo.all.filter((item) => item.type === "restaurant");

  it("names agree with times, and every activity fits its hours", () => {
    expect(activities.length).toBeGreaterThan(30_000);
    for (const item of activities) {
      const details = item.details as Extract<CatalogItem["details"], { kind: "activity" }>;
      const opens = minutes(details.opens!);
      let closes = minutes(details.closes!);
      if (closes <= opens) closes += 24 * 60;
      expect(closes - opens, item.name).toBeGreaterThanOrEqual(details.durationMinutes!);
      // The words of the activity itself, not of its city ("Sunset Park museum of history").
      const name = item.name.replace(catalog.destinationsById.get(item.destinationId)!.name, "{city}");
      if (/^(Evening|Sunset|Night)\b|at sunset|\bnight$/i.test(name))
        expect(["sunset", "evening", "night"], item.name).toContain(details.timeOfDay);
      if (/^Morning\b/.test(name)) expect(details.timeOfDay, item.name).toBe("morning");
      if (/^Day trip|day hike/.test(name)) expect(details.timeOfDay, item.name).toBe("full day");
    }
  });

  it("serves dinner at the destination's hours, and puts every place in its city", () => {
    const byId = catalog.destinationsById;
    for (const item of restaurants) {
      const details = item.details as Extract<CatalogItem["details"], { kind: "restaurant" }>;
      const country = byId.get(item.destinationId)!.country;
      if (country === "ES") expect(details.opens).toBe("20:30");
      if (country === "JP" || country === "DE") expect(details.opens).toBe("17:30");
    }
    for (const item of [...activities, ...restaurants].slice(0, 20_000)) {
      const destination = byId.get(item.destinationId)!;
      const km = distanceKm(destination.lat, destination.lon, item.location!.lat, item.location!.lon);
      expect(km, item.id).toBeLessThanOrEqual(6.5);
    }
  });

  it("offers what cities are known for", () => {
    expect(offered("Kyoto", "JP")).toEqual(expect.arrayContaining(["temple", "shrine", "garden"]));
    expect(offered("Sevilla", "ES")).toEqual(expect.arrayContaining(["flamenco", "tapas"]));
    expect(offered("Barcelona", "ES")).toEqual(expect.arrayContaining(["flamenco", "beach", "jazz"]));
    expect(offered("Lisbon", "PT")).toEqual(expect.arrayContaining(["fado", "beach", "museum"]));
    expect(offered("Berlin", "DE")).toEqual(expect.arrayContaining(["jazz", "beer", "museum", "art"]));
    expect(offered("Madrid", "ES")).not.toContain("beach");
  });
});
