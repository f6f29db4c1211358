/**
 * What `npm run book` books: the cheapest hotel in a destination free every night of the stay, and the cheapest
 * activity free on the check-in day, the day it is booked for. An activity's search window is that one day: searched
 * over the stay, the catalog answers with activities free on any day of it.
 */
import { ok, type ApiClient } from "./api-client.js";

export interface TripRequest {
  destination: string;
  checkIn: string;
  checkOut: string;
}

export async function pickTrip(api: ApiClient, { destination, checkIn, checkOut }: TripRequest) {
  const cheapest = (type: "hotel" | "activity", window: { checkIn: string; checkOut?: string }) =>
    ok(api.catalog.search.$get({ query: { destination, type, ...window, sort: "price_asc" } }));
  const [hotels, activities] = await Promise.all([
    cheapest("hotel", { checkIn, checkOut }),
    cheapest("activity", { checkIn }),
  ]);
  const [hotel] = hotels.items;
  const [activity] = activities.items;
  if (!hotel || !activity) throw new Error(`nothing free in ${destination} on ${checkIn}`);
  return { hotel, activity };
}
