/**
 * How long a Duffel flight stays cancellable: 12 hours after booking, never past departure, where departure is the
 * origin airport's local time in the zone Duffel names for it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { localTimeToInstant } from "../src/catalog/local-time.js";
import { call, createTestApp, siweMessage, testAccount, type TestApp } from "./helpers/app.js";
import { DuffelStub, PASSENGERS, stubOffer } from "./helpers/duffel-stub.js";
import { LISBON, STABLECOIN } from "./helpers/trips.js";

type Json = Record<string, any>;

const at = (iso: string) => Date.parse(iso);

describe("a local time at a place as an instant", () => {
  it("reads the wall-clock time in the named zone, daylight saving included", () => {
    expect(localTimeToInstant("2027-03-10T10:00:00", "Asia/Tokyo")).toBe(at("2027-03-10T01:00:00Z"));
    expect(localTimeToInstant("2027-03-10T10:00:00", "America/Los_Angeles")).toBe(at("2027-03-10T18:00:00Z"));
    expect(localTimeToInstant("2027-07-10T10:00", "America/Los_Angeles")).toBe(at("2027-07-10T17:00:00Z"));
    expect(localTimeToInstant("2027-07-10T10:00:00", "Asia/Kolkata")).toBe(at("2027-07-10T04:30:00Z"));
    expect(localTimeToInstant("2027-07-10T10:00:00", "UTC")).toBe(at("2027-07-10T10:00:00Z"));
  });

  it("reads a time the clocks skip or pass twice as its earliest instant", () => {
    // 14 March 2027: Los Angeles skips 02:00–03:00; 7 November 2027: it passes 01:00–02:00 twice.
    expect(localTimeToInstant("2027-03-14T02:30:00", "America/Los_Angeles")).toBe(at("2027-03-14T09:30:00Z"));
    expect(localTimeToInstant("2027-11-07T01:30:00", "America/Los_Angeles")).toBe(at("2027-11-07T08:30:00Z"));
  });

  it("keeps an explicit offset, reads an unknown zone as early as any zone could, and refuses a non-time", () => {
    expect(localTimeToInstant("2027-03-10T10:00:00+09:00", "America/Los_Angeles")).toBe(at("2027-03-10T01:00:00Z"));
    expect(localTimeToInstant("2027-03-10T10:00:00", "Mars/Olympus_Mons")).toBe(at("2027-03-09T20:00:00Z"));
    expect(localTimeToInstant("2027-03-10T10:00:00", undefined)).toBe(at("2027-03-09T20:00:00Z"));
    expect(localTimeToInstant("tomorrow", "Asia/Tokyo")).toBeUndefined();
  });
});

describe("a Duffel flight's hold", () => {
  const NOW = "2027-03-10T00:00:00.000Z";
  const day = NOW.slice(0, 10);
  const stub = new DuffelStub();
  let t: TestApp;

  /** An offer departing at 10:00 local time on `day` from an airport in `timeZone`. */
  function departingFrom(id: string, iata: string, timeZone: string) {
    const offer = stubOffer(id, day, 1, "300.00", "2027-03-11T00:00:00Z");
    offer.slices[0]!.origin = { iata_code: iata };
    const segment = offer.slices[0]!.segments[0]! as Json;
    segment.departing_at = `${day}T10:00:00`;
    segment.origin = { iata_code: iata, time_zone: timeZone };
    return stub.addOffer(offer);
  }

  beforeAll(async () => {
    const url = await stub.listen();
    // A clock that stands still: the hold is measured from the booking's instant to the exact departure.
    t = await createTestApp("pglite", {
      env: { DUFFEL_ACCESS_TOKEN: "duffel_test_stub_token", DUFFEL_API_URL: url },
      now: () => new Date(NOW),
    });
  });
  afterAll(async () => {
    await t?.close();
    await stub.close();
  });

  async function signIn() {
    const account = testAccount(15);
    const message = await siweMessage(t.app, account, { issuedAt: new Date(NOW) });
    const signature = await account.signMessage({ message });
    const { body } = await call(t.app, "POST", "/auth/verify", { body: { message, signature } });
    return body.token as string;
  }

  async function holdEnd(offerId: string) {
    const token = await signIn();
    const booked = await call(t.app, "POST", "/bookings", {
      token,
      body: {
        checkIn: day,
        checkOut: "2027-03-12",
        guests: 1,
        paymentToken: STABLECOIN,
        passengers: [PASSENGERS[0]],
        items: [{ itemId: `duffel-${offerId}`, date: day }],
      },
    });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    return (booked.body as Json).booking.items[0].freeCancelUntil as string;
  }

  it("ends at departure in Tokyo time when that comes first, and after 12 hours for the same wall-clock time in Los Angeles", async () => {
    departingFrom("off_tokyostub", "HND", "Asia/Tokyo");
    departingFrom("off_laxstub", "LAX", "America/Los_Angeles");
    // 10:00 in Tokyo is 01:00 UTC, one hour away (read as UTC it would have been ten hours).
    expect(await holdEnd("off_tokyostub")).toBe("2027-03-10T01:00:00.000Z");
    // 10:00 in Los Angeles is 18:00 UTC, more than 12 hours away: the full hold (read as UTC, ten hours).
    expect(await holdEnd("off_laxstub")).toBe("2027-03-10T12:00:00.000Z");
  });
});
