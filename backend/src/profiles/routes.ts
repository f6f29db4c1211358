import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";

import { SESSION_SECURITY } from "../auth/middleware.js";
import type { Catalog } from "../catalog/service.js";
import type { Db } from "../db/index.js";
import type { Clock } from "../clock.js";
import { errorResponses } from "../http/errors.js";
import { createRouter, type AuthedEnv } from "../http/router.js";
import { UsdInput, UsdString, usd } from "../http/schemas.js";
import { INTEREST_VOCABULARY } from "../planner/interests.js";
import { getProfile, saveProfile, type ProfileRow } from "./service.js";

export const DIETARY = [
  "vegetarian",
  "vegan",
  "pescatarian",
  "gluten-free",
  "dairy-free",
  "nut-free",
  "halal",
  "kosher",
] as const;
export const ACCESSIBILITY = [
  "wheelchair",
  "step-free",
  "reduced-mobility",
  "hearing",
  "visual",
  "service-animal",
] as const;
export const TRAVEL_STYLES = ["budget", "comfort", "luxury", "adventure", "family", "business"] as const;

const tag = z.string().trim().min(1).max(40);

const ProfileIn = z
  .object({
    interests: z.array(tag).max(20).default([]),
    travelStyle: z.enum(TRAVEL_STYLES).nullable().default(null),
    budget: z
      .object({ perDay: UsdInput.nullable().default(null), perTrip: UsdInput.nullable().default(null) })
      .default({ perDay: null, perTrip: null }),
    dietary: z.array(z.enum(DIETARY)).max(DIETARY.length).default([]),
    accessibility: z.array(z.enum(ACCESSIBILITY)).max(ACCESSIBILITY.length).default([]),
    pastDestinations: z
      .array(z.string().min(1).max(120))
      .max(200)
      .default([])
      .openapi({ description: "Destination ids from /catalog/destinations" }),
  })
  .openapi("ProfileUpdate");

const ProfileOut = z
  .object({
    address: z.string(),
    interests: z.array(z.string()),
    travelStyle: z.enum(TRAVEL_STYLES).nullable(),
    budget: z.object({
      currency: z.literal("USD"),
      perDay: UsdString.nullable(),
      perTrip: UsdString.nullable(),
    }),
    dietary: z.array(z.string()),
    accessibility: z.array(z.string()),
    pastDestinations: z.array(z.string()),
    updatedAt: z.string().nullable(),
  })
  .openapi("Profile");

const ProfileChoices = z
  .object({
    interests: z.array(
      z.object({
        id: z.string().openapi({ description: "What the profile saves", example: "outdoors" }),
        label: z.string().openapi({ example: "the outdoors" }),
      }),
    ),
    dietary: z.array(z.enum(DIETARY)),
    accessibility: z.array(z.enum(ACCESSIBILITY)),
    travelStyles: z.array(z.enum(TRAVEL_STYLES)),
  })
  .openapi("ProfileChoices");

/** The planner's interest vocabulary and the profile's fixed lists, the same for everyone. */
const CHOICES: z.infer<typeof ProfileChoices> = {
  interests: Object.entries(INTEREST_VOCABULARY).map(([id, { label }]) => ({ id, label })),
  dietary: [...DIETARY],
  accessibility: [...ACCESSIBILITY],
  travelStyles: [...TRAVEL_STYLES],
};

function profileOut(address: string, row: ProfileRow | undefined): z.infer<typeof ProfileOut> {
  return {
    address,
    interests: row?.interests ?? [],
    travelStyle: (row?.travelStyle as z.infer<typeof ProfileOut>["travelStyle"]) ?? null,
    budget: {
      currency: "USD",
      perDay: row?.budgetPerDayCents != null ? usd(row.budgetPerDayCents).amount : null,
      perTrip: row?.budgetPerTripCents != null ? usd(row.budgetPerTripCents).amount : null,
    },
    dietary: row?.dietary ?? [],
    accessibility: row?.accessibility ?? [],
    pastDestinations: row?.pastDestinations ?? [],
    updatedAt: row?.updatedAt.toISOString() ?? null,
  };
}

export function profileRoutes(deps: { db: Db; catalog: Catalog; now: Clock }, auth: MiddlewareHandler<AuthedEnv>) {
  return createRouter()
    .openapi(
      createRoute({
        method: "get",
        path: "/choices",
        tags: ["profiles"],
        summary: "What a profile can hold: the interests the planner understands, diets, accessibility needs, styles",
        responses: {
          200: { description: "Choices", content: { "application/json": { schema: ProfileChoices } } },
          ...errorResponses(429),
        },
      }),
      (c) => c.json(CHOICES, 200),
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/",
        tags: ["profiles"],
        summary: "The signed-in traveller's preferences, constraints and past destinations",
        security: SESSION_SECURITY,
        middleware: [auth] as const,
        responses: {
          200: {
            description: "Profile (empty defaults until saved)",
            content: { "application/json": { schema: ProfileOut } },
          },
          ...errorResponses(401, 429),
        },
      }),
      async (c) => {
        const { address } = c.var.user;
        return c.json(profileOut(address, await getProfile(deps.db, address)), 200);
      },
    )
    .openapi(
      createRoute({
        method: "put",
        path: "/",
        tags: ["profiles"],
        summary: "Replace the signed-in traveller's profile",
        security: SESSION_SECURITY,
        middleware: [auth] as const,
        request: { body: { required: true, content: { "application/json": { schema: ProfileIn } } } },
        responses: {
          200: { description: "Saved profile", content: { "application/json": { schema: ProfileOut } } },
          ...errorResponses(400, 401, 413, 429),
        },
      }),
      async (c) => {
        const { address } = c.var.user;
        return c.json(profileOut(address, await saveProfile(deps, address, c.req.valid("json"))), 200);
      },
    );
}
