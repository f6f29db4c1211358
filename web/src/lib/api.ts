/**
 * The typed API client: Hono's `hc` over the backend's own route types (`AppType`), so requests and responses are
 * checked against the server's schemas and never redeclared here. The session cookie goes with every request.
 */
import type { AppType } from "@trvl/backend/app";
import { hc, parseResponse, type ClientResponse, type InferRequestType, type InferResponseType } from "hono/client";

import { config } from "./config.ts";

/** The events of a voice conversation (GET /voice/stream), as the backend's session sends them. */
export type { ServerEvent as VoiceServerEvent } from "@trvl/backend/voice/session";

export const api = hc<AppType>(config.apiUrl, { init: { credentials: "include" } });

/** An API error as the person using the app should read it, with the API's code for the code that handles it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

const FRIENDLY: Record<string, string> = {
  unauthenticated: "Sign in with your wallet first.",
  invalid_session: "Your session ended. Sign in again.",
  rate_limited: "Too many requests for now. Wait a moment and try again.",
  internal_error: "Something went wrong on our side. Please try again.",
};

/** The error body every API error has (see backend/src/http/errors.ts), read defensively. */
export async function apiErrorOf(response: { status: number; json(): Promise<unknown> }): Promise<ApiError> {
  let code = "http_error";
  let message: string | undefined;
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body?.error?.code === "string") code = body.error.code;
    if (typeof body?.error?.message === "string") message = body.error.message;
  } catch {
    // Not JSON: a proxy's page or an empty body.
  }
  if (response.status === 429) code = "rate_limited";
  const friendly =
    FRIENDLY[code] ??
    (response.status >= 500
      ? "The TRVL service is having trouble right now. Please try again."
      : (message ?? "The request was refused."));
  return new ApiError(response.status, code, friendly);
}

/**
 * Sends a typed request and returns its success body, or throws an `ApiError` with a sentence to show. Network
 * failures become "could not reach" rather than a browser's TypeError.
 */
export async function call<T extends ClientResponse<unknown>>(request: T | Promise<T>) {
  let response: T;
  try {
    response = await request;
  } catch {
    throw new ApiError(0, "network", "Could not reach the TRVL service. Check your connection and try again.");
  }
  if (!response.ok) throw await apiErrorOf(response);
  return parseResponse(response);
}

/** A sentence for any error from a query or mutation. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return "Something went wrong. Please try again.";
}

export type Booking = InferResponseType<(typeof api.bookings)[":id"]["$get"], 200>["booking"];
export type PaymentInstructions = NonNullable<InferResponseType<(typeof api.bookings)[":id"]["$get"], 200>["pay"]>;
export type CatalogItem = InferResponseType<typeof api.catalog.search.$get, 200>["items"][number];
export type BookingStatus = Booking["status"];
export type PlanResult = InferResponseType<typeof api.planner.plan.$post, 200>;
export type Plan = Extract<PlanResult, { status: "plan" }>["plan"];
export type PlanItem = Plan["days"][number]["items"][number];
export type VoicePlan = InferResponseType<typeof api.voice.plan.$post, 200>;
export type SessionState = InferResponseType<typeof api.auth.session.$get, 200>;
export type PlannerTurn = InferResponseType<
  typeof api.planner.conversations.$get,
  200
>["conversations"][number]["turns"][number];
export type Profile = InferResponseType<typeof api.me.profile.$get, 200>;
export type ProfileUpdate = Required<InferRequestType<typeof api.me.profile.$put>["json"]>;
export type ProfileChoices = InferResponseType<typeof api.me.profile.choices.$get, 200>;
export type Recommendations = InferResponseType<typeof api.recommendations.$get, 200>;
export type Recommendation = Recommendations["items"][number];
