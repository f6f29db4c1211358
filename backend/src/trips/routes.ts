import { z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";

import { signedInRoute } from "../auth/middleware.js";
import { CatalogItemOut, itemOut } from "../catalog/routes.js";
import type { Catalog } from "../catalog/service.js";
import { errorResponses } from "../http/errors.js";
import { createRouter, type AuthedEnv } from "../http/router.js";
import { IsoDate } from "../http/schemas.js";
import { Plan } from "../planner/types.js";
import type { TripService } from "./service.js";

const TripOut = z
  .object({
    id: z.string(),
    status: z.enum(["draft", "booked", "travelled"]),
    plan: Plan,
    bookingId: z.string().nullable(),
    conversationId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Trip");

const itemId = z.string().min(1).max(200);

const TripEditIn = z
  .discriminatedUnion("op", [
    z.object({ op: z.literal("remove"), itemId, date: IsoDate }),
    z.object({ op: z.literal("swap"), itemId, date: IsoDate, withItemId: itemId }),
    z.object({
      op: z.literal("move"),
      itemId,
      date: IsoDate,
      toDate: IsoDate.optional().openapi({ description: "Another day of the stay" }),
      time: z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a time as HH:MM")
        .optional()
        .openapi({ description: "The start time the traveller chooses (local, HH:MM); the timetable keeps it" }),
    }),
    z.object({ op: z.literal("add"), itemId, date: IsoDate }),
  ])
  .openapi("TripEdit");

const TripId = z.object({ id: z.uuid() });

export function tripRoutes(trips: TripService, catalog: Catalog, auth: MiddlewareHandler<AuthedEnv>) {
  const tripRoute = signedInRoute("trips", auth);
  return createRouter()
    .openapi(
      tripRoute({
        method: "post",
        path: "/trips",
        summary: "Save a plan as a draft trip",
        description:
          "The plan (a planner answer's `plan`) is checked and priced again as POST /bookings would price it. " +
          "409 `trip_does_not_fit` names what no longer fits (an item sold out, a date passed).",
        request: {
          body: {
            required: true,
            content: {
              "application/json": { schema: z.object({ plan: Plan, conversationId: z.uuid().optional() }) },
            },
          },
        },
        responses: {
          201: { description: "The saved trip", content: { "application/json": { schema: TripOut } } },
          ...errorResponses(400, 401, 409, 429),
        },
      }),
      async (c) => {
        const body = c.req.valid("json");
        return c.json(await trips.save(c.var.user.address, body.plan, body.conversationId), 201);
      },
    )
    .openapi(
      tripRoute({
        method: "get",
        path: "/trips",
        summary: "The signed-in traveller's trips, latest changed first",
        responses: {
          200: {
            description: "Trips",
            content: { "application/json": { schema: z.object({ trips: z.array(TripOut) }) } },
          },
          ...errorResponses(401, 429),
        },
      }),
      async (c) => c.json({ trips: await trips.list(c.var.user.address) }, 200),
    )
    .openapi(
      tripRoute({
        method: "get",
        path: "/trips/{id}",
        summary: "One trip, as it was left",
        request: { params: TripId },
        responses: {
          200: { description: "The trip", content: { "application/json": { schema: TripOut } } },
          ...errorResponses(400, 401, 404, 429),
        },
      }),
      async (c) => c.json(await trips.get(c.var.user.address, c.req.valid("param").id), 200),
    )
    .openapi(
      tripRoute({
        method: "delete",
        path: "/trips/{id}",
        summary: "Delete a draft trip",
        request: { params: TripId },
        responses: {
          204: { description: "Deleted" },
          ...errorResponses(400, 401, 404, 409, 429),
        },
      }),
      async (c) => {
        await trips.remove(c.var.user.address, c.req.valid("param").id);
        return c.body(null, 204);
      },
    )
    .openapi(
      tripRoute({
        method: "post",
        path: "/trips/{id}/edits",
        summary: "Change a draft: remove, swap, move (to another day or time) or add an item; the trip is re-priced",
        description:
          "Items are named by id and day. The edited trip is scheduled and priced again exactly as POST /bookings " +
          "prices it; 409 `trip_does_not_fit` says why an edit cannot be made (closed that day, over the budget, …).",
        request: {
          params: TripId,
          body: { required: true, content: { "application/json": { schema: TripEditIn } } },
        },
        responses: {
          200: { description: "The edited trip", content: { "application/json": { schema: TripOut } } },
          ...errorResponses(400, 401, 404, 409, 429),
        },
      }),
      async (c) => c.json(await trips.edit(c.var.user.address, c.req.valid("param").id, c.req.valid("json")), 200),
    )
    .openapi(
      tripRoute({
        method: "get",
        path: "/trips/{id}/alternatives",
        summary: "Three items of the same kind to swap for one of the trip's, free on its day",
        request: { params: TripId, query: z.object({ itemId, date: IsoDate }) },
        responses: {
          200: {
            description: "Alternatives, best rated first",
            content: { "application/json": { schema: z.object({ items: z.array(CatalogItemOut) }) } },
          },
          ...errorResponses(400, 401, 404, 429),
        },
      }),
      async (c) => {
        const { itemId: item, date } = c.req.valid("query");
        const found = await trips.alternatives(c.var.user.address, c.req.valid("param").id, item, date);
        return c.json({ items: found.map((i) => itemOut(catalog, i)) }, 200);
      },
    )
    .openapi(
      tripRoute({
        method: "post",
        path: "/trips/{id}/booking",
        summary: "Record the booking made of this trip (POST /bookings with its plan.booking)",
        request: {
          params: TripId,
          body: {
            required: true,
            content: { "application/json": { schema: z.object({ bookingId: z.string().min(1).max(100) }) } },
          },
        },
        responses: {
          200: { description: "The booked trip", content: { "application/json": { schema: TripOut } } },
          ...errorResponses(400, 401, 404, 409, 429),
        },
      }),
      async (c) =>
        c.json(await trips.booked(c.var.user.address, c.req.valid("param").id, c.req.valid("json").bookingId), 200),
    );
}
