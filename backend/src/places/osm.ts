/**
 * Places of a destination from OpenStreetMap, kept in `places_cache` for a TTL. A destination is fetched once per TTL
 * however many plans ask at once: requests of one process share the fetch under way, and an instance claims the row
 * before fetching so that other instances wait for its answer. An Overpass error or timeout is logged and answered
 * with the places kept before (if any) and the reason, never thrown: the plan goes on without them.
 */
import { eq, sql } from "drizzle-orm";
import type { Logger } from "pino";

import type { Destination } from "../catalog/geodata.js";
import type { Clock } from "../clock.js";
import { schema, type Db } from "../db/index.js";
import { overpassQuery, readElements, type OverpassElement } from "./overpass.js";
import type { Place, PlacesAnswer, PlacesSource } from "./types.js";

export interface OsmPlacesOptions {
  db: Db;
  logger: Logger;
  now: Clock;
  /** The Overpass interpreter endpoint. */
  url: string;
  timeoutMs: number;
  ttlMs: number;
  /** Between looks at a row another instance is filling. */
  pollMs?: number;
}

class OverpassError extends Error {}

export class OsmPlaces implements PlacesSource {
  private readonly inFlight = new Map<string, Promise<PlacesAnswer>>();

  constructor(private readonly options: OsmPlacesOptions) {}

  placesFor(destination: Destination): Promise<PlacesAnswer> {
    let answer = this.inFlight.get(destination.id);
    if (!answer) {
      answer = this.load(destination)
        .catch((error: unknown) =>
          this.without(destination, `the places cache failed: ${String(error).slice(0, 200)}`, undefined),
        )
        .finally(() => this.inFlight.delete(destination.id));
      this.inFlight.set(destination.id, answer);
    }
    return answer;
  }

  private async load(destination: Destination): Promise<PlacesAnswer> {
    const { db, now, timeoutMs } = this.options;
    const cache = schema.placesCache;
    const read = async () => (await db.select().from(cache).where(eq(cache.destinationId, destination.id)))[0];
    const fresh = (row: Awaited<ReturnType<typeof read>>) =>
      row?.places && row.expiresAt && row.expiresAt > now() ? (row.places as Place[]) : undefined;
    let row = await read();
    const kept = fresh(row);
    if (kept) return { places: kept };

    const at = now();
    const claimedUntil = new Date(at.getTime() + timeoutMs + 5_000);
    const claimed = await db
      .insert(cache)
      .values({ destinationId: destination.id, claimedUntil })
      .onConflictDoUpdate({
        target: cache.destinationId,
        set: { claimedUntil },
        setWhere: sql`(${cache.claimedUntil} is null or ${cache.claimedUntil} <= ${at.toISOString()}) and (${cache.expiresAt} is null or ${cache.expiresAt} <= ${at.toISOString()})`,
      })
      .returning({ id: cache.destinationId });

    if (claimed.length === 0) {
      // Another instance is fetching: wait for its answer as long as its fetch may take.
      const pollMs = this.options.pollMs ?? 100;
      for (let waited = 0; waited < timeoutMs + 5_000; waited += pollMs) {
        await new Promise((resolve) => setTimeout(resolve, pollMs));
        row = await read();
        const filled = fresh(row);
        if (filled) return { places: filled };
        if (!row?.claimedUntil) break;
      }
      return this.without(destination, "another request is still fetching them", row?.places as Place[] | null);
    }

    try {
      const places = await this.fetchPlaces(destination);
      const fetchedAt = now();
      await db
        .update(cache)
        .set({
          places,
          fetchedAt,
          expiresAt: new Date(fetchedAt.getTime() + this.options.ttlMs),
          claimedUntil: null,
        })
        .where(eq(cache.destinationId, destination.id));
      return { places };
    } catch (error) {
      await db.update(cache).set({ claimedUntil: null }).where(eq(cache.destinationId, destination.id));
      const reason = error instanceof OverpassError ? error.message : `Overpass failed: ${String(error).slice(0, 200)}`;
      return this.without(destination, reason, row?.places as Place[] | null);
    }
  }

  /** The answer when no fresh places could be had: those kept before, if any, and why. */
  private without(destination: Destination, reason: string, stale: Place[] | null | undefined): PlacesAnswer {
    this.options.logger.warn(
      { destination: destination.id, reason, stale: Boolean(stale?.length) },
      "OpenStreetMap places unavailable",
    );
    return stale?.length ? { places: stale } : { places: [], problem: reason };
  }

  private async fetchPlaces(destination: Destination): Promise<Place[]> {
    const { url, timeoutMs } = this.options;
    const query = overpassQuery(destination, Math.max(1, Math.ceil(timeoutMs / 1000)));
    let response: Response;
    const post = () =>
      fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
          "user-agent": "TRVL trip planner (places from OpenStreetMap)",
        },
        body: new URLSearchParams({ data: query }).toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
    try {
      // A kept-alive connection the server has just closed fails at once: once more on a new one.
      response = await post().catch((error: unknown) => {
        if ((error as Error)?.name === "TimeoutError") throw error;
        return post();
      });
    } catch (error) {
      const name = (error as Error)?.name ?? "";
      if (name === "TimeoutError" || name === "AbortError") throw new OverpassError("Overpass did not answer in time");
      const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
      throw new OverpassError(`Overpass cannot be reached (${cause?.code ?? cause?.message ?? String(error)})`);
    }
    if (response.status === 429) throw new OverpassError("Overpass is rate limiting us");
    if (!response.ok) throw new OverpassError(`Overpass is failing (HTTP ${response.status})`);
    let body: { elements?: OverpassElement[]; remark?: string };
    try {
      body = (await response.json()) as typeof body;
    } catch (error) {
      if ((error as Error)?.name === "TimeoutError") throw new OverpassError("Overpass did not answer in time");
      throw new OverpassError("Overpass answered with something other than JSON");
    }
    // A query cut short (timeout, memory) still answers 200, with what it had and a remark saying so.
    if (body.remark && /error/i.test(body.remark)) throw new OverpassError(`Overpass: ${body.remark.slice(0, 200)}`);
    if (!Array.isArray(body.elements)) throw new OverpassError("Overpass answered without elements");
    return readElements(body.elements, destination);
  }
}
