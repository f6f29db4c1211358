/**
 * The travellers a supplier needs by name (an airline ticket is issued to a person): given when the booking is made,
 * stored with it, sent only to the supplier and never logged or shown to anyone but the booking's traveller.
 */
import { z } from "@hono/zod-openapi";

export const PASSENGER_TITLES = ["mr", "ms", "mrs", "miss", "dr"] as const;
export const PASSENGER_GENDERS = ["m", "f"] as const;

const Name = z
  .string()
  .trim()
  .min(1, "is required")
  .max(60, "must be at most 60 characters")
  .regex(/^[\p{L}][\p{L}\p{M}' .-]*$/u, "must be letters (spaces, hyphens, apostrophes and dots allowed)");

export const PassengerSchema = z
  .object({
    title: z.enum(PASSENGER_TITLES),
    givenName: Name,
    familyName: Name,
    bornOn: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date, YYYY-MM-DD")
      .refine((day) => !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && new Date(day).toISOString().startsWith(day), {
        message: "must be a real date",
      }),
    gender: z.enum(PASSENGER_GENDERS).openapi({ description: "As on the passport: m or f" }),
    email: z.string().trim().email("must be an email address").max(254),
    phoneNumber: z
      .string()
      .trim()
      .regex(/^\+[1-9]\d{6,14}$/, "must be in international format, e.g. +442080160509"),
  })
  .openapi("Passenger");

export type Passenger = z.infer<typeof PassengerSchema>;

/** A passenger must be born by the day they travel (and not implausibly long before). */
export function passengerProblem(passengers: Passenger[], firstDay: string): string | undefined {
  for (const [index, passenger] of passengers.entries()) {
    if (passenger.bornOn > firstDay) return `passengers.${index}.bornOn is after the trip starts`;
    if (passenger.bornOn < "1900-01-01") return `passengers.${index}.bornOn is before 1900`;
  }
  return undefined;
}
