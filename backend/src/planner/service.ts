/**
 * Planning with memory: loads the traveller's profile and earlier turns, asks the configured planner (falling back
 * to the offline one when a provider fails), and records the turn.
 */
import { randomUUID } from "node:crypto";

import { and, asc, desc, eq, inArray, isNull, lt, notInArray } from "drizzle-orm";
import type { Logger } from "pino";

import type { CatalogItem } from "../catalog/types.js";
import { today as todayOf, type Clock } from "../clock.js";
import { schema, type Db } from "../db/index.js";
import { notFound } from "../http/errors.js";
import type { VoiceLanguage } from "../voice/languages.js";
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
  /** The language chosen for a voice turn: the planner answers in it unless the words are clearly in another. */
  language?: VoiceLanguage;
}

/** Earlier turns the planners see at most (the LLM adapter budgets them further by tokens). */
export const MAX_HISTORY_TURNS = 20;

/** A visitor's conversation (not signed in) lasts this long after its last turn, then it is deleted. */
export const VISITOR_CONVERSATION_TTL_MS = 24 * 60 * 60 * 1000;
/** Turns a visitor's conversation keeps (the planner sees no more anyway): its size is bounded. */
export const VISITOR_MAX_TURNS = MAX_HISTORY_TURNS;
/** Expired visitors' conversations deleted per visitor's turn, so that the deleting stays cheap. */
const VISITOR_PRUNE_BATCH = 100;

interface Conversation {
  id: string;
  history: Turn[];
  /** A visitor's conversation that the traveller who just signed in takes over. */
  adopt: boolean;
}

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

  /**
   * The conversation a request continues. Signed in: the one named (theirs, or a visitor's they started before signing
   * in, which becomes theirs), else their latest unless a new one is asked for. A visitor: the one named while it has
   * not expired (nobody else's), else a new one; a visitor's id is all that reaches their conversation.
   */
  private async conversation(address: string | undefined, request: PlanRequest): Promise<Conversation> {
    const { db } = this.deps;
    const now = this.deps.now();
    let id: string | undefined;
    let adopt = false;
    const { plannerConversations: conversations } = schema;
    if (request.conversationId) {
      const [row] = await db.select().from(conversations).where(eq(conversations.id, request.conversationId));
      const visitors = row !== undefined && row.address === null && row.expiresAt !== null && row.expiresAt > now;
      if (address) {
        if (row?.address !== address && !visitors) throw notFound("Conversation");
        id = row!.id;
        adopt = visitors;
      } else if (visitors) id = row.id;
    } else if (address && !request.newConversation) {
      const [latest] = await db
        .select()
        .from(conversations)
        .where(eq(conversations.address, address))
        .orderBy(desc(conversations.updatedAt))
        .limit(1);
      id = latest?.id;
    }
    if (!id) return { id: randomUUID(), history: [], adopt: false };
    return { id, history: await this.turns(id, MAX_HISTORY_TURNS), adopt };
  }

  private async turns(conversationId: string, limit: number): Promise<Turn[]> {
    const turns = await this.deps.db
      .select()
      .from(schema.plannerTurns)
      .where(eq(schema.plannerTurns.conversationId, conversationId))
      .orderBy(desc(schema.plannerTurns.id))
      .limit(limit);
    return turns.reverse().map((turn) => ({ request: turn.request, result: turn.result as unknown as PlanResult }));
  }

  async plan(request: PlanRequest, emit?: (event: PlanEvent) => void, signal?: AbortSignal): Promise<PlanResult> {
    const { deps } = this;
    const traveller = await this.traveller(request.address, request.overrides);
    const conversation = await this.conversation(request.address, request);
    const affinity = request.address ? await deps.affinity?.affinityFor(request.address, traveller) : undefined;
    const today = todayOf(deps.now);
    const input = {
      text: request.text,
      traveller,
      history: conversation.history,
      today,
      affinity,
      language: request.language,
    };
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
    await this.record(request.address, conversation, request.text, result);
    return { ...result, conversationId: conversation.id };
  }

  private async record(address: string | undefined, conversation: Conversation, text: string, result: PlanResult) {
    const now = this.deps.now();
    const expiresAt = address ? null : new Date(now.getTime() + VISITOR_CONVERSATION_TTL_MS);
    const { plannerConversations: conversations, plannerTurns: turns } = schema;
    await this.deps.db.transaction(async (tx) => {
      if (address) await tx.insert(schema.users).values({ address }).onConflictDoNothing();
      await tx
        .insert(conversations)
        .values({ id: conversation.id, address: address ?? null, createdAt: now, updatedAt: now, expiresAt })
        .onConflictDoUpdate({
          target: conversations.id,
          set: { updatedAt: now, expiresAt, ...(conversation.adopt ? { address } : {}) },
        });
      await tx.insert(turns).values({
        conversationId: conversation.id,
        request: text,
        result: result as unknown as Record<string, unknown>,
        createdAt: now,
      });
      if (address) return;
      // A visitor's conversation keeps its latest turns only, and expired ones go, a batch at a time.
      const kept = tx
        .select({ id: turns.id })
        .from(turns)
        .where(eq(turns.conversationId, conversation.id))
        .orderBy(desc(turns.id))
        .limit(VISITOR_MAX_TURNS);
      await tx.delete(turns).where(and(eq(turns.conversationId, conversation.id), notInArray(turns.id, kept)));
      const expired = tx
        .select({ id: conversations.id })
        .from(conversations)
        .where(and(isNull(conversations.address), lt(conversations.expiresAt, now)))
        .limit(VISITOR_PRUNE_BATCH);
      await tx.delete(conversations).where(inArray(conversations.id, expired));
    });
  }

  /**
   * One conversation with its turns, for the page that continues it after a reload: the signed-in traveller's own, or
   * a visitor's that has not expired. 404 otherwise, saying nothing about whose it is.
   */
  async conversationById(id: string, address: string | undefined) {
    const { plannerConversations: conversations } = schema;
    const [row] = await this.deps.db.select().from(conversations).where(eq(conversations.id, id));
    const visitors = row?.address === null && row.expiresAt !== null && row.expiresAt > this.deps.now();
    if (!row || (!visitors && (address === undefined || row.address !== address))) throw notFound("Conversation");
    const turns = await this.deps.db
      .select()
      .from(schema.plannerTurns)
      .where(eq(schema.plannerTurns.conversationId, id))
      .orderBy(asc(schema.plannerTurns.id));
    return {
      id: row.id,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      expiresAt: row.expiresAt?.toISOString() ?? null,
      turns: turns.map((turn) => ({
        request: turn.request,
        result: turn.result as unknown as PlanResult,
        createdAt: turn.createdAt.toISOString(),
      })),
    };
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
