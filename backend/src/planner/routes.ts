import { createRoute, z } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { streamSSE } from "hono/streaming";

import { SESSION_SECURITY } from "../auth/middleware.js";
import type { Config } from "../config/index.js";
import { ApiError, errorResponses } from "../http/errors.js";
import type { StoreFactory } from "../http/middleware.js";
import { createRouter, type AuthedEnv, type SessionUser } from "../http/router.js";
import { UsdInput } from "../http/schemas.js";
import { workGuard, type WorkGuard } from "../http/work-limit.js";
import { ACCESSIBILITY, DIETARY, TRAVEL_STYLES } from "../profiles/routes.js";
import type { PlannerService } from "./service.js";
import { PlanResult, type PlanEvent, type TravellerContext } from "./types.js";

const tag = z.string().trim().min(1).max(40);

export const ProfileOverrides = z
  .object({
    interests: z.array(tag).max(20).optional(),
    travelStyle: z.enum(TRAVEL_STYLES).nullable().optional(),
    budget: z.object({ perDay: UsdInput.nullable().optional(), perTrip: UsdInput.nullable().optional() }).optional(),
    dietary: z.array(z.enum(DIETARY)).max(DIETARY.length).optional(),
    accessibility: z.array(z.enum(ACCESSIBILITY)).max(ACCESSIBILITY.length).optional(),
  })
  .openapi("ProfileOverrides");

export const PlanBody = z
  .object({
    text: z
      .string()
      .trim()
      .min(1)
      .max(2_000)
      .openapi({ example: "A long weekend in Lisbon in May for two, food and museums, under €900" }),
    conversationId: z
      .uuid()
      .optional()
      .openapi({
        description:
          "Continue this conversation (signed in, default: the latest). A visitor continues theirs with the id the " +
          "last answer gave, while it has not expired; an expired or unknown one starts afresh",
      }),
    newConversation: z.boolean().optional().openapi({ description: "Start a fresh conversation" }),
    profile: ProfileOverrides.optional().openapi({ description: "Overrides of the saved profile for this request" }),
  })
  .openapi("PlanRequest");

export function overridesOf(profile: z.infer<typeof ProfileOverrides> | undefined): Partial<TravellerContext> {
  if (!profile) return {};
  return {
    interests: profile.interests,
    travelStyle: profile.travelStyle,
    budgetPerDayCents: profile.budget?.perDay,
    budgetPerTripCents: profile.budget?.perTrip,
    dietary: profile.dietary,
    accessibility: profile.accessibility,
  };
}

const ConversationTurns = z.array(z.object({ request: z.string(), result: PlanResult, createdAt: z.string() }));

const Conversations = z
  .object({
    conversations: z.array(
      z.object({ id: z.string(), createdAt: z.string(), updatedAt: z.string(), turns: ConversationTurns }),
    ),
  })
  .openapi("PlannerConversations");

const OneConversation = z
  .object({
    id: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    expiresAt: z
      .string()
      .nullable()
      .openapi({ description: "When a visitor's conversation is deleted; null signed in" }),
    turns: ConversationTurns,
  })
  .openapi("PlannerConversation");

export const userOf = (c: Context) => c.get("user") as SessionUser | undefined;

/** The bounds of planning (POST /planner/plan and /planner/plan/stream), from PLANNER_* settings. */
export function plannerWork(config: Config, stores: StoreFactory): WorkGuard {
  return workGuard(
    {
      name: "planner",
      what: "planning requests",
      concurrency: config.PLANNER_CONCURRENCY,
      queue: config.PLANNER_QUEUE,
      perClient: config.PLANNER_IN_FLIGHT_PER_CLIENT,
      perIpPerWindow: config.PLANNER_RATE_LIMIT_PER_IP,
      perUserPerWindow: config.PLANNER_RATE_LIMIT_PER_USER,
    },
    config,
    stores,
  );
}

const BUSY =
  " Beyond this client's share: 429 (`rate_limited`, `too_many_in_flight`); when the server is busy: 503 " +
  "`server_busy`; both with Retry-After.";

