/**
 * Planning with memory: loads the traveller's profile and earlier turns, asks the configured planner (falling back
 * to the offline one when a provider fails), and records the turn.
 */
import { randomUUID } from "node:crypto";

import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { Logger } from "pino";

import type { CatalogItem } from "../catalog/types.js";
import { today as todayOf, type Clock } from "../clock.js";
import { schema, type Db } from "../db/index.js";
import { notFound } from "../http/errors.js";
import { OfflinePlanner } from "./offline.js";
import {
  EMPTY_TRAVELLER,
  PlanResult,
  type PlanEvent,
  type Planner,
  type TravellerAffinity,
  type TravellerContext,
  type Turn,
} from "./types.js";

/** Errors of a remote provider (rejected key, rate limit, timeout, outage): said to the user, never with secrets. */
export class ProviderError extends Error {
  constructor(
    readonly provider: string,
    readonly reason: string,
    readonly status?: number,
  ) {
    super(`${provider}: ${reason}`);
    this.name = "ProviderError";
  }
}

/** Turns a provider SDK's failure into a ProviderError naming what went wrong, without request details. */
export function providerError(provider: string, error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const e = error as { status?: number; statusCode?: number; name?: string; code?: string; message?: string };
  const status = e?.status ?? e?.statusCode;
  const name = e?.name ?? "";
  if (/timeout|aborted/i.test(name) || /timed? ?out|abort/i.test(e?.message ?? "") || e?.code === "ETIMEDOUT")
    return new ProviderError(provider, `${provider} did not answer in time`);
  if (status === 401 || status === 403) return new ProviderError(provider, `${provider} rejected the API key`, status);
  if (status === 429) return new ProviderError(provider, `${provider} is rate limiting us; try again shortly`, status);
  if (status !== undefined && status >= 500)
    return new ProviderError(provider, `${provider} is failing (HTTP ${status})`, status);
  if (status !== undefined)
    return new ProviderError(provider, `${provider} refused the request (HTTP ${status})`, status);
  if (/ECONNREFUSED|ENOTFOUND|fetch failed|connection/i.test(`${e?.message ?? ""} ${e?.code ?? ""}`))
    return new ProviderError(provider, `${provider} cannot be reached`);
  return new ProviderError(provider, `${provider} failed: ${(e?.message ?? String(error)).slice(0, 200)}`);
}

export interface AffinitySource {
  /** The traveller's affinity over catalog items, undefined without a signal yet. */
  affinityFor(address: string, traveller: TravellerContext): Promise<TravellerAffinity | undefined>;
}

export interface PlannerDeps {
  db: Db;
  logger: Logger;
  now: Clock;
  primary: Planner;
  offline: OfflinePlanner;
  affinity?: AffinitySource;
}

export interface PlanRequest {
  text: string;
  address?: string;
  conversationId?: string;
  newConversation?: boolean;
  overrides?: Partial<TravellerContext>;
}

/** Earlier turns the planners see at most (the LLM adapter budgets them further by tokens). */
export const MAX_HISTORY_TURNS = 20;

export class PlannerService {
  constructor(private readonly deps: PlannerDeps) {}

  get provider(): string {
    return this.deps.primary.name;
  }

  async traveller(address: string | undefined, overrides: Partial<TravellerContext> = {}): Promise<TravellerContext> {
    let base = EMPTY_TRAVELLER;
    if (address) {
      const [row] = await this.deps.db.select().from(schema.profiles).where(eq(schema.profiles.address, address));
      if (row) {
        base = {
          interests: row.interests,
          travelStyle: row.travelStyle,
          budgetPerDayCents: row.budgetPerDayCents,
          budgetPerTripCents: row.budgetPerTripCents,
          dietary: row.dietary,
          accessibility: row.accessibility,
          pastDestinations: row.pastDestinations,
        };
      }
    }
    const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
    return { ...base, ...defined };
  }

