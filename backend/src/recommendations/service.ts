/**
 * Personalised recommendations: catalog items ranked by cosine similarity between the traveller's profile vector
 * (saved preferences plus what they viewed, liked and booked) and item vectors, each with the reason it ranks.
 * Travellers without any signal get the popular items of the destination (or of the largest destinations).
 */
import { desc, eq } from "drizzle-orm";
import type { Logger } from "pino";

import type { Catalog } from "../catalog/service.js";
import type { CatalogItem, ItemType } from "../catalog/types.js";
import { schema, type Db } from "../db/index.js";
import type { InteractionKind } from "../db/schema.js";
import type { AffinitySource } from "../planner/service.js";
import type { TravellerAffinity, TravellerContext } from "../planner/types.js";
import { HashingEmbedder, normalize, type Embedder } from "./embeddings.js";
import { itemFeatures, travellerFeatures } from "./features.js";

/** How much each kind of interaction says about the traveller. */
export const INTERACTION_WEIGHTS: Record<InteractionKind, number> = { view: 0.5, like: 2, book: 3 };
/** Interactions the profile vector is built from, most recent first. */
const MAX_INTERACTIONS = 200;
const VERBS: Record<InteractionKind, string> = { view: "viewed", like: "liked", book: "booked" };

interface ItemIndex {
  embedder: Embedder;
  dimensions: number;
  items: CatalogItem[];
  /**
   * Items with the same features have the same vector, and a catalog has far fewer feature sets than items (the demo
   * catalog: about 6,700 for 132,000 items), so a query scores each feature set once. Row g is group g's unit vector.
   */
  groupVectors: Float32Array;
  /** The group of items[i]. */
  groupOf: Int32Array;
  /** Each group's item positions, ascending. */
  members: Int32Array[];
  /** Group ids by item type (a group's items share their type: it is one of their features). */
  groupsByType: Map<ItemType, number[]>;
  allGroups: number[];
  position: Map<string, number>;
  byDestination: Map<string, number[]>;
  /** Item positions by popularity: destination population, then rating × reviews. */
  popular: number[];
  popularity: Float32Array;
  featureVectors: Map<string, Float32Array>;
}

export interface RecommendationQuery {
  destinationId?: string;
  checkIn?: string;
  checkOut?: string;
  type?: ItemType;
  limit: number;
}

export interface Recommendation {
  item: CatalogItem;
  score: number;
  reason: string;
}

interface Signal {
  vector: Float32Array;
  weight: number;
  label: string;
  /** The interaction's item, for signals that come from one. */
  item?: CatalogItem;
}

/**
 * A category is a favourite when at least this share of the weight of activity interactions went to it, and at least
 * a like's worth (a glance at one item is not a taste).
 */
const FAVOURITE_SHARE = 0.4;

export class Recommender implements AffinitySource {
  private index?: Promise<ItemIndex>;
  /** Set when the configured embedder failed and feature hashing took over. */
  fallbackReason: string | null = null;

  constructor(private readonly deps: { catalog: Catalog; db: Db; logger: Logger; embedder: Embedder }) {}

  /** Builds the item vectors of the whole demo catalog once (about a second); later calls reuse them. */
  warm(): Promise<ItemIndex> {
    this.index ??= this.build().catch((error) => {
      this.index = undefined;
      throw error;
    });
    return this.index;
  }

  get embedderName(): string {
    return this.fallbackReason ? "hashing" : this.deps.embedder.name;
  }

  private async build(): Promise<ItemIndex> {
    const { catalog } = this.deps;
    const items = catalog.demo.all;
    const featuresOf = items.map(itemFeatures);
    const distinct = [...new Set(featuresOf.flat())];
    let embedder = this.deps.embedder;
    let vectors: Float32Array[];
    try {
      vectors = await embedder.embed(distinct);
    } catch (error) {
      this.fallbackReason = error instanceof Error ? error.message : String(error);
      this.deps.logger.warn({ reason: this.fallbackReason }, "embeddings provider failed; using feature hashing");
      embedder = new HashingEmbedder();
      vectors = await embedder.embed(distinct);
    }
    const featureVectors = new Map(distinct.map((feature, i) => [feature, vectors[i]]));
    const dimensions = embedder.dimensions;
    const groupByFeatures = new Map<string, number>();
    const groupOf = new Int32Array(items.length);
    const memberLists: number[][] = [];
    const groupRows: Float32Array[] = [];
    const groupsByType = new Map<ItemType, number[]>();
    const position = new Map<string, number>();
    const byDestination = new Map<string, number[]>();
    for (const [i, item] of items.entries()) {
      const key = featuresOf[i].join("\n");
      let group = groupByFeatures.get(key);
      if (group === undefined) {
        group = groupRows.length;
        groupByFeatures.set(key, group);
        const row = new Float32Array(dimensions);
        for (const feature of featuresOf[i]) {
          const v = featureVectors.get(feature)!;
          for (let d = 0; d < dimensions; d++) row[d] += v[d];
        }
        groupRows.push(normalize(row));
        memberLists.push([]);
        const ofType = groupsByType.get(item.type) ?? [];
        ofType.push(group);
        groupsByType.set(item.type, ofType);
      }
      groupOf[i] = group;
      memberLists[group].push(i);
      position.set(item.id, i);
      const list = byDestination.get(item.destinationId) ?? [];
      list.push(i);
      byDestination.set(item.destinationId, list);
    }
    const groupVectors = new Float32Array(groupRows.length * dimensions);
    groupRows.forEach((row, g) => groupVectors.set(row, g * dimensions));
    const population = new Map(catalog.destinations.map((d) => [d.id, d.population]));
    const popularity = new Float32Array(items.length);
    for (const [i, item] of items.entries()) {
      popularity[i] =
        Math.log10(population.get(item.destinationId) ?? 1) +
        (item.ratingTenths / 50) * Math.log10(10 + item.reviewCount);
    }
    const popular = items.map((_, i) => i).sort((a, b) => popularity[b] - popularity[a] || a - b);
    return {
      embedder,
      dimensions,
      items,
      groupVectors,
      groupOf,
      members: memberLists.map((list) => Int32Array.from(list)),
      groupsByType,
      allGroups: groupRows.map((_, g) => g),
      position,
      byDestination,
      popular,
      popularity,
      featureVectors,
    };
  }

