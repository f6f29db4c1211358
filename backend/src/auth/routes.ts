import { createRoute, z } from "@hono/zod-openapi";
import { deleteCookie, setCookie } from "hono/cookie";

import type { MiddlewareHandler } from "hono";
import type { Store } from "hono-rate-limiter";

import { budget } from "../http/budget.js";
import { errorResponses } from "../http/errors.js";
import { clientIp, type StoreFactory } from "../http/middleware.js";
import { createRouter, type AuthedEnv } from "../http/router.js";
import { AddressOut, HexSchema } from "../http/schemas.js";
import { SESSION_COOKIE, signedInAddress, signedInRoute } from "./middleware.js";
import { issueNonce, signIn, signOut, type AuthDeps } from "./service.js";
import { ContractSignatureChecks } from "./signatures.js";

const NonceResponse = z
  .object({
    nonce: z.string().openapi({ example: "k3dJ8Qx2LmP0aZ7w" }),
    issuedAt: z.string(),
    expiresAt: z.string(),
    domains: z.array(z.string()).openapi({ description: "Domains a sign-in message may name" }),
    chainId: z.number().int(),
  })
  .openapi("SiweNonce");

const VerifyBody = z
  .object({
    message: z.string().min(1).max(4096).openapi({ description: "The EIP-4361 message the wallet signed" }),
    signature: HexSchema.refine((value) => value.length >= 4 && value.length <= 20_000, "must be a signature"),
  })
  .openapi("SiweVerify");

const SessionResponse = z
  .object({
    address: AddressOut,
    token: z.string().openapi({ description: "JWT, also set as the httpOnly `trvl_session` cookie" }),
    expiresAt: z.string(),
  })
  .openapi("Session");

const MeResponse = z.object({ address: AddressOut }).openapi("Me");

const SessionStateResponse = z
  .object({ address: AddressOut.nullable().openapi({ description: "The signed-in address; null when signed out" }) })
  .openapi("SessionState");

const siweErrors =
  "401 codes: siwe_malformed_message, siwe_domain_mismatch, siwe_uri_mismatch, siwe_chain_mismatch, siwe_expired, " +
  "siwe_not_yet_valid, siwe_issued_in_future, siwe_issued_too_long_ago, siwe_nonce_unknown, siwe_nonce_used, " +
  "siwe_nonce_expired, siwe_bad_signature. A smart-contract wallet's check runs on the chain with a gas cap, in turn; " +
  "beyond this IP's checks in progress: 429 siwe_contract_checks_busy; a full line: 503 siwe_contract_checks_full; " +
  "beyond this IP's checks per window: 429 siwe_contract_checks_exhausted; each with Retry-After and the nonce still " +
  "usable; 503 siwe_contract_check_timeout when the node is too slow. Any signature check " +
  "spends the nonce, whatever its outcome";

export function authRoutes(deps: AuthDeps, auth: MiddlewareHandler<AuthedEnv>, stores: StoreFactory) {
  const { config } = deps;
  const contractChecks = new ContractSignatureChecks(deps.chain.client, {
    gasLimit: BigInt(config.SIWE_CONTRACT_GAS_LIMIT),
    timeoutMs: config.SIWE_CONTRACT_TIMEOUT_MS,
    perIp: config.SIWE_CONTRACT_CHECKS_PER_IP,
    total: config.SIWE_CONTRACT_CHECKS_MAX,
    queue: config.SIWE_CONTRACT_CHECKS_QUEUE,
    budget: budget({
      store: stores("siwe-contract-checks") as unknown as Store<never>,
      perWindow: config.SIWE_CONTRACT_CHECKS_PER_IP_PER_WINDOW,
      windowMs: config.RATE_LIMIT_WINDOW_MS,
      code: "siwe_contract_checks_exhausted",
      what: "Smart-wallet sign-ins",
    }),
  });
  const signedIn = signedInRoute("auth", auth);
  return createRouter()
    .openapi(
      createRoute({
        method: "get",
        path: "/nonce",
        tags: ["auth"],
        summary: "A single-use nonce for a Sign-In with Ethereum message",
        responses: {
          200: { description: "Nonce", content: { "application/json": { schema: NonceResponse } } },
          ...errorResponses(429),
        },
      }),
      async (c) => {
        c.header("Cache-Control", "no-store");
        return c.json(await issueNonce(deps), 200);
      },
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/verify",
        tags: ["auth"],
        summary: "Sign in: verify a signed SIWE message and open a session",
        description: `Checks the signature (EOA by recovery, or an ERC-1271/6492 smart wallet on the chain), domain, URI, chain id, issue time, expiry and that the nonce is unused. ${siweErrors}.`,
        request: { body: { required: true, content: { "application/json": { schema: VerifyBody } } } },
        responses: {
          200: { description: "Signed in", content: { "application/json": { schema: SessionResponse } } },
          ...errorResponses(400, 401, 413, 429, 503),
        },
      }),
      async (c) => {
        const session = await signIn(deps, c.req.valid("json"), {
          ip: clientIp(c),
          contractChecks,
          signal: c.req.raw.signal,
        });
        setCookie(c, SESSION_COOKIE, session.token, {
          httpOnly: true,
          secure: deps.config.COOKIE_SECURE,
          sameSite: "Lax",
          path: "/",
          // A relative lifetime: the browser's clock, not ours, decides when it runs out.
          maxAge: deps.config.SESSION_TTL_SECONDS,
        });
        return c.json(
          { address: session.address, token: session.token, expiresAt: session.expiresAt.toISOString() },
          200,
        );
      },
    )
    .openapi(
      signedIn({
        method: "get",
        path: "/me",
        summary: "Who is signed in",
        responses: {
          200: { description: "The signed-in address", content: { "application/json": { schema: MeResponse } } },
          ...errorResponses(401, 429),
        },
      }),
      (c) => c.json({ address: c.var.user.address }, 200),
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/session",
        tags: ["auth"],
        summary: "Whether anyone is signed in: 200 either way, so that a signed-out page's check is not an error",
        responses: {
          200: {
            description: "The signed-in address, or null (no session, or one that ended or is not valid)",
            content: { "application/json": { schema: SessionStateResponse } },
          },
          ...errorResponses(429),
        },
      }),
      async (c) => c.json({ address: await signedInAddress(deps, c) }, 200),
    )
    .openapi(
      signedIn({
        method: "post",
        path: "/logout",
        summary: "End the session (the token stops working everywhere)",
        responses: { 204: { description: "Signed out" }, ...errorResponses(401, 429) },
      }),
      async (c) => {
        await signOut(deps, c.var.user);
        deleteCookie(c, SESSION_COOKIE, { path: "/" });
        return c.body(null, 204);
      },
    );
}