  private async conversation(address: string, request: PlanRequest): Promise<{ id: string; history: Turn[] }> {
    const { db } = this.deps;
    let id: string | undefined;
    if (request.conversationId) {
      const [row] = await db
        .select()
        .from(schema.plannerConversations)
        .where(
          and(
            eq(schema.plannerConversations.id, request.conversationId),
            eq(schema.plannerConversations.address, address),
          ),
        );
      if (!row) throw notFound("Conversation");
      id = row.id;
    } else if (!request.newConversation) {
      const [latest] = await db
        .select()
        .from(schema.plannerConversations)
        .where(eq(schema.plannerConversations.address, address))
        .orderBy(desc(schema.plannerConversations.updatedAt))
        .limit(1);
      id = latest?.id;
    }
    if (!id) return { id: randomUUID(), history: [] };
    const turns = await db
      .select()
      .from(schema.plannerTurns)
      .where(eq(schema.plannerTurns.conversationId, id))
      .orderBy(desc(schema.plannerTurns.id))
      .limit(MAX_HISTORY_TURNS);
    return {
      id,
      history: turns.reverse().map((turn) => ({ request: turn.request, result: turn.result as unknown as PlanResult })),
    };
  }

  async plan(request: PlanRequest, emit?: (event: PlanEvent) => void, signal?: AbortSignal): Promise<PlanResult> {
    const { deps } = this;
    const traveller = await this.traveller(request.address, request.overrides);
    const conversation = request.address ? await this.conversation(request.address, request) : undefined;
    const affinity = request.address ? await deps.affinity?.affinityFor(request.address, traveller) : undefined;
    const today = todayOf(deps.now);
    const input = { text: request.text, traveller, history: conversation?.history ?? [], today, affinity };
    let result: PlanResult;
    try {
      const answer = await deps.primary.plan(input, emit, signal);
      result = PlanResult.parse({ ...answer, source: deps.primary.name, fallback: null });
    } catch (error) {
      if (deps.primary === deps.offline || signal?.aborted) throw error;
      const failure = providerError(deps.primary.name, error);
      deps.logger.warn(
        { provider: failure.provider, reason: failure.reason },
        "planner provider failed; planning offline",
      );
      emit?.({ type: "status", message: `${failure.reason}; planning offline instead` });
      const answer = await deps.offline.plan(input, emit);
      result = PlanResult.parse({
        ...answer,
        source: "offline",
        fallback: { provider: deps.primary.name, reason: failure.reason },
      });
    }
    if (conversation && request.address) await this.record(request.address, conversation.id, request.text, result);
    return { ...result, conversationId: conversation?.id ?? null };
  }

  private async record(address: string, conversationId: string, text: string, result: PlanResult) {
    const now = this.deps.now();
    await this.deps.db.transaction(async (tx) => {
      await tx.insert(schema.users).values({ address }).onConflictDoNothing();
      await tx
        .insert(schema.plannerConversations)
        .values({ id: conversationId, address, createdAt: now, updatedAt: now })
        .onConflictDoUpdate({ target: schema.plannerConversations.id, set: { updatedAt: now } });
      await tx.insert(schema.plannerTurns).values({
        conversationId,
        request: text,
        result: result as unknown as Record<string, unknown>,
        createdAt: now,
      });
    });
  }

  async conversations(address: string) {
    const { db } = this.deps;
    const conversations = await db
      .select()
      .from(schema.plannerConversations)
      .where(eq(schema.plannerConversations.address, address))
      .orderBy(desc(schema.plannerConversations.updatedAt))
      .limit(50);
    const turns = conversations.length
      ? await db
          .select()
          .from(schema.plannerTurns)
          .where(
            inArray(
              schema.plannerTurns.conversationId,
              conversations.map((c) => c.id),
            ),
          )
          .orderBy(asc(schema.plannerTurns.id))
      : [];
    return conversations.map((conversation) => ({
      id: conversation.id,
      createdAt: conversation.createdAt.toISOString(),
      updatedAt: conversation.updatedAt.toISOString(),
      turns: turns
        .filter((turn) => turn.conversationId === conversation.id)
        .map((turn) => ({
          request: turn.request,
          result: turn.result as unknown as PlanResult,
          createdAt: turn.createdAt.toISOString(),
        })),
    }));
  }

  /** Forgets the traveller's conversations (all, or one); returns how many were deleted. */
  async forget(address: string, conversationId?: string): Promise<number> {
    const where = conversationId
      ? and(eq(schema.plannerConversations.address, address), eq(schema.plannerConversations.id, conversationId))
      : eq(schema.plannerConversations.address, address);
    const deleted = await this.deps.db.delete(schema.plannerConversations).where(where).returning();
    return deleted.length;
  }
}