  private async signals(address: string, traveller: TravellerContext, index: ItemIndex): Promise<Signal[]> {
    const signals: Signal[] = [];
    const missing = travellerFeatures(traveller).filter(({ feature }) => !index.featureVectors.has(feature));
    if (missing.length > 0) {
      const vectors = await index.embedder.embed(missing.map((m) => m.feature));
      missing.forEach(({ feature }, i) => index.featureVectors.set(feature, vectors[i]));
    }
    for (const { feature, label } of travellerFeatures(traveller))
      signals.push({ vector: index.featureVectors.get(feature)!, weight: 1.5, label });
    const rows = await this.deps.db
      .select()
      .from(schema.interactions)
      .where(eq(schema.interactions.address, address))
      .orderBy(desc(schema.interactions.id))
      .limit(MAX_INTERACTIONS);
    for (const row of rows) {
      const at = index.position.get(row.itemId);
      if (at === undefined) continue;
      const item = index.items[at];
      signals.push({
        vector: itemVector(index, at),
        weight: INTERACTION_WEIGHTS[row.kind],
        label: `you ${VERBS[row.kind]} ${item.name}`,
        item,
      });
    }
    return signals;
  }

  private profileVector(signals: Signal[], dimensions: number): Float32Array | undefined {
    if (signals.length === 0) return undefined;
    const vector = new Float32Array(dimensions);
    for (const { vector: v, weight } of signals) for (let d = 0; d < dimensions; d++) vector[d] += weight * v[d];
    return normalize(vector);
  }

  async affinityFor(address: string, traveller: TravellerContext): Promise<TravellerAffinity | undefined> {
    const index = await this.warm();
    const signals = await this.signals(address, traveller, index);
    const profile = this.profileVector(signals, index.dimensions);
    if (!profile) return undefined;
    return {
      of: (item: CatalogItem) => {
        const at = index.position.get(item.id);
        return at === undefined
          ? 0
          : dot(profile, index.groupVectors, index.groupOf[at] * index.dimensions, index.dimensions);
      },
      favouriteCategories: favouriteCategories(signals),
    };
  }

  async recommend(
    address: string,
    traveller: TravellerContext,
    query: RecommendationQuery,
  ): Promise<{ items: Recommendation[]; personalised: boolean }> {
    const index = await this.warm();
    const signals = await this.signals(address, traveller, index);
    const profile = this.profileVector(signals, index.dimensions);
    const { catalog } = this.deps;
    const candidates = query.destinationId ? (index.byDestination.get(query.destinationId) ?? []) : undefined;
    const accept = (i: number) => {
      const item = index.items[i];
      if (query.type && item.type !== query.type) return false;
      return !query.checkIn || catalog.isAvailable(item, query.checkIn, query.checkOut);
    };

    if (!profile) {
      const order = candidates
        ? [...candidates].sort((a, b) => index.popularity[b] - index.popularity[a] || a - b)
        : index.popular;
      const picked: Recommendation[] = [];
      for (const i of order) {
        if (picked.length >= query.limit) break;
        if (!accept(i)) continue;
        const item = index.items[i];
        const destination = catalog.destinationsById.get(item.destinationId);
        picked.push({
          item,
          score: 0,
          reason: `Popular in ${destination?.name ?? "this destination"}: rated ${(item.ratingTenths / 10).toFixed(1)} by ${item.reviewCount.toLocaleString("en-US")} travellers`,
        });
      }
      return { items: picked, personalised: false };
    }

    // Cosine of unit vectors: a dot product per feature set, then the best `limit` items that pass the filters.
    const { dimensions, groupVectors, groupOf } = index;
    const groupScore = (g: number) => dot(profile, groupVectors, g * dimensions, dimensions);
    let ranked: { position: number; score: number }[];
    if (candidates) {
      // One destination's items: few enough to rank item by item.
      const top = new TopK(query.limit);
      const scores = new Map<number, number>();
      for (const i of candidates) {
        const g = groupOf[i];
        let score = scores.get(g);
        if (score === undefined) scores.set(g, (score = groupScore(g)));
        if (top.accepts(score, i) && accept(i)) top.push(i, score);
      }
      ranked = top.sorted();
    } else {
      const groups = query.type ? (index.groupsByType.get(query.type) ?? []) : index.allGroups;
      ranked = bestItems(index, groups, groups.map(groupScore), query.limit, accept);
    }

    return {
      items: ranked.map(({ position, score }) => ({
        item: index.items[position],
        score: Math.round(score * 1000) / 1000,
        reason: reasonFor(signals, groupVectors, groupOf[position] * dimensions, dimensions),
      })),
      personalised: true,
    };
  }
}

