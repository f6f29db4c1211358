import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** A failure the client should see as is: its status, a stable machine-readable code and a human sentence. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const notFound = (what: string) => new ApiError(404, "not_found", `${what} not found`);

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "validation_failed" }),
      message: z.string(),
      details: z.unknown().openapi({ description: "Structured detail, e.g. the failing fields; null when none" }),
      timestamp: z.string().openapi({ example: "2030-01-01T00:00:00.000Z" }),
      request_id: z.string(),
    }),
  })
  .openapi("Error");

export function errorBody(c: Context, code: string, message: string, details: unknown = null) {
  return {
    error: {
      code,
      message,
      details: details ?? null,
      timestamp: new Date().toISOString(),
      request_id: (c.get("requestId") as string | undefined) ?? "",
    },
  };
}

export function errorResponse(c: Context, error: ApiError): Response {
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  return c.json(errorBody(c, error.code, error.message, error.details), error.status);
}

/** OpenAPI response entries for the errors a route can return. */
export function errorResponses(...statuses: ContentfulStatusCode[]) {
  const descriptions: Partial<Record<number, string>> = {
    400: "Invalid input: `details.fields` names each bad field",
    401: "Not signed in, or the credentials were rejected",
    403: "Signed in but not allowed",
    404: "Not found (or not yours)",
    409: "Conflicts with the current state",
    413: "Request body too large",
    422: "Understood but cannot be done",
    429: "Rate limited; see the RateLimit-* headers",
    502: "An upstream service failed",
    503: "A dependency is not available",
  };
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: descriptions[status] ?? "Error",
        content: { "application/json": { schema: ErrorSchema } },
      },
    ]),
  );
}
