import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";

import { SESSION_SECURITY } from "../auth/middleware.js";
import { nightsBetween } from "../catalog/dates.js";
import { CatalogItemOut, itemOut, MAX_NIGHTS } from "../catalog/routes.js";
import type { Catalog } from "../catalog/service.js";
import { ITEM_TYPES } from "../catalog/types.js";
import type { Db } from "../db/index.js";
import type { Clock } from "../clock.js";
import { INTERACTION_KINDS } from "../db/schema.js";
import { ApiError, errorResponses } from "../http/errors.js";
import { createRouter, type AuthedEnv } from "../http/router.js";
import { IsoDate } from "../http/schemas.js";
import type { PlannerService } from "../planner/service.js";
import { recordInteraction } from "./interactions.js";
import type { Recommender } from "./service.js";

const InteractionIn = z
  .object({
    itemId: z.string().min(1).max(200).openapi({ example: "demo-activity-2267057-3" }),
    kind: z.enum(INTERACTION_KINDS),
  })
  .openapi("InteractionRequest");

const InteractionOut = z
  .object({
    id: z.string(),
    itemId: z.string(),
    destinationId: z.string(),
    kind: z.enum(INTERACTION_KINDS),
    createdAt: z.string(),
  })
  .openapi("Interaction");

const RecommendationQuery = z
  .object({
    destination: z.string().min(1).max(120).optional().openapi({ description: "A destination id" }),
    checkIn: IsoDate.optional(),
    checkOut: IsoDate.optional(),
    type: z.enum(ITEM_TYPES).optional(),
    limit: z.coerce.number().int().min(1).max(50).default(10),
  })
  .superRefine((query, ctx) => {
    if (query.checkOut && !query.checkIn)
      ctx.addIssue({ code: "custom", path: ["checkIn"], message: "is required with checkOut" });
    if (query.checkIn && query.checkOut) {
      const nights = nightsBetween(query.checkIn, query.checkOut);
      if (nights < 1) ctx.addIssue({ code: "custom", path: ["checkOut"], message: "must be after checkIn" });
      if (nights > MAX_NIGHTS)
        ctx.addIssue({ code: "custom", path: ["checkOut"], message: `at most ${MAX_NIGHTS} nights` });
    }
  });

const Recommendations = z
  .object({
    personalised: z.boolean().openapi({ description: "False for travellers without preferences or interactions yet" }),
    embedder: z.enum(["openai", "hashing"]),
    items: z.array(
      z.object({
        item: CatalogItemOut,
        score: z
          .number()
          .openapi({ description: "Cosine similarity with the traveller's profile (0 when not personalised)" }),
        reason: z.string().openapi({ example: "Because you booked Lisbon by bike" }),
      }),
    ),
  })
  .openapi("Recommendations");

/** `POST /interactions`: mounted at /interactions. */
export function interactionRoutes(deps: { db: Db; catalog: Catalog; now: Clock }, auth: MiddlewareHandler<AuthedEnv>) {
  return createRouter().openapi(
    createRoute({
      method: "post",
      path: "/",
      tags: ["recommendations"],
      summary: "Record that the signed-in traveller viewed, liked or booked a catalog item",
      security: SESSION_SECURITY,
      middleware: [auth] as const,
      request: { body: { required: true, content: { "application/json": { schema: InteractionIn } } } },
      responses: {
        201: { description: "Recorded", content: { "application/json": { schema: InteractionOut } } },
        ...errorResponses(400, 401, 413, 422, 429),
      },
    }),
    async (c) => c.json(await recordInteraction(deps, c.var.user.address, c.req.valid("json")), 201),
  );
}

/** `GET /recommendations`: mounted at /recommendations. */
export function recommendationRoutes(
  deps: { catalog: Catalog; recommender: Recommender; planner: PlannerService },
  auth: MiddlewareHandler<AuthedEnv>,
) {
  const { catalog, recommender, planner } = deps;
  return createRouter().openapi(
    createRoute({
      method: "get",
      path: "/",
      tags: ["recommendations"],
      summary: "Catalog items for the signed-in traveller, most similar to their profile first, each with a reason",
      description:
        "Ranks by cosine similarity between the traveller's profile vector (saved interests, diet and style, plus " +
        "viewed, liked and booked items) and item vectors; filtered by destination, type and dates (items bookable " +
        "in the window). Without any signal yet: the destination's (or the largest destinations') popular items.",
      security: SESSION_SECURITY,
      middleware: [auth] as const,
      request: { query: RecommendationQuery },
      responses: {
        200: { description: "Recommendations", content: { "application/json": { schema: Recommendations } } },
        ...errorResponses(400, 401, 429),
      },
    }),
    async (c) => {
      const query = c.req.valid("query");
      if (query.destination && !catalog.destinationsById.has(query.destination))
        throw new ApiError(400, "validation_failed", "query.destination: unknown destination", {
          fields: [{ field: "query.destination", message: "unknown destination" }],
        });
      const address = c.var.user.address;
      const traveller = await planner.traveller(address);
      const { items, personalised } = await recommender.recommend(address, traveller, {
        destinationId: query.destination,
        checkIn: query.checkIn,
        checkOut: query.checkOut,
        type: query.type,
        limit: query.limit,
      });
      return c.json(
        {
          personalised,
          embedder: recommender.embedderName as "openai" | "hashing",
          items: items.map(({ item, score, reason }) => ({ item: itemOut(catalog, item), score, reason })),
        },
        200,
      );
    },
  );
}
