/**
 * Search over the whole demo inventory (no destination given) with bounded work per request, whatever the query.
 *
 * - Type and origin pick a scope that holds its items in every sort order, so a page starts without sorting, and a
 *   price range is a binary search in the price order (whose width is the exact count).
 * - Free text goes through a word index: the items containing the most selective token are looked up, not scanned for.
 * - What no index answers (availability over the date window, tokens too common to look up) is evaluated lazily in
 *   the requested order: until the page is full, then only to count matches as far as the request's work budget goes.
 *   Past the budget `total` is a lower bound and `totalExact` is false; a page may even come short, with a cursor.
 * - A cursor carries the scan position, so the next page resumes where this one stopped instead of scanning again.
 * - The scan yields to the event loop between slices of work, so other requests are answered meanwhile.
 */
import { setImmediate as nextTurn } from "node:timers/promises";

import { addDays, daysBetween } from "./dates.js";
import { demoAvailable } from "./demo.js";
import { compareNames, searchTokens } from "./order.js";
import { ITEM_TYPES, SORTS, type CatalogItem, type SearchQuery, type Sort } from "./types.js";

/** What each step of a search costs in work units (a unit is about 4 ns of CPU here): the budget counts these. */
export const SEARCH_COSTS = {
  /** One candidate taken from a sequence (and its price checked). */
  visit: 1,
  /** One token looked for in an item's text, in sort order (scattered reads). */
  token: 60,
  /** One day of an item's availability. */
  day: 150,
  /** One word of the vocabulary matched against a token. */
  word: 8,
  /** One item of a token's postings gathered and put in sort order. */
  posting: 12,
} as const;

/**
 * Work units one search may spend (~4 ms of CPU): a page of any ordinary query and an exact count of most; a hostile
 * query (or the count of a worldwide date search) stops there.
 */
export const SEARCH_WORK_BUDGET = 1_000_000;

/** Work units between two yields to the event loop (well under a millisecond: a yield costs microseconds). */
const SLICE = 100_000;

/** A token whose postings exceed this is checked item by item instead of looked up (looking it up costs more). */
export const SELECTIVE_POSTINGS = 20_000;

/** Tokens of a query looked up in the word index (the longest, likely the most selective). */
export const MAX_LOOKUPS = 3;

/** Looked-up tokens kept: the same words come back page after page. */
const TOKEN_CACHE_SIZE = 128;

/** Where a page's scan resumes: the position in the query's sequence and matches still to pass over. */
export interface ScanCursor {
  /** Matches before the page (the page's offset). */
  offset: number;
  /** Position in the query's sequence of candidates; absent: the first `offset` matches are passed over. */
  position?: number;
  /** Matches still to pass over from `position` (a scan that ran out of budget while skipping). */
  skip?: number;
}

export interface IndexedSearchResult {
  items: CatalogItem[];
  /** Matches in all; a lower bound when `totalExact` is false. */
  total: number;
  totalExact: boolean;
  next: ScanCursor | null;
  /** Work units spent (see SEARCH_COSTS): at most the budget plus the look-ups and one item's evaluation. */
  work: number;
}

interface Scope {
  /** Item numbers (into `items`) in each sort order. */
  orders: Record<Sort, Int32Array>;
  /** Prices in cents, in `orders.price_asc` order. */
  prices: Float64Array;
}

const EMPTY_SCOPE: Scope = {
  orders: Object.fromEntries(SORTS.map((sort) => [sort, new Int32Array(0)])) as Record<Sort, Int32Array>,
  prices: new Float64Array(0),
};

/** First position in ascending `values` whose value is at least `bound` (strictly above it with `after`). */
function boundary(values: Float64Array, bound: number, after: boolean): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle] < bound || (after && values[middle] === bound)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Item numbers 0…count-1. */
const numbers = (count: number) => Array.from({ length: count }, (_, index) => index);

/** Elements a build step handles between two yields to the event loop (a few milliseconds of work). */
const BUILD_SLICE = 8_192;

/** A stable sort (as Array.prototype.sort) that yields to the event loop between slices: runs, then merges. */
async function sortInSlices<T>(values: T[], compare: (a: T, b: T) => number): Promise<T[]> {
  const count = values.length;
  let from = values.slice();
  for (let first = 0; first < count; first += BUILD_SLICE) {
    const run = from.slice(first, first + BUILD_SLICE).sort(compare);
    for (let i = 0; i < run.length; i++) from[first + i] = run[i];
    await nextTurn();
  }
  let to = new Array<T>(count);
  for (let width = BUILD_SLICE; width < count; width *= 2) {
    for (let first = 0; first < count; first += 2 * width) {
      const middle = Math.min(first + width, count);
      const end = Math.min(first + 2 * width, count);
      let left = first;
      let right = middle;
      for (let out = first; out < end; out++) {
        to[out] =
          right >= end || (left < middle && compare(from[left], from[right]) <= 0) ? from[left++] : from[right++];
      }
      await nextTurn();
    }
    [from, to] = [to, from];
  }
  return from;
}

