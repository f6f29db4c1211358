import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import type { Plan } from "@/lib/api";

import { LISBON_PLAN } from "./fixtures";
import { emptyPassenger, needsPassengers, passengerErrorSentence, PassengersForm } from "./passengers-form";

const flight = (itemId: string) => ({
  ...LISBON_PLAN.days[0]!.items[0]!,
  itemId,
  type: "flight" as const,
  name: "Stub Airways JFK → LIS",
});

const withFlight = (itemId: string, booked = true): Plan => ({
  ...LISBON_PLAN,
  days: [
    { ...LISBON_PLAN.days[0]!, items: [...LISBON_PLAN.days[0]!.items, flight(itemId)] },
    ...LISBON_PLAN.days.slice(1),
  ],
  booking: {
    ...LISBON_PLAN.booking,
    items: booked ? [...LISBON_PLAN.booking.items, { itemId, date: "2026-12-06" }] : LISBON_PLAN.booking.items,
  },
});

describe("passengers of a booking", () => {
  it("are asked for a live airline flight only: not for demo flights, nor a flight the booking leaves out", () => {
    expect(needsPassengers(withFlight("duffel-off_0001stub"))).toBe(true);
    expect(needsPassengers(withFlight("demo-flight-7"))).toBe(false);
    expect(needsPassengers(withFlight("duffel-off_0001stub", false))).toBe(false);
    expect(needsPassengers(LISBON_PLAN)).toBe(false);
  });

  it("are asked for a live hotel too (it is booked in the guests' names), never for a demo hotel", () => {
    const stay = withFlight("duffel-stay-rat_0001stub");
    stay.days[0]!.items.at(-1)!.type = "hotel";
    expect(needsPassengers(stay)).toBe(true);
    // LISBON_PLAN books a demo hotel.
    expect(LISBON_PLAN.days[0]!.items.some((item) => item.type === "hotel")).toBe(true);
    expect(needsPassengers(LISBON_PLAN)).toBe(false);
  });

  it("one labelled fieldset per passenger, every field required, the phone in international format", () => {
    const html = renderToStaticMarkup(
      createElement(PassengersForm, {
        passengers: [emptyPassenger(), { ...emptyPassenger(), givenName: "Tony" }],
        onChange: () => undefined,
      }),
    );
    expect(html.match(/<fieldset/g)).toHaveLength(2);
    expect(html).toContain("<legend");
    expect(html).toContain("Passenger 2");
    for (const label of ["Title", "Gender", "Given name", "Family name", "Date of birth", "Email", "Phone"]) {
      expect(html.split(label).length - 1, label).toBe(2);
    }
    // Five typed fields per passenger, each required; the browser checks the date, the email and the phone.
    expect(html.match(/required=""/g)).toHaveLength(10);
    expect(html).toContain('type="date"');
    expect(html).toContain('type="email"');
    expect(html).toContain('pattern="\\+[1-9][0-9]{6,14}"');
    expect(html).toContain('value="Tony"');
    // The browser fills in only the first passenger: the second is someone else.
    expect(html.match(/autoComplete="given-name"|autocomplete="given-name"/g)).toHaveLength(1);
  });

  it("a refused passenger field is named as the form shows it: which passenger, which field, what is wrong", () => {
    expect(passengerErrorSentence("body.passengers.1.bornOn is after the trip starts")).toBe(
      "Passenger 2's date of birth is after the trip starts",
    );
    expect(
      passengerErrorSentence("body.passengers.0.phoneNumber: must be in international format, e.g. +442080160509"),
    ).toBe("Passenger 1's phone must be in international format, e.g. +442080160509");
    // Anything else is left as the API said it.
    expect(passengerErrorSentence("body.checkOut: must be after checkIn")).toBe("body.checkOut: must be after checkIn");
    expect(passengerErrorSentence("body.passengers.0.shoeSize: unknown")).toBe("body.passengers.0.shoeSize: unknown");
  });
});
