/** A traveller's profile: preferences, constraints and past destinations, one row per address. */
import { eq } from "drizzle-orm";
import type { Address } from "viem";

import type { Catalog } from "../catalog/service.js";
import type { Clock } from "../clock.js";
import { schema, type Db } from "../db/index.js";
import { ApiError } from "../http/errors.js";

export type ProfileRow = typeof schema.profiles.$inferSelect;

export interface ProfileInput {
  interests: string[];
  travelStyle: string | null;
  budget: { perDay: bigint | null; perTrip: bigint | null };
  dietary: string[];
  accessibility: string[];
  pastDestinations: string[];
}

/** The saved profile, or undefined before the traveller saves one. */
export async function getProfile(db: Db, address: Address): Promise<ProfileRow | undefined> {
  const [row] = await db.select().from(schema.profiles).where(eq(schema.profiles.address, address));
  return row;
}

/** Replaces the profile; every past destination must be a catalog destination (a 400 names the first that is not). */
export async function saveProfile(
  deps: { db: Db; catalog: Catalog; now: Clock },
  address: Address,
  input: ProfileInput,
): Promise<ProfileRow> {
  const unknown = input.pastDestinations.findIndex((id) => !deps.catalog.destinationsById.has(id));
  if (unknown >= 0) {
    const field = `body.pastDestinations.${unknown}`;
    throw new ApiError(400, "validation_failed", `${field}: unknown destination`, {
      fields: [{ field, message: "unknown destination" }],
    });
  }
  const values = {
    interests: [...new Set(input.interests)],
    travelStyle: input.travelStyle,
    budgetPerDayCents: input.budget.perDay,
    budgetPerTripCents: input.budget.perTrip,
    dietary: [...new Set(input.dietary)],
    accessibility: [...new Set(input.accessibility)],
    pastDestinations: [...new Set(input.pastDestinations)],
    updatedAt: deps.now(),
  };
  const [row] = await deps.db.transaction(async (tx) => {
    await tx.insert(schema.users).values({ address }).onConflictDoNothing();
    return tx
      .insert(schema.profiles)
      .values({ address, ...values })
      .onConflictDoUpdate({ target: schema.profiles.address, set: values })
      .returning();
  });
  return row;
}