export class SearchIndex {
  /** Prices in cents: a double holds whole cents exactly far beyond any price, and compares faster than a bigint. */
  private readonly price: Float64Array;
  /** Scopes by type (`all` for none) and by `flight:` + origin airport. */
  private readonly scopes = new Map<string, Scope>();
  /** Each item's position in the whole inventory's order, by sort. */
  private readonly rank = {} as Record<Sort, Int32Array>;
  /** The distinct whitespace-separated words of the items' texts, and the items (ascending) that have each. */
  private readonly words: string[] = [];
  private readonly postings: Int32Array[] = [];
  /** Items containing a token, for tokens selective enough to look up (null: too common). */
  private readonly tokenItems = new Map<string, Int32Array | null>();

  private constructor(
    private readonly items: readonly CatalogItem[],
    private readonly budget: number,
  ) {
    this.price = Float64Array.from(items, (item) => Number(item.priceCents));
  }

  /**
   * Builds the index (a few hundred milliseconds for the full inventory), yielding between steps so that requests
   * keep being answered meanwhile.
   */
  static async build(items: readonly CatalogItem[], budget = SEARCH_WORK_BUDGET): Promise<SearchIndex> {
    const index = new SearchIndex(items, budget);
    await index.buildOrders();
    await index.buildWords();
    return index;
  }

  private async buildOrders() {
    const { items, price } = this;
    const count = items.length;
    // Ranks turn every comparison into integer arithmetic: ids and distinct names are compared as strings once.
    const ids = items.map((item) => item.id);
    const idRank = new Int32Array(count);
    (await sortInSlices(numbers(count), (a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0))).forEach(
      (item, rank) => (idRank[item] = rank),
    );
    await nextTurn();
    const nameRank = await this.nameRanks();
    await nextTurn();
    const rating = Int32Array.from(items, (item) => item.ratingTenths * 1_000_000 + item.reviewCount);
    const keys: Record<Exclude<Sort, "relevance">, (a: number, b: number) => number> = {
      price_asc: (a, b) => price[a] - price[b],
      price_desc: (a, b) => price[b] - price[a],
      rating_desc: (a, b) => rating[b] - rating[a],
      name_asc: (a, b) => nameRank[a] - nameRank[b],
    };
    const global = { relevance: numbers(count) } as Record<Sort, number[]>;
    for (const sort of SORTS) {
      if (sort === "relevance") continue;
      const key = keys[sort];
      global[sort] = await sortInSlices(numbers(count), (a, b) => key(a, b) || idRank[a] - idRank[b]);
    }
    for (const sort of SORTS) {
      const rank = (this.rank[sort] = new Int32Array(count));
      const order = global[sort];
      for (let position = 0; position < count; position++) rank[order[position]] = position;
    }
    await nextTurn();

    // Each item belongs to the whole (scope 0), to its type's scope and, a flight, to its origin's.
    const scopeKeys: string[] = ["all", ...ITEM_TYPES];
    const typeScope = Int32Array.from(items, (item) => 1 + ITEM_TYPES.indexOf(item.type));
    const originScope = new Int32Array(count).fill(-1);
    const originNumbers = new Map<string, number>();
    items.forEach((item, index) => {
      if (item.details.kind !== "flight") return;
      const key = `flight:${item.details.origin}`;
      if (!originNumbers.has(key)) originNumbers.set(key, scopeKeys.push(key) - 1);
      originScope[index] = originNumbers.get(key)!;
    });
    const sizes = new Int32Array(scopeKeys.length);
    sizes[0] = count;
    for (let item = 0; item < count; item++) {
      sizes[typeScope[item]]++;
      if (originScope[item] >= 0) sizes[originScope[item]]++;
    }
    const orders = scopeKeys.map(() => ({}) as Record<Sort, Int32Array>);
    for (const sort of SORTS) {
      // Dealing a global order out keeps it: every scope is in the same order as the whole inventory.
      const dealt = scopeKeys.map((_, scope) => new Int32Array(sizes[scope]));
      const filled = new Int32Array(scopeKeys.length);
      for (const item of global[sort]) {
        dealt[0][filled[0]++] = item;
        const type = typeScope[item];
        dealt[type][filled[type]++] = item;
        const origin = originScope[item];
        if (origin >= 0) dealt[origin][filled[origin]++] = item;
      }
      dealt.forEach((order, scope) => (orders[scope][sort] = order));
      await nextTurn();
    }
    scopeKeys.forEach((key, scope) =>
      this.scopes.set(key, {
        orders: orders[scope],
        prices: Float64Array.from(orders[scope].price_asc, (item) => price[item]),
      }),
    );
    await nextTurn();
  }

