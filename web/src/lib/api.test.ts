import { describe, expect, it } from "vitest";

import { ApiError, apiErrorOf, call, describeError } from "./api";

const response = (status: number, body: unknown) => ({
  status,
  ok: status < 400,
  json: async () => (typeof body === "string" ? JSON.parse(body) : body),
});

describe("API errors as people read them", () => {
  it("keeps the API's own sentence and code for 4xx", async () => {
    const error = await apiErrorOf(
      response(409, {
        error: { code: "item_unavailable", message: "Grand Lisbon Hotel is not available on 2026-12-06" },
      }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe("item_unavailable");
    expect(error.message).toBe("Grand Lisbon Hotel is not available on 2026-12-06");
  });

  it("replaces session, rate-limit and server errors with a friendly sentence", async () => {
    expect(
      (await apiErrorOf(response(401, { error: { code: "unauthenticated", message: "Sign in first" } }))).message,
    ).toBe("Sign in with your wallet first.");
    expect((await apiErrorOf(response(429, { error: { code: "too_many", message: "x" } }))).message).toMatch(
      /Too many/,
    );
    const server = await apiErrorOf(response(500, { error: { code: "internal_error", message: "stack…" } }));
    expect(server.message).not.toMatch(/stack/);
  });

  it("never shows a non-JSON body (a proxy's page)", async () => {
    const error = await apiErrorOf(response(502, "<html>Bad gateway</html>"));
    expect(error.message).toBe("The TRVL service is having trouble right now. Please try again.");
    expect(error.message).not.toContain("<html>");
  });

  it("turns a network failure into a sentence", async () => {
    await expect(call(Promise.reject(new TypeError("Failed to fetch")))).rejects.toMatchObject({
      code: "network",
      message: expect.stringMatching(/Could not reach/),
    });
    expect(describeError(new Error("raw"))).toBe("Something went wrong. Please try again.");
  });
});