function itemVector(index: ItemIndex, at: number): Float32Array {
  const offset = index.groupOf[at] * index.dimensions;
  return index.groupVectors.subarray(offset, offset + index.dimensions);
}

/**
 * The first `limit` accepted items in order of score (highest first), then position: the groups in score order, and
 * the members of groups that tie merged by position, so only the items that could be picked are looked at.
 */
function bestItems(
  index: ItemIndex,
  groups: number[],
  scores: number[],
  limit: number,
  accept: (position: number) => boolean,
): { position: number; score: number }[] {
  const order = groups
    .map((_, k) => k)
    .sort((a, b) => scores[b] - scores[a] || index.members[groups[a]][0] - index.members[groups[b]][0]);
  const picked: { position: number; score: number }[] = [];
  for (let start = 0; start < order.length && picked.length < limit;) {
    const score = scores[order[start]];
    let end = start + 1;
    while (end < order.length && scores[order[end]] === score) end++;
    const tied = order.slice(start, end).map((k) => index.members[groups[k]]);
    const next = tied.map(() => 0);
    while (picked.length < limit) {
      let from = -1;
      for (let t = 0; t < tied.length; t++)
        if (next[t] < tied[t].length && (from < 0 || tied[t][next[t]] < tied[from][next[from]])) from = t;
      if (from < 0) break;
      const position = tied[from][next[from]++];
      if (accept(position)) picked.push({ position, score });
    }
    start = end;
  }
  return picked;
}

/** The activity categories that took the largest share of the traveller's activity interactions, largest first. */
function favouriteCategories(signals: Signal[]): string[] {
  const weights = new Map<string, number>();
  let total = 0;
  for (const { item, weight } of signals) {
    if (item?.details.kind !== "activity") continue;
    weights.set(item.details.category, (weights.get(item.details.category) ?? 0) + weight);
    total += weight;
  }
  return [...weights]
    .filter(([, weight]) => weight >= total * FAVOURITE_SHARE && weight >= INTERACTION_WEIGHTS.like)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([category]) => category);
}

function dot(a: Float32Array, matrix: Float32Array, offset: number, dimensions: number): number {
  let sum = 0;
  for (let d = 0; d < dimensions; d++) sum += a[d] * matrix[offset + d];
  return sum;
}

/** The signal that contributes most to this item's score, said as a reason. */
function reasonFor(signals: Signal[], matrix: Float32Array, offset: number, dimensions: number): string {
  let best: Signal | undefined;
  let bestScore = -Infinity;
  for (const signal of signals) {
    const score = signal.weight * dot(signal.vector, matrix, offset, dimensions);
    if (score > bestScore) {
      bestScore = score;
      best = signal;
    }
  }
  return best ? `Because ${best.label}` : "Popular with travellers";
}

/**
 * The k best (position, score) pairs seen, kept in a small heap with the worst on top: the lowest score, and of equal
 * scores the latest position, so ties at the cut-off keep the earliest items whatever order they came in.
 */
class TopK {
  private readonly heap: { position: number; score: number }[] = [];
  constructor(private readonly k: number) {}

  accepts(score: number, position: number): boolean {
    if (this.heap.length < this.k) return true;
    const worst = this.heap[0];
    return score > worst.score || (score === worst.score && position < worst.position);
  }

  push(position: number, score: number) {
    const heap = this.heap;
    const worse = (a: number, b: number) =>
      heap[a].score < heap[b].score || (heap[a].score === heap[b].score && heap[a].position > heap[b].position);
    if (heap.length < this.k) {
      heap.push({ position, score });
      let i = heap.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!worse(i, parent)) break;
        [heap[parent], heap[i]] = [heap[i], heap[parent]];
        i = parent;
      }
      return;
    }
    heap[0] = { position, score };
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let top = i;
      if (l < heap.length && worse(l, top)) top = l;
      if (r < heap.length && worse(r, top)) top = r;
      if (top === i) break;
      [heap[top], heap[i]] = [heap[i], heap[top]];
      i = top;
    }
  }

  sorted() {
    return [...this.heap].sort((a, b) => b.score - a.score || a.position - b.position);
  }
}