export function plannerRoutes(
  planner: PlannerService,
  auth: MiddlewareHandler<AuthedEnv>,
  maybeAuth: MiddlewareHandler<AuthedEnv>,
  work: WorkGuard,
) {
  return createRouter()
    .openapi(
      createRoute({
        method: "post",
        path: "/planner/plan",
        tags: ["planner"],
        summary: "Plan a trip from a request in words",
        description:
          "The earlier turns of the conversation are the planner's context and the turn is recorded; a follow-up " +
          "changes only what it says. Signed in, the saved profile counts too and conversations last until forgotten; " +
          "a visitor's conversation is reached by its id alone (`conversationId` in the answer) and expires a day " +
          "after its last turn. `status` is `plan` (every item a catalog item, " +
          "`plan.booking` is the body of POST /bookings less `paymentToken`), `clarification` (what is missing) or " +
          "`cannot` (why not)." +
          BUSY,
        security: [...SESSION_SECURITY, {}],
        middleware: [maybeAuth, ...work.guards],
        request: { body: { required: true, content: { "application/json": { schema: PlanBody } } } },
        responses: {
          200: { description: "The planner's answer", content: { "application/json": { schema: PlanResult } } },
          ...errorResponses(400, 401, 404, 413, 429, 502, 503),
        },
      }),
      async (c) => {
        const body = c.req.valid("json");
        const release = await work.admit(c);
        try {
          const result = await planner.plan({
            text: body.text,
            address: userOf(c)?.address,
            conversationId: body.conversationId,
            newConversation: body.newConversation,
            overrides: overridesOf(body.profile),
          });
          return c.json(result, 200);
        } finally {
          release();
        }
      },
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/planner/plan/stream",
        tags: ["planner"],
        summary: "Plan a trip, streaming progress as server-sent events",
        description:
          "Same body as POST /planner/plan. Events: `status` ({message}) while planning, `delta` ({text}) as an LLM " +
          "writes, `day` ({day}) for each planned day, then `result` (the PlanResult) or `error` ({code, message})." +
          BUSY,
        security: [...SESSION_SECURITY, {}],
        middleware: [maybeAuth, ...work.guards],
        request: { body: { required: true, content: { "application/json": { schema: PlanBody } } } },
        responses: {
          200: { description: "The event stream", content: { "text/event-stream": { schema: z.string() } } },
          ...errorResponses(400, 401, 413, 429, 503),
        },
      }),
      async (c) => {
        const body = c.req.valid("json");
        const address = userOf(c)?.address;
        // Before the stream opens, so that a refusal is an HTTP error; the slot is held until the stream ends.
        const release = await work.admit(c);
        return streamSSE(c, async (stream) => {
          const controller = new AbortController();
          stream.onAbort(() => controller.abort());
          let chain = Promise.resolve();
          const emit = (event: PlanEvent) => {
            const { type, ...data } = event;
            chain = chain.then(() => stream.writeSSE({ event: type, data: JSON.stringify(data) }));
          };
          try {
            const result = await planner.plan(
              {
                text: body.text,
                address,
                conversationId: body.conversationId,
                newConversation: body.newConversation,
                overrides: overridesOf(body.profile),
              },
              emit,
              controller.signal,
            );
            await chain;
            await stream.writeSSE({ event: "result", data: JSON.stringify(result) });
          } catch (error) {
            await chain;
            const known = error instanceof ApiError;
            if (!known) c.var.log?.error({ err: error }, "streamed planning failed");
            await stream.writeSSE({
              event: "error",
              data: JSON.stringify({
                code: known ? error.code : "internal_error",
                message: known
                  ? error.message
                  : "Planning failed on our side; the request id identifies it in the logs",
              }),
            });
          } finally {
            release();
          }
        });
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/planner/conversations",
        tags: ["planner"],
        summary: "The signed-in traveller's planning conversations, latest first, with their turns",
        security: SESSION_SECURITY,
        middleware: [auth] as const,
        responses: {
          200: { description: "Conversations", content: { "application/json": { schema: Conversations } } },
          ...errorResponses(401, 429),
        },
      }),
      async (c) => c.json({ conversations: await planner.conversations(c.var.user.address) }, 200),
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/planner/conversations/{id}",
        tags: ["planner"],
        summary: "One conversation with its turns: the signed-in traveller's own, or a visitor's that has not expired",
        description: "For the page that continues a conversation after a reload. 404 for anyone else's.",
        security: [...SESSION_SECURITY, {}],
        middleware: [maybeAuth] as const,
        request: { params: z.object({ id: z.uuid() }) },
        responses: {
          200: { description: "The conversation", content: { "application/json": { schema: OneConversation } } },
          ...errorResponses(400, 401, 404, 429),
        },
      }),
      async (c) => c.json(await planner.conversationById(c.req.valid("param").id, userOf(c)?.address), 200),
    )
    .openapi(
      createRoute({
        method: "delete",
        path: "/planner/conversations",
        tags: ["planner"],
        summary: "Forget the signed-in traveller's conversations (all, or the one named by `id`)",
        security: SESSION_SECURITY,
        middleware: [auth] as const,
        request: { query: z.object({ id: z.uuid().optional() }) },
        responses: {
          200: {
            description: "How many conversations were deleted",
            content: { "application/json": { schema: z.object({ deleted: z.number().int() }) } },
          },
          ...errorResponses(400, 401, 429),
        },
      }),
      async (c) => c.json({ deleted: await planner.forget(c.var.user.address, c.req.valid("query").id) }, 200),
    );
}
