import { getDeployment } from "@trvl/abi";
import { zeroAddress } from "viem";

import { addDays } from "../../src/catalog/dates.js";
import { call, type TestApp } from "./app.js";
import { futureDay } from "./clock.js";

export { futureDay };

export const LISBON = "lisbon-pt-2267057";
export const STABLECOIN = getDeployment(31337).contracts.Stablecoin.address;
export const ETH = zeroAddress;

/** Catalog items of `type` in `destination` that can be booked in the window, cheapest first. */
export async function availableItems(
  app: TestApp["app"],
  type: string,
  checkIn: string,
  checkOut: string,
  destination = LISBON,
) {
  const query = new URLSearchParams({ destination, type, checkIn, checkOut, sort: "price_asc" });
  const { status, body } = await call(app, "GET", `/catalog/search?${query}`);
  if (status !== 200) throw new Error(`search failed: ${status} ${JSON.stringify(body)}`);
  return body.items as { id: string; price: { amount: string }; priceUnit: string; type: string }[];
}

/** A bookable trip: one hotel for the stay and one activity on the first day. */
export async function tripRequest(app: TestApp["app"], paymentToken: string = STABLECOIN, offset = 40) {
  const checkIn = futureDay(offset);
  const checkOut = addDays(checkIn, 3);
  const [hotel] = await availableItems(app, "hotel", checkIn, checkOut);
  const activities = await availableItems(app, "activity", checkIn, addDays(checkIn, 1));
  return {
    items: [{ itemId: hotel.id }, { itemId: activities[0].id, date: checkIn }],
    checkIn,
    checkOut,
    guests: 2,
    paymentToken,
  };
}