  /** Each item's name as a rank in collation order (equal names, equal ranks), collating each distinct name once. */
  private async nameRanks(): Promise<Int32Array> {
    const distinct = [...new Set(this.items.map((item) => item.name))];
    await nextTurn();
    const names = await sortInSlices(distinct, compareNames);
    const rankOf = new Map<string, number>();
    names.forEach((name, index) => {
      const previous = names[index - 1];
      rankOf.set(name, previous !== undefined && compareNames(previous, name) === 0 ? rankOf.get(previous)! : index);
    });
    await nextTurn();
    return Int32Array.from(this.items, (item) => rankOf.get(item.name)!);
  }

  private async buildWords() {
    // A token holds no whitespace, so it occurs in a text exactly when it occurs in one of the text's words.
    const numberOf = new Map<string, number>();
    const lists: number[][] = [];
    const batch = BUILD_SLICE / 4; // an item has some twenty words
    for (let first = 0; first < this.items.length; first += batch) {
      const last = Math.min(first + batch, this.items.length);
      for (let item = first; item < last; item++) {
        for (const word of this.items[item].searchText.split(/\s+/)) {
          if (!word) continue;
          let number = numberOf.get(word);
          if (number === undefined) {
            number = this.words.push(word) - 1;
            numberOf.set(word, number);
            lists.push([]);
          }
          const list = lists[number];
          if (list[list.length - 1] !== item) list.push(item);
        }
      }
      await nextTurn();
    }
    for (let first = 0; first < lists.length; first += BUILD_SLICE) {
      for (const list of lists.slice(first, first + BUILD_SLICE)) this.postings.push(Int32Array.from(list));
      await nextTurn();
    }
  }

  /** The items containing `token` (ascending), or null when too many do to be worth looking up. */
  private lookUp(token: string, charge: (units: number) => void): Int32Array | null {
    const cached = this.tokenItems.get(token);
    if (cached !== undefined) {
      // Most recently used last: the first key is the one to evict.
      this.tokenItems.delete(token);
      this.tokenItems.set(token, cached);
      return cached;
    }
    charge(this.words.length * SEARCH_COSTS.word);
    const matching: Int32Array[] = [];
    let postings = 0;
    for (let number = 0; number < this.words.length && postings <= SELECTIVE_POSTINGS; number++) {
      if (this.words[number].includes(token)) {
        matching.push(this.postings[number]);
        postings += this.postings[number].length;
      }
    }
    let found: Int32Array | null = null;
    if (postings <= SELECTIVE_POSTINGS) {
      charge(postings * SEARCH_COSTS.posting);
      found = Int32Array.from(new Set(matching.flatMap((list) => [...list]))).sort();
    }
    if (this.tokenItems.size >= TOKEN_CACHE_SIZE) this.tokenItems.delete(this.tokenItems.keys().next().value!);
    this.tokenItems.set(token, found);
    return found;
  }

  private scopeOf(query: SearchQuery): Scope {
    if (query.origin) {
      if (query.type && query.type !== "flight") return EMPTY_SCOPE;
      return this.scopes.get(`flight:${query.origin}`) ?? EMPTY_SCOPE;
    }
    return this.scopes.get(query.type ?? "all") ?? EMPTY_SCOPE;
  }

  /** Whether the item is in the query's type and origin (for candidates that come from the word index). */
  private inScope(item: CatalogItem, query: SearchQuery): boolean {
    if (query.type && item.type !== query.type) return false;
    return !query.origin || (item.details.kind === "flight" && item.details.origin === query.origin);
  }

