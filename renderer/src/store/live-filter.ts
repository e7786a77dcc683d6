// The filtered list, kept up to date a batch at a time: new rows are tested as they come,
// evicted ones dropped (nearly always a prefix: a slice), updated ones re-tested. Only a
// change of the filters themselves needs a pass over every row, and that pass runs in
// slices of a few milliseconds (step), so typing over 100,000 rows never blocks input;
// batches that arrive meanwhile are applied to the part already done and to the new rows.
import type { ExchangeSummary } from '../../../proxy-core/contract/index.js';

export interface TrafficDelta {
  /** New ids, in list order. */
  added: readonly string[];
  /** Ids whose exchange changed (it may match now, or no longer). */
  updated: readonly string[];
  /** Ids that left the list. */
  gone: ReadonlySet<string> | undefined;
}

type Predicate = (x: ExchangeSummary) => boolean;

/**
 * During a full pass, the rows found so far are published at most this often: each
 * publication copies the found list (up to every row) and re-renders the list, and a pass
 * over 100,000 rows takes dozens of slices. The first slice publishes at once.
 */
export const PARTIAL_EVERY_MS = 100;

export class LiveFilter {
  /** The matching ids, in list order (a new array whenever it changes). */
  ids: string[] = [];
  private test: Predicate | undefined;
  /** A full pass in progress: the ids it walks and how far it got. */
  private job: { all: readonly string[]; at: number; found: string[]; updated: Set<string>; tail: string[] } | undefined;
  /** When step() last published the rows found so far. */
  private publishedAt = -Infinity;

  constructor(
    private readonly lookup: (id: string) => ExchangeSummary | undefined,
    /** A row's place in the list (its start time); ties keep arrival order. */
    private readonly orderOf: (id: string) => number,
  ) {}

  get filtering(): boolean {
    return this.job !== undefined;
  }

  /** New filters (undefined: none): the list starts over from `all`, filled in by step(). */
  reset(all: readonly string[], test: Predicate | undefined): void {
    this.test = test;
    if (!test) {
      // Nothing filtered: the store's own list is the answer, nothing to keep here.
      this.job = undefined;
      this.ids = [];
      return;
    }
    this.job = { all, at: 0, found: [], updated: new Set(), tail: [] };
    this.ids = [];
    this.publishedAt = -Infinity;
  }

  /** Continues the full pass for about `budgetMs`; true when the list is complete. */
  step(budgetMs: number, now: () => number = () => performance.now()): boolean {
    const job = this.job;
    if (!job || !this.test) return true;
    const until = now() + budgetMs;
    const { all, found } = job;
    while (job.at < all.length) {
      const end = Math.min(all.length, job.at + 500);
      for (; job.at < end; job.at++) {
        const x = this.lookup(all[job.at]!);
        if (x && this.test(x)) found.push(all[job.at]!);
      }
      if (now() >= until) break;
    }
    if (job.at < all.length) {
      const at = now();
      if (at - this.publishedAt >= PARTIAL_EVERY_MS) {
        this.ids = found.slice();
        this.publishedAt = at;
      }
      return false;
    }
    this.job = undefined;
    this.ids = found.concat(job.tail);
    // Rows changed while the pass ran may have been tested under their older state.
    if (job.updated.size > 0) this.apply({ added: [], updated: [...job.updated], gone: undefined });
    return true;
  }

  /** A batch: new, changed and removed rows. */
  apply(delta: TrafficDelta): void {
    const { gone } = delta;
    if (!this.test) return;
    const job = this.job;
    if (job) {
      // The pass reads exchanges when it gets to them; removals and changes are settled
      // when it ends (a removed id is simply not found by lookup any more).
      if (gone) job.found = withoutIds(job.found, gone);
      if (gone) job.tail = withoutIds(job.tail, gone);
      for (const id of delta.updated) job.updated.add(id);
      for (const id of delta.added) {
        const x = this.lookup(id);
        if (x && this.test(x)) job.tail.push(id);
      }
      this.ids = job.found.slice();
      return;
    }
    let ids = gone ? withoutIds(this.ids, gone) : this.ids;
    let copied = ids !== this.ids;
    const own = () => {
      if (!copied) ids = ids.slice();
      copied = true;
    };
    if (delta.updated.length > 0) {
      // Whether a changed row is listed: a batch's few rows are looked up by their place
      // (a binary search on start time); a Set of 100,000 listed ids for every batch was
      // most of the page's work while a filter was on. Many rows at once (the engine's
      // answer to a new text) go through one Set.
      const shown = delta.updated.length > MANY_UPDATES ? new Set(ids) : undefined;
      // A row new in this batch is tested once, below, even if it also changed within it.
      const added = new Set(delta.added);
      for (const id of delta.updated) {
        if (added.has(id)) continue;
        const x = this.lookup(id);
        const now = x !== undefined && this.test(x);
        const at = shown ? undefined : indexInOrder(ids, id, this.orderOf);
        if (now === (shown ? shown.has(id) : at! >= 0)) continue;
        own();
        if (now) insertInOrder(ids, id, this.orderOf);
        else ids.splice(at ?? indexInOrder(ids, id, this.orderOf), 1);
        if (now) shown?.add(id);
        else shown?.delete(id);
      }
    }
    for (const id of delta.added) {
      const x = this.lookup(id);
      if (!x || !this.test(x)) continue;
      own();
      insertInOrder(ids, id, this.orderOf);
    }
    this.ids = ids;
  }
}

/** Above this many changed rows in one delta, membership is tested through a Set. */
const MANY_UPDATES = 256;

/** Where `id` is in `ids` (kept in `orderOf` order), or -1: a binary search, then its ties. */
export function indexInOrder(ids: readonly string[], id: string, orderOf: (id: string) => number): number {
  const key = orderOf(id);
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (orderOf(ids[mid]!) < key) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < ids.length && orderOf(ids[i]!) === key; i++) if (ids[i] === id) return i;
  return -1;
}

/** Appends `id`, or inserts it where its order puts it (a request that started earlier). */
export function insertInOrder(ids: string[], id: string, orderOf: (id: string) => number): void {
  const key = orderOf(id);
  if (ids.length === 0 || orderOf(ids[ids.length - 1]!) <= key) {
    ids.push(id);
    return;
  }
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (orderOf(ids[mid]!) <= key) lo = mid + 1;
    else hi = mid;
  }
  ids.splice(lo, 0, id);
}

/**
 * `ids` minus `gone` (the same array when nothing in it is gone). The store evicts the
 * oldest first, so what goes is nearly always a prefix: a slice then; otherwise one pass.
 */
export function withoutIds(ids: string[], gone: ReadonlySet<string>): string[] {
  let prefix = 0;
  while (prefix < ids.length && gone.has(ids[prefix]!)) prefix++;
  if (prefix === gone.size) return prefix === 0 ? ids : ids.slice(prefix);
  let i = prefix;
  while (i < ids.length && !gone.has(ids[i]!)) i++;
  if (i === ids.length) return prefix === 0 ? ids : ids.slice(prefix);
  return ids.filter((id) => !gone.has(id));
}
