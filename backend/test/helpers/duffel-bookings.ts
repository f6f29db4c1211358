/** Live Duffel flights booked through the API and paid, as a traveller would: the Duffel tests' common first step. */
import type { Hex, PrivateKeyAccount } from "viem";
import { expect } from "vitest";

import { addDays } from "../../src/catalog/dates.js";
import { call, type TestApp } from "./app.js";
import { payInEth } from "./chain.js";
import { PASSENGERS, stubOffer, type DuffelStub } from "./duffel-stub.js";
import { ETH } from "./trips.js";

/**
 * Books the stub's flight offers (`id`, on `date`) as one trip for the two PASSENGERS, from the first flight's day for
 * three days, and pays it in ETH. `beforePay` runs once it is booked: the worker may act on the payment at once.
 */
export async function bookFlightsAndPay(
  t: TestApp,
  token: string,
  traveller: PrivateKeyAccount,
  flights: { id: string; date: string }[],
  beforePay?: (booking: Record<string, any>) => void,
) {
  const checkIn = flights[0]!.date;
  const { status, body } = await call(t.app, "POST", "/bookings", {
    token,
    body: {
      items: flights.map((flight) => ({ itemId: `duffel-${flight.id}`, date: flight.date })),
      checkIn,
      checkOut: addDays(checkIn, 3),
      guests: 2,
      passengers: PASSENGERS,
      paymentToken: ETH,
    },
  });
  expect(status, JSON.stringify(body)).toBe(201);
  beforePay?.(body.booking);
  await payInEth(traveller, body.pay);
  return { id: body.booking.id as Hex, amount: BigInt(body.booking.payment.amount) };
}

/** A round trip for two the stub offers: out from JFK on `date` ($200.00), back from BOS three days later ($210.00). */
export function outAndBack(stub: DuffelStub, ids: [out: string, back: string], date: string) {
  const out = stub.addOffer(stubOffer(ids[0], date, 2, "200.00"));
  const back = stubOffer(ids[1], addDays(date, 3), 2, "210.00");
  back.slices[0]!.origin.iata_code = "BOS";
  stub.addOffer(back);
  return {
    out,
    back,
    flights: [
      { id: out.id as string, date },
      { id: back.id, date: addDays(date, 3) },
    ],
  };
}
