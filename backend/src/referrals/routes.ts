import { z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";

import { signedInRoute } from "../auth/middleware.js";
import { errorResponses } from "../http/errors.js";
import { createRouter, type AuthedEnv } from "../http/router.js";
import { AddressOut, AddressSchema, HexSchema, TypedDataDomain, TypedFields, UintString } from "../http/schemas.js";
import {
  createRelayer,
  referralOverview,
  registrationRequest,
  relayRegistration,
  type ReferralDeps,
} from "./service.js";

const Referee = z.object({
  address: AddressOut,
  referredBy: AddressOut,
  registeredAt: z.string(),
  txHash: z.string(),
  earned: UintString.openapi({ description: "TRVL (wei) this account earned from the referee's bookings" }),
});

const ReferralsResponse = z
  .object({
    referrer: AddressOut.nullable(),
    referrerOfReferrer: AddressOut.nullable(),
    counts: z.object({ level1: UintString, level2: UintString }),
    level1: z.array(Referee),
    level2: z.array(Referee),
    earnings: z.object({ level1: UintString, level2: UintString, total: UintString }),
  })
  .openapi("Referrals");

const RegistrationRequest = z
  .object({
    domain: TypedDataDomain,
    types: z.object({ Registration: TypedFields }),
    primaryType: z.literal("Registration"),
    message: z.object({ user: AddressOut, referrer: AddressOut, nonce: UintString, deadline: UintString }),
  })
  .openapi("RegistrationTypedData");

const RelayBody = z
  .object({
    referrer: AddressSchema,
    deadline: z
      .string()
      .regex(/^\d{1,20}$/, "must be unix seconds")
      .transform((value) => BigInt(value)),
    signature: HexSchema.refine((value) => value.length >= 4 && value.length <= 20_000, "must be a signature"),
  })
  .openapi("RelayRegistration");

export function referralRoutes(deps: ReferralDeps, auth: MiddlewareHandler<AuthedEnv>) {
  const relayer = createRelayer(deps);
  const referralRoute = signedInRoute("referrals", auth);
  return createRouter()
    .openapi(
      referralRoute({
        method: "get",
        path: "/",
        summary: "The signed-in account's referrer, its referees on two levels, and what they earned it",
        responses: {
          200: { description: "Referrals", content: { "application/json": { schema: ReferralsResponse } } },
          ...errorResponses(401, 429, 503),
        },
      }),
      async (c) => c.json(await referralOverview(deps, c.var.user.address), 200),
    )
    .openapi(
      referralRoute({
        method: "get",
        path: "/signature",
        summary: "The EIP-712 Registration to sign for a gasless referral (nonce read on-chain, deadline in 1 hour)",
        request: { query: z.object({ referrer: AddressSchema }) },
        responses: {
          200: { description: "Typed data to sign", content: { "application/json": { schema: RegistrationRequest } } },
          ...errorResponses(400, 401, 429, 503),
        },
      }),
      async (c) => c.json(await registrationRequest(deps, c.var.user.address, c.req.valid("query").referrer), 200),
    )
    .openapi(
      referralRoute({
        method: "post",
        path: "/signature",
        summary: "Relay the signed registration: the API's relayer sends registerWithSig and pays the gas",
        description:
          "For accounts that pass RELAY_ELIGIBLE_IF, within a budget per account and in all per 24 hours; simulated with the relayer's gas limit (RELAY_GAS_LIMIT) before anything is sent. Errors: 403 relay_not_eligible, 409 already_registered / referral_cycle, 422 self_referral / signature_expired / invalid_signature / relay_gas_limit_exceeded / registration_rejected (details.revert names the contract's error), 429 relay_user_budget_exceeded / relay_attempts_exceeded (refused simulations count) / relay_daily_budget_exceeded (with Retry-After), 503 relayer_not_configured / relayer_busy / relayer_out_of_funds / chain_unavailable.",
        request: { body: { required: true, content: { "application/json": { schema: RelayBody } } } },
        responses: {
          202: {
            description: "Sent; the listener records the registration once mined",
            content: {
              "application/json": { schema: z.object({ txHash: z.string() }).openapi("RelayedRegistration") },
            },
          },
          ...errorResponses(400, 401, 403, 409, 413, 422, 429, 502, 503),
        },
      }),
      async (c) => {
        const body = c.req.valid("json");
        return c.json(await relayRegistration(deps, relayer, { ...body, user: c.var.user.address }), 202);
      },
    );
}
