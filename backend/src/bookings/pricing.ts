/** Prices a booking's lines from the catalog (the planner prices its plans with the same code). */
import { BOOKING_HORIZON_MONTHS, latestCheckIn, nightsBetween } from "../catalog/dates.js";
import type { Catalog } from "../catalog/service.js";
import type { CatalogItem } from "../catalog/types.js";
import { ApiError } from "../http/errors.js";
import type { BookingRequest } from "./model.js";

const field = (name: string, message: string) => ({ fields: [{ field: name, message }] });

export interface PricedLine {
  item: CatalogItem;
  quantity: number;
  totalCents: bigint;
}

/** Prices each line from the catalog for the stay and party, checking that it can be booked on its dates. */
export async function priceLines(catalog: Catalog, request: BookingRequest, today: string): Promise<PricedLine[]> {
  const { checkIn, checkOut, guests } = request;
  if (checkIn < today) {
    throw new ApiError(
      400,
      "validation_failed",
      "body.checkIn: must not be in the past",
      field("body.checkIn", "must not be in the past"),
    );
  }
  const latest = latestCheckIn(today);
  if (checkIn > latest) {
    const message = `must be at most ${BOOKING_HORIZON_MONTHS} months ahead (on or before ${latest})`;
    throw new ApiError(400, "validation_failed", `body.checkIn: ${message}`, field("body.checkIn", message));
  }
  const nights = nightsBetween(checkIn, checkOut);
  const seen = new Set<string>();
  const lines: PricedLine[] = [];
  for (const [index, line] of request.items.entries()) {
    const at = `body.items.${index}`;
    const item = await catalog.getItem(line.itemId);
    if (!item)
      throw new ApiError(
        422,
        "item_not_found",
        `${at}.itemId: no such catalog item`,
        field(`${at}.itemId`, "no such catalog item"),
      );
    const key = `${item.id}@${item.type === "hotel" ? "stay" : (line.date ?? checkIn)}`;
    if (seen.has(key))
      throw new ApiError(
        400,
        "validation_failed",
        `${at}: the same item twice on the same day`,
        field(at, "duplicate item"),
      );
    seen.add(key);

    let quantity: number;
    let available: boolean;
    if (item.type === "hotel") {
      if (line.date)
        throw new ApiError(
          400,
          "validation_failed",
          `${at}.date: hotels are booked for the whole stay`,
          field(`${at}.date`, "hotels are booked for the whole stay"),
        );
      const stay = item.details.kind === "hotel" ? item.details.stay : undefined;
      if (stay && (stay.checkIn !== checkIn || stay.checkOut !== checkOut || stay.guests !== guests)) {
        // A supplier's rate is priced whole, for the stay and party it was searched for.
        throw new ApiError(
          422,
          "party_mismatch",
          `${at}: the rate is for ${stay.guests} guest(s) from ${stay.checkIn} to ${stay.checkOut}, not ${guests} from ${checkIn} to ${checkOut}`,
          field(`${at}.itemId`, "rate priced for another stay or party size"),
        );
      }
      quantity = stay ? 1 : nights * Math.ceil(guests / 2);
      available = catalog.isAvailable(item, checkIn, checkOut);
    } else {
      const date = line.date ?? checkIn;
      // The departure day is part of the trip: a morning activity before check-out can be booked on it.
      if (date < checkIn || date > checkOut) {
        throw new ApiError(
          400,
          "validation_failed",
          `${at}.date: must be within the trip`,
          field(`${at}.date`, "must be from checkIn to checkOut (the departure day)"),
        );
      }
      if (item.priceUnit === "offer") {
        const passengers = item.details.kind === "flight" ? (item.details.passengers ?? 1) : 1;
        if (passengers !== guests) {
          throw new ApiError(
            422,
            "party_mismatch",
            `${at}: the offer is for ${passengers} passenger(s), not ${guests}`,
            field(`${at}.itemId`, "offer priced for another party size"),
          );
        }
        quantity = 1;
      } else {
        quantity = guests;
      }
      available = catalog.availableOn(item, date);
    }
    if (!available)
      throw new ApiError(
        409,
        "item_unavailable",
        `${item.name} cannot be booked on those dates`,
        field(`${at}.itemId`, "not available on those dates"),
      );
    lines.push({ item, quantity, totalCents: item.priceCents * BigInt(quantity) });
  }
  return lines;
}