  async search(query: SearchQuery, cursor: ScanCursor): Promise<IndexedSearchResult> {
    const { items, price, budget } = this;
    let work = 0;
    const charge = (units: number) => (work += units);
    const low = query.minPriceCents === undefined ? -Infinity : Number(query.minPriceCents);
    const high = query.maxPriceCents === undefined ? Infinity : Number(query.maxPriceCents);

    // Tokens to check item by item: all but the one looked up, if any is selective enough. Which one is looked up
    // depends on the query alone (not on the cache or the budget), so that every page scans the same sequence.
    let tokens = searchTokens(query.text);
    let lookedUp: { token: string; items: Int32Array } | undefined;
    for (const token of tokens.slice(0, MAX_LOOKUPS)) {
      const found = this.lookUp(token, charge);
      if (found && (!lookedUp || found.length < lookedUp.items.length)) lookedUp = { token, items: found };
    }

    // The sequence of candidates, in the requested order; `candidates` of them pass the price, type and origin.
    let sequence: ArrayLike<number>;
    let start = 0;
    let end: number;
    let candidates: number;
    let checkPrice = false;
    if (lookedUp) {
      const { token, items: found } = lookedUp;
      tokens = tokens.filter((other) => other !== token);
      const rank = this.rank[query.sort];
      const kept = Array.from(found).filter(
        (item) => price[item] >= low && price[item] <= high && this.inScope(items[item], query),
      );
      charge(kept.length * SEARCH_COSTS.posting);
      sequence = kept.sort((a, b) => rank[a] - rank[b]);
      end = candidates = kept.length;
    } else {
      const scope = this.scopeOf(query);
      const cheapest = boundary(scope.prices, low, false);
      const beyond = boundary(scope.prices, high, true);
      const size = scope.prices.length;
      candidates = Math.max(0, beyond - cheapest);
      sequence = scope.orders[query.sort];
      end = size;
      // A price order is cut to the range; the others check each candidate's price.
      if (query.sort === "price_asc") [start, end] = [cheapest, cheapest + candidates];
      else if (query.sort === "price_desc") [start, end] = [size - beyond, size - beyond + candidates];
      checkPrice = end - start > candidates;
    }

    const days = query.checkIn ? daysBetween(query.checkIn, query.checkOut ?? addDays(query.checkIn, 1)) : [];
    const costly = tokens.length > 0 || days.length > 0;
    const matches = (item: CatalogItem): boolean => {
      for (const token of tokens) {
        work += SEARCH_COSTS.token;
        if (!item.searchText.includes(token)) return false;
      }
      if (days.length === 0) return true;
      // A hotel needs every night of the window, anything else one day of it.
      const every = item.type === "hotel";
      for (const day of days) {
        work += SEARCH_COSTS.day;
        if (demoAvailable(item, day) !== every) return !every;
      }
      return every;
    };

    let position = start + Math.min(cursor.position ?? 0, end - start);
    let skip = cursor.position === undefined ? cursor.offset : (cursor.skip ?? 0);
    if (!costly && !checkPrice) {
      // Every candidate matches: passing over matches is moving the position.
      const passed = Math.min(skip, end - position);
      position += passed;
      skip -= passed;
    }
    const page: CatalogItem[] = [];
    let afterPage = position;
    let counted = 0;
    let nextYield = work + SLICE;
    while (position < end && work < budget) {
      if (work >= nextYield) {
        await nextTurn();
        nextYield += SLICE;
      }
      const index = sequence[position++];
      work += SEARCH_COSTS.visit;
      if (checkPrice && (price[index] < low || price[index] > high)) continue;
      if (costly && !matches(items[index])) continue;
      if (skip > 0) skip--;
      else if (page.length < query.limit) {
        page.push(items[index]);
        afterPage = position;
        if (!costly && page.length === query.limit) break; // the total is known already
      } else counted++;
    }
    const exhausted = position >= end;
    const { offset } = cursor;

    if (!costly) {
      // The candidates are the matches: the total is exact whatever the scan did.
      const more = page.length < query.limit ? !exhausted : offset + page.length < candidates;
      return {
        items: page,
        total: candidates,
        totalExact: true,
        next: more ? this.resume(offset + page.length, position - start, skip) : null,
        work,
      };
    }
    if (page.length < query.limit) {
      // The sequence ended (the total is exact), or the budget did: a short page, maybe empty, and a cursor to go on.
      return {
        items: page,
        total: Math.max(0, offset - skip) + page.length,
        totalExact: exhausted,
        next: exhausted ? null : this.resume(offset + page.length, position - start, skip),
        work,
      };
    }
    return {
      items: page,
      total: offset + page.length + counted,
      totalExact: exhausted,
      next: counted > 0 || !exhausted ? this.resume(offset + page.length, afterPage - start) : null,
      work,
    };
  }

  private resume(offset: number, position: number, skip = 0): ScanCursor {
    return skip > 0 ? { offset, position, skip } : { offset, position };
  }
}
