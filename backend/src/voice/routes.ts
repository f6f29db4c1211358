import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";

import { SESSION_SECURITY } from "../auth/middleware.js";
import type { Config } from "../config/index.js";
import { ApiError, errorResponse, errorResponses } from "../http/errors.js";
import type { StoreFactory } from "../http/middleware.js";
import { createRouter, type AuthedEnv } from "../http/router.js";
import { workGuard, type WorkGuard } from "../http/work-limit.js";
import { overridesOf, ProfileOverrides, userOf } from "../planner/routes.js";
import { PlanResult } from "../planner/types.js";
import type { VoiceService } from "./service.js";
import { voiceStreamRoute } from "./stream-route.js";

/** Multipart overhead allowed on top of the recording itself. */
const FORM_OVERHEAD_BYTES = 16 * 1024;

const flag = z.enum(["true", "false"]).transform((value) => value === "true");

const VoiceForm = z
  .object({
    audio: z
      .instanceof(File)
      .openapi({ type: "string", format: "binary", description: "WAV (16 kHz mono PCM), WebM or Ogg" }),
    conversationId: z.uuid().optional(),
    newConversation: flag.optional(),
    speak: flag.default(true).openapi({ description: "Synthesise the reply (default true)" }),
    profile: z
      .string()
      .max(4_000)
      .optional()
      .openapi({ description: "JSON of ProfileOverrides, as in POST /planner/plan" }),
  })
  .openapi("VoicePlanRequest");

export const VoicePlanResponse = z
  .object({
    transcript: z.string(),
    stt: z.object({
      provider: z.string(),
      durationSeconds: z.number().nullable(),
      fallback: z.object({ provider: z.string(), reason: z.string() }).nullable(),
    }),
    result: PlanResult,
    reply: z.object({
      text: z.string(),
      audio: z
        .object({ mimeType: z.string(), base64: z.string() })
        .nullable()
        .openapi({ description: "The spoken reply; null when no text-to-speech is available (speak `text`)" }),
      provider: z.string().nullable(),
      error: z.string().nullable(),
    }),
    timings: z.object({ sttMs: z.number(), planMs: z.number(), ttsMs: z.number(), totalMs: z.number() }),
  })
  .openapi("VoicePlan");

/** The bounds of voice work: speech to text, planning and speech, from VOICE_* settings. */
export function voiceWork(config: Config, stores: StoreFactory): WorkGuard {
  return workGuard(
    {
      name: "voice",
      what: "voice requests",
      concurrency: config.VOICE_CONCURRENCY,
      queue: config.VOICE_QUEUE,
      perClient: config.VOICE_IN_FLIGHT_PER_CLIENT,
      perIpPerWindow: config.VOICE_RATE_LIMIT_PER_IP,
      perUserPerWindow: config.VOICE_RATE_LIMIT_PER_USER,
    },
    config,
    stores,
  );
}

/** Without `work` nothing bounds the route: for in-process callers such as the bench, never the API. */
export function voiceRoutes(
  voice: VoiceService,
  maybeAuth: MiddlewareHandler<AuthedEnv>,
  maxBytes: number,
  work?: WorkGuard,
) {
  const limit = bodyLimit({
    maxSize: maxBytes + FORM_OVERHEAD_BYTES,
    onError: (c) =>
      errorResponse(c, new ApiError(413, "payload_too_large", `Recordings are limited to ${maxBytes} bytes`)),
  });
  const router = createRouter();
  router.route("/", voiceStreamRoute(voice.streamOptions, maybeAuth, work));
  return router.openapi(
    createRoute({
      method: "post",
      path: "/voice/plan",
      tags: ["planner"],
      summary: "Plan a trip from a spoken request: transcript, plan, and the reply as text and audio",
      description:
        "Multipart form with the recording in `audio`. Speech to text: Deepgram with DEEPGRAM_API_KEY (WAV, WebM, " +
        "Ogg), else pocketsphinx when installed (WAV). Errors: 413 too large, 400 audio_too_long / invalid_audio (names " +
        "what is wrong with the file), 415 a format the provider cannot read, 422 no_speech, 429 rate_limited / " +
        "too_many_in_flight (this client's share), 502 stt_failed, 503 server_busy (retry after Retry-After) / " +
        "stt_unavailable (says how to enable).",
      security: [...SESSION_SECURITY, {}],
      middleware: [maybeAuth, ...(work?.guards ?? []), limit],
      request: { body: { required: true, content: { "multipart/form-data": { schema: VoiceForm } } } },
      responses: {
        200: {
          description: "What was heard, the plan and the reply",
          content: { "application/json": { schema: VoicePlanResponse } },
        },
        ...errorResponses(400, 401, 404, 413, 415, 422, 429, 502, 503),
      },
    }),
    async (c) => {
      const form = c.req.valid("form");
      let overrides = {};
      if (form.profile) {
        let json: unknown;
        try {
          json = JSON.parse(form.profile);
        } catch {
          json = undefined;
        }
        const parsed = ProfileOverrides.safeParse(json);
        if (!parsed.success)
          throw new ApiError(400, "validation_failed", "body.profile: must be JSON of ProfileOverrides", {
            fields: [{ field: "body.profile", message: "must be JSON of ProfileOverrides" }],
          });
        overrides = overridesOf(parsed.data);
      }
      const result = await voice.plan(
        {
          audio: new Uint8Array(await form.audio.arrayBuffer()),
          address: userOf(c)?.address,
          conversationId: form.conversationId,
          newConversation: form.newConversation,
          overrides,
          speak: form.speak,
        },
        // A client that hangs up stops its recogniser, or leaves the queue.
        { signal: c.req.raw.signal, admit: work && (() => work.admit(c)) },
      );
      return c.json(result, 200);
    },
  );
}
