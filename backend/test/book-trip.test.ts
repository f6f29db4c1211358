/**
 * `npm run book`'s choice of trip (`@trvl/tooling/book-trip`), through the real API: the activity it books is free on
 * the check-in day, the day it is booked for. The check-in days tried are those where the cheapest activity searched
 * over the whole stay is not free that day, so a search over the stay would book the wrong one here.
 */
import type { AppType } from "@trvl/backend/app";
import { pickTrip } from "@trvl/tooling/book-trip";
import { hc } from "hono/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { addDays, daysBetween } from "../src/catalog/dates.js";
import { demoAvailable } from "../src/catalog/demo.js";
import { createTestApp, type TestApp } from "./helpers/app.js";
import { futureDay, LISBON } from "./helpers/trips.js";

const NIGHTS = 2;

describe("npm run book's trip", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp("pglite");
  });
  afterAll(() => t.close());

  it("books an activity free on the check-in day, where the stay's cheapest is not", async () => {
    const { catalog } = t.services;
    const telling: string[] = [];
    for (let offset = 30; offset < 230 && telling.length < 4; offset++) {
      const checkIn = futureDay(offset);
      const overStay = await catalog.search({
        destinationId: LISBON,
        type: "activity",
        checkIn,
        checkOut: addDays(checkIn, NIGHTS),
        sort: "price_asc",
        offset: 0,
        limit: 1,
      });
      const [cheapest] = overStay.items;
      if (cheapest && !demoAvailable(cheapest, checkIn)) telling.push(checkIn);
    }
    expect(telling.length, "check-in days where searching over the stay picks the wrong activity").toBeGreaterThan(0);

    const api = hc<AppType>("http://api.test", {
      fetch: (input: RequestInfo | URL, init?: RequestInit) => t.app.request(input, init),
    });
    for (const checkIn of telling) {
      const checkOut = addDays(checkIn, NIGHTS);
      const { hotel, activity } = await pickTrip(api, { destination: LISBON, checkIn, checkOut });
      const [hotelItem, activityItem] = await Promise.all([catalog.getItem(hotel.id), catalog.getItem(activity.id)]);
      expect(activityItem?.type).toBe("activity");
      expect(demoAvailable(activityItem!, checkIn), `${activity.id} is free on ${checkIn}`).toBe(true);
      for (const night of daysBetween(checkIn, checkOut)) {
        expect(demoAvailable(hotelItem!, night), `${hotel.id} is free on the night of ${night}`).toBe(true);
      }
    }
  });
});
